"""Gender-coded wording (Gaucher, Friesen & Kay 2011, as gender-decoder counts it).

The stems live in ``jobgen/data/gender_words.yaml``. Headings are not counted (a heading such as
"Where this role can lead" names a section; it does not describe the job), nor words that
describe the people a posting serves ("mental health challenges"): see ``not_counted`` and
``people_words`` in the data file.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from .document import Document, parse
from .wordlists import load_data, string_list

FEMININE_VERDICTS = ("feminine-coded", "strongly feminine-coded")
MASCULINE_VERDICTS = ("masculine-coded", "strongly masculine-coded")


@dataclass(frozen=True)
class CodedWord:
    word: str
    line: int


@dataclass(frozen=True)
class GenderCoding:
    """The coded words found, in text order (repeats kept: they count), and the verdict."""

    verdict: str
    masculine: tuple[CodedWord, ...] = ()
    feminine: tuple[CodedWord, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "masculine": [w.word for w in self.masculine],
            "feminine": [w.word for w in self.feminine],
        }


@dataclass(frozen=True)
class WordLists:
    masculine: tuple[str, ...]
    feminine: tuple[str, ...]
    not_counted: tuple[tuple[str, ...], ...] = ()  # phrases, as tokens
    people: tuple[str, ...] = ()

    @property
    def hyphenated(self) -> tuple[str, ...]:
        return tuple(w for w in self.masculine + self.feminine if "-" in w)

    @functools.cached_property
    def phrases_by_first(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """The not-counted phrases by their first word (those not starting with a stem)."""
        table: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.not_counted:
            if not phrase[0].endswith("*"):
                table.setdefault(phrase[0], []).append(phrase)
        return {word: tuple(phrases) for word, phrases in table.items()}

    @functools.cached_property
    def starred_phrases(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p for p in self.not_counted if p[0].endswith("*"))


@functools.cache
def gender_word_lists() -> WordLists:
    """The packaged stems and exceptions (jobgen/data/gender_words.yaml)."""
    source = "jobgen/data/gender_words.yaml"
    data = load_data("gender_words.yaml")
    masculine = string_list(data, "masculine", source)
    feminine = string_list(data, "feminine", source)
    hyphenated = tuple(w for w in masculine + feminine if "-" in w)
    phrases = [_phrase_tokens(p, hyphenated) for p in string_list(data, "not_counted", source)]
    if not all(phrases):
        raise ValidationError("not_counted: every entry needs a word", source=source)
    people = string_list(data, "people_words", source)
    return WordLists(masculine, feminine, tuple(phrases), people)


# gender-decoder's clean-up: non-ASCII characters become spaces, these characters too.
_GD_PUNCTUATION = re.compile(r"[.\t,“”‘’<>*?!\"\[\]@':;()/&]")


def coded_tokens(text: str, hyphenated: tuple[str, ...]) -> Iterator[str]:
    ascii_text = "".join(ch if ord(ch) < 128 else " " for ch in text)
    for word in _GD_PUNCTUATION.sub(" ", ascii_text).lower().split():
        if "-" in word and not word.startswith(hyphenated):
            yield from (part for part in word.split("-") if part)
        else:
            yield word


def _phrase_tokens(phrase: str, hyphenated: tuple[str, ...]) -> tuple[str, ...]:
    """A phrase as the tokens a text gives, a word's trailing "*" kept on its last token."""
    tokens: list[str] = []
    for word in phrase.split():
        parts = list(coded_tokens(word.rstrip("*"), hyphenated))
        if parts and word.endswith("*"):
            parts[-1] += "*"
        tokens += parts
    return tuple(tokens)


def gender_verdict(masculine: int, feminine: int) -> str:
    """gender-decoder's verdict: the difference of the counts, "strongly" beyond 3."""
    score = feminine - masculine
    if score == 0:
        return "neutral" if feminine else "empty"
    if score > 3:
        return "strongly feminine-coded"
    if score > 0:
        return "feminine-coded"
    if score < -3:
        return "strongly masculine-coded"
    return "masculine-coded"


def _matches(token: str, pattern: str) -> bool:
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern


def _phrases_from(token: str, lists: WordLists) -> Iterator[tuple[str, ...]]:
    """The not-counted phrases that may start at ``token``."""
    yield from lists.phrases_by_first.get(token, ())
    for phrase in lists.starred_phrases:
        if _matches(token, phrase[0]):
            yield phrase


_ADJECTIVE_ENDINGS = ("ive", "ing", "ent", "ant", "ous", "ed", "al", "ic")


def _not_counted(tokens: list[str], lists: WordLists) -> set[int]:
    """Indices of the tokens inside a not-counted phrase, or of an adjective describing the
    people served ("aggressive patients")."""
    skip: set[int] = set()
    for i, token in enumerate(tokens):
        if (
            i + 1 < len(tokens)
            and token.endswith(_ADJECTIVE_ENDINGS)
            and any(_matches(tokens[i + 1], p) for p in lists.people)
        ):
            skip.add(i)
        for phrase in _phrases_from(token, lists):
            window = tokens[i : i + len(phrase)]
            if len(window) == len(phrase) and all(map(_matches, window, phrase)):
                skip.update(range(i, i + len(phrase)))
    return skip


def gender_coding(text: str) -> GenderCoding:
    """Find the coded words of a posting (Markdown or plain) and give gender-decoder's verdict."""
    return coding_of(parse(text))


def coding_of(doc: Document) -> GenderCoding:
    lists = gender_word_lists()
    hyphenated = lists.hyphenated
    masculine: list[CodedWord] = []
    feminine: list[CodedWord] = []
    for block in doc.blocks():
        if block[0].kind == "heading":
            continue
        # a bold lead-in label ("**Lead Technician:**") names a thing, like a heading
        tokens = [(t, line.number) for line in block for t in coded_tokens(line.body, hyphenated)]
        skip = _not_counted([t for t, _ in tokens], lists)
        for index, (word, number) in enumerate(tokens):
            if index in skip:
                continue
            # gender-decoder counts a word once per stem it matches ("dominant" twice: "domina",
            # "dominant"); jobgen counts each word once, masculine stems first.
            if word.startswith(lists.masculine):
                masculine.append(CodedWord(word, number))
            elif word.startswith(lists.feminine):
                feminine.append(CodedWord(word, number))
    verdict = gender_verdict(len(masculine), len(feminine))
    return GenderCoding(verdict, tuple(masculine), tuple(feminine))


def word_summary(words: tuple[CodedWord, ...], limit: int = 8) -> str:
    counts = Counter(w.word for w in words)
    shown = [f"{w} ×{n}" if n > 1 else w for w, n in list(counts.items())[:limit]]
    more = len(counts) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
