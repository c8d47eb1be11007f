"""Employer options: a strict, frozen model and the layered loading that fills it.

Every field has one dotted name (``salary.min``) used everywhere: nested or dotted keys in YAML,
CSV headers, ``--set salary.min=18`` and ``JOBGEN_SALARY_MIN``. Sources, weakest first: an employer
file, ``JOBGEN_*`` environment variables, ``--set`` assignments, then ``--setting``/``--education``.
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
from typing import Any, TypeAlias, TypeVar

from . import _validate as v
from ._memo import keep
from ._yaml import load_yaml_file
from .errors import JobgenError, UsageError, ValidationError
from .guide import Choice, Guide, resolve_choice
from .guide import clear_caches as guide_clear_caches

# --------------------------------------------------------------------------- field table

WORKPLACES = ("onsite", "hybrid", "remote")
EMPLOYMENT_TYPES = ("full-time", "part-time", "per-diem", "contract", "temporary", "internship")
PERIODS = ("hour", "day", "week", "month", "year")
CERTIFICATION = ("required", "preferred", "none")

MAX_TEXT = 5_000
"""Longest accepted value of any one text field, in characters."""
MAX_LIST = 30
"""Most entries accepted in one list field."""
LIST_SEPARATOR = ";"
"""Separates list entries where a value is one string: ``--set``, ``JOBGEN_*``, CSV cells."""


@dataclass(frozen=True)
class FieldSpec:
    """One employer field: its dotted key, kind, help text, choices and example."""

    key: str
    kind: str  # text, longtext, url, email, choice, money, currency, int, date, list
    help: str
    choices: tuple[str, ...] = ()
    example: str = ""

    @property
    def env(self) -> str:
        return "JOBGEN_" + self.key.upper().replace(".", "_")


# fmt: off
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("employer.name", "text", "Employer's name as applicants should see it.", example="Riverside Behavioral Health"),
    FieldSpec("employer.about", "longtext", "A short paragraph about the employer.", example="Riverside is a 120-bed psychiatric hospital..."),
    FieldSpec("employer.website", "url", "Employer's website (http or https).", example="https://riverside.example"),
    FieldSpec("title", "text", "Job title; defaults to the guide's occupation.", example="Mental Health Technician"),
    FieldSpec("setting", "setting", "Work setting: a slug, alias or unique prefix from `jobgen options`.", example="inpatient"),
    FieldSpec("education", "education", "Required education level: a slug, alias or unique prefix.", example="associate"),
    FieldSpec("location.city", "text", "City.", example="Denver"),
    FieldSpec("location.region", "text", "State, province or region (name or postal code).", example="CO"),
    FieldSpec("location.country", "text", "Country (ISO 3166 code or name).", example="US"),
    FieldSpec("location.postal_code", "text", "Postal or ZIP code.", example="80202"),
    FieldSpec("workplace", "choice", "Where the work happens.", WORKPLACES, "onsite"),
    FieldSpec("employment_type", "choice", "Kind of employment.", EMPLOYMENT_TYPES, "full-time"),
    FieldSpec("schedule", "text", "Shift or hours, in the employer's words.", example="Night shift, 7p-7a, three 12-hour shifts a week"),
    FieldSpec("salary.min", "money", "Lowest pay in the range (a number).", example="19.50"),
    FieldSpec("salary.max", "money", "Highest pay in the range (a number).", example="26.00"),
    FieldSpec("salary.currency", "currency", "ISO 4217 currency code; default USD.", example="USD"),
    FieldSpec("salary.period", "choice", "What the pay is per; needed with salary.min/max.", PERIODS, "hour"),
    FieldSpec("certification", "choice", "Whether technician certification is required.", CERTIFICATION, "preferred"),
    FieldSpec("experience_months", "int", "Months of experience required (0 for none).", example="6"),
    FieldSpec("benefits", "list", "Benefits offered, one per entry.", example="Medical, dental and vision insurance"),
    FieldSpec("extra_responsibilities", "list", "Duties to add to the guide's.", example="Transport patients to appointments"),
    FieldSpec("extra_qualifications", "list", "Requirements to add (shown as required).", example="Valid driver's license"),
    FieldSpec("apply.url", "url", "Where to apply online (http or https).", example="https://riverside.example/careers/123"),
    FieldSpec("apply.email", "email", "Email address for applications.", example="careers@riverside.example"),
    FieldSpec("date_posted", "date", "Posting date, YYYY-MM-DD; default today (or SOURCE_DATE_EPOCH).", example="2026-11-28"),
    FieldSpec("valid_through", "date", "Last day to apply, YYYY-MM-DD.", example="2026-12-31"),
    FieldSpec("requisition_id", "text", "Your internal requisition or job id.", example="MHT-0042"),
    FieldSpec("eeo_statement", "longtext", "Equal-opportunity statement; a standard one is used if empty.", example="We are an equal opportunity employer..."),
)
# fmt: on
FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
GROUPS = ("employer", "location", "salary", "apply")

DEFAULT_EEO = (
    # the classes federal law protects (EEOC: Title VII, ADEA, ADA, GINA; VEVRAA for veterans)
    "{employer} is an equal opportunity employer. We consider all qualified applicants without "
    "regard to race, color, religion, sex (including pregnancy, sexual orientation and gender "
    "identity), national origin, age, disability, genetic information or veteran status. We "
    "provide reasonable accommodations throughout the hiring process."
)
PLACEHOLDER_EMPLOYER = "[Employer name]"

# --------------------------------------------------------------------------- the model


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


_Raw: TypeAlias = tuple[Any, str, bool]
"""A value as given, ``(value, where, usage)``: ``where`` it came from for error messages
("employer.yaml:12", "JOBGEN_SALARY_MIN", "--set", "rows.csv row 7 (line 8)"), and ``usage``
when a command line gave it (its mistakes are usage errors, exit 2). A plain tuple: one is made
per field per posting, and a named tuple costs twice as much to make (a frozen dataclass,
several times)."""


def flatten(values: Mapping[str, Any], source: str) -> dict[str, tuple[Any, str]]:
    """Nested or dotted mapping → ``{dotted.key: (value, where)}``; unknown keys are refused."""
    out: dict[str, tuple[Any, str]] = {}

    def unknown(key: str, mapping: Any, raw_key: str) -> ValidationError:
        all_keys = [f.key for f in FIELDS]
        return ValidationError(
            f"unknown field {v.shorten(key)!r}.{v.did_you_mean(key, all_keys)} "
            f"Fields: {', '.join(all_keys)} (see `jobgen options`)",
            source=v.where(source, mapping, raw_key),
        )

    lined = isinstance(getattr(values, "lines", None), dict)  # YAML: keys know their lines
    for raw_key, value in values.items():
        key = str(raw_key).strip()
        if key in FIELD_BY_KEY:
            out[key] = (value, v.where(source, values, raw_key) if lined else source)
        elif key in GROUPS and isinstance(value, Mapping):
            for sub_key, sub_value in value.items():
                dotted = f"{key}.{sub_key}"
                if dotted not in FIELD_BY_KEY:
                    raise unknown(dotted, value, sub_key)
                out[dotted] = (sub_value, v.where(source, value, sub_key))
        elif key in GROUPS:
            raise ValidationError(
                f"{key!r} must be a mapping of {', '.join(k for k in FIELD_BY_KEY if k.startswith(key + '.'))}",
                source=v.where(source, values, raw_key),
            )
        else:
            raise unknown(key, values, raw_key)
    return out


def file_layer(path: str | Path) -> OptionLayer:
    """Read an employer YAML or JSON file (plain values are read as literal text)."""
    p = Path(path)
    data = load_yaml_file(p, what="employer file", literal=True)
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
    values = {f.key: environ[f.env] for f in FIELDS if environ.get(f.env, "") != ""}
    return OptionLayer("environment", values, where={key: FIELD_BY_KEY[key].env for key in values})


def set_layer(assignments: Iterable[str]) -> OptionLayer:
    """``["salary.min=18", ...]`` from ``--set``."""
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
                f"unknown field {v.shorten(key)!r}.{v.did_you_mean(key, FIELD_BY_KEY)} "
                "Run `jobgen options` for the list of fields",
                source="--set",
            )
        values[key] = value
    return OptionLayer("--set", values, usage=True)


# --------------------------------------------------------------------------- parsing values

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"]*$", re.IGNORECASE)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _err(raw: _Raw, key: str, message: str, hint: str | None = None) -> JobgenError:
    _value, where, usage = raw
    cls: type[JobgenError] = UsageError if usage else ValidationError
    return cls(f"{key}: {message}", source=where, hint=hint)


def _text(raw: _Raw, key: str, *, multiline: bool = False) -> str:
    value = raw[0]
    if type(value) is str and value.isascii() and value.isprintable() and len(value) <= MAX_TEXT:
        return value.strip()  # the usual value: nothing below could refuse or change it
    if isinstance(value, bool | list | tuple | Mapping):
        kind = (
            "true/false"
            if isinstance(value, bool)
            else "a mapping"
            if isinstance(value, Mapping)
            else "a list"
        )
        raise _err(raw, key, f"must be text, not {kind}", "put the value in quotes")
    if isinstance(value, int | float | Decimal):
        value = str(value)
    if not isinstance(value, str):
        raise _err(raw, key, "must be text", "put the value in quotes")
    if len(value) > MAX_TEXT and len(value := value.strip()) > MAX_TEXT:
        raise _err(raw, key, f"is {len(value):,} characters; the limit is {MAX_TEXT:,}")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if problem := v.text_problem(value, multiline=multiline):
        raise _err(raw, key, *problem)
    value = unicodedata.normalize("NFC", value) if not value.isascii() else value
    return value.strip()


def _money(raw: _Raw, key: str) -> Decimal | None:
    text = _text(raw, key)
    if not text:
        return None
    cleaned = re.sub(r"[,\s$€£]", "", text)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise _err(raw, key, f"{text!r} is not a number; write it like 18.50 or 52000")
    if amount < 0:
        raise _err(raw, key, f"{text!r} is negative; pay must be 0 or more")
    if amount > Decimal("100000000"):
        raise _err(raw, key, f"{text!r} is larger than any real salary")
    return amount.quantize(Decimal("0.01")) if amount != amount.to_integral() else amount


def _int(raw: _Raw, key: str) -> int | None:
    text = _text(raw, key)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,4}", text):
        raise _err(raw, key, f"{text!r} is not a whole number of months from 0 to 600")
    number = int(text)
    if number > 600:
        raise _err(raw, key, f"{number} months is more than 50 years; use 0 to 600")
    return number


def _date(raw: _Raw, key: str) -> dt.date | None:
    value = raw[0]
    if isinstance(value, dt.date):
        return value
    text = _text(raw, key)
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _err(raw, key, f"{text!r} is not a real date in the form YYYY-MM-DD") from None


def _list(raw: _Raw, key: str) -> tuple[str, ...]:
    value, where, usage = raw
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(LIST_SEPARATOR)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise _err(
            raw, key, f"must be a list (in one line, separate entries with '{LIST_SEPARATOR}')"
        )
    out = []
    for i, item in enumerate(items, 1):
        text = _text((item, where, usage), f"{key}[{i}]")
        if text:
            out.append(text)
    if len(out) > MAX_LIST:
        raise _err(raw, key, f"has {len(out)} entries; the limit is {MAX_LIST}")
    return tuple(out)


_CHOICE_ALIASES = {
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


def _choice(raw: _Raw, key: str, choices: Sequence[str]) -> str:
    text = _text(raw, key).lower().replace("_", "-").replace(" ", "-")
    text = _CHOICE_ALIASES.get(text, text)
    if text in choices:
        return text
    hits = [c for c in choices if text and c.startswith(text)]
    if len(hits) == 1:
        return hits[0]
    raise _err(
        raw,
        key,
        f"{raw[0]!r} is not allowed.{v.did_you_mean(text, choices)} Allowed: {', '.join(choices)}",
    )


def _url(raw: _Raw, key: str) -> str:
    text = _text(raw, key)
    if text and not _URL.match(text):
        raise _err(
            raw, key, f"{text!r} is not a web address; only http:// and https:// links are allowed"
        )
    return text


def _email(raw: _Raw, key: str) -> str:
    text = _text(raw, key)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if text and not _EMAIL.match(text):
        raise _err(raw, key, f"{text!r} is not an email address like jobs@example.org")
    return text


def _longtext(raw: _Raw, key: str) -> str:
    return _text(raw, key, multiline=True)


def _field_choice(raw: _Raw, key: str) -> str:
    return _choice(raw, key, FIELD_BY_KEY[key].choices)


def _currency(raw: _Raw, key: str) -> str:
    code = _text(raw, key).upper() or "USD"
    if not _CURRENCY.match(code):
        raise _err(raw, key, f"{code!r} is not a 3-letter ISO 4217 code like USD")
    return code


# --------------------------------------------------------------------------- parse caches

_T = TypeVar("_T")

_PARSED: dict[tuple[Callable[..., Any], str, str], Any] = {}
"""Values parsed before: ``(parser, field, text)`` → the parsed value. A batch's rows repeat
most of their values (employers, pay, dates, benefits, links), and a parser's result depends
only on the field and the text. Only successes are kept: an error names the row it is in, so a
bad value is parsed (and refused) again each time. Bounded: it starts afresh when full."""
_PARSED_MAX = 4096
_PARSED_LONGEST = 500
"""Longer texts are parsed every time, which keeps the cache to a few megabytes at most."""

_MISSING: Any = object()


_EMPLOYERS: dict[tuple[str, str, str], Employer] = {}
_LOCATIONS: dict[tuple[str, str, str, str], Location] = {}
_SALARIES: dict[tuple[int, int, str, str], Salary] = {}
"""Employers, locations and pay made before, by their validated values: a batch names a few
again and again, and these are frozen, so one object serves every posting with the same values.
Pay is kept by the identity of its amounts (each entry holds them, so an id cannot be reused
while it lives), since equal amounts can be written differently. At most :data:`_SHARED_MAX`
of each (an employer's about text can be long)."""
_SHARED_MAX = 256


def _parsed(parse: Callable[[_Raw, str], _T], raw: _Raw, key: str) -> _T:
    """``parse(raw, key)``, remembered in :data:`_PARSED` for text values."""
    value = raw[0]
    if type(value) is not str or len(value) > _PARSED_LONGEST:
        return parse(raw, key)
    memo = (parse, key, value)
    found: _T = _PARSED.get(memo, _MISSING)
    if found is _MISSING:
        found = keep(
            _PARSED, memo, parse(raw, key), _PARSED_MAX
        )  # a bad value raises: nothing is kept
    return found


def _resolved(choices: tuple[Choice, ...], raw: _Raw | None, key: str, what: str) -> str:
    """The slug of the setting or education level ``raw`` names (resolutions are remembered
    by :func:`jobgen.guide.resolve_choice`)."""
    if raw is None:
        listing = ", ".join(c.slug for c in choices)
        raise UsageError(
            f"no {what} given; choose one with --{key} or '{key}:' in the employer file. "
            f"Valid {what}s: {listing}",
            source=f"--{key}",
        )
    _value, where, usage = raw
    text = _parsed(_text, raw, key)
    return resolve_choice(text, choices, what, source=where, usage=usage).slug


def clear_caches() -> None:
    """Forget every value parsed and resolved before (for tests and measurements)."""
    for cache in (_PARSED, _EMPLOYERS, _LOCATIONS, _SALARIES):
        cache.clear()
    guide_clear_caches()


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


def options_from_layers(
    guide: Guide, layers: Sequence[OptionLayer], *, default_date: dt.date | None = None
) -> EmployerOptions:
    """Merge layers (later wins, field by field) and validate into :class:`EmployerOptions`."""
    return options_from_merged(guide, merge_layers(layers), default_date=default_date)


def merge_layers(
    layers: Iterable[OptionLayer], base: Mapping[str, _Raw] | None = None
) -> dict[str, _Raw]:
    """The layers' values merged onto ``base`` (later wins, field by field; unset and empty
    values skipped), each with where it came from. A batch merges its defaults once, then each
    row onto them."""
    merged: dict[str, _Raw] = dict(base) if base else {}
    for layer in layers:
        _merge_into(merged, layer.values, layer.source, layer.usage, layer.where)
    return merged


def merge_values(
    base: Mapping[str, _Raw], values: Mapping[str, Any], source: str
) -> dict[str, _Raw]:
    """One more layer's ``values`` (a batch row, read from ``source``) merged onto ``base``:
    :func:`merge_layers` without making an :class:`OptionLayer` per row."""
    merged = dict(base)
    if type(values) is dict:
        # The usual row (a CSV line): a plain dict whose keys are all fields' own names, so
        # flatten() would give each value with ``source`` as its place. Anything else (a group
        # such as ``salary:``, a key with spaces, an unknown key) takes the general path below.
        names = _FIELD_NAMES
        for key, value in values.items():
            name = names.get(key)
            if name is None:
                break
            if value is None or value == "":
                continue
            merged[name] = (value, source, False)
        else:
            return merged
        merged = dict(base)
    _merge_into(merged, values, source, False, None)
    return merged


_FIELD_NAMES: dict[str, str] = {key: key for key in FIELD_BY_KEY}
"""Each field's dotted name → itself: a row's key found here is the name flatten() gives it."""


def _merge_into(
    merged: dict[str, _Raw],
    values: Mapping[str, Any],
    source: str,
    usage: bool,
    where_of: Mapping[str, str] | None,
) -> None:
    for key, (value, where) in flatten(values, source).items():
        if value is None or value == "":
            continue
        merged[key] = (value, where_of.get(key, where) if where_of else where, usage)


def options_from_merged(
    guide: Guide, merged: Mapping[str, _Raw], *, default_date: dt.date | None = None
) -> EmployerOptions:
    """Validate merged values (:func:`merge_layers`) into :class:`EmployerOptions`.

    Fields are checked in a fixed order (setting, education level, pay, dates, then the rest in
    the order of :class:`EmployerOptions`), so a row with several mistakes reports the first.
    """
    get = merged.get
    parsed = _parsed

    setting = _resolved(guide.setting_choices(), get("setting"), "setting", "setting")
    education = _resolved(
        guide.education_choices(), get("education"), "education", "education level"
    )

    salary_min = parsed(_money, r, "salary.min") if (r := get("salary.min")) else None
    salary_max = parsed(_money, r, "salary.max") if (r := get("salary.max")) else None
    period = parsed(_field_choice, r, "salary.period") if (r := get("salary.period")) else ""
    currency = parsed(_currency, r, "salary.currency") if (r := get("salary.currency")) else "USD"
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raw = get("salary.max")
        assert raw is not None
        raise _err(
            raw,
            "salary.max",
            f"{salary_max} is less than salary.min {salary_min}; "
            "the range must go from low to high",
        )
    if (salary_min is not None or salary_max is not None) and not period:
        raw = get("salary.min") or get("salary.max")
        assert raw is not None
        raise _err(
            raw, "salary.period", "is needed when a salary is given. Allowed: " + ", ".join(PERIODS)
        )

    date_posted = (parsed(_date, r, "date_posted") if (r := get("date_posted")) else None) or (
        default_date or today()
    )
    valid_through = parsed(_date, r, "valid_through") if (r := get("valid_through")) else None
    if valid_through is not None and valid_through < date_posted:
        raw = get("valid_through")
        assert raw is not None
        raise _err(
            raw,
            "valid_through",
            f"{valid_through} is before date_posted {date_posted}; "
            "a posting cannot close before it opens",
        )

    # the remaining fields, in the order EmployerOptions lists them (the order of their errors)
    name = parsed(_text, r, "employer.name") if (r := get("employer.name")) else ""
    about = parsed(_longtext, r, "employer.about") if (r := get("employer.about")) else ""
    website = parsed(_url, r, "employer.website") if (r := get("employer.website")) else ""
    title = parsed(_text, r, "title") if (r := get("title")) else ""
    city = parsed(_text, r, "location.city") if (r := get("location.city")) else ""
    region = parsed(_text, r, "location.region") if (r := get("location.region")) else ""
    country = parsed(_text, r, "location.country") if (r := get("location.country")) else ""
    postal_code = (
        parsed(_text, r, "location.postal_code") if (r := get("location.postal_code")) else ""
    )
    workplace = parsed(_field_choice, r, "workplace") if (r := get("workplace")) else "onsite"
    employment_type = (
        parsed(_field_choice, r, "employment_type")
        if (r := get("employment_type"))
        else "full-time"
    )
    schedule = parsed(_text, r, "schedule") if (r := get("schedule")) else ""
    certification = (
        parsed(_field_choice, r, "certification") if (r := get("certification")) else "none"
    )
    experience = parsed(_int, r, "experience_months") if (r := get("experience_months")) else None
    benefits = parsed(_list, r, "benefits") if (r := get("benefits")) else ()
    extra_responsibilities = (
        parsed(_list, r, "extra_responsibilities") if (r := get("extra_responsibilities")) else ()
    )
    extra_qualifications = (
        parsed(_list, r, "extra_qualifications") if (r := get("extra_qualifications")) else ()
    )
    apply_url = parsed(_url, r, "apply.url") if (r := get("apply.url")) else ""
    apply_email = parsed(_email, r, "apply.email") if (r := get("apply.email")) else ""
    # unique to each posting: nothing to gain from remembering it
    requisition_id = _text(r, "requisition_id") if (r := get("requisition_id")) else ""
    eeo_statement = parsed(_longtext, r, "eeo_statement") if (r := get("eeo_statement")) else ""

    # employers and places repeat from row to row: equal text makes equal (frozen) objects
    name = name or PLACEHOLDER_EMPLOYER
    employer = _EMPLOYERS.get(who := (name, about, website))
    if employer is None:
        made = Employer(name=name, about=about, website=website)
        employer = keep(_EMPLOYERS, who, made, _SHARED_MAX)
    location = _LOCATIONS.get(place := (city, region, country, postal_code))
    if location is None:
        made_at = Location(city=city, region=region, country=country, postal_code=postal_code)
        location = keep(_LOCATIONS, place, made_at, _SHARED_MAX)
    # the amounts are the same Decimal objects for the same text (see _parsed): by identity, as
    # equal amounts can still read differently (1.0 and 1, -0 and 0)
    salary = _SALARIES.get(pay := (id(salary_min), id(salary_max), currency, period))
    if salary is None or salary.min is not salary_min or salary.max is not salary_max:
        made_pay = Salary(min=salary_min, max=salary_max, currency=currency, period=period)
        salary = keep(_SALARIES, pay, made_pay, _SHARED_MAX)
    return EmployerOptions(
        setting=setting,
        education=education,
        employer=employer,
        title=title or guide.occupation,
        location=location,
        workplace=workplace,
        employment_type=employment_type,
        schedule=schedule,
        salary=salary,
        certification=certification,
        experience_months=experience,
        benefits=benefits,
        extra_responsibilities=extra_responsibilities,
        extra_qualifications=extra_qualifications,
        apply=Apply(url=apply_url, email=apply_email),
        date_posted=date_posted,
        valid_through=valid_through,
        requisition_id=requisition_id,
        eeo_statement=eeo_statement,
    )


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
        layers.append(file_layer(employer_file))
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
    raw: _Raw = (text, key, False)
    if spec.kind == "setting":
        return resolve_choice(
            text, guide.setting_choices(), "setting", source=key, usage=False
        ).slug
    if spec.kind == "education":
        choices = guide.education_choices()
        return resolve_choice(text, choices, "education level", source=key, usage=False).slug
    if spec.kind == "choice":
        return _choice(raw, key, spec.choices)
    if spec.kind == "money":
        amount = _money(raw, key)
        return "" if amount is None else str(amount)
    if spec.kind == "int":
        number = _int(raw, key)
        return "" if number is None else str(number)
    if spec.kind == "date":
        day = _date(raw, key)
        return "" if day is None else day.isoformat()
    if spec.kind == "url":
        return _url(raw, key)
    if spec.kind == "email":
        return _email(raw, key)
    if spec.kind == "currency":
        code = _text(raw, key).upper()
        if code and not _CURRENCY.match(code):
            raise _err(raw, key, f"{code!r} is not a 3-letter ISO 4217 code like USD")
        return code
    if spec.kind == "list":
        return LIST_SEPARATOR.join(_list(raw, key))
    return _text(raw, key, multiline=spec.kind == "longtext")
