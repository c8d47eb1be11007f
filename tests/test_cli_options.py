"""The shared command-line options, their help and completion, and small CLI promises
(issue 18, items 17 and 18)."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete
from test_init_preview import _read_until

from jobgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def completions(args: list[str], incomplete: str) -> list[str]:
    """What the shell would be offered for ``jobgen ARGS INCOMPLETE<Tab>``."""
    complete = ShellComplete(cli, {}, "jobgen", "_JOBGEN_COMPLETE")
    return [item.value for item in complete.get_completions(args, incomplete)]


def test_bare_jobgen_prints_help_and_succeeds(runner):
    result = runner.invoke(cli, [])
    assert result.exit_code == 0
    assert "Usage: jobgen" in result.stdout and "Commands:" in result.stdout


def test_jobs_shows_a_readable_metavar_and_checks_its_range(runner):
    help_text = runner.invoke(cli, ["batch", "--help"]).stdout
    assert "-j, --jobs N" in help_text and "x>=1" not in help_text
    bad = runner.invoke(cli, ["batch", "rows.csv", "-d", "out", "-j", "0"])
    assert bad.exit_code == 2 and "give 1 or more" in bad.stderr


def test_text_options_shows_each_fields_environment_variable(runner):
    result = runner.invoke(cli, ["options"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("salary.min "))
    assert "JOBGEN_SALARY_MIN" in line


def test_completion_of_settings_education_levels_formats_and_set_keys():
    assert "inpatient-facilities" in completions(["render", "--setting"], "inp")
    assert all(w.startswith("inp") for w in completions(["render", "--setting"], "inp"))
    assert "associates-degree" in completions(["render", "-E"], "assoc")
    assert completions(["render", "-f"], "do") == ["docx"]
    assert "md,docx" in completions(["batch", "rows.csv", "-f"], "md,do")
    assert "salary.min=" in completions(["render", "--set"], "salary.m")
    assert completions(["render", "--set"], "workplace=re") == ["workplace=remote"]
    assert "setting=inpatient-facilities" in completions(["batch", "x.csv", "--set"], "setting=inp")


def test_a_file_given_as_an_argument_to_render_suggests_dash_e(runner):
    result = runner.invoke(cli, ["render", "employer.yaml"])
    assert result.exit_code == 2
    assert "hint: an employer file is given with -e: jobgen render -e employer.yaml" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["-s", "inpatient", "-e", "associate"], "is an education level"),
        (["-E", "hs", "-e", "inpatient"], "is a setting"),
    ],
)
def test_an_employer_file_that_is_a_choice_suggests_the_right_flag(
    runner, tmp_path, monkeypatch, args, hint
):
    """`-e associate` meant as `-E associate`: say so instead of only "no such employer file"."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["render", *args])
    assert result.exit_code == 1
    assert "no such employer file" in result.stderr and hint in result.stderr
    flag = "-E" if "education" in hint else "-s"
    assert f"did you mean {flag} {args[-1]}?" in result.stderr


def test_shared_options_are_declared_once():
    """--guide, --set, --template, ... read the same in every command that has them."""
    helps: dict[str, set[str]] = {}
    for command in cli.commands.values():  # type: ignore[attr-defined]
        commands = command.commands.values() if isinstance(command, click.Group) else [command]
        for each in commands:
            for param in each.params:
                if isinstance(param, click.Option) and param.name in (
                    "guide",
                    "assignments",
                    "template",
                    "reference_docx",
                    "force",
                    "as_json",
                ):
                    helps.setdefault(param.name, set()).add(param.help or "")
    assert helps and all(len(texts) == 1 for texts in helps.values()), helps


def test_ctrl_c_in_init_exits_130_and_writes_nothing(tmp_path):
    out = tmp_path / "employer.yaml"
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobgen", "init", "-o", str(out)],
        stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen: list[str] = []
    try:
        _read_until(master, "Employer name", seen)
        for _ in range(40):  # what Ctrl-C sends; again if it came before the read began
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                continue
        assert proc.wait(timeout=1) == 130
        text = _read_until(master, "no file was written", seen)
        assert "Aborted!" not in text
    finally:
        proc.kill()
        os.close(master)
    assert not out.exists()


def test_mistaken_options_are_explained_and_joined_short_options_work(runner):
    """Click's own parser, unpatched, still suggests long options and reads -sVALUE."""
    wrong = runner.invoke(cli, ["render", "--employr", "x.yaml"])
    assert wrong.exit_code == 2
    assert "No such option '--employr'" in wrong.output and "--employer" in wrong.output
    short = runner.invoke(cli, ["render", "-x"])
    assert short.exit_code == 2 and "No such option '-x'" in short.output
    joined = runner.invoke(cli, ["render", "-sinpatient", "-Eassociate"])
    assert joined.exit_code == 0, joined.output
    assert joined.output.startswith("# ")
