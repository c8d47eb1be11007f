"""`jobgen lint` and `render --lint` through Click's runner: exit codes, --strict, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jobgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    [*(ROOT / "examples").glob("*.md"), *(ROOT / "examples" / "imported").glob("*.md")]
)
TODAY = ["--today", "2026-11-28"]

UNPAID_COLORADO = """# Mental Health Technician

**Riverside Behavioral Health · Denver, CO · Full-time**

Riverside Behavioral Health is hiring a mental health technician for its adult unit.
"""

MASCULINE = "# Lead\n\nAn aggressive, ambitious, competitive, decisive, fearless leader.\n"


def write(tmp_path: Path, text: str, name: str = "posting.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_colorado_posting_without_pay_range_fails_strict(runner, tmp_path):
    path = write(tmp_path, UNPAID_COLORADO)
    loose = runner.invoke(cli, ["lint", str(path), *TODAY])
    assert loose.exit_code == 0
    assert f"{path}:3: error: Colorado requires a pay range" in loose.stdout
    assert "[pay-transparency]" in loose.stdout
    strict = runner.invoke(cli, ["lint", str(path), "--strict", *TODAY])
    assert strict.exit_code == 1
    assert "1 error" in strict.stdout


def test_warnings_alone_pass_strict(runner, tmp_path):
    path = write(tmp_path, MASCULINE)
    result = runner.invoke(cli, ["lint", str(path), "--strict", *TODAY])
    assert result.exit_code == 0, result.output
    assert "warning: strongly masculine-coded wording" in result.stdout


def test_json_shape(runner, tmp_path):
    path = write(tmp_path, MASCULINE)
    result = runner.invoke(cli, ["lint", str(path), "--json", *TODAY])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["findings", "gender_coding", "readability", "word_count"]
    assert data["gender_coding"]["verdict"] == "strongly masculine-coded"
    # "Lead" is the heading, and headings are not counted
    assert data["gender_coding"]["masculine"] == [
        "aggressive", "ambitious", "competitive", "decisive", "fearless", "leader",
    ]  # fmt: skip
    assert data["word_count"] == 8
    rules = {f["rule"]: f for f in data["findings"]}
    assert rules["length"] == {
        "rule": "length",
        "severity": "warning",
        "message": rules["length"]["message"],
        "line": None,
    }
    assert rules["gender-coded"]["line"] == 3
    # seven words of prose are too few to score, and the report says so
    assert data["readability"] is None
    assert rules["readability"]["severity"] == "info"
    assert "no readability scores" in rules["readability"]["message"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_postings_pass_strict(runner, path):
    result = runner.invoke(cli, ["lint", str(path), "--strict", *TODAY])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.stdout


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_example_employers_pass_strict_when_rendered(runner, path):
    result = runner.invoke(cli, ["lint", "-e", str(path), "--strict", "--json", *TODAY])
    assert result.exit_code == 0, result.output
    assert not [f for f in json.loads(result.stdout)["findings"] if f["severity"] != "info"]


def test_there_are_example_postings():
    assert len(EXAMPLES) >= 3


def test_render_options_lint_what_render_would_produce(runner):
    args = ["lint", "-s", "inpatient", "-E", "associate", "--set", "employer.name=Riverside",
            "--set", "location.region=colorado", "--set", "location.city=Denver",
            "--set", "location.country=US", *TODAY]  # fmt: skip
    unpaid = runner.invoke(cli, [*args, "--strict"])
    assert unpaid.exit_code == 1
    assert "<posting>: error: Colorado requires a pay range" in unpaid.stdout
    assert "set salary.min and salary.max" in unpaid.stdout
    paid = runner.invoke(
        cli, [*args, "--strict", "--set", "salary.min=20", "--set", "salary.max=26",
              "--set", "salary.period=hour"],
    )  # fmt: skip
    assert paid.exit_code == 0, paid.output
    assert "0 errors" in paid.stdout


def test_region_and_date_options_for_a_file(runner, tmp_path):
    path = write(tmp_path, UNPAID_COLORADO.replace("Denver, CO", "Boston"))
    assert runner.invoke(cli, ["lint", str(path), "--strict", *TODAY]).exit_code == 0
    ma = ["lint", str(path), "--strict", "--region", "Massachusetts", *TODAY]
    assert runner.invoke(cli, ma).exit_code == 1
    before = runner.invoke(cli, [*ma, "--date", "2025-10-28"])
    assert before.exit_code == 0, before.output
    assert runner.invoke(cli, [*ma, "--date", "2025-10-29"]).exit_code == 1


def test_stdin(runner):
    result = runner.invoke(cli, ["lint", "-", "--strict", *TODAY], input=UNPAID_COLORADO)
    assert result.exit_code == 1
    assert "<stdin>:3: error: Colorado" in result.stdout


def test_disable_and_enable(runner, tmp_path):
    path = write(tmp_path, UNPAID_COLORADO)
    off = runner.invoke(cli, ["lint", str(path), "--strict", "--disable", "pay-transparency",
                              *TODAY])  # fmt: skip
    assert off.exit_code == 0 and "pay-transparency" not in off.stdout
    texas = write(tmp_path, UNPAID_COLORADO.replace("Denver, CO", "Austin, TX"), "tx.md")
    on = runner.invoke(cli, ["lint", str(texas), "--enable", "pay-range", "--json", *TODAY])
    assert "pay-range" in [f["rule"] for f in json.loads(on.stdout)["findings"]]


def test_max_grade(runner, tmp_path):
    hard = (
        "Qualified technicians document multidimensional behavioral observations systematically "
        "and communicate interdisciplinary recommendations."
    )
    path = write(tmp_path, f"# X\n\n{hard}\n")
    default = runner.invoke(cli, ["lint", str(path), *TODAY])
    assert "warning: Flesch–Kincaid grade" in default.stdout
    lenient = runner.invoke(cli, ["lint", str(path), "--max-grade", "40", *TODAY])
    assert "warning: Flesch–Kincaid grade" not in lenient.stdout
    assert "(limit 40)" in lenient.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--disable", "gender"], "Did you mean 'gender-coded'?"),
        (["-s", "inpatient"], "not both"),
        (["--today", "28/11/2026"], "28/11/2026"),
    ],
)
def test_usage_errors_exit_2(runner, tmp_path, args, message):
    path = write(tmp_path, MASCULINE)
    result = runner.invoke(cli, ["lint", str(path), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_region_without_file_is_a_usage_error(runner):
    result = runner.invoke(cli, ["lint", "-s", "inpatient", "-E", "associate", "--region", "CO"])
    assert result.exit_code == 2 and "--set location.region" in result.stderr


def test_missing_and_binary_files_exit_1(runner, tmp_path):
    missing = runner.invoke(cli, ["lint", str(tmp_path / "nope.md")])
    assert missing.exit_code == 1 and "no such posting" in missing.stderr
    binary = tmp_path / "p.docx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    result = runner.invoke(cli, ["lint", str(binary)])
    assert result.exit_code == 1 and "binary file" in result.stderr
    assert "Traceback" not in result.output


def test_list_rules(runner):
    result = runner.invoke(cli, ["lint", "--list-rules"])
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert ids == ["gender-coded", "pay-transparency", "pay-range", "readability",
                   "completeness-required", "expired", "length", "too-many-requirements",
                   "placeholder", "experience-contradiction", "schedule-contradiction",
                   "repeated-sentence", "person-first", "jargon"]  # fmt: skip


def test_render_lint_prints_findings_to_stderr_and_never_fails(runner, tmp_path):
    args = ["render", "-s", "inpatient", "-E", "associate", "--set", "location.region=CO",
            "--lint"]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert result.stdout.startswith("# Mental Health Technician")
    assert "error: Colorado requires a pay range" in result.stderr
    assert "error" not in result.stdout
    out = tmp_path / "p.md"
    written = runner.invoke(cli, [*args, "-o", str(out)])
    assert written.exit_code == 0
    assert f"{out}: error: Colorado" in written.stderr


def test_render_without_lint_prints_no_findings(runner):
    result = runner.invoke(cli, ["render", "-s", "inpatient", "-E", "associate"])
    assert result.exit_code == 0 and "words:" not in result.stderr


def test_degenerate_text_says_it_is_not_scored(runner):
    """Issue 18: `word. word. …` once reported Flesch–Kincaid grade 584,996."""
    result = runner.invoke(cli, ["lint", "-", *TODAY], input="word. " * 20000)
    assert result.exit_code == 0
    assert "info: no readability scores: its 20,000 sentences average 1.0 words" in result.stdout
    assert "Flesch–Kincaid grade" not in result.stdout
