"""The rules a reviewer applies to the words: placeholders left in, a posting that contradicts
itself, a sentence said twice, stigmatizing terms and hype. Each takes the :class:`Facts` and
yields findings; the table in :mod:`jobgen.lint.registry` names them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .document import Line
from .facts import Facts, Finding
from .rules import NOT_REQUIRED_HEADING, REQUIRED_HEADING
from .text import Sentence, normalized
from .wordlists import Wording, wording_lists

# --------------------------------------------------------------------------- placeholder

_PLACEHOLDERS = (
    re.compile(r"\[(?=[^\[\]]*[A-Za-z]{2})[^\[\]]{2,80}\](?!\()"),  # [Employer name], [City]
    re.compile(r"\{\{|\}\}|\{%|%\}"),  # a template tag left unrendered
    re.compile(r"<\s*(?:insert|enter|add|your|company|employer)\b[^<>]{0,80}>", re.IGNORECASE),
    re.compile(r"(?<![\w-])(?:TBD|TBA|TBC)(?![\w-])", re.IGNORECASE),
    re.compile(r"\blorem ipsum\b|\bdolor sit amet\b", re.IGNORECASE),
    re.compile(r"(?<![\w-])(?:[Xx]{3,}|X{2,}(?:[,.]X+)+)(?![\w-])|\$\s?[Xx]{2,}"),
    re.compile(r"\bINSERT\b|\b(?:COMPANY|EMPLOYER|CITY|STATE|JOB) (?:NAME|TITLE)\b"),
)


def _placeholders(text: str) -> list[str]:
    return [m.group(0) for pattern in _PLACEHOLDERS for m in pattern.finditer(text)]


def check_placeholders(facts: Facts) -> Iterator[Finding]:
    found: dict[int, list[str]] = {}
    for line in facts.doc.lines:
        found.setdefault(line.number, []).extend(_placeholders(line.text))
    for number in sorted(found):
        if found[number]:
            shown = ", ".join(f"'{p}'" for p in dict.fromkeys(found[number]))
            yield Finding(
                "placeholder",
                "error",
                f"placeholder text left in: {shown}; replace it with the real words before "
                "publishing (for jobgen's own placeholders, set the employer field).",
                number,
            )


# --------------------------------------------------------------------------- contradictions


@dataclass(frozen=True)
class _Placed:
    """A sentence and the kind of section it is in: "required", "preferred" or ""."""

    sentence: Sentence
    section: str


def _sections(facts: Facts) -> list[_Placed]:
    """Each sentence with the kind of the heading above it."""
    headings = [line for line in facts.doc.lines if line.kind == "heading"]
    numbers = [line.number for line in headings]
    kinds = [_section_kind(line) for line in headings]
    placed = []
    for sentence in facts.sentences:
        index = bisect.bisect_right(numbers, sentence.line) - 1
        placed.append(_Placed(sentence, kinds[index] if index >= 0 else ""))
    return placed


def _section_kind(line: Line) -> str:
    if NOT_REQUIRED_HEADING.search(line.text):
        return "preferred"
    if REQUIRED_HEADING.search(line.text):
        return "required"
    return ""


_ENTRY_LEVEL = re.compile(
    r"\bentry[- ]level\b|\bno (?:prior |previous |paid |work )?experience\b"
    r"|\bwithout (?:any )?(?:prior |previous )?experience\b|\b(?:is|are) all you need\b"
    r"|\ball you need (?:is|to start)\b"
    r"|\bno (?:certification|license) (?:is )?(?:required|needed)\b",
    re.IGNORECASE,
)
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|a|an)"
_DURATION = re.compile(rf"\b{_NUMBER}\+?\s*(?:\(\d+\)\s*)?(?:years?|months?)\b", re.IGNORECASE)
_EXPERIENCE = re.compile(r"\bexperience[ds]?\b", re.IGNORECASE)
_CREDENTIAL = re.compile(
    r"\b(?:certification|certified|licen[cs]e[ds]?|licensure|registered|credential(?:ed|s)?)\b",
    re.I,
)
_DRIVING_LICENSE = re.compile(r"\bdriv(?:er|ing)(?:['’]?s)? licen[cs]e\b", re.IGNORECASE)
_REQUIRED_WORDS = re.compile(
    r"\b(?:required|requires?|must|mandatory|minimum|at least|needed)\b", re.IGNORECASE
)
_NOT_A_PREREQUISITE = re.compile(
    r"\b(?:willing\w*|obtain\w*|within \w+ (?:days|weeks|months)|after hire|upon hire|"
    r"we (?:provide|pay|offer|train)|no|not|without|preferred|helps|a plus)\b",
    re.IGNORECASE,
)


def _requirement(placed: _Placed) -> str | None:
    """What a sentence requires that an entry-level claim contradicts: "experience",
    "certification" or None."""
    text = placed.sentence.text
    if placed.section == "preferred" or _NOT_A_PREREQUISITE.search(text):
        return None
    listed = placed.section == "required" and placed.sentence.kind == "item"
    if not (listed or _REQUIRED_WORDS.search(text)):
        return None
    if _EXPERIENCE.search(text) and (listed or _DURATION.search(text)):
        return "experience"
    if _CREDENTIAL.search(_DRIVING_LICENSE.sub(" ", text)):
        return "certification"
    return None


def _quote(text: str, limit: int = 90) -> str:
    text = text.strip()
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1].rstrip()}…'"


def check_experience(facts: Facts) -> Iterator[Finding]:
    placed = _sections(facts)
    required = [(p, kind) for p in placed if (kind := _requirement(p))]
    if not required:
        return
    first, kind = required[0]
    for p in placed:
        claim = _ENTRY_LEVEL.search(p.sentence.text)
        if claim is None or _requirement(p):
            continue
        yield Finding(
            "experience-contradiction",
            "warning",
            f"{_quote(p.sentence.text)} says '{claim.group(0)}', yet the posting requires "
            f"{kind}: {_quote(first.sentence.text)} (line {first.sentence.line}); drop the "
            "claim or the requirement.",
            p.sentence.line,
        )


# A stated schedule that rules out some hours, and the words for the hours it rules out.
_RESTRICTIONS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (
        re.compile(
            r"\bmon(?:day)?s?\.?\s*(?:-|–|—|to|through|thru)\s*fri(?:day)?s?\b|\bweekdays only\b"
            r"|\bonly on weekdays\b|\bno weekends?\b|\bweekends? (?:are )?off\b",
            re.IGNORECASE,
        ),
        frozenset({"weekend", "holiday", "all-hours"}),
    ),
    (
        re.compile(
            r"\bday shifts? only\b|\bdays only\b|\bno (?:nights?|overnights?|night shifts?)\b"
            r"|\b(?:[5-9]|1[0-1])(?::[0-5]\d)?\s*a\.?m\.?\s*(?:-|–|—|to|until)\s*"
            r"(?:[1-6]|12)(?::[0-5]\d)?\s*p\.?m\.?",
            re.IGNORECASE,
        ),
        frozenset({"night", "evening", "all-hours"}),
    ),
    (re.compile(r"\bno holidays\b|\bholidays (?:are )?off\b", re.I), frozenset({"holiday"})),
    (re.compile(r"\bno evenings?\b|\bevenings (?:are )?off\b", re.I), frozenset({"evening"})),
)
_HOURS = {
    "weekend": r"weekends?",
    "holiday": r"holidays?",
    "night": r"nights?|overnights?|night[- ]shifts?",
    "evening": r"evenings?",
    "all-hours": r"24 hours|24-hour|24/7|around the clock|round the clock|all year|every day",
}
_WORK = r"shifts?|work(?:s|ing)?|schedul\w*|rotat\w*|on[- ]call|coverage|cover|hours|availab\w*"
_MENTION = {
    kind: re.compile(
        rf"\b(?:{_WORK})\W+(?:\w+\W+){{0,7}}?(?P<a>{words})\b"
        rf"|(?<![\w-])(?P<b>{words})\W+(?:\w+\W+){{0,2}}?(?:{_WORK})\b",
        re.IGNORECASE,
    )
    for kind, words in _HOURS.items()
}
_NEGATED = re.compile(r"\b(?:no|not|never|without|free of)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
# "24-hour care", "overnight programs": the setting's hours, not this hire's
_OF_THE_SETTING = re.compile(
    r"[\s-]*(?:care|support|supervision|treatment|monitoring|nursing|staffing|services?"
    r"|facilit\w*|units?|programs?|settings?|crisis|hotline|line)\b",
    re.IGNORECASE,
)
_NOT_THIS_HIRES_HOURS = re.compile(r"\bdifferential|\bpremium\b|\bstaffed\b", re.IGNORECASE)


def _conflicts(text: str, ruled_out: frozenset[str]) -> list[str]:
    """The words of ``text`` naming hours the schedule rules out, as this hire's hours."""
    if _NOT_THIS_HIRES_HOURS.search(text):
        return []
    words: list[tuple[int, str]] = []
    for kind in ruled_out:
        for match in _MENTION[kind].finditer(text):
            group = "a" if match.group("a") else "b"
            negated = _NEGATED.search(text[: match.start(group)])
            if not negated and not _OF_THE_SETTING.match(text, match.end(group)):
                words.append((match.start(group), match.group(group)))
    return [word for _, word in sorted(words)]


def check_schedule(facts: Facts) -> Iterator[Finding]:
    stated: list[tuple[Sentence, frozenset[str]]] = []
    for sentence in facts.sentences:
        ruled_out = frozenset().union(
            *(kinds for pattern, kinds in _RESTRICTIONS if pattern.search(sentence.text))
        )
        if ruled_out:
            stated.append((sentence, ruled_out))
    if not stated:
        return
    ruled_out = frozenset().union(*(kinds for _, kinds in stated))
    said = {s.text for s, _ in stated}
    for sentence in facts.sentences:
        if sentence.text in said:
            continue
        words = _conflicts(sentence.text, ruled_out)
        if words:
            first = stated[0][0]
            named = ", ".join(f"'{w}'" for w in words)
            yield Finding(
                "schedule-contradiction",
                "warning",
                f"{_quote(sentence.text)} names {named}, which the stated schedule "
                f"{_quote(first.text)} (line {first.line}) rules out; say only the hours this "
                "hire will work.",
                sentence.line,
            )


# --------------------------------------------------------------------------- repetition

MIN_REPEATED_WORDS = 4


def check_repeated(facts: Facts) -> Iterator[Finding]:
    seen: dict[str, Sentence] = {}
    for sentence in facts.sentences:
        key = normalized(sentence.text)
        if len(key.split()) < MIN_REPEATED_WORDS:
            continue
        first = seen.setdefault(key, sentence)
        if first is not sentence:
            yield Finding(
                "repeated-sentence",
                "warning",
                f"{_quote(sentence.text)} repeats line {first.line}; say it once.",
                sentence.line,
            )


# --------------------------------------------------------------------------- word lists


def _matches(facts: Facts, lists: tuple[Wording, ...]) -> Iterator[tuple[int, str, Wording]]:
    """``(line, phrase, entry)`` for each listed phrase in the text, headings included."""
    text = facts.doc.joined[0]
    lowered = text.lower()
    for entry in lists:
        allowed = [m.span() for m in entry.allowed.finditer(text)] if entry.allowed else []
        for match in entry.finditer(text, lowered):
            if not any(a <= match.start() and match.end() <= b for a, b in allowed):
                yield facts.doc.line_at(match.start()), " ".join(match.group(0).split()), entry


def _word_findings(facts: Facts, rule: str, key: str, template: str) -> Iterator[Finding]:
    taken: set[tuple[int, str]] = set()
    for number, phrase, entry in _matches(facts, wording_lists()[key]):
        if any(n == number and phrase.lower() in p for n, p in taken):
            continue  # "substance abuse" inside "substance abuse disorders", already said
        taken.add((number, phrase.lower()))
        yield Finding(rule, "warning", template.format(phrase=phrase, use=entry.use), number)


def check_person_first(facts: Facts) -> Iterator[Finding]:
    yield from _word_findings(
        facts,
        "person-first",
        "person_first",
        "'{phrase}' is stigmatizing wording that puts off applicants and the people served "
        "(NIDA, 'Words Matter'); say {use}.",
    )


def check_jargon(facts: Facts) -> Iterator[Finding]:
    yield from _word_findings(
        facts,
        "jargon",
        "jargon",
        "'{phrase}' is hype or jargon that tells an applicant nothing about the job; {use}.",
    )
