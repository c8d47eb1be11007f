"""The starter employer file written by ``jobgen init``: every field, explained."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from .employer import FIELD_BY_KEY, FIELDS, LIST_SEPARATOR
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
    settings = ", ".join(c.slug for c in guide.setting_choices())
    levels = ", ".join(c.slug for c in guide.education_choices())
    from .schemas import EDITOR_COMMENT, schema_uri

    lines = [
        EDITOR_COMMENT.format(uri=schema_uri("employer")),  # completion and checks in editors
        f"# jobgen employer file for a {guide.occupation} posting.",
        "# Render it with:  jobgen render -e THIS_FILE            (or -o posting.docx)",
        "# Lines starting with # are comments: remove the # (and the space after it) to use a",
        "# field. Run `jobgen options` for every choice. Quote text that starts with a symbol.",
        "",
    ]
    group = ""
    for spec in FIELDS:
        head, _, sub = spec.key.partition(".")
        if sub and head != group:
            lines.append("")
            lines.append(
                f"{head}:" if any(k.startswith(head + ".") for k in answers) else f"# {head}:"
            )
            group = head
        elif not sub:
            if group:
                lines.append("")
            group = ""
        indent = "  " if sub else ""
        name = sub or spec.key
        extra = ""
        if spec.kind == "setting":
            extra = f" One of: {settings}."
        elif spec.kind == "education":
            extra = f" One of: {levels}."
        elif spec.choices:
            extra = f" One of: {', '.join(spec.choices)}."
        lines.append(f"{indent}# {spec.help}{extra}")
        if spec.key in answers and answers[spec.key] != "":
            value = answers[spec.key]
            if spec.kind == "list":
                lines.append(f"{indent}{name}:")
                lines.extend(f"{indent}  - {_scalar(v)}" for v in value.split(LIST_SEPARATOR))
            else:
                lines.append(f"{indent}{name}: {_scalar(value)}")
        elif spec.kind == "list":
            lines.append(f"{indent}# {name}:")
            lines.append(f"{indent}#   - {_scalar(spec.example)}")
        else:
            lines.append(f"{indent}# {name}: {_scalar(spec.example)}")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


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
