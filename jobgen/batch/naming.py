"""File names for a batch's rows: a ``--name`` pattern filled with each row's values, made safe
and unique in row order."""

from __future__ import annotations

import string
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import _validate as v
from ..errors import JobgenError, UsageError
from ..guide import Guide
from ..output import safe_stem, unique_stems
from ..render import EXTENSIONS
from .inputs import Row

MANIFEST_NAME = "manifest.json"
DEFAULT_NAME_PATTERN = "{id}-{employer}-{setting}"
NAME_FIELDS = ("row", "id", "employer", "setting", "education", "title")
"""Fields a ``--name`` pattern may use."""
MAX_NAME_FIELD = 40
"""Each field is cut to this many characters before the pattern is filled, so one long employer
name cannot push the setting out of an 80-character name."""

_NAME_SOURCES = {
    "id": "requisition_id",
    "employer": "employer.name",
    "title": "title",
    "setting": "setting",
    "education": "education",
}
"""The employer field each name field comes from (``row`` is the row's number)."""


def check_name_pattern(pattern: str) -> str:
    """Refuse an empty pattern, unknown fields, format specs or unbalanced braces (exit 2)."""
    fields = ", ".join("{" + f + "}" for f in NAME_FIELDS)
    if not pattern.strip():
        raise UsageError(
            f"--name {pattern!r}: give a pattern, such as {DEFAULT_NAME_PATTERN} (the default). "
            f"Fields: {fields}",
            source="--name",
        )
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise UsageError(
            f"--name {pattern!r}: {exc}; write fields as {{employer}}, and a literal brace as "
            f"{{{{ or }}}}. Fields: {fields}",
            source="--name",
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in NAME_FIELDS:
            raise UsageError(
                f"--name {pattern!r}: unknown field {{{name}}}.{v.did_you_mean(name, NAME_FIELDS)}"
                f" Fields: {fields}",
                source="--name",
            )
        if spec or conversion:
            raise UsageError(
                f"--name {pattern!r}: write {{{name}}} plainly, without ':' or '!'",
                source="--name",
            )
    return pattern


def _lookup(values: Mapping[str, Any], key: str) -> Any:
    if key in values:
        return values[key]
    group, _, sub = key.partition(".")
    nested = values.get(group) if sub else None
    return nested.get(sub) if isinstance(nested, Mapping) else None


def _raw_text(layers: Sequence[Mapping[str, Any]], key: str) -> str:
    """The value the row will use for ``key`` (last layer wins), as text; no validation."""
    for values in reversed(layers):
        value = _lookup(values, key)
        if isinstance(value, str | int | Decimal) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
    return ""


def _resolved(guide: Guide, key: str, text: str) -> str:
    """A setting's or education level's slug; the text as written when it names none (the row
    itself will fail)."""
    resolve = guide.resolve_setting if key == "setting" else guide.resolve_education
    try:
        return resolve(text).slug
    except JobgenError:
        return text


def name_fields(
    guide: Guide,
    number: int,
    layers: Sequence[Mapping[str, Any]],
    only: Collection[str] | None = None,
) -> dict[str, str]:
    """The values a name pattern can use for one row (before slugging), the last of ``layers``
    winning; with ``only``, just those fields (the ones a pattern uses)."""
    row = str(number)  # not padded: rows added to an input never rename the files before them
    out: dict[str, str] = {}
    for key in NAME_FIELDS:
        if only is not None and key not in only:
            continue
        text = row if key == "row" else _raw_text(layers, _NAME_SOURCES[key])
        if key == "id":
            text = text or row
        elif key == "title":
            text = text or guide.occupation
        elif key in ("setting", "education") and text:
            text = _resolved(guide, key, text)
        out[key] = text
    return out


def _pattern_fields(pattern: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(pattern) if name)


def format_name(pattern: str, fields: Mapping[str, str]) -> str:
    """Fill a name pattern and make it a safe file stem (see :func:`jobgen.output.safe_stem`)."""
    slugs = {k: safe_stem(val, fallback="", limit=MAX_NAME_FIELD) for k, val in fields.items()}
    return safe_stem(pattern.format_map(slugs))


def named_rows(
    guide: Guide,
    rows: Iterable[Row],
    *,
    pattern: str = DEFAULT_NAME_PATTERN,
    defaults: Sequence[Mapping[str, Any]] = (),
) -> Iterator[tuple[Row, str]]:
    """Each row with its unique file stem, in row order, one row at a time; every row reserves
    one, even a bad one, so fixing a row never renames another's files."""
    used = _pattern_fields(pattern)
    current: list[Row] = []

    def stems() -> Iterator[str]:
        for row in rows:
            current.append(row)
            yield format_name(
                pattern, name_fields(guide, row.number, [*defaults, row.values], used)
            )

    for name in unique_stems(stems(), taken=[Path(MANIFEST_NAME).stem]):
        yield current.pop(), name


def assign_names(
    guide: Guide,
    rows: Sequence[Row],
    *,
    pattern: str = DEFAULT_NAME_PATTERN,
    defaults: Sequence[Mapping[str, Any]] = (),
) -> list[str]:
    """A unique file stem per row, in row order (see :func:`named_rows`)."""
    return [name for _row, name in named_rows(guide, rows, pattern=pattern, defaults=defaults)]


def extension_for(fmt: str) -> str:
    """``md`` → ``.md``: the first extension registered for the format, else ``.<fmt>``."""
    return next((ext for ext, f in EXTENSIONS.items() if f == fmt), f".{fmt}")
