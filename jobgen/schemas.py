"""JSON Schemas of the employer file and the guide file, made from the tables that drive loading.

The employer schema comes from :data:`jobgen.employer.FIELDS` and the kinds' schemas; the guide
schema from the key tables of :mod:`jobgen.guide`. ``schemas/*.schema.json`` in the repository
are these, written by ``python -m jobgen.schemas`` (a test checks they are current). Editors use
them for completion and checks (see docs/schemas.md); ``jobgen guide validate`` checks a guide
against the guide schema with :func:`schema_problems`.

The schemas use a small part of JSON Schema (draft 2020-12), which :func:`schema_problems`
implements: ``type``, ``const``, ``enum``, ``pattern``, ``maxLength``, ``minimum``, ``maximum``,
``properties``, ``additionalProperties``, ``required``, ``items``, ``maxItems``, ``anyOf`` and
``$ref`` to ``#/$defs/...``. ``format`` and ``examples`` are hints for editors only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import employer as e
from . import guide as g

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"employer": "employer.schema.json", "guide": "guide.schema.json"}
EDITOR_COMMENT = "# yaml-language-server: $schema={uri}"
"""The first line of a YAML file that gives it completion and checks in VS Code (with the YAML
extension) and other editors that use yaml-language-server."""


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` or YAML ``null`` (an empty value: the field is not given)."""
    return {"anyOf": [dict(schema), {"type": "null"}]}


def _field_schema(spec: e.FieldSpec, guide: g.Guide) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "description": f"{spec.help} Environment: {spec.env}.",
        **e.KINDS[spec.kind].schema,
    }
    if spec.choices:
        words = [w for w, choice in e.CHOICE_WORDS.items() if choice in spec.choices]
        schema["enum"] = [*spec.choices, *words]
    elif spec.kind in ("setting", "education"):
        choices = guide.setting_choices() if spec.kind == "setting" else guide.education_choices()
        schema["examples"] = [c.slug for c in choices]
    elif spec.example:
        schema["examples"] = [spec.example]
    return _nullable(schema)


def employer_schema() -> dict[str, Any]:
    """The employer file (YAML or JSON): every field, dotted (``salary.min``) or nested
    (``salary: {min: ...}``). The setting and education level suggestions are the built-in
    guide's; another guide's are accepted too (any text)."""
    guide = g.load_guide(None)
    properties: dict[str, Any] = {}
    for group in e.GROUPS:
        members = {
            spec.key.partition(".")[2]: _field_schema(spec, guide)
            for spec in e.FIELDS
            if spec.key.startswith(group + ".")
        }
        properties[group] = _nullable(
            {"type": "object", "additionalProperties": False, "properties": members}
        )
    for spec in e.FIELDS:
        properties[spec.key] = _field_schema(spec, guide)
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_FILES["employer"],
        "title": "jobgen employer file",
        "description": "What an employer says about one posting (`jobgen render -e FILE`). "
        "Each field may be written dotted (salary.min) or nested (salary: {min: ...}), "
        "but only once. Run `jobgen options` for the fields and choices.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


# --------------------------------------------------------------------------- the guide

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_TEXTS = {"type": ["array", "null"], "items": _TEXT}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _object(properties: Mapping[str, Any], *required: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": dict(properties),
    }
    if required:
        schema["required"] = list(required)
    return schema


def _shapes(keys: tuple[str, ...], shapes: Mapping[str, Any]) -> dict[str, Any]:
    """The shape of each key the guide loader accepts: a key without one is a bug (tested)."""
    missing = [k for k in keys if k not in shapes]
    if missing:
        raise KeyError(f"no schema for the guide keys {missing}")
    return {k: shapes[k] for k in keys}


def _when() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key in g.WHEN_KEYS:
        open_ended = key in ("setting", "education")
        one = _TEXT if open_ended else {"enum": list(g.when_values(key, {}))}
        properties[key] = {"anyOf": [one, {"type": "array", "items": one}]}
    return _object(properties)


def guide_schema() -> dict[str, Any]:
    """The guide file (``format: jobgen-guide/1``): the guide's text and its tailoring layer."""
    defs: dict[str, Any] = {
        "when": _when(),
        "variant": _object({"when": _ref("when"), "text": _OPTIONAL_TEXT}),
        "text": {
            "description": "TEXT, or VARIANTS: a list of {when, text}; the first whose `when` "
            "matches the employer's answers is printed.",
            "anyOf": [_OPTIONAL_TEXT, {"type": "array", "items": _ref("variant")}],
        },
        "entries": {
            "description": "A list of TEXT or {when, text} (printed when the answers match).",
            "type": ["array", "null"],
            "items": {"anyOf": [_TEXT, _ref("variant")]},
        },
        "item_texts": {
            "description": "{item-slug: TEXT}; null leaves the item out of postings.",
            "type": ["object", "null"],
            "additionalProperties": _OPTIONAL_TEXT,
        },
        "item_variant_texts": {
            "description": "{item-slug: TEXT or VARIANTS}; null leaves the item out of postings.",
            "type": ["object", "null"],
            "additionalProperties": _ref("text"),
        },
    }
    defs["setting"] = _object(
        _shapes(
            g._SETTING_KEYS,
            {
                "aliases": _TEXTS,
                "label": _OPTIONAL_TEXT,
                "people": _OPTIONAL_TEXT,
                "summary": _ref("text"),
                "environment": _ref("text"),
                "schedule": _ref("text"),
                "responsibilities": {
                    "type": ["object", "null"],
                    "additionalProperties": {
                        "anyOf": [_TEXT, _object({"name": _OPTIONAL_TEXT, "text": _TEXT}, "text")]
                    },
                },
                "duties": _TEXTS,
            },
        )
    )
    defs["education"] = _object(
        _shapes(
            g._EDUCATION_KEYS,
            {
                "aliases": _TEXTS,
                "label": _OPTIONAL_TEXT,
                "credential": _OPTIONAL_TEXT,
                "summary": _ref("text"),
                "intro": _ref("text"),
                "required": _ref("entries"),
                "preferred": _ref("entries"),
                "skills": _ref("item_variant_texts"),
                "growth": _ref("item_texts"),
                "growth_lead": _OPTIONAL_TEXT,
                "duties": _ref("entries"),
            },
        )
    )
    defs["tailoring"] = _object(
        _shapes(
            g._TAILORING_KEYS,
            {
                "people": _OPTIONAL_TEXT,
                "summary": _ref("text"),
                "responsibilities": {"type": ["object", "null"], "additionalProperties": _TEXT},
                "skills": _ref("item_texts"),
                "growth": _ref("item_texts"),
                "certification": {
                    "anyOf": [_object({"required": _TEXT, "preferred": _TEXT}), {"type": "null"}]
                },
                "note": _ref("text"),
                "settings": {"type": ["object", "null"], "additionalProperties": _ref("setting")},
                "education": {
                    "type": ["object", "null"],
                    "additionalProperties": _ref("education"),
                },
            },
        )
    )
    item = _object({"name": _TEXT, "description": _TEXT}, "name", "description")
    section = _object(
        {
            "kind": {"enum": list(g.SECTION_KINDS)},
            "heading": _TEXT,
            "intro": _OPTIONAL_TEXT,
            "items": {"type": ["array", "null"], "items": item},
            "paragraphs": _TEXTS,
        },
        "kind",
        "heading",
    )
    top = _shapes(
        g._TOP_KEYS,
        {
            "format": {"const": g.FORMAT},
            "slug": _OPTIONAL_TEXT,
            "occupation": _TEXT,
            "title": _OPTIONAL_TEXT,
            "introduction": {
                "anyOf": [
                    _object({"heading": _OPTIONAL_TEXT, "text": _OPTIONAL_TEXT}),
                    {"type": "null"},
                ]
            },
            "sections": {"type": "array", "items": section},
            "notes": _TEXTS,
            "conclusion": _OPTIONAL_TEXT,
            "faq": {
                "type": ["array", "null"],
                "items": _object({"question": _TEXT, "answer": _TEXT}, "question", "answer"),
            },
            "tailoring": {"anyOf": [_ref("tailoring"), {"type": "null"}]},
        },
    )
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_FILES["guide"],
        "title": "jobgen guide file",
        "description": "A career guide, held faithfully, and the tailoring layer that turns it "
        "into postings (see docs/tailoring.md).",
        **_object(top, "format", "occupation", "sections"),
        "$defs": defs,
    }


SCHEMAS = {"employer": employer_schema, "guide": guide_schema}


def schema_text(name: str) -> str:
    """The schema ``name`` as the repository holds it: 2-space JSON with a final newline."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def schema_uri(name: str) -> str:
    """The ``file://`` address of the installed schema ``name``, for an editor comment."""
    from ._resources import schemas_dir

    return (schemas_dir() / SCHEMA_FILES[name]).as_uri()


def write_schemas(folder: str | Path) -> list[Path]:
    """Write every schema into ``folder``; returns the files written."""
    out = []
    for name, file_name in SCHEMA_FILES.items():
        path = Path(folder) / file_name
        path.write_text(schema_text(name), encoding="utf-8")
        out.append(path)
    return out


# --------------------------------------------------------------------------- checking

_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "number": (int, float),
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def _is(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("number", "integer"):
        return False
    if isinstance(value, dt.date) and kind == "string":
        return True  # PyYAML reads 2026-11-28 as a date; YAML 1.2 (and an editor) as text
    return isinstance(value, _TYPES[kind])


def _path(parts: tuple[str | int, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(the file)"


def schema_problems(value: Any, schema: Mapping[str, Any]) -> list[str]:
    """Where ``value`` breaks ``schema`` (the subset of JSON Schema in the module docstring),
    as ``"path: problem"`` texts; empty when it conforms."""
    return list(_problems(value, schema, schema, ()))


def _problems(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], at: tuple[str | int, ...]
) -> Iterator[str]:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rpartition("/")[2]]
    where = _path(at)
    if "anyOf" in schema:
        yield from _any_of_problems(value, schema["anyOf"], root, at)
        return
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if kinds is not None and not any(_is(value, k) for k in kinds):
        yield f"{where}: must be {' or '.join(kinds)}, not {_describe(value)}"
        return
    if "const" in schema and value != schema["const"]:
        yield f"{where}: must be {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: {value!r} is not one of {', '.join(map(str, schema['enum']))}"
    if isinstance(value, str | dt.date):
        yield from _string_problems(str(value), schema, where)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            yield f"{where}: {value} is out of range"
    elif isinstance(value, list):
        yield from _list_problems(value, schema, root, at)
    elif isinstance(value, dict):
        yield from _object_problems(value, schema, root, at)


def _any_of_problems(
    value: Any, branches: list[Any], root: Mapping[str, Any], at: tuple[str | int, ...]
) -> Iterator[str]:
    found = [list(_problems(value, s, root, at)) for s in branches]
    if all(found):
        # the branch of the value's own type says best what is wrong with it
        where = _path(at)
        typed = [f for f in found if not f[0].startswith(f"{where}: must be ")]
        yield from (
            typed[0] if len(typed) == 1 else [f"{where}: {_describe(value)} is not allowed here"]
        )


def _list_problems(
    value: list[Any], schema: Mapping[str, Any], root: Mapping[str, Any], at: tuple[str | int, ...]
) -> Iterator[str]:
    if len(value) > schema.get("maxItems", len(value)):
        yield f"{_path(at)}: has {len(value)} entries; at most {schema['maxItems']}"
    if "items" in schema:
        for i, entry in enumerate(value):
            yield from _problems(entry, schema["items"], root, (*at, i))


def _string_problems(value: str, schema: Mapping[str, Any], where: str) -> Iterator[str]:
    if len(value) > schema.get("maxLength", len(value)):
        yield f"{where}: is {len(value):,} characters; at most {schema['maxLength']:,}"
    if "pattern" in schema and not re.search(schema["pattern"], value):
        yield f"{where}: {value!r} does not match {schema['pattern']}"


def _object_problems(
    value: Mapping[str, Any],
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    at: tuple[str | int, ...],
) -> Iterator[str]:
    properties = schema.get("properties", {})
    for key in schema.get("required", ()):
        if key not in value:
            yield f"{_path((*at, key))}: is required"
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            yield from _problems(item, properties[key], root, (*at, str(key)))
        elif extra is False:
            yield f"{_path((*at, str(key)))}: is not a known key"
        elif isinstance(extra, Mapping):
            yield from _problems(item, extra, root, (*at, str(key)))


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def check_guide_file(path: str | Path) -> None:
    """Raise :class:`jobgen.errors.GuideError` when a guide file (.yaml/.json) breaks the guide
    schema, listing each place. A guide text (.txt) has no schema to meet."""
    from ._yaml import load_yaml_file
    from .errors import GuideError

    p = Path(path)
    if p.suffix.lower() not in (".yaml", ".yml", ".json") or not p.is_file():
        return
    problems = schema_problems(load_yaml_file(p, what="guide file"), guide_schema())
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        )
        raise GuideError(
            f"does not match the guide schema ({SCHEMA_FILES['guide']}): {shown}",
            source=str(p),
        )


def main(argv: list[str]) -> int:
    """``python -m jobgen.schemas [FOLDER]``: write the schemas (default: ./schemas)."""
    folder = Path(argv[0] if argv else "schemas")
    folder.mkdir(parents=True, exist_ok=True)
    write_schemas(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
