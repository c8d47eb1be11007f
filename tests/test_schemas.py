"""The JSON Schemas of the employer and guide files: generated from the field and key tables,
committed under schemas/, met by every file jobgen ships, and used by `jobgen guide validate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from jobgen import schemas
from jobgen._yaml import load_yaml_file
from jobgen.cli import cli
from jobgen.employer import FIELDS
from jobgen.errors import GuideError
from jobgen.guide_import import dump_guide_yaml, import_guide_file

ROOT = Path(__file__).resolve().parent.parent
EMPLOYER_FILES = [
    *sorted((ROOT / "examples").glob("*.yaml")),
    ROOT / "tests" / "data" / "full-employer.yaml",
]


@pytest.mark.parametrize("name", sorted(schemas.SCHEMA_FILES))
def test_the_committed_schemas_are_what_the_generator_writes(name):
    """Regenerate with: python -m jobgen.schemas schemas"""
    committed = (ROOT / "schemas" / schemas.SCHEMA_FILES[name]).read_text(encoding="utf-8")
    assert committed == schemas.schema_text(name), "run: python -m jobgen.schemas schemas"


def test_the_generator_command_writes_both_files(tmp_path):
    assert schemas.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(schemas.SCHEMA_FILES.values())
    for path in tmp_path.iterdir():
        assert json.loads(path.read_text(encoding="utf-8"))["$schema"] == schemas.DRAFT


@pytest.mark.parametrize("path", EMPLOYER_FILES, ids=lambda p: p.name)
def test_every_example_employer_file_meets_the_schema(path):
    # read as an editor reads it (numbers are numbers), not jobgen's literal reading
    assert schemas.schema_problems(load_yaml_file(path), schemas.employer_schema()) == []


def test_the_employer_schema_has_every_field_dotted_and_nested():
    properties = schemas.employer_schema()["properties"]
    for spec in FIELDS:
        assert spec.key in properties
        group, dot, name = spec.key.partition(".")
        if dot:
            assert name in properties[group]["anyOf"][0]["properties"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"salary": {"mn": 18}}, "salary.mn: is not a known key"),
        ({"workplace": "moon"}, "workplace: "),
        ({"benefits": [{"a": 1}]}, "benefits[1]: "),
        ({"apply.url": "javascript:alert(1)"}, "apply.url: "),
        ({"salary.min": -1}, "salary.min: "),
        ({"colour": "red"}, "colour: is not a known key"),
    ],
)
def test_the_employer_schema_refuses_what_jobgen_refuses(data, problem):
    found = schemas.schema_problems(data, schemas.employer_schema())
    assert any(p.startswith(problem) for p in found), found


def test_the_builtin_guide_and_imported_guides_meet_the_guide_schema():
    schema = schemas.guide_schema()
    builtin = ROOT / "jobgen" / "guides" / "mental-health-technician.yaml"
    assert schemas.schema_problems(load_yaml_file(builtin), schema) == []
    for text in sorted((ROOT / "tests" / "data").glob("*.txt")):
        data = yaml.safe_load(dump_guide_yaml(import_guide_file(text)))
        assert schemas.schema_problems(data, schema) == [], text.name


def test_the_guide_schema_knows_the_tailoring_layer():
    schema = schemas.guide_schema()
    tailoring = schema["$defs"]["tailoring"]["properties"]
    assert {"people", "summary", "responsibilities", "settings", "education"} <= set(tailoring)
    when = schema["$defs"]["when"]["properties"]
    assert when["workplace"]["anyOf"][0]["enum"] == ["onsite", "hybrid", "remote"]
    bad = {"format": "jobgen-guide/1", "occupation": "X", "sections": [], "tailoring": {
        "settings": {"a": {"summary": [{"when": {"workplace": "moon"}, "text": "x"}]}}}}  # fmt: skip
    found = schemas.schema_problems(bad, schema)
    assert any("tailoring.settings.a.summary" in p for p in found), found


def test_guide_validate_checks_the_guide_against_the_schema(runner, tmp_path, monkeypatch):
    builtin = ROOT / "jobgen" / "guides" / "mental-health-technician.yaml"
    good = runner.invoke(cli, ["guide", "validate", str(builtin)])
    assert good.exit_code == 0, good.output
    stricter = schemas.guide_schema()
    stricter["required"] = [*stricter["required"], "colophon"]
    monkeypatch.setattr(schemas, "guide_schema", lambda: stricter)
    refused = runner.invoke(cli, ["guide", "validate", str(builtin)])
    assert refused.exit_code == 1
    assert "does not match the guide schema" in refused.stderr
    assert "colophon: is required" in refused.stderr
    with pytest.raises(GuideError):
        schemas.check_guide_file(builtin)


def test_init_writes_the_editor_schema_comment_first(runner):
    result = runner.invoke(cli, ["init", "-o", "-", "--no-input"])
    first = result.stdout.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://")
    assert first.endswith("/employer.schema.json")
    path = Path(first.partition("$schema=file://")[2])
    assert json.loads(path.read_text(encoding="utf-8"))["title"] == "jobgen employer file"


SUPPORTED = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "examples", "format",
    "type", "const", "enum", "pattern", "maxLength", "minimum", "maximum", "properties",
    "additionalProperties", "required", "items", "maxItems", "anyOf",
}  # fmt: skip


def _keywords(schema, found):
    if isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, found)
            elif key not in ("enum", "const", "examples", "required"):
                _keywords(value, found)
    elif isinstance(schema, list):
        for sub in schema:
            _keywords(sub, found)
    return found


@pytest.mark.parametrize("name", sorted(schemas.SCHEMAS))
def test_the_schemas_use_only_what_the_checker_implements(name):
    assert _keywords(schemas.SCHEMAS[name](), set()) <= SUPPORTED
