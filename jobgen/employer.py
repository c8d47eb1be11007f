"""Employer options: a strict, frozen model and the layered loading that fills it.

Every field has one dotted name (``salary.min``) used everywhere: nested or dotted keys in YAML,
CSV headers, ``--set salary.min=18`` and ``JOBGEN_SALARY_MIN``. Sources, weakest first: an employer
file, ``JOBGEN_*`` environment variables, ``--set`` assignments, then ``--setting``/``--education``.

One table drives it all: :data:`FIELDS` names each field's kind, and :data:`KINDS` gives each kind
its one parser (which also words its errors) and its JSON Schema; both live in
:mod:`jobgen.employer_fields` and are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import _validate as v
from ._yaml import load_yaml_file
from .employer_fields import (
    CERTIFICATION,
    CHOICE_WORDS,
    EMPLOYMENT_TYPES,
    ENV_VARIABLES,
    FIELD_BY_KEY,
    FIELDS,
    KINDS,
    LIST_SEPARATOR,
    MAX_LIST,
    MAX_PAY,
    MAX_TEXT,
    PERIODS,
    PLACEHOLDER_EMPLOYER,
    WORKPLACES,
    FieldSpec,
    Given,
    Kind,
    Parser,
    field_error,
    parse_choice,
    parse_currency,
    parse_date,
    parse_education,
    parse_email,
    parse_list,
    parse_longtext,
    parse_money,
    parse_months,
    parse_setting,
    parse_text,
    parse_url,
)
from .errors import JobgenError, UsageError, ValidationError
from .guide import Guide, resolve_choice

__all__ = [
    "CERTIFICATION",
    "CHOICE_WORDS",
    "DEFAULT_EEO",
    "EMPLOYMENT_TYPES",
    "ENV_VARIABLES",
    "FIELDS",
    "FIELD_BY_KEY",
    "GROUPS",
    "KINDS",
    "LIST_SEPARATOR",
    "MAX_LIST",
    "MAX_PAY",
    "MAX_TEXT",
    "OTHER_VARIABLES",
    "PERIODS",
    "PLACEHOLDER_EMPLOYER",
    "WORKPLACES",
    "Apply",
    "Employer",
    "EmployerOptions",
    "FieldSpec",
    "Given",
    "Kind",
    "Location",
    "OptionLayer",
    "Parser",
    "Salary",
    "closest_field",
    "env_layer",
    "env_warnings",
    "fields_of_columns",
    "file_layer",
    "flatten",
    "load_options",
    "merge_layers",
    "merge_values",
    "options_from_layers",
    "options_from_merged",
    "parse_choice",
    "parse_currency",
    "parse_date",
    "parse_education",
    "parse_email",
    "parse_field",
    "parse_list",
    "parse_longtext",
    "parse_money",
    "parse_months",
    "parse_setting",
    "parse_text",
    "parse_url",
    "parse_values",
    "set_layer",
    "today",
]

# --------------------------------------------------------------------------- the model

DEFAULT_EEO = (
    # the classes federal law protects (EEOC: Title VII, ADEA, ADA, GINA; VEVRAA for veterans)
    "{employer} is an equal opportunity employer. We consider all qualified applicants without "
    "regard to race, color, religion, sex (including pregnancy, sexual orientation and gender "
    "identity), national origin, age, disability, genetic information or veteran status. We "
    "provide reasonable accommodations throughout the hiring process."
)


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


def _check_pay(values: dict[str, Any], merged: Mapping[str, Given]) -> None:
    low, high = values["salary.min"], values["salary.max"]
    if low is not None and high is not None and low > high:
        raise field_error(
            merged["salary.max"],
            "salary.max",
            f"{high} is less than salary.min {low}; the range must go from low to high",
        )
    if (low is not None or high is not None) and not values["salary.period"]:
        given = merged.get("salary.min") or merged["salary.max"]
        allowed = ", ".join(PERIODS)
        raise field_error(
            given, "salary.period", f"is needed when a salary is given. Allowed: {allowed}"
        )


def _check_dates(values: dict[str, Any], merged: Mapping[str, Given]) -> None:
    posted, until = values["date_posted"], values["valid_through"]
    if until is not None and until < posted:
        raise field_error(
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
