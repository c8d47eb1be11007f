"""Posting quality checks: gender-coded wording, pay transparency, readability, completeness.

:func:`lint_text` checks any posting text, Markdown or plain. A :class:`LintContext` carries the
structured facts known when a posting was composed (region, salary, dates, employer); for a bare
text, :func:`infer_context` reads what it can from the text itself (see its docstring). Each rule
has an id (``gender-coded``, ``pay-transparency``...), and each finding a severity, a message and,
where there is one, the line it is about. :meth:`LintReport.to_dict` is the JSON shape the CLI
prints with ``--json`` and batch manifests record.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from . import _validate as v
from ._yaml import parse_yaml
from .employer import today as employer_today
from .errors import UsageError, ValidationError

if TYPE_CHECKING:
    from .compose import Posting

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Finding:
    """One problem: which rule found it, how bad it is, what to do, and where (1-based line)."""

    rule: str
    severity: Severity
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
        }


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
class LintReport:
    findings: tuple[Finding, ...]
    gender_coding: GenderCoding
    readability: Readability | None  # None when the readability rule is off or there is no text
    word_count: int

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    def to_dict(self) -> dict[str, Any]:
        """``{"findings", "gender_coding", "readability", "word_count"}``, ordered as documented."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "gender_coding": self.gender_coding.to_dict(),
            "readability": self.readability.to_dict() if self.readability else None,
            "word_count": self.word_count,
        }


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class LintContext:
    """Facts about the posting beyond its text. ``None`` means not given.

    ``inferred`` marks a context read from a bare text by :func:`infer_context`: then only what a
    text can show is checked (title, description, a "City, ST" location, a pay range, dates).
    """

    title: str | None = None
    employer_name: str | None = None
    locality: str | None = None
    region: str | None = None
    country: str | None = None
    workplace: str | None = None  # onsite, hybrid, remote
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    date_posted: dt.date | None = None
    valid_through: dt.date | None = None
    inferred: bool = False
    region_line: int | None = None  # where an inferred region was found

    @property
    def has_pay_range(self) -> bool:
        return self.salary_min is not None and self.salary_max is not None


@dataclass(frozen=True)
class LintConfig:
    """Thresholds and rule selection.

    ``today`` (for expiry, and for undated postings' pay laws) defaults to today's UTC date, or
    the date of ``SOURCE_DATE_EPOCH`` when set, as for ``date_posted``.
    """

    max_grade: float = 12.0
    min_words: int = 300
    max_words: int = 1500
    max_required: int = 8
    today: dt.date | None = None
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for option, ids in (("--disable", self.disable), ("--enable", self.enable)):
            for rule_id in sorted(ids):
                if rule_id not in RULES:
                    raise UsageError(
                        f"{option}: unknown rule {rule_id!r}.{v.did_you_mean(rule_id, RULES)} "
                        f"Rules: {', '.join(RULES)}"
                    )
        both = sorted(self.disable & self.enable)
        if both:
            raise UsageError(f"rule {both[0]!r} is both enabled and disabled; choose one")
        if self.max_grade <= 0:
            raise UsageError(f"--max-grade must be above 0, not {self.max_grade:g}")
        if self.min_words < 0 or self.max_words < self.min_words:
            raise UsageError(
                f"word limits must satisfy 0 <= min ({self.min_words}) <= max ({self.max_words})"
            )
        if self.max_required < 1:
            raise UsageError(
                f"the required-lines limit must be at least 1, not {self.max_required}"
            )

    def active_rules(self) -> tuple[str, ...]:
        """Ids of the rules that run, in registry order."""
        return tuple(
            r.id
            for r in RULES.values()
            if (r.default_enabled or r.id in self.enable) and r.id not in self.disable
        )


# --------------------------------------------------------------------------- reading the text

LineKind = Literal["heading", "item", "text"]


@dataclass(frozen=True)
class _Line:
    number: int
    kind: LineKind
    text: str  # markup removed
    level: int = 0  # heading level; 4 for pseudo-headings ("Requirements:", a bold line)


@dataclass(frozen=True)
class _Doc:
    lines: tuple[_Line, ...]  # non-blank lines only

    @functools.cached_property
    def word_count(self) -> int:
        return sum(_count_words(line.text) for line in self.lines)


_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_ITEM = re.compile(r"^\s*(?:[-*+•–]|\d{1,3}[.)])\s+(.*)$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")

_HTML_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_MARKUP: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->"), " "),
    (re.compile(r"<(?:https?://|mailto:)[^>]*>"), " "),
    (re.compile(r"</?[A-Za-z][^>]*>"), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"\b(?:https?://|www\.)\S+"), " "),
    (re.compile(r"(?<![\\`])`([^`]*)`"), r"\1"),
    (re.compile(r"(?<![\w\\])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),
    (re.compile(r"(?<![\w\\*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])"), r"\1"),
    (re.compile(r"\s*\|\s*"), " "),
)


def _strip_markup(text: str) -> str:
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def _count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def _parse(text: str) -> _Doc:
    """Markdown or plain text → typed lines; blank lines, code blocks and front matter dropped."""
    text = _HTML_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)  # keeps line numbers
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[_Line] = []
    start = 0
    if raw and raw[0].strip() == "---":  # YAML front matter
        end = next((i for i in range(1, len(raw)) if raw[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
    fence: str | None = None
    previous_blank = True
    for index in range(start, len(raw)):
        number, line = index + 1, raw[index]
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1) == fence:
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        line = _QUOTE.sub("", line)
        if not line.strip():
            previous_blank = True
            continue
        setext = _SETEXT.match(line)
        if setext and not previous_blank and lines and lines[-1].kind == "text":
            last = lines[-1]
            lines[-1] = _Line(last.number, "heading", last.text, 1 if "=" in setext.group(1) else 2)
            continue
        previous_blank = False
        if _BREAK.match(line) or _TABLE_RULE.match(line):
            continue
        if heading := _HEADING.match(line):
            if plain := _strip_markup(heading.group(2)):
                lines.append(_Line(number, "heading", plain, len(heading.group(1))))
            continue
        if item := _ITEM.match(line):
            if plain := _strip_markup(item.group(1)):
                lines.append(_Line(number, "item", plain))
            continue
        plain = _strip_markup(line)
        if not plain:
            continue
        if _BOLD_LINE.match(line.strip()) or (plain.endswith(":") and _count_words(plain) <= 6):
            lines.append(_Line(number, "heading", plain.rstrip(":").strip(), 4))
        else:
            lines.append(_Line(number, "text", plain))
    return _Doc(tuple(lines))


# --------------------------------------------------------------------------- gender coding

FEMININE_VERDICTS = ("feminine-coded", "strongly feminine-coded")
MASCULINE_VERDICTS = ("masculine-coded", "strongly masculine-coded")


@dataclass(frozen=True)
class _WordLists:
    masculine: tuple[str, ...]
    feminine: tuple[str, ...]

    @property
    def hyphenated(self) -> tuple[str, ...]:
        return tuple(w for w in self.masculine + self.feminine if "-" in w)


def _data_text(name: str) -> str:
    return resources.files("jobgen").joinpath("data", name).read_text(encoding="utf-8")


def _word_list(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    words = data.get(key)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValidationError(f"{key} must be a list of word stems", source=source)
    return tuple(w.lower() for w in words)


@functools.cache
def gender_word_lists() -> _WordLists:
    """The packaged stems (jobgen/data/gender_words.yaml)."""
    source = "jobgen/data/gender_words.yaml"
    data = parse_yaml(_data_text("gender_words.yaml"), source)
    if not isinstance(data, dict):
        raise ValidationError("expected a mapping", source=source)
    return _WordLists(_word_list(data, "masculine", source), _word_list(data, "feminine", source))


# gender-decoder's clean-up: non-ASCII characters become spaces, these characters too.
_GD_PUNCTUATION = re.compile(r"[.\t,“”‘’<>*?!\"\[\]@':;()/&]")


def _coded_tokens(text: str, hyphenated: tuple[str, ...]) -> Iterator[str]:
    ascii_text = "".join(ch if ord(ch) < 128 else " " for ch in text)
    for word in _GD_PUNCTUATION.sub(" ", ascii_text).lower().split():
        if "-" in word and not word.startswith(hyphenated):
            yield from (part for part in word.split("-") if part)
        else:
            yield word


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


def gender_coding(text: str) -> GenderCoding:
    """Find the coded words of a posting (Markdown or plain) and give gender-decoder's verdict."""
    return _gender_coding(_parse(text))


def _gender_coding(doc: _Doc) -> GenderCoding:
    lists = gender_word_lists()
    hyphenated = lists.hyphenated
    masculine: list[CodedWord] = []
    feminine: list[CodedWord] = []
    for line in doc.lines:
        for word in _coded_tokens(line.text, hyphenated):
            # gender-decoder counts a word once per stem it matches ("dominant" twice: "domina",
            # "dominant"); jobgen counts each word once, masculine stems first.
            if word.startswith(lists.masculine):
                masculine.append(CodedWord(word, line.number))
            elif word.startswith(lists.feminine):
                feminine.append(CodedWord(word, line.number))
    verdict = gender_verdict(len(masculine), len(feminine))
    return GenderCoding(verdict, tuple(masculine), tuple(feminine))


def _word_summary(words: tuple[CodedWord, ...], limit: int = 8) -> str:
    counts = Counter(w.word for w in words)
    shown = [f"{w} ×{n}" if n > 1 else w for w, n in list(counts.items())[:limit]]
    more = len(counts) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


# --------------------------------------------------------------------------- readability

# textstat counts English syllables with CMUdict through NLTK and downloads the dictionary on
# first use. jobgen never reaches the network and must give the same numbers on every machine,
# so it asks textstat for its Pyphen (hyphenation-dictionary) syllable counting with English
# formula constants: textstat takes the language root from "xx_YY" codes only, so "en-US" is not
# the "en" root that selects CMUdict, while Pyphen reads it as en_US.
_TEXTSTAT_LANG = "en-US"


@functools.cache
def _textstat() -> Any:
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang(_TEXTSTAT_LANG)
    return stats


def _prose(doc: _Doc) -> str:
    """The sentences of the posting: headings left out; a list item or line is one sentence."""
    sentences = []
    for line in doc.lines:
        if line.kind == "heading":
            continue
        text = line.text.rstrip()
        if text.endswith(":"):
            text = text[:-1]
        if not text.endswith((".", "!", "?")):
            text += "."
        sentences.append(text)
    return " ".join(sentences)


def readability(text: str, *, max_grade: float = 12.0) -> Readability | None:
    """Flesch–Kincaid grade and Flesch reading ease of a posting; None when it has no prose."""
    return _readability(_parse(text), max_grade)


def _readability(doc: _Doc, max_grade: float) -> Readability | None:
    prose = _prose(doc)
    if not any(ch.isalpha() for ch in prose):
        return None
    stats = _textstat()
    return Readability(
        flesch_kincaid_grade=round(float(stats.flesch_kincaid_grade(prose)), 1),
        flesch_reading_ease=round(float(stats.flesch_reading_ease(prose)), 1),
        max_grade=max_grade,
    )


# --------------------------------------------------------------------------- pay transparency


@dataclass(frozen=True)
class PayLaw:
    code: str
    name: str
    law: str
    citation: str
    effective: dt.date
    employers: str
    aliases: tuple[str, ...] = ()


def _region_key(text: str) -> str:
    return " ".join(re.sub(r"[.,ʻ'’]", " ", text).lower().split())


@functools.cache
def pay_transparency_laws() -> tuple[PayLaw, ...]:
    """The packaged jurisdictions (jobgen/data/pay_transparency.yaml)."""
    source = "jobgen/data/pay_transparency.yaml"
    data = parse_yaml(_data_text("pay_transparency.yaml"), source)
    entries = data.get("jurisdictions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValidationError("expected a list under 'jurisdictions'", source=source)
    laws = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("effective"), dt.date):
            raise ValidationError("each jurisdiction needs text fields and a date", source=source)
        laws.append(
            PayLaw(
                code=v.require_str(entry, "code", source=source),
                name=v.require_str(entry, "name", source=source),
                law=v.require_str(entry, "law", source=source),
                citation=v.require_str(entry, "citation", source=source),
                effective=entry["effective"],
                employers=v.require_str(entry, "employers", source=source),
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            )
        )
    return tuple(laws)


@functools.cache
def _laws_by_key() -> dict[str, PayLaw]:
    table: dict[str, PayLaw] = {}
    for law in pay_transparency_laws():
        for spelling in (law.code, law.name, *law.aliases):
            table[_region_key(spelling)] = law
    return table


def pay_law_for(region: str | None, country: str | None = None) -> PayLaw | None:
    """The pay-range law of a US region given as a name or postal code, any case."""
    if not region or not _is_us(country):
        return None
    return _laws_by_key().get(_region_key(region))


_US_NAMES = {"us", "usa", "u s", "u s a", "united states", "united states of america", "america"}


def _is_us(country: str | None) -> bool:
    return not country or _region_key(country) in _US_NAMES


# --------------------------------------------------------------------------- inferring facts

US_STATES: Mapping[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
_STATE_NAMES = "|".join(sorted((re.escape(n) for n in US_STATES.values()), key=len, reverse=True))
_CITY_STATE = re.compile(
    r"\b([A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3}),\s*"
    rf"(?:(?P<code>[A-Z]{{2}})|(?P<name>{_STATE_NAMES}))(?![A-Za-z])"
)
_LOCATION_LABEL = re.compile(r"^(?:job\s+)?location\s*:\s*(.+)$", re.IGNORECASE)
_MONEY = r"(?:[A-Z]{0,3}\$|€|£)\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s?([kK]\b)?"
_PAY_RANGE = re.compile(
    rf"{_MONEY}\s*(?:-|–|—|to|and)\s*(?:{_MONEY}|(\d[\d,]*)(\.\d+)?\s?([kK]\b)?)"
)
_PAY_LABEL = re.compile(rf"^(?:pay|salary|wage|compensation|pay range)\s*:\s*{_MONEY}", re.I)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = rf"(\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTHS})\s+\d{{1,2}},\s*\d{{4}})"
_POSTED = re.compile(rf"\b(?:date\s+)?posted(?:\s+on)?\s*:?\s*{_DATE}", re.IGNORECASE)
_CLOSES = re.compile(
    rf"\b(?:applications?\s+close(?:s)?(?:\s+on)?|apply\s+by|valid\s+through|closing\s+date)"
    rf"\s*:?\s*{_DATE}",
    re.IGNORECASE,
)


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%B %d, %Y", "%B %d,%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _amount(whole: str | None, cents: str | None, k: str | None) -> Decimal | None:
    if not whole:
        return None
    try:
        value = Decimal(whole.replace(",", "") + (cents or ""))
    except InvalidOperation:
        return None
    return value * 1000 if k else value


def _find_region(text: str) -> str | None:
    match = _CITY_STATE.search(text)
    while match:
        if match.group("name"):
            return next(c for c, n in US_STATES.items() if n == match.group("name"))
        if match.group("code") in US_STATES:
            return match.group("code")
        match = _CITY_STATE.search(text, match.end("code"))
    return None


def infer_context(text: str) -> LintContext:
    """Read the facts a bare posting text shows, for checking a FILE.

    - title: the first level-1 heading, else the first line;
    - region: from a ``Location: ...`` line, else the first ``City, ST`` (or ``City, State``)
      with a US postal code or state name; ``remote`` on that line marks a remote job;
    - salary: the first range of amounts (``$45,000 – $55,000``, ``$20-25/hour``, ``$45k to
      $55k``), or one amount on a ``Pay:`` line (a fixed rate);
    - dates: ``Posted: 2026-01-15``; ``Applications close on January 31, 2026`` / ``Apply by``.
    Employer and country cannot be told from a text and are left unknown.
    """
    doc = _parse(text)
    title = next((ln.text for ln in doc.lines if ln.kind == "heading" and ln.level == 1), None)
    if title is None and doc.lines:
        title = doc.lines[0].text

    region = workplace = None
    region_line: int | None = None
    labelled = [(ln, m.group(1)) for ln in doc.lines if (m := _LOCATION_LABEL.match(ln.text))]
    candidates = labelled or [(ln, ln.text) for ln in doc.lines]
    for line, value in candidates:
        if found := _find_region(value):
            region, region_line = found, line.number
            lowered = value.lower()
            workplace = (
                "remote" if "remote" in lowered else "hybrid" if "hybrid" in lowered else None
            )
            break

    salary_min = salary_max = None
    for line in doc.lines:
        if match := _PAY_RANGE.search(line.text):
            g = match.groups()
            salary_min = _amount(g[0], g[1], g[2])
            high = _amount(g[3], g[4], g[5])
            salary_max = high if high is not None else _amount(g[6], g[7], g[8])
            break
    else:
        for line in doc.lines:
            if match := _PAY_LABEL.match(line.text):
                salary_min = salary_max = _amount(*match.groups())
                break

    joined = "\n".join(ln.text for ln in doc.lines)
    posted = _POSTED.search(joined)
    closes = _CLOSES.search(joined)
    return LintContext(
        title=title,
        region=region,
        workplace=workplace,
        salary_min=salary_min,
        salary_max=salary_max,
        date_posted=_parse_date(posted.group(1)) if posted else None,
        valid_through=_parse_date(closes.group(1)) if closes else None,
        inferred=True,
        region_line=region_line,
    )


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Facts:
    doc: _Doc
    context: LintContext
    config: LintConfig
    today: dt.date
    gender: GenderCoding
    readability: Readability | None
    active: tuple[str, ...]


Check = Callable[[_Facts], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the most severe level the rule reports
    summary: str
    check: Check = field(repr=False)
    default_enabled: bool = True


RULES: dict[str, Rule] = {}


def _rule(
    rule_id: str, severity: Severity, summary: str, *, enabled: bool = True
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, summary, check, enabled)
        return check

    return register


@_rule(
    "gender-coded",
    "warning",
    "Masculine-coded wording (Gaucher, Friesen & Kay 2011); feminine-coded noted as info.",
)
def _check_gender(facts: _Facts) -> Iterator[Finding]:
    g = facts.gender
    if g.verdict in MASCULINE_VERDICTS:
        yield Finding(
            "gender-coded",
            "warning",
            f"{g.verdict} wording: {len(g.masculine)} masculine-coded word(s) "
            f"({_word_summary(g.masculine)}) against {len(g.feminine)} feminine-coded; "
            "Gaucher, Friesen & Kay (2011) found such wording makes a job less appealing to "
            "women. Prefer communal words (e.g. 'guide' for 'lead', 'careful' for 'decisive').",
            g.masculine[0].line,
        )
    elif g.verdict in FEMININE_VERDICTS:
        yield Finding(
            "gender-coded",
            "info",
            f"{g.verdict} wording: {len(g.feminine)} feminine-coded word(s) "
            f"({_word_summary(g.feminine)}) against {len(g.masculine)} masculine-coded; "
            "the research found this has only a slight effect on how appealing a job is to men.",
            g.feminine[0].line,
        )


def _applicable_law(facts: _Facts) -> PayLaw | None:
    ctx = facts.context
    law = pay_law_for(ctx.region, ctx.country)
    if law is None:
        return None
    posted = ctx.date_posted or facts.today
    return law if posted >= law.effective else None


@_rule(
    "pay-transparency",
    "error",
    "No pay range in a US jurisdiction whose law requires one (jobgen/data/pay_transparency.yaml).",
)
def _check_pay_transparency(facts: _Facts) -> Iterator[Finding]:
    law = _applicable_law(facts)
    ctx = facts.context
    if law is None or ctx.has_pay_range:
        return
    fix = (
        "state a pay range such as '$45,000 – $55,000 per year' (or pass --region to correct "
        "the detected location)"
        if ctx.inferred
        else "set salary.min and salary.max"
    )
    dated = (
        f"dated {ctx.date_posted.isoformat()}"
        if ctx.date_posted
        else f"undated and so judged as of {facts.today.isoformat()}"
    )
    yield Finding(
        "pay-transparency",
        "error",
        f"{law.name} requires a pay range in job postings ({law.law}, {law.citation}; in force "
        f"since {law.effective.isoformat()} for {law.employers}); this posting, {dated}, has "
        f"none: {fix}.",
        ctx.region_line,
    )


@_rule(
    "pay-range",
    "warning",
    "No pay range at all, where no law requires one.",
    enabled=False,
)
def _check_pay_range(facts: _Facts) -> Iterator[Finding]:
    if facts.context.has_pay_range:
        return
    if "pay-transparency" in facts.active and _applicable_law(facts) is not None:
        return  # reported as an error already
    yield Finding(
        "pay-range",
        "warning",
        "no pay range is stated; applicants look for one, and several US states require it "
        "(set salary.min and salary.max).",
    )


@_rule("readability", "warning", "Flesch–Kincaid grade above --max-grade (default 12).")
def _check_readability(facts: _Facts) -> Iterator[Finding]:
    r = facts.readability
    if r is not None and r.flesch_kincaid_grade > r.max_grade:
        yield Finding(
            "readability",
            "warning",
            f"Flesch–Kincaid grade {r.flesch_kincaid_grade:g} is above {r.max_grade:g} (reading "
            f"ease {r.flesch_reading_ease:g}); shorter sentences and plainer words reach more "
            "applicants.",
        )


@_rule(
    "completeness-required",
    "error",
    "Google's required JobPosting fields: title, description, datePosted, "
    "hiringOrganization name, jobLocation unless remote, and the country.",
)
def _check_required(facts: _Facts) -> Iterator[Finding]:
    ctx = facts.context
    missing: list[tuple[str, str]] = []
    if not (ctx.title or "").strip():
        missing.append(
            ("title", "a first line or '# heading' naming the job" if ctx.inferred else "title")
        )
    title_words = _count_words(ctx.title or "")
    if facts.doc.word_count - title_words <= 0:
        missing.append(("description", "the posting text"))
    if not ctx.inferred:
        if not (ctx.employer_name or "").strip():
            missing.append(("hiringOrganization.name", "employer.name"))
        if ctx.date_posted is None:
            missing.append(("datePosted", "date_posted"))
        # the same rules as -f jsonld: Google wants addressCountry in every jobLocation, and a
        # remote posting names the country applicants may live in
        if ctx.workplace != "remote" and not (ctx.locality or ctx.region):
            missing.append(("jobLocation", "location.city or location.region"))
        if not ctx.country:
            prop = (
                "applicantLocationRequirements"
                if ctx.workplace == "remote"
                else "jobLocation.address.addressCountry"
            )
            missing.append((prop, "location.country"))
    for prop, where in missing:
        yield Finding(
            "completeness-required",
            "error",
            f"Google's required JobPosting property {prop} is missing (set {where}); "
            "Google for Jobs does not show postings without it.",
        )


@_rule("expired", "error", "valid_through before today (or before date_posted).")
def _check_expired(facts: _Facts) -> Iterator[Finding]:
    ctx = facts.context
    if ctx.valid_through is None:
        return
    if ctx.valid_through < facts.today:
        yield Finding(
            "expired",
            "error",
            f"the posting expired: valid_through {ctx.valid_through.isoformat()} is before "
            f"{facts.today.isoformat()}; set a later valid_through or take the posting down.",
        )
    if ctx.date_posted is not None and ctx.valid_through < ctx.date_posted:
        yield Finding(
            "expired",
            "error",
            f"valid_through {ctx.valid_through.isoformat()} is before date_posted "
            f"{ctx.date_posted.isoformat()}.",
        )


@_rule("length", "warning", "Word count outside 300–1,500 (configurable).")
def _check_length(facts: _Facts) -> Iterator[Finding]:
    n, cfg = facts.doc.word_count, facts.config
    if n < cfg.min_words:
        yield Finding(
            "length",
            "warning",
            f"the posting has {n:,} words, under {cfg.min_words:,}: too short to tell applicants "
            "what the job is, where, for what pay and how to apply.",
        )
    elif n > cfg.max_words:
        yield Finding(
            "length",
            "warning",
            f"the posting has {n:,} words, over {cfg.max_words:,}: long postings lose readers; "
            "keep what an applicant needs to decide.",
        )


_REQUIRED_HEADING = re.compile(
    r"\b(?:required|requirements?|must[- ]haves?|minimum qualifications|basic qualifications|"
    r"qualifications|what you(?:'|’)?ll need|what you need)\b",
    re.IGNORECASE,
)
_NOT_REQUIRED = re.compile(r"\b(?:prefer\w*|nice[- ]to[- ]have|bonus|desired|plus)\b", re.I)


def required_sections(text: str) -> list[tuple[int, str, int]]:
    """``(heading line, heading, number of list items)`` for each required-qualifications list."""
    return _required_sections(_parse(text))


def _required_sections(doc: _Doc) -> list[tuple[int, str, int]]:
    sections: list[tuple[int, str, int]] = []
    current: list[Any] | None = None
    for line in doc.lines:
        if line.kind == "heading":
            if current is not None:
                sections.append((current[0], current[1], current[2]))
            wanted = _REQUIRED_HEADING.search(line.text) and not _NOT_REQUIRED.search(line.text)
            current = [line.number, line.text, 0] if wanted else None
        elif line.kind == "item" and current is not None:
            current[2] += 1
    if current is not None:
        sections.append((current[0], current[1], current[2]))
    return [s for s in sections if s[2] > 0]


@_rule("too-many-requirements", "warning", "More than 8 required-qualification lines.")
def _check_requirements(facts: _Facts) -> Iterator[Finding]:
    limit = facts.config.max_required
    for number, heading, count in _required_sections(facts.doc):
        if count > limit:
            yield Finding(
                "too-many-requirements",
                "warning",
                f"{count} required qualifications under '{heading}' (limit {limit}): long lists "
                "put off qualified people who meet most but not all of them; move the rest to "
                "preferred.",
                number,
            )


# --------------------------------------------------------------------------- entry points

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _order(finding: Finding) -> tuple[int, int, int]:
    """Line (document-wide first), severity, rule; a stable sort keeps each rule's own order."""
    line = finding.line if finding.line is not None else 0
    return (line, _SEVERITY_RANK[finding.severity], list(RULES).index(finding.rule))


def lint_text(
    text: str, *, context: LintContext | None = None, config: LintConfig | None = None
) -> LintReport:
    """Check one posting. Without ``context``, facts are inferred from the text.

    Findings are ordered by line (document-wide ones first), then severity, then rule.
    """
    config = config if config is not None else LintConfig()
    doc = _parse(text)
    active = config.active_rules()
    facts = _Facts(
        doc=doc,
        context=context if context is not None else infer_context(text),
        config=config,
        today=config.today or employer_today(),
        gender=_gender_coding(doc),
        readability=_readability(doc, config.max_grade) if "readability" in active else None,
        active=active,
    )
    findings = [f for rule_id in active for f in RULES[rule_id].check(facts)]
    findings.sort(key=_order)
    return LintReport(tuple(findings), facts.gender, facts.readability, doc.word_count)


def context_from_posting(posting: Posting) -> LintContext:
    """The facts a composed posting carries (its employer options), for :func:`lint_text`."""
    o = posting.options
    return LintContext(
        title=posting.title,
        employer_name=None if o.employer.is_placeholder else o.employer.name,
        locality=o.location.city or None,
        region=o.location.region or None,
        country=o.location.country or None,
        workplace=o.workplace,
        salary_min=o.salary.min,
        salary_max=o.salary.max,
        date_posted=o.date_posted,
        valid_through=o.valid_through,
    )


def lint_composed(
    posting: Posting,
    *,
    markdown: str | None = None,
    template: Path | None = None,
    config: LintConfig | None = None,
) -> LintReport:
    """Lint a composed posting with the facts its options carry.

    ``markdown`` is the posting already rendered; without it the posting is rendered here (with
    ``template`` when given).
    """
    if markdown is None:
        from .render.markdown import render_markdown

        markdown = render_markdown(posting, template=template)
    return lint_text(markdown, context=context_from_posting(posting), config=config)


def lint_posting(
    posting: Posting,
    *,
    markdown: str | None = None,
    template: Path | None = None,
    config: LintConfig | None = None,
) -> dict[str, Any]:
    """:func:`lint_composed` as a JSON-ready dict (:meth:`LintReport.to_dict`), for manifests."""
    return lint_composed(posting, markdown=markdown, template=template, config=config).to_dict()


def lint_rendered(
    *,
    template: Path | None = None,
    config: LintConfig | None = None,
    **sources: Any,
) -> LintReport:
    """Compose and render the Markdown posting as ``jobgen render`` would, then lint it.

    ``sources`` are :func:`jobgen.load_posting`'s keyword arguments (guide, employer_file, ...).
    """
    from . import load_posting

    return lint_composed(load_posting(**sources), template=template, config=config)


def lint_file(
    path: str | Path,
    *,
    stdin: BinaryIO | None = None,
    region: str | None = None,
    date_posted: dt.date | None = None,
    config: LintConfig | None = None,
) -> LintReport:
    """Lint a rendered posting file (Markdown or plain text); ``"-"`` reads ``stdin``.

    The facts come from the text (:func:`infer_context`); ``region`` and ``date_posted``
    override what it shows.
    """
    from ._yaml import read_stream, read_text

    if str(path) == "-":
        if stdin is None:
            raise UsageError("'-' reads the posting from standard input, and none was given")
        text = read_stream(stdin, "<stdin>", what="posting")
    else:
        text = read_text(Path(path), what="posting")
    context = infer_context(text)
    if region is not None:
        context = replace(context, region=region, region_line=None)
    if date_posted is not None:
        context = replace(context, date_posted=date_posted)
    return lint_text(text, context=context, config=config)


def format_report(report: LintReport, source: str = "-") -> str:
    """The human-readable report: one ``source:line: severity: message [rule]`` per finding."""
    out = []
    for f in report.findings:
        where = f"{source}:{f.line}" if f.line is not None else source
        out.append(f"{where}: {f.severity}: {f.message} [{f.rule}]")
    g = report.gender_coding
    out.append(
        f"gender coding: {g.verdict} (masculine {len(g.masculine)}"
        + (f": {_word_summary(g.masculine)}" if g.masculine else "")
        + f"; feminine {len(g.feminine)}"
        + (f": {_word_summary(g.feminine)}" if g.feminine else "")
        + ")"
    )
    if report.readability is not None:
        r = report.readability
        out.append(
            f"readability: Flesch–Kincaid grade {r.flesch_kincaid_grade:g} (limit "
            f"{r.max_grade:g}), Flesch reading ease {r.flesch_reading_ease:g}"
        )
    out.append(f"words: {report.word_count:,}")
    counts = [report.count(s) for s in SEVERITIES]
    out.append(
        f"{counts[0]} error{'s' * (counts[0] != 1)}, {counts[1]} warning{'s' * (counts[1] != 1)}, "
        f"{counts[2]} info"
    )
    return "\n".join(out) + "\n"
