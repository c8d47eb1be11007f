"""The facts about a posting beyond its words: where, for what pay, when; and the pay laws.

A composed posting carries them (:func:`jobgen.lint.context_from_posting`); for a bare text,
:func:`infer_context` reads what the text shows. ``jobgen/data/pay_transparency.yaml`` lists the
US jurisdictions whose law requires a pay range in job postings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .. import _validate as v
from ..errors import ValidationError
from .document import Document, parse
from .wordlists import load_data


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
    entries = load_data("pay_transparency.yaml").get("jurisdictions")
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
    return context_of(parse(text))


def context_of(doc: Document) -> LintContext:
    """:func:`infer_context` of a parsed text."""
    title = next((ln.text for ln in doc.lines if ln.kind == "heading" and ln.level == 1), None)
    if title is None and doc.lines:
        title = doc.lines[0].text
    region, workplace, region_line = _location(doc)
    salary_min, salary_max = _salary(doc)
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


def _location(doc: Document) -> tuple[str | None, str | None, int | None]:
    """``(region, workplace, line)`` from a "Location:" line, else the first "City, ST"."""
    labelled = [(ln, m.group(1)) for ln in doc.lines if (m := _LOCATION_LABEL.match(ln.text))]
    candidates = labelled or [(ln, ln.text) for ln in doc.lines]
    for line, value in candidates:
        if found := _find_region(value):
            lowered = value.lower()
            workplace = (
                "remote" if "remote" in lowered else "hybrid" if "hybrid" in lowered else None
            )
            return found, workplace, line.number
    return None, None, None


def _salary(doc: Document) -> tuple[Decimal | None, Decimal | None]:
    """The first pay range, else one amount on a "Pay:" line (a fixed rate)."""
    for line in doc.lines:
        if match := _PAY_RANGE.search(line.text):
            g = match.groups()
            high = _amount(g[3], g[4], g[5])
            return _amount(g[0], g[1], g[2]), high if high is not None else _amount(*g[6:9])
    for line in doc.lines:
        if match := _PAY_LABEL.match(line.text):
            amount = _amount(*match.groups())
            return amount, amount
    return None, None
