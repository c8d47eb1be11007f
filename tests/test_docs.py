"""Docs kept honest: every command has help text and a page in docs/, every link between the
README and docs/ leads somewhere, the README's quick start is the two commands it promises (and
leaves `jobgen` on the PATH), and every row of the README's promises table names its tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from jobgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
PAGE_OF = {"guide": "guides.md"}
"""The docs page of a command, where it is not docs/<command>.md."""


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_a_docs_page(name, command):
    assert command.help and len(command.help) > 40, f"jobgen {name} needs help text"
    top = name.split()[0]
    page = DOCS / PAGE_OF.get(top, f"{top}.md")
    assert page.is_file(), f"jobgen {name} has no docs page ({page.relative_to(ROOT)})"
    assert f"jobgen {name}" in page.read_text(encoding="utf-8"), (
        f"{page.name} lacks `jobgen {name}`"
    )
    assert f"docs/{page.name}" in README, f"the README does not link {page.name}"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"jobgen {name} {param.opts[0]} has no help text"


def test_the_readme_is_short():
    """Issue 18, item 19: reference material lives in docs/, one page per command or topic."""
    assert README.count("\n") < 200
    for heading in ("## Quick start", "## For HR staff", "## For pipelines", "## Promises"):
        assert heading in README


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)  # code, not links
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name
)
def test_every_relative_link_leads_to_a_file(page):
    for link in _links(page):
        if re.match(r"[a-z]+:", link) or link.startswith("#"):
            continue
        target = (page.parent / link.split("#")[0]).resolve()
        assert target.exists(), f"{page.name}: {link} leads nowhere"


def _quick_start() -> tuple[str, str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) >= 2 and all(b.count("\n") == 1 for b in blocks[:2])
    return blocks[0].strip(), blocks[1].strip()


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    run, test = _quick_start()
    assert "pip install ." in run and "jobgen render" in run
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    install, _, pytest_cmd = test.rpartition(" && ")
    assert install.replace("pip install", "pip install -q") in ci
    assert pytest_cmd in ci


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_after_the_first_command_jobgen_is_a_command_and_completes(tmp_path):
    """Issue 18, item 13: the first command, run in a shell as a user would (on a copy of the
    checkout), leaves `jobgen` on the PATH of that shell, and the completion line works."""
    run, _ = _quick_start()
    copy = tmp_path / "jobgen"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "build", "__pycache__"),
    )
    completion = re.search(r"^echo '(.*)' >> ~/.bashrc$", README, re.M)
    assert completion, "the README's bash completion line"
    script = (
        f"set -e\n{run} > posting.md\n"
        "command -v jobgen > where.txt\njobgen --version\n"
        f"{completion.group(1)}\ncomplete -p jobgen > complete.txt\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=copy, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (copy / "where.txt").read_text().strip() == str(copy / ".venv" / "bin" / "jobgen")
    assert "-F _jobgen_completion jobgen" in (copy / "complete.txt").read_text()
    assert (copy / "posting.md").read_text().startswith("# Mental Health Technician")


PROMISE_TESTS: dict[str, list[str]] = {
    "A missing file, a folder": ["TestEmployerFiles::test_missing", "TestEmployerFiles::test_a_folder", "TestOutput::test_permission_denied"],
    "An empty employer file": ["TestEmployerFiles::test_empty", "TestEmployerFiles::test_not_a_mapping"],
    "A binary file": ["TestEmployerFiles::test_binary", "TestEmployerFiles::test_binary_after_the_first_block"],
    "Text that is not UTF-8": ["TestEmployerFiles::test_cp1252_names_the_line_and_how_to_fix_it", "TestEmployerFiles::test_utf8_with_a_bom_is_fine", "TestEmployerFiles::test_windows_line_endings_are_fine"],
    "A file over its": ["TestEmployerFiles::test_too_large_is_refused_before_reading", "TestEmployerFiles::test_endless_device_is_bounded"],
    "YAML syntax errors": ["TestEmployerFiles::test_yaml_syntax_error_names_the_line", "TestEmployerFiles::test_raw_control_character_names_the_line"],
    "A key written twice": ["TestEmployerFiles::test_duplicate_keys_are_an_error_not_last_one_wins", "TestEmployerFiles::test_duplicate_dotted_and_nested_spellings"],
    "YAML 1.1 guesses": ["TestYamlTypeGuesses::test_values_print_as_typed", "TestGuideFiles::test_yaml_guesses_in_a_guide_ask_for_quotes"],
    "Alias bombs": ["TestAliases::test_billion_laughs_is_refused", "TestAliases::test_merge_bomb_stays_small", "TestEmployerFiles::test_deep_nesting_is_an_error", "TestEmployerFiles::test_a_list_as_a_key_is_refused", "TestEmployerFiles::test_python_tags_are_refused"],
    "Unknown keys, columns": ["TestEmployerFiles::test_unknown_keys_suggest_the_right_one", "TestBatch::test_broken_csv_files"],
    "Control characters, lone surrogates": ["TestValues::test_characters_documents_cannot_hold", "TestValues::test_right_to_left_marks_are_allowed_and_kept"],
    "A 5 MB value": ["TestValues::test_five_megabyte_strings_are_refused_by_the_field_limit"],
    "Negative or reversed pay": ["TestValues::test_bad_values_say_what_is_allowed"],
    "Impossible dates": ["TestValues::test_bad_values_say_what_is_allowed"],
    "Links that are not http(s)": ["TestValues::test_links_must_be_http_or_https"],
    "Spreadsheet formulas": ["TestValues::test_formulas_and_markup_in_text_print_literally", "TestBatch::test_formulas_in_a_csv_print_literally_in_every_format"],
    "Names that slugify": ["TestBatch::test_hostile_names_stay_inside_the_folder", "TestBatch::test_names_that_slugify_to_the_same_name_get_numbers", "TestGallery::test_employer_file_names_become_safe_unique_page_names"],
    "Bad batch rows": ["TestBatch::test_bad_rows_are_named_and_write_nothing_while_good_rows_are_written"],
    "Template syntax errors": ["TestTemplates::test_syntax_error_names_file_and_line", "TestTemplates::test_undefined_variable_names_file_line_and_name"],
    "Sandbox escapes": ["TestTemplates::test_sandbox_escapes_are_refused"],
    "Output bombs": ["TestTemplates::test_output_bombs_are_bounded", "TestTemplates::test_literals_count_what_they_hold", "TestTemplates::test_work_on_long_texts_counts_against_the_budget"],
    "A template that calls itself": ["TestTemplates::test_endless_recursion", "TestTemplateFiles::test_empty_output_is_an_error_not_an_empty_file"],
    "A template that prints a lone surrogate": ["TestTemplates::test_output_no_file_can_hold", "TestTemplates::test_control_characters_a_template_prints_reach_no_format"],
    "An existing output file": ["TestOutput::test_existing_file_is_never_replaced_without_force", "TestOutput::test_pipes_and_devices_are_never_replaced_even_with_force"],
    "A missing output folder": ["TestOutput::test_missing_folder"],
    "A read-only folder, a full disk": ["TestRealFilesystem::test_read_only_folder", "TestOutput::test_full_disk_leaves_no_partial_file", "TestRealFilesystem::test_full_disk_on_stdout"],
    "Ctrl-C": ["TestSignals::test_sigint_during_a_write_leaves_nothing", "TestSignals::test_sigint_during_a_forced_replace_keeps_the_old_file"],
    "A reader that stops early": ["TestRealFilesystem::test_closed_pipe_is_not_an_error"],
    "Anything jobgen did not foresee": ["TestRealFilesystem::test_unexpected_errors_are_reported_as_bugs_without_a_traceback"],
}  # fmt: skip
"""Each row of the README's promises table (by the start of its first cell) → the tests in
tests/test_robustness.py that check it."""


def _promise_rows() -> list[str]:
    section = README.split("## Promises", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| .+ \|$", section, re.M)
    return [row for row in rows if row != "Bad input"]


def test_every_promise_names_its_tests_and_they_exist():
    rows = _promise_rows()
    assert len(rows) >= 25
    robustness = (ROOT / "tests" / "test_robustness.py").read_text(encoding="utf-8")
    classes = {m.group(1): m.start() for m in re.finditer(r"^class (\w+)", robustness, re.M)}
    for row in rows:
        keys = [k for k in PROMISE_TESTS if row.startswith(k)]
        assert len(keys) == 1, f"the promise {row!r} names no tests in PROMISE_TESTS"
        for test in PROMISE_TESTS[keys[0]]:
            cls, _, name = test.partition("::")
            start = classes[cls]
            end = min((s for s in classes.values() if s > start), default=len(robustness))
            assert re.search(rf"def {name}\(", robustness[start:end]), f"{row!r}: no {test}"
    assert len(PROMISE_TESTS) == len(rows), "PROMISE_TESTS names a row the README lacks"


def test_every_example_employer_file_is_rendered_by_the_golden_tests():
    golden = (ROOT / "tests" / "test_examples.py").read_text()
    assert "regen" in golden
    for employer in (ROOT / "examples").glob("*.yaml"):
        assert employer.with_suffix(".md").exists(), employer.name


def test_every_dependency_has_a_one_line_reason_in_the_readme():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~\[ ]", d, maxsplit=1)[0] for d in project["dependencies"]]
    section = README.split("## Dependencies", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| ([\w.-]+) \| (.+) \|$", section, re.M))
    rows.pop("Package", None)
    assert {n.lower() for n in rows} == {n.lower() for n in names}
    assert all(len(reason) <= 150 for reason in rows.values()), rows
