"""Docs kept honest: every command has help text and a place in the README, every example
file renders, and the README's quick start is the two commands it promises."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from jobgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(name, command):
    assert command.help and len(command.help) > 40, f"jobgen {name} needs help text"
    assert f"jobgen {name}" in DOCS, f"neither the README nor docs/ mention `jobgen {name}`"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"jobgen {name} {param.opts[0]} has no help text"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 2 and all(b.count("\n") == 1 for b in blocks)
    run, test = (b.strip() for b in blocks)
    assert "pip install ." in run and "jobgen render" in run
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    install, _, pytest_cmd = test.rpartition(" && ")
    assert install.replace("pip install", "pip install -q") in ci
    assert pytest_cmd in ci


def test_every_example_employer_file_is_rendered_by_the_golden_tests():
    golden = (ROOT / "tests" / "test_examples.py").read_text()
    assert "regen" in golden
    for employer in (ROOT / "examples").glob("*.yaml"):
        assert employer.with_suffix(".md").exists(), employer.name
