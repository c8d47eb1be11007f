"""The employer field table: every field's dotted key, kind, help, choices, example and default
(:data:`FIELDS`), and each kind's one parser, allowed values in words and JSON Schema
(:data:`KINDS`).

A parser takes a value as a source gave it (:class:`Given`), with where it came from, and returns
the field's value or raises an error naming the field, the source and what is allowed.
:mod:`jobgen.employer` merges the sources and builds the options from this table;
:mod:`jobgen.schemas` writes the JSON Schema from it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from . import _validate as v
from .errors import JobgenError, UsageError, ValidationError
from .guide import Guide, resolve_choice

PLACEHOLDER_EMPLOYER = "[Employer name]"

# --------------------------------------------------------------------------- values as given


class Given(NamedTuple):
    """One value as a source gave it, before parsing."""

    value: Any
    where: str
    """Where it came from, for messages: "employer.yaml:12", "JOBGEN_SALARY_MIN", "--set",
    "rows.csv row 7 (line 8)"."""
    usage: bool = False
    """A command line gave it: its mistakes are usage errors (exit 2)."""


def field_error(given: Given, key: str, message: str, hint: str | None = None) -> JobgenError:
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
            raise field_error(given, key, f"must be text, not {kind}", "put the value in quotes")
        if not isinstance(value, int | float | Decimal):
            raise field_error(given, key, "must be text", "put the value in quotes")
        value = str(value)
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise field_error(given, key, f"is {len(value):,} characters; the limit is {MAX_TEXT:,}")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if problem := v.text_problem(value, multiline=multiline):
        raise field_error(given, key, *problem)
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
        raise field_error(
            given,
            key,
            f"{text!r} is a range; give one number here",
            "put the lowest pay in salary.min and the highest in salary.max",
        )
    if _PAY_THOUSANDS.match(cleaned):
        raise field_error(given, key, f"{text!r}: write the whole amount, like 52000, not 52k")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise field_error(given, key, f"{text!r} is not a number; write it like 18.50 or 52000")
    if amount.is_signed():  # -0 too: there is no negative pay to print
        raise field_error(given, key, f"{text!r} is negative; pay must be 0 or more")
    if amount > MAX_PAY:
        raise field_error(given, key, f"{text!r} is larger than any real salary")
    if amount != amount.quantize(_CENT):
        raise field_error(
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
        raise field_error(
            given, spec.key, f"{text!r} is not a whole number of months from 0 to 600"
        )
    number = int(text)
    if number > 600:
        raise field_error(given, spec.key, f"{number} months is more than 50 years; use 0 to 600")
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
        raise field_error(
            given, spec.key, f"{text!r} is not a real date in the form YYYY-MM-DD"
        ) from None


def parse_list(given: Given, spec: FieldSpec, guide: Guide) -> tuple[str, ...]:
    """A list of one-line entries, or one string whose entries are separated by ``;``."""
    key, value = spec.key, given.value
    if isinstance(value, str):
        items: list[Any] = value.split(LIST_SEPARATOR)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise field_error(
            given, key, f"must be a list (in one line, separate entries with '{LIST_SEPARATOR}')"
        )
    out = []
    for i, item in enumerate(items, 1):
        if text := _text(given._replace(value=item), f"{key}[{i}]"):
            out.append(text)
    if len(out) > MAX_LIST:
        raise field_error(given, key, f"has {len(out)} entries; the limit is {MAX_LIST}")
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
    raise field_error(
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
        raise field_error(
            given,
            spec.key,
            f"{text!r} contains {char}, which a web address cannot hold",
            f"remove it, or write it encoded (%{ord(bad.group()):02X})",
        )
    raise field_error(
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
        raise field_error(
            given, spec.key, f"{text!r} is not an email address like jobs@example.org"
        )
    return text


def parse_currency(given: Given, spec: FieldSpec, guide: Guide) -> str:
    """A 3-letter ISO 4217 code."""
    code = _text(given, spec.key).upper()
    if code and not _CURRENCY.match(code):
        raise field_error(given, spec.key, f"{code!r} is not a 3-letter ISO 4217 code like USD")
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
