"""The OpenAPI 3 document, generated: paths and operations from the routes (each endpoint's
docstring carries its operation), schemas from the employer field table and the served guides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute
from starlette.schemas import SchemaGenerator

from .. import __version__
from ..employer import FIELDS, GROUPS, LIST_SEPARATOR, MAX_LIST, MAX_TEXT
from .api import Guides

OPENAPI_VERSION = "3.0.3"


def _field_schema(
    kind: str, help_text: str, choices: Sequence[str], example: str
) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT}
    schema: dict[str, Any]
    if kind == "choice":
        schema = {"type": "string", "enum": list(choices)}
    elif kind in ("url", "email", "date"):
        schema = {**text, "format": {"url": "uri", "email": "email", "date": "date"}[kind]}
    elif kind == "money":
        schema = {"oneOf": [{"type": "number"}, text]}
    elif kind == "int":
        schema = {"oneOf": [{"type": "integer"}, text]}
    elif kind == "list":
        schema = {
            "oneOf": [
                {"type": "array", "items": text, "maxItems": MAX_LIST},
                {**text, "description": f"entries separated by {LIST_SEPARATOR!r}"},
            ]
        }
    else:
        schema = dict(text)
    schema["description"] = help_text
    if example:
        schema["example"] = example
    return schema


def _employer_fields(guides: Guides) -> dict[str, Any]:
    """Nested (``{"salary": {"min": 18}}``) or dotted (``{"salary.min": 18}``) keys."""
    served = list(guides)
    properties: dict[str, Any] = {}
    groups: dict[str, dict[str, Any]] = {g: {} for g in GROUPS}
    for spec in FIELDS:
        help_text = spec.help
        if spec.kind in ("setting", "education"):
            key = "settings" if spec.kind == "setting" else "education"
            slugs = sorted({c["slug"] for s in served for c in s.options[key]})
            help_text += " One of: " + ", ".join(slugs) + " (or an alias or unique prefix)."
        schema = _field_schema(spec.kind, help_text, spec.choices, spec.example)
        properties[spec.key] = schema
        head, _, sub = spec.key.partition(".")
        if sub:
            groups[head][sub] = schema
    for head, members in groups.items():
        properties[head] = {"type": "object", "properties": members, "additionalProperties": False}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _components(guides: Guides) -> dict[str, Any]:
    error = {
        "type": "object",
        "required": ["field", "message", "hint"],
        "properties": {
            "field": {"type": "string", "nullable": True, "description": "dotted field key"},
            "message": {"type": "string"},
            "hint": {"type": "string", "nullable": True},
        },
    }
    errors = {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/Error"}}
        },
    }

    def response(text: str) -> dict[str, Any]:
        return {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
        }

    return {
        "schemas": {
            "EmployerFields": _employer_fields(guides),
            "RenderRequest": {
                "oneOf": [
                    {"$ref": "#/components/schemas/EmployerFields"},
                    {
                        "type": "object",
                        "required": ["fields"],
                        "additionalProperties": False,
                        "properties": {
                            "fields": {"$ref": "#/components/schemas/EmployerFields"},
                            "reference_docx": {"type": "string", "format": "byte"},
                        },
                    },
                ]
            },
            "Error": error,
            "Errors": errors,
        },
        "responses": {
            "BadRequest": response("The request itself is wrong (not JSON, unknown guide)."),
            "TooLarge": response("The body passes the route's size limit."),
            "WrongType": response("The body's Content-Type is not one the route reads."),
            "BadFields": response("Employer fields break a rule; each error names its field."),
        },
    }


def openapi_document(guides: Guides, routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The API's OpenAPI 3 document for a server serving ``guides``."""
    generator = SchemaGenerator(
        {
            "openapi": OPENAPI_VERSION,
            "info": {
                "title": "jobgen",
                "version": __version__,
                "description": "Tailored job postings from a career guide (see docs/serve.md).",
            },
            "components": _components(guides),
        }
    )
    return generator.get_schema(list(routes))
