"""`jobgen guide import|validate|show`, and other guides through --guide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobgen.cli import cli
from jobgen.guide_import import dump_guide_yaml, import_guide_file

PHARMACY = Path(__file__).parent / "data" / "pharmacy-technician.txt"


def test_import_prints_the_guide_file(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guide", "import", str(PHARMACY)])
    assert result.exit_code == 0, result.output
    assert result.stdout == dump_guide_yaml(import_guide_file(PHARMACY))
    assert result.stderr == ""


def test_import_reads_stdin(runner: CliRunner) -> None:
    text = PHARMACY.read_text(encoding="utf-8").replace("\n", "\r\n")
    result = runner.invoke(cli, ["guide", "import", "-"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stdout == dump_guide_yaml(import_guide_file(PHARMACY))


def test_import_writes_a_file_once_and_it_renders(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "pharmacy.yaml"
    first = runner.invoke(cli, ["guide", "import", str(PHARMACY), "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert f"wrote {out}: the Pharmacy Technician guide" in first.stderr
    assert "other             Salary and Job Outlook (2 paragraphs)" in first.stderr
    written = out.read_text(encoding="utf-8")
    assert written == dump_guide_yaml(import_guide_file(PHARMACY))

    out.write_text("my edits", encoding="utf-8")
    second = runner.invoke(cli, ["guide", "import", str(PHARMACY), "-o", str(out)])
    assert second.exit_code == 1
    assert "already exists" in second.stderr and "--force" in second.stderr
    assert out.read_text(encoding="utf-8") == "my edits"
    third = runner.invoke(cli, ["guide", "import", str(PHARMACY), "-o", str(out), "--force"])
    assert third.exit_code == 0 and out.read_text(encoding="utf-8") == written
    assert [p.name for p in tmp_path.iterdir()] == ["pharmacy.yaml"]

    render = runner.invoke(
        cli, ["render", "--guide", str(out), "--setting", "hosp", "--education", "assoc"]
    )
    assert render.exit_code == 0, render.output
    assert render.stdout.startswith("# Pharmacy Technician\n")
    assert "## Work environment\n\nYou prepare medications for patients on the wards" in (
        render.stdout
    )


def test_import_of_a_text_that_is_not_a_guide(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping List\n\nApples and pears.\nBread, please.\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = runner.invoke(cli, ["guide", "import", str(notes), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{notes}:4: expected a section about responsibilities" in result.stderr
    assert "parsing stopped at line 4" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_import_of_a_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["guide", "import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.txt'}: no such guide text" in result.stderr


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "jobgen/guides/mental-health-technician.yaml",
            "the Mental Health Technician guide, 6 sections, 4 settings, 4 education levels; "
            "tailoring for 4 of 4 settings and 4 of 4 education levels",
        ),
        (
            str(PHARMACY),
            "the Pharmacy Technician guide, 7 sections, 3 settings, 3 education levels; "
            "tailoring for 3 of 3 settings and 3 of 3 education levels",
        ),
    ],
)
def test_validate_a_good_guide(runner: CliRunner, target: str, expected: str) -> None:
    root = Path(__file__).resolve().parent.parent
    path = target if Path(target).is_absolute() else str(root / target)
    result = runner.invoke(cli, ["guide", "validate", path])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{path}: ok: {expected}")


def test_validate_a_broken_guide_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = dump_guide_yaml(import_guide_file(PHARMACY)).replace("kind: settings", "kind: places")
    broken.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["guide", "validate", str(broken)])
    assert result.exit_code == 1
    line = text.splitlines().index("- kind: places") + 1
    assert f"{broken}:{line}: sections[3].kind 'places' is not one of" in result.stderr


def test_show_the_builtin_guide_by_default(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guide", "show"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Mental Health Technician Job Description  [mental-health-technician]\n"
    )
    assert "  responsibilities  Role and Responsibilities (5 items)\n" in result.stdout
    assert "  steps             Step-by-Step Guide to Becoming" in result.stdout
    assert "  notes: 1, FAQ entries: 5, conclusion: yes\n" in result.stdout
    assert "inpatient-facilities" in result.stdout and "also: inpatient, hospital" in result.stdout
    assert "untailored" not in result.stdout
    by_name = runner.invoke(cli, ["guide", "show", "mental-health"])
    assert by_name.stdout == result.stdout


def test_show_an_imported_guide_as_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guide", "show", str(PHARMACY), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["occupation"] == "Pharmacy Technician"
    assert [s["kind"] for s in info["sections"]] == [
        "responsibilities",
        "skills",
        "settings",
        "other",
        "growth",
        "education",
        "steps",
    ]
    assert info["sections"][0]["items"] == 6
    assert info["sections"][3] == {
        "kind": "other",
        "heading": "Salary and Job Outlook",
        "items": 0,
        "paragraphs": 2,
    }
    assert [c["slug"] for c in info["education"]][1] == "pharmacy-technician-certificate-program"
    assert info["tailoring"] == {  # the importer's draft layer
        "settings": [
            "hospital-pharmacies",
            "mail-order-and-specialty-pharmacies",
            "retail-pharmacies",
        ],
        "education": [
            "associate-degree-in-pharmacy-technology",
            "high-school-diploma-with-on-the-job-training",
            "pharmacy-technician-certificate-program",
        ],
    }
    text = runner.invoke(cli, ["guide", "show", str(PHARMACY)]).stdout
    assert "hospital-pharmacies" in text and "untailored" not in text


def test_show_an_unknown_guide_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guide", "show", "astronaut"])
    assert result.exit_code == 2
    assert "no built-in guide or guide file named 'astronaut'" in result.stderr


def test_options_lists_an_imported_guides_choices(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["options", "--guide", str(PHARMACY), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["guide"] == {"slug": "pharmacy-technician", "occupation": "Pharmacy Technician"}
    assert [s["slug"] for s in data["settings"]] == [
        "retail-pharmacies",
        "hospital-pharmacies",
        "mail-order-and-specialty-pharmacies",
    ]
    assert len(data["education"]) == 3
    text = runner.invoke(cli, ["options", "--guide", str(PHARMACY)]).stdout
    assert "Guide: Pharmacy Technician (pharmacy-technician)" in text
    assert "mail-order-and-specialty-pharmacies" in text


@pytest.mark.parametrize("command", ["import", "validate", "show"])
def test_guide_commands_have_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, ["guide", command, "--help"])
    assert result.exit_code == 0 and len(result.stdout) > 200
    assert "guide" in runner.invoke(cli, ["--help"]).stdout
