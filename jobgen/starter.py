"""The starter employer file written by ``jobgen init``: every field, explained."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from .employer_fields import FIELD_BY_KEY, FIELDS, LIST_SEPARATOR, FieldSpec
from .guide import Guide

# the questions `jobgen init` asks on a terminal, in order
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("employer.name", "Employer name"),
    ("setting", "Work setting"),
    ("education", "Required education level"),
    ("location.city", "City"),
    ("location.region", "State or region (e.g. CO)"),
    ("location.country", "Country (ISO code, e.g. US)"),
    ("employment_type", "Employment type"),
    ("schedule", "Schedule (e.g. Day shift, 7a-3:30p)"),
    ("salary.min", "Lowest pay (a number; blank to skip)"),
    ("salary.max", "Highest pay (a number; blank to skip)"),
    ("salary.period", "Pay period"),
    ("apply.url", "Application web address (http or https; blank to skip)"),
    ("apply.email", "Application email (blank to skip)"),
)


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .,/()'@+-]*$")


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly this text: plain when that is safe (jobgen
    reads employer files literally), else double-quoted (JSON strings are valid YAML)."""
    if _PLAIN.match(value) and not value.endswith((" ", ":")):
        return value
    return json.dumps(value, ensure_ascii=False)


def starter_yaml(guide: Guide, answers: Mapping[str, str] | None = None) -> str:
    """A commented employer file. Answered fields are filled in; the rest are commented
    examples. ``setting`` and ``education`` always hold a value, so the file renders as is."""
    answers = dict(answers or {})
    answers.setdefault("setting", guide.setting_choices()[0].slug)
    answers.setdefault("education", guide.education_choices()[0].slug)
    lines = _header(guide)
    group = ""
    for spec in FIELDS:
        head, _, sub = spec.key.partition(".")
        lines.extend(_group_start(head if sub else "", group, answers))
        group = head if sub else ""
        lines.extend(_field_lines(guide, spec, answers))
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _header(guide: Guide) -> list[str]:
    from .schemas import EDITOR_COMMENT, schema_uri

    return [
        EDITOR_COMMENT.format(uri=schema_uri("employer")),  # completion and checks in editors
        f"# jobgen employer file for a {guide.occupation} posting.",
        "# Render it with:  jobgen render -e THIS_FILE            (or -o posting.docx)",
        "# Lines starting with # are comments: remove the # (and the space after it) to use a",
        "# field. Run `jobgen options` for every choice. Quote text that starts with a symbol.",
        "",
    ]


def _group_start(group: str, previous: str, answers: Mapping[str, str]) -> list[str]:
    """The lines between two fields: a blank line and ``head:`` where a group of dotted keys
    (``location.city`` …) starts, commented out while none of its fields has an answer."""
    if group == previous:
        return []
    if not group:
        return [""]
    answered = any(k.startswith(group + ".") for k in answers)
    return ["", f"{group}:" if answered else f"# {group}:"]


def _field_lines(guide: Guide, spec: FieldSpec, answers: Mapping[str, str]) -> list[str]:
    """One field: its help (with the allowed choices), then its answer or a commented
    example."""
    head, _, sub = spec.key.partition(".")
    indent = "  " if sub else ""
    name = sub or head
    choices = question_choices(guide, spec.key)
    extra = f" One of: {', '.join(choices)}." if choices else ""
    lines = [f"{indent}# {spec.help}{extra}"]
    value = answers.get(spec.key, "")
    if value and spec.kind == "list":
        lines.append(f"{indent}{name}:")
        lines.extend(f"{indent}  - {_scalar(v)}" for v in value.split(LIST_SEPARATOR))
    elif value:
        lines.append(f"{indent}{name}: {_scalar(value)}")
    elif spec.kind == "list":
        lines.append(f"{indent}# {name}:")
        lines.append(f"{indent}#   - {_scalar(spec.example)}")
    else:
        lines.append(f"{indent}# {name}: {_scalar(spec.example)}")
    return lines


def question_choices(guide: Guide, key: str) -> list[str]:
    """The choices shown beside a question, if it has any."""
    spec = FIELD_BY_KEY[key]
    if spec.kind == "setting":
        return [c.slug for c in guide.setting_choices()]
    if spec.kind == "education":
        return [c.slug for c in guide.education_choices()]
    return list(spec.choices)


def default_country(region: str) -> str:
    """The country ``jobgen init`` offers: US for a US state's code or name, else none."""
    from .lint import US_STATES

    key = region.strip().casefold()
    states = {code.casefold() for code in US_STATES} | {n.casefold() for n in US_STATES.values()}
    return "US" if key in states else ""
