"""`jobgen render` with the publishing formats: -f html|jsonld|json, format inference from -o,
errors with exit codes, and the documented shape of -f json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jobgen import load_options
from jobgen.cli import cli
from jobgen.compose import compose
from jobgen.employer import FIELDS

ROOT = Path(__file__).resolve().parent.parent
RIVERSIDE = str(ROOT / "examples" / "riverside-inpatient.yaml")


@pytest.mark.parametrize(
    ("name", "fmt", "start"),
    [
        ("posting.html", "html", b'<!DOCTYPE html>\n<html lang="en">'),
        ("posting.HTM", "html", b"<!DOCTYPE html>"),
        ("posting.jsonld", "jsonld", b'{\n  "@context": "https://schema.org/"'),
        ("posting.json", "json", b'{\n  "jobgen_posting": 1,'),
    ],
)
def test_format_follows_the_output_extension(runner, tmp_path, name, fmt, start):
    out = tmp_path / name
    result = runner.invoke(cli, ["render", "-e", RIVERSIDE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)
    assert f"({fmt}, " in result.stderr
    # the same bytes as -f to stdout
    assert runner.invoke(cli, ["render", "-e", RIVERSIDE, "-f", fmt]).stdout_bytes == (
        out.read_bytes()
    )


def test_explicit_format_wins_over_the_extension(runner, tmp_path):
    out = tmp_path / "posting.txt"
    result = runner.invoke(cli, ["render", "-e", RIVERSIDE, "-f", "JSONLD", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["@type"] == "JobPosting"


def test_jsonld_with_placeholder_employer_exits_1_naming_the_field(runner, tmp_path):
    out = tmp_path / "p.jsonld"
    result = runner.invoke(
        cli, ["render", "-s", "inpatient", "-E", "associate", "-f", "jsonld", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "employer.name: not set" in result.stderr
    assert "hiringOrganization.name" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_on_site_posting_without_location_exits_1_for_jsonld(runner):
    result = runner.invoke(
        cli, ["render", "-s", "in", "-E", "hs", "--set", "employer.name=Acme", "-f", "jsonld"]
    )
    assert result.exit_code == 1
    assert "location.city (or location.region) and location.country are not set" in result.stderr
    assert result.stdout == ""


def test_a_posting_without_a_country_still_becomes_html(runner):
    """Issue 18, item 14: the page is made without JSON-LD, and a warning says what Google
    needs."""
    result = runner.invoke(
        cli,
        ["render", "-s", "in", "-E", "hs", "--set", "employer.name=Acme", "--set",
         "location.city=Denver", "--set", "location.region=CO", "-f", "html"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "<h1>" in result.stdout and "application/ld+json" not in result.stdout
    assert "warning: the page has no JSON-LD" in result.stderr
    assert "location.country is not set" in result.stderr
    assert "--set location.country=US" in result.stderr


def test_remote_posting_from_flags(runner):
    result = runner.invoke(
        cli,
        [
            "render",
            "-s",
            "outpatient",
            "-E",
            "ba",
            "--set",
            "employer.name=Acme",
            "--set",
            "workplace=remote",
            "--set",
            "location.country=US",
            "-f",
            "jsonld",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "US"}


def test_options_lists_the_publishing_formats(runner):
    data = json.loads(runner.invoke(cli, ["options", "--json"]).stdout)
    names = [f["name"] for f in data["formats"]]
    assert {"md", "html", "jsonld", "json"} <= set(names)
    assert "html" in runner.invoke(cli, ["render", "--help"]).stdout


# ----------------------------------------------------------------------------- -f json


def test_json_shape_is_the_documented_one(runner, guide):
    result = runner.invoke(cli, ["render", "-e", RIVERSIDE, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "jobgen_posting",
        "guide",
        "occupation",
        "title",
        "employer",
        "setting",
        "education",
        "header",
        "sections",
        "options",
    ]
    assert data["jobgen_posting"] == 1
    assert data["title"] == "Mental Health Technician, Nights"
    assert data["employer"] == {
        "name": "Riverside Behavioral Health",
        "about": data["employer"]["about"],
        "website": "https://riverside-bh.example",
        "is_placeholder": False,
    }
    assert data["setting"]["slug"] == "inpatient-facilities"
    assert data["education"]["credential"] == "associate degree"
    sections = data["sections"]
    assert list(sections) == [
        "summary",
        "responsibilities",
        "setting_duties",
        "qualifications",
        "skills",
        "environment",
        "schedule",
        "pay",
        "benefits",
        "growth",
        "apply",
        "eeo_statement",
    ]
    assert sections["responsibilities"][0]["name"] == "Assisting with Daily Care"
    assert set(sections["qualifications"]) == {"intro", "required", "preferred", "note"}
    assert sections["pay"] == "$21.50–$28.00 per hour"
    assert sections["apply"] == {
        "url": "https://riverside-bh.example/careers/mht-nights",
        "email": "careers@riverside-bh.example",
    }
    options = load_options(guide, employer_file=RIVERSIDE, environ={})
    assert data["options"] == options.to_dict()
    assert list(data["options"]) == [f.key for f in FIELDS]
    posting = compose(guide, options)
    assert sections["qualifications"]["required"] == list(posting.required)


def test_json_works_for_a_placeholder_employer(runner):
    result = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["employer"]["is_placeholder"] is True
    assert data["options"]["employer.name"] == "[Employer name]"
