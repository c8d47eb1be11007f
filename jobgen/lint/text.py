"""Text facts: the sentences of a posting, and how hard they are to read.

One sentence splitter serves every rule that reads sentences (readability, repeated sentences,
contradictions), so they agree on where a sentence ends.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .document import Document, Line, count_words


@dataclass(frozen=True)
class Sentence:
    line: int  # where it starts
    text: str
    kind: str  # the kind of its block: "item" or "text" ("heading" sentences are not made)


# A period after one of these (or after a word with a period inside, "a.m", "e.g", "U.S") does
# not end a sentence.
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "st", "jr", "sr", "vs", "inc", "co", "ltd", "approx", "dept"}
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")


_LAST_WORD = re.compile(r"(\S*)$")


def _ends_sentence(text: str, end: re.Match[str]) -> bool:
    """True when the punctuation matched closes a sentence."""
    if "!" in end.group(0) or "?" in end.group(0):
        return True
    before = _LAST_WORD.search(text, max(0, end.start() - 40), end.start())
    word = before.group(1).lstrip("\"'“‘([").lower() if before else ""
    if "." in word or word in _ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())  # an initial: "J. Smith"


def split_sentences(text: str) -> list[tuple[int, str]]:
    """``(offset, sentence)`` pairs; a text without end punctuation is one sentence."""
    out: list[tuple[int, str]] = []
    start = 0
    ends = [m.end() for m in _END.finditer(text) if _ends_sentence(text, m)]
    for end in [*ends, len(text)]:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            out.append((start + len(chunk) - len(chunk.lstrip()), stripped))
        start = end
    return out


def _block_sentences(block: tuple[Line, ...]) -> Iterator[Sentence]:
    starts: list[tuple[int, int]] = []  # (offset in the joined text, line number)
    parts: list[str] = []
    offset = 0
    for line in block:
        starts.append((offset, line.number))
        parts.append(line.text)
        offset += len(line.text) + 1
    joined = " ".join(parts)
    offsets = [o for o, _ in starts]
    for at, sentence in split_sentences(joined):
        number = starts[bisect.bisect_right(offsets, at) - 1][1]
        yield Sentence(number, sentence, block[0].kind)


def sentences(doc: Document) -> list[Sentence]:
    """The sentences of every paragraph, list item and table row (headings left out)."""
    out: list[Sentence] = []
    for block in doc.blocks():
        if block[0].kind != "heading":
            out.extend(_block_sentences(block))
    return out


def normalized(sentence: str) -> str:
    """A sentence reduced to lower-case words, for comparing two sentences."""
    return " ".join(re.findall(r"[\w'’$]+", sentence.lower()))


# --------------------------------------------------------------------------- readability


@dataclass(frozen=True)
class Readability:
    flesch_kincaid_grade: float
    flesch_reading_ease: float
    max_grade: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "flesch_kincaid_grade": self.flesch_kincaid_grade,
            "flesch_reading_ease": self.flesch_reading_ease,
            "max_grade": self.max_grade,
        }


@dataclass(frozen=True)
class Unscored:
    """Why a text got no readability scores; ``hard`` when that itself is a reading problem."""

    reason: str
    hard: bool = False


MIN_WORDS = 10
"""Fewer words than this are not scored: the formulas need running prose."""
MIN_WORDS_PER_SENTENCE = 2.0
MAX_WORDS_PER_SENTENCE = 60.0
"""Outside these averages the text is fragments or one run-on block, and the formulas say
nothing useful (``word. word. …`` once scored grade −3, textstat's own counting 584,996)."""

# textstat counts English syllables with CMUdict through NLTK and downloads the dictionary on
# first use. jobgen never reaches the network and must give the same numbers on every machine,
# so it asks textstat for its Pyphen (hyphenation-dictionary) syllable counting: textstat takes
# the language root from "xx_YY" codes only, so "en-US" is not the "en" root that selects
# CMUdict, while Pyphen reads it as en_US.
_TEXTSTAT_LANG = "en-US"


@functools.cache
def _textstat() -> Any:
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang(_TEXTSTAT_LANG)
    return stats


def measure(found: list[str], max_grade: float) -> Readability | Unscored:
    """Flesch–Kincaid grade (never below 0) and Flesch reading ease of the sentences ``found``
    (:func:`sentences`), or why there are none.

    The counts are jobgen's own: words as :func:`count_words` counts them, sentences as
    :func:`split_sentences` splits them (a list item or a line without end punctuation is one
    sentence), syllables from textstat's Pyphen counting.
    """
    words = sum(count_words(s) for s in found)
    if words < MIN_WORDS:
        return Unscored(f"the text has {words} word(s); scoring needs at least {MIN_WORDS}")
    per_sentence = words / len(found)
    if per_sentence < MIN_WORDS_PER_SENTENCE:
        return Unscored(
            f"its {len(found):,} sentences average {per_sentence:.1f} words: fragments, not prose"
        )
    if per_sentence > MAX_WORDS_PER_SENTENCE:
        return Unscored(
            f"its {len(found):,} sentence(s) average {per_sentence:,.0f} words (the formulas "
            f"assume at most {MAX_WORDS_PER_SENTENCE:.0f}): break the text into sentences",
            hard=True,
        )
    syllables = sum(int(_textstat().syllable_count(s)) for s in found) / words
    grade = 0.39 * per_sentence + 11.8 * syllables - 15.59
    ease = 206.835 - 1.015 * per_sentence - 84.6 * syllables
    return Readability(
        flesch_kincaid_grade=round(max(0.0, grade), 1),
        flesch_reading_ease=round(ease, 1),
        max_grade=max_grade,
    )
