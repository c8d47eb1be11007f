"""The command line: exit codes, messages, stdout and files."""

from __future__ import annotations

import json

import pytest

from jobgen.cli import cli


def test_render_to_stdout_works_without_any_file(runner):
    result = runner.invoke(cli, ["render", "--setting", "inpatient", "--education", "associate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Mental Health Technician\n")
    assert "24 hours a day" in result.stdout
    assert "[Employer name]" in result.stdout.replace("\\", "")


def test_misspelt_setting_exits_2_and_names_the_choices(runner):
    result = runner.invoke(cli, ["render", "--setting", "inpatent", "--education", "associate"])
    assert result.exit_code == 2
    assert "Usage: jobgen render" in result.stderr
    assert "unknown setting 'inpatent'" in result.stderr
    assert "Did you mean 'inpatient-facilities'" in result.stderr
    assert "outpatient-clinics" in result.stderr


def test_missing_setting_is_a_usage_error(runner):
    result = runner.invoke(cli, ["render", "--education", "associate"])
    assert result.exit_code == 2
    assert "no setting given" in result.stderr and "inpatient-facilities" in result.stderr


def test_bad_data_in_a_file_exits_1_with_file_and_line(runner, tmp_path):
    f = tmp_path / "e.yaml"
    f.write_text("setting: inpatient\neducation: hs\nsalary:\n  min: lots\n  period: hour\n")
    result = runner.invoke(cli, ["render", "-e", str(f)])
    assert result.exit_code == 1
    assert f"{f}:4: salary.min: 'lots' is not a number" in result.stderr
    assert "Traceback" not in result.output


def test_output_file_is_written_and_never_silently_overwritten(runner, tmp_path):
    out = tmp_path / "posting.md"
    args = ["render", "-s", "outpatient", "-E", "ba", "-o", str(out)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0 and out.read_text().startswith("# Mental Health Technician")
    out.write_text("my edits")
    second = runner.invoke(cli, args)
    assert second.exit_code == 1
    assert "already exists" in second.stderr and "--force" in second.stderr
    assert out.read_text() == "my edits"
    third = runner.invoke(cli, [*args, "--force"])
    assert third.exit_code == 0 and out.read_text().startswith("# Mental Health")
    assert [p.name for p in tmp_path.iterdir()] == ["posting.md"]  # no temporary files left


def test_missing_output_folder(runner, tmp_path):
    result = runner.invoke(
        cli, ["render", "-s", "in", "-E", "hs", "-o", str(tmp_path / "no" / "x.md")]
    )
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_precedence_env_set_and_flags(runner, tmp_path):
    f = tmp_path / "e.yaml"
    f.write_text("setting: outpatient\neducation: hs\nemployer: {name: File Co}\n")
    result = runner.invoke(
        cli,
        ["render", "-e", str(f), "--set", "employer.name=Set Co", "--setting", "sud"],
        env={"JOBGEN_EMPLOYER_NAME": "Env Co", "JOBGEN_LOCATION_CITY": "Akron"},
    )
    assert result.exit_code == 0, result.output
    assert "**Set Co · Akron · Full-time**" in result.stdout
    assert "addiction" in result.stdout


def test_bad_set_syntax_and_unknown_field(runner):
    r1 = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "--set", "salary.min"])
    assert r1.exit_code == 2 and "expected KEY=VALUE" in r1.stderr
    r2 = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "--set", "salary.mni=3"])
    assert r2.exit_code == 2 and "Did you mean 'salary.min'" in r2.stderr


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "-f", "pdf"])
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.stderr


def test_identical_input_gives_identical_bytes(runner):
    args = ["render", "-s", "community", "-E", "training"]
    assert runner.invoke(cli, args).stdout_bytes == runner.invoke(cli, args).stdout_bytes


def test_options_json_lists_settings_education_formats_and_fields(runner):
    result = runner.invoke(cli, ["options", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [s["slug"] for s in data["settings"]] == [
        "inpatient-facilities",
        "outpatient-clinics",
        "community-mental-health-centers",
        "substance-abuse-treatment-facilities",
    ]
    assert data["settings"][0] == {
        "slug": "inpatient-facilities",
        "name": "Inpatient Facilities",
        "aliases": ["inpatient", "hospital", "residential"],
    }
    assert len(data["education"]) == 4 and "aliases" in data["education"][0]
    assert "md" in [f["name"] for f in data["formats"]]
    keys = [f["key"] for f in data["fields"]]
    assert "salary.min" in keys and "apply.email" in keys
    assert next(f for f in data["fields"] if f["key"] == "salary.min")["env"] == "JOBGEN_SALARY_MIN"


def test_options_text(runner):
    result = runner.invoke(cli, ["options"])
    assert result.exit_code == 0
    assert "inpatient-facilities" in result.stdout and "salary.period" in result.stdout


@pytest.mark.parametrize("command", ["render", "options"])
def test_every_command_has_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and len(result.stdout) > 200


def test_python_dash_m(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "jobgen", "render", "-s", "in", "-E", "hs"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0 and done.stdout.startswith("# Mental Health Technician")


def test_output_extension_chooses_the_format_or_says_it_cannot(runner, tmp_path):
    result = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "-o", str(tmp_path / "p.xyz")])
    assert result.exit_code == 2
    assert "cannot tell the format from the extension '.xyz'" in result.stderr
    assert not (tmp_path / "p.xyz").exists()
    result = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "-o", str(tmp_path / "p")])
    assert result.exit_code == 0 and (tmp_path / "p").read_text().startswith("# ")


def test_shell_completion_script(runner):
    result = runner.invoke(cli, [], prog_name="jobgen", env={"_JOBGEN_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert "_jobgen_completion" in result.stdout
