"""Employer options: a strict, frozen model and the layered loading that fills it.

Every field has one dotted name (``salary.min``) used everywhere: nested or dotted keys in YAML,
CSV headers, ``--set salary.min=18`` and ``JOBGEN_SALARY_MIN``. Sources, weakest first: an employer
file, ``JOBGEN_*`` environment variables, ``--set`` assignments, then ``--setting``/``--education``.

One table drives it all: :data:`FIELDS` names each field's kind, and :data:`KINDS` gives each kind
its one parser (which also words its errors) and its JSON Schema (see :mod:`jobgen.schemas`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from . import _validate as v
from ._yaml import load_yaml_file
from .errors import JobgenError, UsageError, ValidationError
from .guide import Guide, resolve_choice

# --------------------------------------------------------------------------- the model

DEFAULT_EEO = (
    # the classes federal law protects (EEOC: Title VII, ADEA, ADA, GINA; VEVRAA for veterans)
    "{employer} is an equal opportunity employer. We consider all qualified applicants without "
    "regard to race, color, religion, sex (including pregnancy, sexual orientation and gender "
    "identity), national origin, age, disability, genetic information or veteran status. We "
    "provide reasonable accommodations throughout the hiring process."
)
PLACEHOLDER_EMPLOYER = "[Employer name]"


@dataclass(frozen=True)
class Employer:
    """Who is hiring."""

    name: str = PLACEHOLDER_EMPLOYER
    about: str = ""
    website: str = ""

    @property
    def is_placeholder(self) -> bool:
        return self.name == PLACEHOLDER_EMPLOYER


@dataclass(frozen=True)
class Location:
    """Where the job is."""

    city: str = ""
    region: str = ""
    country: str = ""
    postal_code: str = ""

    def display(self) -> str:
        city, region = self.city, self.region
        if city and region:
            return ", ".join((city, region))
        return city or region or self.country


@dataclass(frozen=True)
class Salary:
    """The pay range, its currency and what it is per."""

    min: Decimal | None = None
    max: Decimal | None = None
    currency: str = "USD"
    period: str = ""

    @property
    def is_set(self) -> bool:
        return self.min is not None or self.max is not None


@dataclass(frozen=True)
class Apply:
    """How to apply: a link, an email address, or both."""

    url: str = ""
    email: str = ""


GROUPS: dict[str, type[Any]] = {
    "employer": Employer,
    "location": Location,
    "salary": Salary,
    "apply": Apply,
}
"""The field groups: ``employer.name`` is the ``name`` of an :class:`Employer`."""


@dataclass(frozen=True)
class EmployerOptions:
    """Everything an employer says about one posting, validated; setting/education are slugs."""

    setting: str
    education: str
    employer: Employer = field(default_factory=Employer)
    title: str = ""
    location: Location = field(default_factory=Location)
    workplace: str = "onsite"
    employment_type: str = "full-time"
    schedule: str = ""
    salary: Salary = field(default_factory=Salary)
    certification: str = "none"
    experience_months: int | None = None
    benefits: tuple[str, ...] = ()
    extra_responsibilities: tuple[str, ...] = ()
    extra_qualifications: tuple[str, ...] = ()
    apply: Apply = field(default_factory=Apply)
    date_posted: dt.date = dt.date(1970, 1, 1)
    valid_through: dt.date | None = None
    requisition_id: str = ""
    eeo_statement: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Flat ``{dotted.key: value}`` with JSON-ready values (numbers as strings, dates ISO)."""
        out: dict[str, Any] = {}
        for spec in FIELDS:
            value: Any = self
            for part in spec.key.split("."):
                value = getattr(value, part)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[spec.key] = value
        return out


# --------------------------------------------------------------------------- values as given


class Given(NamedTuple):
    """One value as a source gave it, before parsing."""

    value: Any
    where: str
    """Where it came from, for messages: "employer.yaml:12", "JOBGEN_SALARY_MIN", "--set",
    "rows.csv row 7 (line 8)"."""
    usage: bool = False
    """A command line gave it: its mistakes are usage errors (exit 2)."""


def _err(given: Given, key: str, message: str, hint: str | None = None) -> JobgenError:
    cls: type[JobgenError] = UsageError if given.usage else ValidationError
    return cls(f"{key}: {message}", source=given.where, hint=hint)


# --------------------------------------------------------------------------- the kinds

MAX_TEXT = 5_000
"""Longest accepted value of any one text field, in characters."""
MAX_LIST = 30
"""Most entries accepted in one list field."""
MAX_PAY = Decimal("100000000")
LIST_SEPARATOR = ";"
"""Separates list entries where a value is one string: ``--set``, ``JOBGEN_*``, CSV cells."""

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"]*$", re.IGNORECASE)
_URL_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_URL_BAD_CHAR = re.compile(r"[\s<>\"]")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PAY_RANGE = re.compile(r"^\$?\d[\d.]*k?(?:-|–|—|to)\$?\d[\d.]*k?$", re.IGNORECASE)
_PAY_THOUSANDS = re.compile(r"^\d+(?:\.\d+)?k$", re.IGNORECASE)
_CENT = Decimal("0.01")

CHOICE_WORDS = {
    "on-site": "onsite",
    "fulltime": "full-time",
    "parttime": "part-time",
    "prn": "per-diem",
    "perdiem": "per-diem",
    "hourly": "hour",
    "yearly": "year",
    "annual": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
}
"""Words people write for a choice, each mapped to the choice."""


def _kind_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    return "a mapping" if isinstance(value, Mapping) else "a list"


def _text(given: Given, key: str, *, multiline: bool = False) -> str:
    value = given.value
    if not isinstance(value, str):
        if isinstance(value, bool | list | tuple | Mapping):
            kind = _kind_of_value(value)
            raise _err(given, key, f"must be text, not {kind}", "put the value in quotes")
        if not isinstance(value, int | float | Decimal):
            raise _err(given, key, "must be text", "put the value in quotes")
        value = str(value)
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise _err(given, key, f"is {len(value):,} characters; the limit is {MAX_TEXT:,}")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if problem := v.text_problem(value, multiline=multiline):
        raise _err(given, key, *problem)
    return unicodedata.normalize("NFC", value)


def parse_text(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """One line of text."""
    return _text(given, spec.key)


def parse_longtext(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """Text that may run over several lines."""
    return _text(given, spec.key, multiline=True)


def parse_money(given: Given, spec: FieldSpec, guide: Guide) -> Decimal | None:
    """An amount of pay: 0 or more, at most 2 decimal places; ``$``, commas and spaces allowed."""
    key = spec.key
    text = _text(given, key)
    if not text:
        return None
    cleaned = re.sub(r"[,\s$€£]", "", text)
    if _PAY_RANGE.match(cleaned):
        raise _err(
            given,
            key,
            f"{text!r} is a range; give one number here",
            "put the lowest pay in salary.min and the highest in salary.max",
        )
    if _PAY_THOUSANDS.match(cleaned):
        raise _err(given, key, f"{text!r}: write the whole amount, like 52000, not 52k")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise _err(given, key, f"{text!r} is not a number; write it like 18.50 or 52000")
    if amount.is_signed():  # -0 too: there is no negative pay to print
        raise _err(given, key, f"{text!r} is negative; pay must be 0 or more")
    if amount > MAX_PAY:
        raise _err(given, key, f"{text!r} is larger than any real salary")
    if amount != amount.quantize(_CENT):
        raise _err(
            given,
            key,
            f"{text!r} has more than 2 decimal places; pay is given in cents at most, like 18.25",
        )
    return amount if amount == amount.to_integral() else amount.quantize(_CENT)


def parse_months(given: Given, spec: FieldSpec, guide: Guide) -> int | None:
    """A whole number of months, 0 to 600."""
    text = _text(given, spec.key)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,4}", text):
        raise _err(given, spec.key, f"{text!r} is not a whole number of months from 0 to 600")
    number = int(text)
    if number > 600:
        raise _err(given, spec.key, f"{number} months is more than 50 years; use 0 to 600")
    return number


def parse_date(given: Given, spec: FieldSpec, guide: Guide) -> dt.date | None:
    """A calendar date, YYYY-MM-DD."""
    if isinstance(given.value, dt.date):
        return given.value
    text = _text(given, spec.key)
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _err(given, spec.key, f"{text!r} is not a real date in the form YYYY-MM-DD") from None


def parse_list(given: Given, spec: FieldSpec, guide: Guide) -> tuple[str, ...]:
    """A list of one-line entries, or one string whose entries are separated by ``;``."""
    key, value = spec.key, given.value
    if isinstance(value, str):
        items: list[Any] = value.split(LIST_SEPARATOR)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise _err(
            given, key, f"must be a list (in one line, separate entries with '{LIST_SEPARATOR}')"
        )
    out = []
    for i, item in enumerate(items, 1):
        if text := _text(given._replace(value=item), f"{key}[{i}]"):
            out.append(text)
    if len(out) > MAX_LIST:
        raise _err(given, key, f"has {len(out)} entries; the limit is {MAX_LIST}")
    return tuple(out)


def parse_choice(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """One of the field's choices, a word for one (``prn``) or a unique prefix."""
    choices = spec.choices
    text = _text(given, spec.key).lower().replace("_", "-").replace(" ", "-")
    text = CHOICE_WORDS.get(text, text)
    if text in choices:
        return text
    hits = [c for c in choices if text and c.startswith(text)]
    if len(hits) == 1:
        return hits[0]
    raise _err(
        given,
        spec.key,
        f"{given.value!r} is not allowed.{v.did_you_mean(text, choices)} "
        f"Allowed: {', '.join(choices)}",
    )


def parse_url(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """A web address starting with http:// or https://."""
    text = _text(given, spec.key)
    if not text or _URL.match(text):
        return text
    if _URL_SCHEME.match(text) and (bad := _URL_BAD_CHAR.search(text)):
        char = "a space" if bad.group().isspace() else repr(bad.group())
        raise _err(
            given,
            spec.key,
            f"{text!r} contains {char}, which a web address cannot hold",
            f"remove it, or write it encoded (%{ord(bad.group()):02X})",
        )
    raise _err(
        given,
        spec.key,
        f"{text!r} is not a web address; only http:// and https:// links are allowed",
    )


def parse_email(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """An email address; a leading ``mailto:`` is dropped."""
    text = _text(given, spec.key)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if text and not _EMAIL.match(text):
        raise _err(given, spec.key, f"{text!r} is not an email address like jobs@example.org")
    return text


def parse_currency(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """A 3-letter ISO 4217 code."""
    code = _text(given, spec.key).upper()
    if code and not _CURRENCY.match(code):
        raise _err(given, spec.key, f"{code!r} is not a 3-letter ISO 4217 code like USD")
    return code


def parse_setting(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """A setting of the guide: slug, alias, name or unique prefix."""
    text = _text(given, spec.key)
    choices = guide.setting_choices()
    return resolve_choice(text, choices, "setting", source=given.where, usage=given.usage).slug


def parse_education(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """An education level of the guide: slug, alias, name or unique prefix."""
    text = _text(given, spec.key)
    choices = guide.education_choices()
    what = "education level"
    return resolve_choice(text, choices, what, source=given.where, usage=given.usage).slug


Parser = Callable[[Given, "FieldSpec", Guide], Any]


@dataclass(frozen=True)
class Kind:
    """What a field holds: its parser, what is allowed (in words) and its JSON Schema."""

    name: str
    parse: Parser
    allowed: str
    schema: Mapping[str, Any]


_TEXT_SCHEMA = {"type": ["string", "number"], "maxLength": MAX_TEXT}
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("text", parse_text, "one line of text", _TEXT_SCHEMA),
        Kind("longtext", parse_longtext, "text, several lines allowed", _TEXT_SCHEMA),
        Kind("url", parse_url, "an http:// or https:// address", {
            "type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://", "format": "uri",
        }),
        Kind("email", parse_email, "an email address", {"type": "string", "format": "email"}),
        Kind("choice", parse_choice, "one of the choices", {"type": "string"}),
        Kind("setting", parse_setting, "a setting of the guide (see `jobgen options`)", {
            "type": "string",
        }),
        Kind("education", parse_education, "an education level of the guide", {"type": "string"}),
        Kind("money", parse_money, "a number, 0 or more, at most 2 decimals", {
            "type": ["number", "string"], "minimum": 0, "maximum": int(MAX_PAY),
            "pattern": r"^\s*[$€£]?\s*\d[\d,]*(\.\d{1,2})?\s*$",
        }),
        Kind("currency", parse_currency, "a 3-letter ISO 4217 code", {
            "type": "string", "pattern": "^[A-Za-z]{3}$",
        }),
        Kind("int", parse_months, "a whole number from 0 to 600", {
            "type": ["integer", "string"], "minimum": 0, "maximum": 600, "pattern": r"^\d{1,3}$",
        }),
        Kind("date", parse_date, "a date, YYYY-MM-DD", {"type": "string", "format": "date"}),
        Kind("list", parse_list, f"a list, or entries separated by '{LIST_SEPARATOR}'", {
            "anyOf": [
                {"type": "array", "items": _TEXT_SCHEMA, "maxItems": MAX_LIST},
                {"type": "string"},
            ],
        }),
    )
}  # fmt: skip


# --------------------------------------------------------------------------- the field table

WORKPLACES = ("onsite", "hybrid", "remote")
EMPLOYMENT_TYPES = ("full-time", "part-time", "per-diem", "contract", "temporary", "internship")
PERIODS = ("hour", "day", "week", "month", "year")
CERTIFICATION = ("required", "preferred", "none")


@dataclass(frozen=True)
class FieldSpec:
    """One employer field: its dotted key, kind, help text, choices, example and default."""

    key: str
    kind: str  # a key of KINDS
    help: str
    choices: tuple[str, ...] = ()
    example: str = ""
    default: Any = ""
    """The value when no source gives one (``None``: the field is required)."""

    @property
    def env(self) -> str:
        return "JOBGEN_" + self.key.upper().replace(".", "_")

    @property
    def parse(self) -> Parser:
        return KINDS[self.kind].parse


# fmt: off
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("employer.name", "text", "Employer's name as applicants should see it.", example="Riverside Behavioral Health", default=PLACEHOLDER_EMPLOYER),
    FieldSpec("employer.about", "longtext", "A short paragraph about the employer.", example="Riverside is a 120-bed psychiatric hospital..."),
    FieldSpec("employer.website", "url", "Employer's website (http or https).", example="https://riverside.example"),
    FieldSpec("title", "text", "Job title; defaults to the guide's occupation.", example="Mental Health Technician"),
    FieldSpec("setting", "setting", "Work setting: a slug, alias or unique prefix from `jobgen options`.", example="inpatient", default=None),
    FieldSpec("education", "education", "Required education level: a slug, alias or unique prefix.", example="associate", default=None),
    FieldSpec("location.city", "text", "City.", example="Denver"),
    FieldSpec("location.region", "text", "State, province or region (name or postal code).", example="CO"),
    FieldSpec("location.country", "text", "Country (ISO 3166 code or name).", example="US"),
    FieldSpec("location.postal_code", "text", "Postal or ZIP code.", example="80202"),
    FieldSpec("workplace", "choice", "Where the work happens.", WORKPLACES, "onsite", "onsite"),
    FieldSpec("employment_type", "choice", "Kind of employment.", EMPLOYMENT_TYPES, "full-time", "full-time"),
    FieldSpec("schedule", "text", "Shift or hours, in the employer's words.", example="Night shift, 7p-7a, three 12-hour shifts a week"),
    FieldSpec("salary.min", "money", "Lowest pay in the range (a number).", example="19.50", default=None),
    FieldSpec("salary.max", "money", "Highest pay in the range (a number).", example="26.00", default=None),
    FieldSpec("salary.currency", "currency", "ISO 4217 currency code; default USD.", example="USD", default="USD"),
    FieldSpec("salary.period", "choice", "What the pay is per; needed with salary.min/max.", PERIODS, "hour"),
    FieldSpec("certification", "choice", "Whether technician certification is required.", CERTIFICATION, "preferred", "none"),
    FieldSpec("experience_months", "int", "Months of experience required (0 for none).", example="6", default=None),
    FieldSpec("benefits", "list", "Benefits offered, one per entry.", example="Medical, dental and vision insurance", default=()),
    FieldSpec("extra_responsibilities", "list", "Duties to add to the guide's.", example="Transport patients to appointments", default=()),
    FieldSpec("extra_qualifications", "list", "Requirements to add (shown as required).", example="Valid driver's license", default=()),
    FieldSpec("apply.url", "url", "Where to apply online (http or https).", example="https://riverside.example/careers/123"),
    FieldSpec("apply.email", "email", "Email address for applications.", example="careers@riverside.example"),
    FieldSpec("date_posted", "date", "Posting date, YYYY-MM-DD; default today (or SOURCE_DATE_EPOCH).", example="2026-11-28", default=None),
    FieldSpec("valid_through", "date", "Last day to apply, YYYY-MM-DD.", example="2026-12-31", default=None),
    FieldSpec("requisition_id", "text", "Your internal requisition or job id.", example="MHT-0042"),
    FieldSpec("eeo_statement", "longtext", "Equal-opportunity statement; a standard one is used if empty.", example="We are an equal opportunity employer..."),
)
# fmt: on
FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
ENV_VARIABLES: dict[str, str] = {f.env: f.key for f in FIELDS}
"""``JOBGEN_SALARY_MIN`` → ``salary.min``."""


def _check_pay(values: dict[str, Any], merged: Mapping[str, Given]) -> None:
    low, high = values["salary.min"], values["salary.max"]
    if low is not None and high is not None and low > high:
        raise _err(
            merged["salary.max"],
            "salary.max",
            f"{high} is less than salary.min {low}; the range must go from low to high",
        )
    if (low is not None or high is not None) and not values["salary.period"]:
        given = merged.get("salary.min") or merged["salary.max"]
        allowed = ", ".join(PERIODS)
        raise _err(given, "salary.period", f"is needed when a salary is given. Allowed: {allowed}")


def _check_dates(values: dict[str, Any], merged: Mapping[str, Given]) -> None:
    posted, until = values["date_posted"], values["valid_through"]
    if until is not None and until < posted:
        raise _err(
            merged["valid_through"],
            "valid_through",
            f"{until} is before date_posted {posted}; a posting cannot close before it opens",
        )


_ORDER: tuple[str, ...] = (
    "setting",
    "education",
    "salary.min",
    "salary.max",
    "salary.period",
    "salary.currency",
    "date_posted",
    "valid_through",
)
"""Fields checked first (then the rest in table order), so a row with several mistakes reports
the one that matters most; each cross-field rule runs once the fields it reads are parsed."""
_RULES: dict[str, Callable[[dict[str, Any], Mapping[str, Given]], None]] = {
    "salary.currency": _check_pay,
    "valid_through": _check_dates,
}
_CHECK_ORDER: tuple[tuple[FieldSpec, Parser], ...] = tuple(
    (spec, spec.parse)
    for spec in (*(FIELD_BY_KEY[k] for k in _ORDER), *(f for f in FIELDS if f.key not in _ORDER))
)


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class OptionLayer:
    """One source of option values: a file, the environment, ``--set``, a batch row.

    ``values`` may be nested (``{"salary": {"min": 18}}``) or dotted (``{"salary.min": 18}``).
    ``usage`` marks command-line sources, whose mistakes are usage errors (exit 2).
    """

    source: str
    values: Mapping[str, Any]
    usage: bool = False
    where: Mapping[str, str] = field(default_factory=dict)
    """Where each key came from, when the source is not one file (``JOBGEN_SALARY_MIN``)."""
    clears: bool = False
    """An empty value clears the field (``--set salary.min=``); elsewhere it is not given."""


_SAID_FOR = {
    "zip": "location.postal_code",
    "zip_code": "location.postal_code",
    "state": "location.region",
    "province": "location.region",
    "company": "employer.name",
    "employer": "employer.name",
    "pay": "salary.min",
    "wage": "salary.min",
    "email": "apply.email",
}
"""Words people use for a field, for suggestions only (a field has one name)."""


def closest_field(word: str) -> str | None:
    """The field a mistyped or unqualified name most likely means: ``City`` → ``location.city``,
    ``salary.mn`` → ``salary.min``, ``Postal code`` → ``location.postal_code``."""
    name = re.sub(r"[\s-]+", "_", word.strip().lower())
    name = _SAID_FOR.get(name, name)
    if name in FIELD_BY_KEY:
        return name
    by_last: dict[str, list[str]] = {}
    for key in FIELD_BY_KEY:
        by_last.setdefault(key.rpartition(".")[2], []).append(key)
    last = name if name in by_last else v.closest(name, by_last)
    if last is not None and len(by_last[last]) == 1 and last == name:
        return by_last[last][0]
    if match := v.closest(name, FIELD_BY_KEY):
        return match
    return by_last[last][0] if last is not None and len(by_last[last]) == 1 else None


def _suggest(word: str) -> str:
    match = closest_field(word)
    return f" Did you mean {match!r}?" if match else ""


def _unknown(key: str, source: str, mapping: Any, raw_key: str) -> ValidationError:
    return ValidationError(
        f"unknown field {v.shorten(key)!r}.{_suggest(key)} "
        f"Fields: {', '.join(FIELD_BY_KEY)} (see `jobgen options`)",
        source=v.where(source, mapping, raw_key),
    )


def fields_of_columns(header: Sequence[str], source: str) -> list[str | None]:
    """A CSV header row's cells → field keys (``None`` for a blank cell), case-insensitively.

    Every unknown column is reported at once, each with the field it most likely means.
    """
    if any("\x00" in cell for cell in header):
        raise ValidationError(
            "is UTF-16 text; jobgen reads CSV saved as UTF-8",
            source=source,
            hint="save the file as UTF-8 (in Excel: 'CSV UTF-8')",
        )
    by_lower = {key.lower(): key for key in FIELD_BY_KEY}
    columns: list[str | None] = []
    seen: dict[str, int] = {}
    unknown: list[tuple[str, int, str | None]] = []
    for i, cell in enumerate(header, 1):
        text = cell.strip()
        key = by_lower.get(text.lower()) if text else None
        if text and key is None:
            unknown.append((text, i, closest_field(text)))
        elif key in seen:
            raise ValidationError(
                f"column {i} {text!r} repeats column {seen[key]}; each field may appear once",
                source=source,
                hint="no file was written",
            )
        elif key is not None:
            seen[key] = i
        columns.append(key)
    if len(unknown) == 1:
        text, i, match = unknown[0]
        what = f"unknown column {text!r} (column {i} of the header row)."
        what += f" Did you mean {match!r}?" if match else ""
    elif unknown:
        what = "unknown columns in the header row: " + "; ".join(
            f"{text!r} (column {i}" + (f", did you mean {match!r}?)" if match else ")")
            for text, i, match in unknown
        )
    if unknown:
        raise ValidationError(
            f"{what} The header row holds employer fields: {', '.join(FIELD_BY_KEY)} "
            "(see `jobgen options`)",
            source=source,
            hint="rename or remove the column; no file was written",
        )
    return columns


def flatten(values: Mapping[str, Any], source: str) -> dict[str, tuple[Any, str]]:
    """Nested or dotted mapping → ``{dotted.key: (value, where)}``.

    Unknown keys are refused, and so is a field given twice in any spelling
    (``employer: {name: A}`` beside ``employer.name: B``): no value silently wins.
    """
    out: dict[str, tuple[Any, str]] = {}
    for raw_key, value in values.items():
        key = str(raw_key).strip()
        if key in FIELD_BY_KEY:
            _put(out, key, value, v.where(source, values, raw_key), values)
        elif key in GROUPS and isinstance(value, Mapping):
            for sub_key, sub_value in value.items():
                dotted = f"{key}.{str(sub_key).strip()}"
                if dotted not in FIELD_BY_KEY:
                    raise _unknown(dotted, source, value, sub_key)
                _put(out, dotted, sub_value, v.where(source, value, sub_key), values)
        elif key in GROUPS:
            fields = ", ".join(k for k in FIELD_BY_KEY if k.startswith(key + "."))
            raise ValidationError(
                f"{key!r} must be a mapping of {fields}", source=v.where(source, values, raw_key)
            )
        else:
            raise _unknown(key, source, values, raw_key)
    return out


def _put(
    out: dict[str, tuple[Any, str]], key: str, value: Any, where: str, values: Mapping[str, Any]
) -> None:
    if key in out:
        first, second = _spellings(key, values)
        raise ValidationError(
            f"{key} is given twice: as {first} ({out[key][1]}) and as {second} ({where}); "
            "give it once",
            source=where,
        )
    out[key] = (value, where)


def _spellings(key: str, values: Mapping[str, Any]) -> list[str]:
    """How ``values`` spells the field ``key``, in order (for the error of a field given twice)."""
    group, _, name = key.partition(".")
    found = []
    for raw_key, value in values.items():
        text = str(raw_key).strip()
        if text == key:
            found.append(repr(str(raw_key)))
        elif text == group and isinstance(value, Mapping):
            found += [f"'{group}: {{{name}: ...}}'" for s in value if str(s).strip() == name]
    return found[:2] if len(found) >= 2 else [repr(key), repr(key)]


def file_layer(path: str | Path, guide: Guide | None = None) -> OptionLayer:
    """Read an employer YAML or JSON file (plain values are read as literal text).

    With the ``guide``, a missing file named like one of its settings or education levels
    (``-e associate``) gets a hint at the flag that was probably meant.
    """
    p = Path(path)
    try:
        data = load_yaml_file(p, what="employer file", literal=True)
    except ValidationError as exc:
        if guide is None or p.exists():
            raise
        hint = _flag_hint(guide, str(path)) or exc.hint
        raise type(exc)(exc.message, source=exc.source, hint=hint) from None
    if data is None:
        raise ValidationError(
            "the employer file is empty; it should be a mapping of fields such as "
            "'employer: {name: ...}' (run `jobgen init` for a starter file)",
            source=str(p),
        )
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise ValidationError(
            f"the employer file holds {kind}; it must be a mapping of fields such as "
            "'employer: {name: ...}' (for many postings use `jobgen batch`)",
            source=str(p),
        )
    return OptionLayer(str(p), data)


def env_layer(environ: Mapping[str, str] | None = None) -> OptionLayer:
    """``JOBGEN_SALARY_MIN=18`` → ``salary.min``; only the variables named in the field table."""
    environ = os.environ if environ is None else environ
    values = {key: environ[name] for name, key in ENV_VARIABLES.items() if environ.get(name)}
    return OptionLayer("environment", values, where={key: FIELD_BY_KEY[key].env for key in values})


OTHER_VARIABLES = frozenset({"JOBGEN_DEBUG", "JOBGEN_REQUIRE_EXTERNAL"})
"""``JOBGEN_*`` variables that are not employer fields."""


def env_warnings(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each ``JOBGEN_*`` variable that looks like a misspelt field's
    (``JOBGEN_SALARY_MN``), naming the closest; a variable like no field's is left alone (it
    may belong to something else)."""
    environ = os.environ if environ is None else environ
    out = []
    for name in sorted(environ):
        if not name.startswith("JOBGEN_") or name in ENV_VARIABLES or name in OTHER_VARIABLES:
            continue
        if match := v.closest(name, ENV_VARIABLES, cutoff=0.85):
            out.append(
                f"the environment variable {name} is not used; did you mean {match} "
                f"(the field {ENV_VARIABLES[match]})?"
            )
    return out


def _flag_hint(guide: Guide, text: str) -> str | None:
    """``-E associate`` when ``text`` is an education level of the guide, ``-s`` for a setting."""
    for flag, what, choices in (
        ("-E", "an education level", guide.education_choices()),
        ("-s", "a setting", guide.setting_choices()),
    ):
        try:
            found = resolve_choice(text, choices, what, source=text)
        except JobgenError:
            continue
        return f"{text!r} is {what} ({found.slug}): did you mean {flag} {text}?"
    return None


def set_layer(assignments: Iterable[str]) -> OptionLayer:
    """``["salary.min=18", ...]`` from ``--set``; ``salary.min=`` clears the field."""
    values: dict[str, str] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f"--set {item!r}: expected KEY=VALUE, for example --set salary.min=18",
                source="--set",
            )
        key = key.strip()
        if key not in FIELD_BY_KEY:
            raise UsageError(
                f"unknown field {v.shorten(key)!r}.{_suggest(key)} "
                "Run `jobgen options` for the list of fields",
                source="--set",
            )
        values[key] = value
    return OptionLayer("--set", values, usage=True, clears=True)


def today(environ: Mapping[str, str] | None = None) -> dt.date:
    """Today's date in UTC, or the date of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValidationError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970",
                source="environment",
            ) from None
    return dt.datetime.now(dt.UTC).date()


# --------------------------------------------------------------------------- building


def merge_layers(
    layers: Iterable[OptionLayer], base: Mapping[str, Given] | None = None
) -> dict[str, Given]:
    """The layers' values merged onto ``base`` (later wins, field by field; unset and empty
    values are skipped, or clear the field in a layer that ``clears``). A batch merges its
    defaults once, then each row onto them."""
    merged: dict[str, Given] = dict(base) if base else {}
    for layer in layers:
        for key, (value, where) in flatten(layer.values, layer.source).items():
            if value is None or value == "":
                if layer.clears:
                    merged.pop(key, None)
                continue
            merged[key] = Given(value, layer.where.get(key, where), layer.usage)
    return merged


def merge_values(
    base: Mapping[str, Given], values: Mapping[str, Any], source: str
) -> dict[str, Given]:
    """One batch row's ``values`` (read from ``source``) merged onto ``base``."""
    return merge_layers([OptionLayer(source, values)], base)


def options_from_layers(
    guide: Guide, layers: Sequence[OptionLayer], *, default_date: dt.date | None = None
) -> EmployerOptions:
    """Merge layers (later wins, field by field) and validate into :class:`EmployerOptions`."""
    return options_from_merged(guide, merge_layers(layers), default_date=default_date)


def _missing(spec: FieldSpec, guide: Guide) -> UsageError:
    if spec.kind == "setting":
        what, choices = "setting", guide.setting_choices()
    else:
        what, choices = "education level", guide.education_choices()
    return UsageError(
        f"no {what} given; choose one with --{spec.key} or '{spec.key}:' in the employer file. "
        f"Valid {what}s: {', '.join(c.slug for c in choices)}",
        source=f"--{spec.key}",
    )


def parse_values(
    guide: Guide, merged: Mapping[str, Given], *, default_date: dt.date | None = None
) -> dict[str, Any]:
    """Every field's parsed value (or its default), ``{dotted.key: value}``, with the
    cross-field rules checked. Errors name the field, where its value came from, and what is
    allowed."""
    values: dict[str, Any] = {}
    for spec, parse in _CHECK_ORDER:
        key = spec.key
        given = merged.get(key)
        value = None if given is None else parse(given, spec, guide)
        if value is None or value == "" or value == ():
            if spec.default is None and spec.kind in ("setting", "education"):
                raise _missing(spec, guide)
            value = spec.default
            if key == "date_posted":
                value = default_date or today()
        values[key] = value
        if key in _RULES:
            _RULES[key](values, merged)
    if not values["title"]:
        values["title"] = guide.occupation
    return values


def options_from_merged(
    guide: Guide, merged: Mapping[str, Given], *, default_date: dt.date | None = None
) -> EmployerOptions:
    """Validate merged values (:func:`merge_layers`) into :class:`EmployerOptions`.

    Fields are checked in a fixed order (setting, education level, pay, dates, then the rest
    in the order of :data:`FIELDS`), so a row with several mistakes reports the first.
    """
    values = parse_values(guide, merged, default_date=default_date)
    top: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {name: {} for name in GROUPS}
    for key, value in values.items():
        group, dot, name = key.partition(".")
        if dot:
            groups[group][name] = value
        else:
            top[key] = value
    for group, cls in GROUPS.items():
        top[group] = cls(**groups[group])
    return EmployerOptions(**top)


def load_options(
    guide: Guide,
    *,
    employer_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    assignments: Iterable[str] = (),
    setting: str | None = None,
    education: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> EmployerOptions:
    """Build options from every source in precedence order (see the module docstring).

    ``values`` is a mapping for API callers; it sits between the file and the environment.
    """
    layers: list[OptionLayer] = []
    if employer_file is not None:
        layers.append(file_layer(employer_file, guide))
    if values is not None:
        layers.append(OptionLayer("values", values))
    layers.append(env_layer(environ))
    layers.append(set_layer(assignments))
    if setting:
        layers.append(OptionLayer("--setting", {"setting": setting}, usage=True))
    if education:
        layers.append(OptionLayer("--education", {"education": education}, usage=True))
    return options_from_layers(guide, layers, default_date=today(environ))


def parse_field(guide: Guide, key: str, text: str) -> str:
    """Check one field's value on its own, as a person types it; return it normalised.

    Used by ``jobgen init`` to re-ask after a bad answer. Cross-field rules (a pay range that
    runs backwards) are checked when the whole file is loaded.
    """
    spec = FIELD_BY_KEY[key]
    value = spec.parse(Given(text, key), spec, guide)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
