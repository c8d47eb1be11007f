"""Hostile or broken input gets a clear error: never a traceback, a partial file or an
overwritten one.

Each test is one class of bad input from the README's "Your files are safe" table, run through
the command line (or, for signals, full disks and read-only folders, a real subprocess). Every
failure must exit 1 (bad work) or 2 (bad usage), name where the problem is and what is allowed,
and leave the output folder as it was.
"""

from __future__ import annotations

import ctypes
import errno
import io
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from jobgen._yaml import MAX_ALIASES, MAX_INPUT_BYTES, MAX_TEMPLATE_BYTES, parse_yaml
from jobgen.cli import cli
from jobgen.employer import MAX_TEXT
from jobgen.errors import ValidationError
from jobgen.render import FORMATS
from jobgen.render.docx.reference import MAX_REFERENCE_BYTES
from jobgen.render.markdown import MAX_OUTPUT, MAX_STEPS

ROOT = Path(__file__).resolve().parent.parent
BASE = ["render", "-s", "inpatient", "-E", "associate"]
GOOD = "setting: inpatient\neducation: associate\n"


def failed(result: Result, code: int, *parts: str) -> str:
    """Assert a clean failure: the exit code, every part in stderr, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.stderr, (part, result.stderr)
    return result.stderr


def succeeded(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def render_to(runner: CliRunner, tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    """Render into tmp_path/out/posting.md; return (result, the out folder)."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = runner.invoke(cli, [*args, "-o", str(out / "posting.md")], env=env)
    return result, out


def employer(tmp_path: Path, text: str | bytes, name: str = "employer.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (and no time) to make."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# ------------------------------------------------------------------------------------ files


class TestEmployerFiles:
    def test_missing(self, runner, tmp_path):
        f = tmp_path / "nope.yaml"
        result, out = render_to(runner, tmp_path, "render", "-e", str(f))
        failed(result, 1, f"{f}: no such employer file")
        assert list(out.iterdir()) == []

    @pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
    def test_empty(self, runner, tmp_path, text):
        f = employer(tmp_path, text)
        result, out = render_to(runner, tmp_path, "render", "-e", str(f))
        failed(result, 1, f"{f}: the employer file is empty", "jobgen init")
        assert list(out.iterdir()) == []

    def test_a_folder(self, runner, tmp_path):
        result = runner.invoke(cli, ["render", "-e", str(tmp_path)])
        failed(result, 1, f"{tmp_path}: is a folder, not an employer file")

    def test_binary(self, runner, tmp_path):
        f = employer(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.yaml")
        result, out = render_to(runner, tmp_path, "render", "-e", str(f))
        failed(
            result, 1, f"{f}: looks like a binary file (it holds NUL bytes), not an employer file"
        )
        assert list(out.iterdir()) == []

    def test_binary_after_the_first_block(self, runner, tmp_path):
        f = employer(tmp_path, GOOD.encode() + b"#" * 9000 + b"\x00")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, "looks like a binary file")

    def test_cp1252_names_the_line_and_how_to_fix_it(self, runner, tmp_path):
        f = employer(tmp_path, (GOOD + "employer:\n  name: Café Crème\n").encode("cp1252"))
        result, out = render_to(runner, tmp_path, "render", "-e", str(f))
        failed(result, 1, f"{f}: is not UTF-8 text (byte 0xe9 on line 4)", "CSV UTF-8")
        assert list(out.iterdir()) == []

    def test_utf8_with_a_bom_is_fine(self, runner, tmp_path):
        f = employer(tmp_path, b"\xef\xbb\xbf" + (GOOD + "employer: {name: Café}\n").encode())
        assert "Café" in succeeded(runner.invoke(cli, ["render", "-e", str(f)]))

    def test_windows_line_endings_are_fine(self, runner, tmp_path):
        f = employer(tmp_path, (GOOD + "employer:\n  name: Acme\n").replace("\n", "\r\n").encode())
        assert "Acme" in succeeded(runner.invoke(cli, ["render", "-e", str(f)]))

    def test_too_large_is_refused_before_reading(self, runner, tmp_path):
        f = sparse(tmp_path / "huge.yaml", MAX_INPUT_BYTES + 1)
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}: is {MAX_INPUT_BYTES + 1:,} bytes; jobgen reads an employer file of up to "
            f"{MAX_INPUT_BYTES:,} bytes",
        )

    def test_endless_device_is_bounded(self, runner):
        if not Path("/dev/zero").exists():
            pytest.skip("this system has no /dev/zero")
        failed(
            runner.invoke(cli, ["render", "-e", "/dev/zero"]),
            1,
            f"/dev/zero: is larger than {MAX_INPUT_BYTES:,} bytes",
        )

    @pytest.mark.parametrize(
        ("text", "kind"),
        [("- a\n- b\n", "a list"), ("just words\n", "a single value"), ("42\n", "a single value")],
    )
    def test_not_a_mapping(self, runner, tmp_path, text, kind):
        f = employer(tmp_path, text)
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}: the employer file holds {kind}; it must be a mapping of fields",
        )

    def test_duplicate_keys_are_an_error_not_last_one_wins(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "employer:\n  name: First\n  name: Second\n")
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:5: duplicate key 'name' (first on line 4); each key may appear once",
        )

    def test_duplicate_dotted_and_nested_spellings(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "employer.name: A\nemployer.name: B\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:4: duplicate key")

    def test_yaml_syntax_error_names_the_line(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "employer:\n  name: [unclosed\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:")

    def test_raw_control_character_names_the_line(self, runner, tmp_path):
        f = employer(tmp_path, GOOD.encode() + b"employer:\n  name: A\x07B\n")
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:4: contains the character U+0007",
            "double quotes",
        )

    def test_unknown_keys_suggest_the_right_one(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "employer:\n  nmae: Acme\n")
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:4: unknown field 'employer.nmae'. Did you mean 'employer.name'?",
            "Fields: employer.name,",
        )
        f = employer(tmp_path, GOOD + "salry:\n  min: 18\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:3: unknown field 'salry'.")

    def test_a_very_long_unknown_key_is_shortened_in_the_message(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "? " + "k" * 100_000 + "\n: 1\n")
        err = failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:3: unknown field")
        assert len(err) < 2_000

    def test_a_list_as_a_key_is_refused(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "? [a, b]\n: 1\n")
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:3: a key must be plain text, not a list or mapping",
        )

    def test_deep_nesting_is_an_error(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "benefits: " + "[" * 5000 + "]" * 5000 + "\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}: is nested too deeply")

    def test_python_tags_are_refused(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "title: !!python/object/apply:os.system ['echo hi']\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:3:")


class TestYamlTypeGuesses:
    """YAML 1.1 reads ``NO`` as false, ``012345`` as octal, ``on`` as true and ``2024-05-01`` as
    a date. Employer files are read literally: each value prints as it was typed."""

    def test_values_print_as_typed(self, runner, tmp_path):
        f = employer(
            tmp_path,
            GOOD
            + textwrap.dedent(
                """\
                employer:
                  name: NO
                location:
                  city: On
                  region: Yes
                  postal_code: 012345
                employer.about: 2024-05-01
                schedule: 0x1F
                title: 1e3
                """
            ),
        )
        md = succeeded(runner.invoke(cli, ["render", "-e", str(f)])).replace("\\", "")
        assert md.startswith("# 1e3\n")
        assert "**NO · On, Yes · Full-time · 0x1F**" in md
        assert "NO in On, Yes, is hiring a full-time 1e3." in md
        assert "2024-05-01" in md

    def test_the_json_view_keeps_the_literal_text(self, tmp_path):
        from jobgen import load_guide, load_options

        f = employer(tmp_path, GOOD + "location: {postal_code: 012345}\nrequisition_id: NO\n")
        options = load_options(load_guide(), employer_file=f, environ={})
        assert options.location.postal_code == "012345"
        assert options.requisition_id == "NO"

    def test_a_date_where_text_is_expected_stays_text(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "employer: {name: 2024-05-01}\n")
        assert "2024-05-01" in succeeded(runner.invoke(cli, ["render", "-e", str(f)]))

    def test_a_number_where_a_list_is_expected(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "benefits: {dental: yes}\n")
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:3: benefits: must be a list",
        )

    def test_a_mapping_where_text_is_expected(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "title: {a: 1}\n")
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:3: title: must be text, not a mapping",
            "quotes",
        )


class TestAliases:
    @staticmethod
    def laughs(levels: int) -> str:
        lines = ["benefits:", '  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, levels):
            refs = ",".join(f"*a{i - 1}" for _ in range(9))
            lines.append(f"  - &a{i} [{refs}]")
        return GOOD + "\n".join(lines) + "\n"

    def test_billion_laughs_is_refused(self, runner, tmp_path):
        f = employer(tmp_path, self.laughs(13))  # 108 aliases
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:16: more than {MAX_ALIASES} alias references (*name)",
        )

    def test_fewer_aliases_are_never_expanded(self, runner, tmp_path):
        # 9**9 strings if expanded; jobgen refuses the nested lists without walking them
        f = employer(tmp_path, self.laughs(10))
        failed(
            runner.invoke(cli, ["render", "-e", str(f)]),
            1,
            f"{f}:3: benefits[1]: must be text, not a list",
        )

    def test_merge_bomb_stays_small(self):
        # 9 levels of 10 merges: PyYAML's own merge would build 10**9 entries
        lines = ["- &m0 {k: v}"]
        for i in range(1, 10):
            refs = ", ".join(f"*m{i - 1}" for _ in range(10))
            lines.append(f"- &m{i} {{<<: [{refs}]}}")
        data = parse_yaml("\n".join(lines) + "\n", "bomb.yaml", literal=True)
        assert data[-1] == {"k": "v"}

    def test_merge_keys_may_be_overridden(self, runner, tmp_path):
        f = employer(
            tmp_path,
            GOOD + "employer:\n  <<: {name: Base Co, about: Shared text.}\n  name: Riverside\n",
        )
        md = succeeded(runner.invoke(cli, ["render", "-e", str(f)]))
        assert "**Riverside · Full-time**" in md and "Shared text." in md

    def test_a_few_aliases_are_fine(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "employer:\n  name: &n Riverside\nrequisition_id: *n\n")
        assert "Riverside" in succeeded(runner.invoke(cli, ["render", "-e", str(f)]))


class TestGuideFiles:
    """``--guide FILE`` gets the employer file's treatment: size, binary, encoding, text."""

    def test_missing(self, runner, tmp_path):
        f = tmp_path / "nope.yaml"
        failed(runner.invoke(cli, [*BASE, "--guide", str(f)]), 1, f"{f}: no such guide file")

    def test_a_folder(self, runner, tmp_path):
        failed(
            runner.invoke(cli, [*BASE, "--guide", str(tmp_path)]),
            1,
            f"{tmp_path}: is a folder, not a guide file",
        )

    def test_empty(self, runner, tmp_path):
        f = employer(tmp_path, "", "guide.yaml")
        failed(runner.invoke(cli, [*BASE, "--guide", str(f)]), 1, "a guide file must be a mapping")

    def test_binary(self, runner, tmp_path):
        f = employer(tmp_path, b"\x00\x01\x02", "guide.yaml")
        failed(runner.invoke(cli, [*BASE, "--guide", str(f)]), 1, "looks like a binary file")

    @pytest.mark.parametrize("suffix", [".yaml", ".txt"])
    def test_cp1252(self, runner, tmp_path, guide_text, suffix):
        f = employer(tmp_path, "Caf\xe9 Job Description\n".encode("latin-1"), f"guide{suffix}")
        failed(
            runner.invoke(cli, [*BASE, "--guide", str(f)]),
            1,
            f"{f}: is not UTF-8 text (byte 0xe9 on line 1)",
        )

    def test_too_large(self, runner, tmp_path):
        f = sparse(tmp_path / "guide.yaml", MAX_INPUT_BYTES + 1)
        failed(
            runner.invoke(cli, [*BASE, "--guide", str(f)]), 1, "jobgen reads a guide file of up to"
        )

    def test_a_name_too_long_to_be_a_file(self, runner):
        failed(runner.invoke(cli, [*BASE, "--guide", "g" * 5000]), 1, "File name too long")

    def test_with_a_bom_is_fine(self, runner, tmp_path):
        source = (ROOT / "jobgen" / "guides" / "mental-health-technician.yaml").read_bytes()
        f = employer(tmp_path, b"\xef\xbb\xbf" + source, "guide.yaml")
        assert "# Mental Health Technician" in succeeded(
            runner.invoke(cli, [*BASE, "--guide", str(f)])
        )

    @pytest.mark.parametrize(
        ("escape", "problem"),
        [
            ("\\x07", "contains the control character U+0007"),
            ("\\ud800", "contains a lone surrogate U+D800"),
            ("\\u202e", "contains a bidirectional override"),
        ],
    )
    def test_text_documents_cannot_hold_is_refused_naming_the_field(
        self, runner, tmp_path, escape, problem
    ):
        source = (ROOT / "jobgen" / "guides" / "mental-health-technician.yaml").read_text()
        lines = source.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("occupation:"))
        lines[at] = f'occupation: "Mental Health{escape} Technician"'
        f = employer(tmp_path, "\n".join(lines) + "\n", "guide.yaml")
        failed(runner.invoke(cli, [*BASE, "--guide", str(f)]), 1, f"{f}:", f"occupation {problem}")

    @pytest.mark.parametrize(
        ("value", "kind"), [("NO", "bool"), ("012345", "int"), ("2024-05-01", "date")]
    )
    def test_yaml_guesses_in_a_guide_ask_for_quotes(self, runner, tmp_path, value, kind):
        source = (ROOT / "jobgen" / "guides" / "mental-health-technician.yaml").read_text()
        lines = source.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("occupation:"))
        lines[at] = f"occupation: {value}"
        f = employer(tmp_path, "\n".join(lines) + "\n", "guide.yaml")
        failed(
            runner.invoke(cli, [*BASE, "--guide", str(f)]),
            1,
            f"{f}:{at + 1}: occupation must be non-empty text, not",
            f"(YAML read it as a {kind})",
            "hint: put the value in quotes",
        )

    def test_guide_text_with_a_control_character(self, runner, tmp_path, guide_text):
        f = employer(tmp_path, guide_text.replace("Mental Health", "Mental\x1bHealth", 3), "g.txt")
        failed(
            runner.invoke(cli, [*BASE, "--guide", str(f)]),
            1,
            "contains the control character U+001B",
        )


class TestTemplateFiles:
    def test_missing(self, runner, tmp_path):
        f = tmp_path / "nope.md.j2"
        failed(runner.invoke(cli, [*BASE, "--template", str(f)]), 1, f"{f}: no such template")

    def test_a_folder_is_bad_usage(self, runner, tmp_path):
        failed(runner.invoke(cli, [*BASE, "--template", str(tmp_path)]), 2, "is a directory")

    def test_binary(self, runner, tmp_path):
        f = employer(tmp_path, b"# {{ posting.title }}\x00", "t.j2")
        failed(runner.invoke(cli, [*BASE, "--template", str(f)]), 1, "looks like a binary file")

    def test_cp1252(self, runner, tmp_path):
        f = employer(tmp_path, "# Caf\xe9 {{ posting.title }}\n".encode("latin-1"), "t.j2")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(f)]),
            1,
            f"{f}: is not UTF-8 text (byte 0xe9 on line 1)",
        )

    def test_bom_is_dropped(self, runner, tmp_path):
        f = employer(tmp_path, b"\xef\xbb\xbf# {{ posting.title }}\n", "t.j2")
        assert succeeded(runner.invoke(cli, [*BASE, "--template", str(f)])) == (
            "# Mental Health Technician\n"
        )

    def test_too_large(self, runner, tmp_path):
        f = sparse(tmp_path / "t.j2", MAX_TEMPLATE_BYTES + 1)
        failed(
            runner.invoke(cli, [*BASE, "--template", str(f)]),
            1,
            f"jobgen reads a template of up to {MAX_TEMPLATE_BYTES:,} bytes",
        )

    def test_empty_output_is_an_error_not_an_empty_file(self, runner, tmp_path):
        f = employer(tmp_path, "{# nothing #}\n", "t.j2")
        result, out = render_to(runner, tmp_path, *BASE, "--template", str(f))
        failed(result, 1, f"{f}: the template produced no text")
        assert list(out.iterdir()) == []


class TestReferenceDocx:
    def test_missing_is_bad_usage(self, runner, tmp_path):
        f = tmp_path / "brand.docx"
        failed(
            runner.invoke(
                cli,
                [*BASE, "-f", "docx", "-o", str(tmp_path / "o.docx"), "--reference-docx", str(f)],
            ),
            2,
            "cannot read the reference document",
        )

    def test_not_a_word_document(self, runner, tmp_path):
        f = employer(tmp_path, "plain text", "brand.docx")
        result = runner.invoke(
            cli, [*BASE, "-o", str(tmp_path / "o.docx"), "--reference-docx", str(f)]
        )
        failed(result, 1, f"{f}: not a readable Word document (it is not a zip package")
        assert not (tmp_path / "o.docx").exists()

    def test_too_large(self, runner, tmp_path):
        f = sparse(tmp_path / "brand.docx", MAX_REFERENCE_BYTES + 1)
        failed(
            runner.invoke(cli, [*BASE, "-o", str(tmp_path / "o.docx"), "--reference-docx", str(f)]),
            1,
            f"jobgen reads reference documents of up to {MAX_REFERENCE_BYTES:,} bytes",
        )

    def test_zip_bomb(self, runner, tmp_path):
        f = tmp_path / "bomb.docx"
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", "<Types/>")
            with package.open("word/document.xml", "w") as part:
                block = b" " * (1 << 20)
                for _ in range(101):
                    part.write(block)
        assert f.stat().st_size < 1 << 20
        failed(
            runner.invoke(cli, [*BASE, "-o", str(tmp_path / "o.docx"), "--reference-docx", str(f)]),
            1,
            "it unpacks to",
        )


class TestLintFiles:
    def test_too_large_stdin_is_bounded(self, runner):
        failed(
            runner.invoke(cli, ["lint", "-"], input=b"a" * (MAX_INPUT_BYTES + 1)),
            1,
            f"<stdin>: is larger than {MAX_INPUT_BYTES:,} bytes",
        )

    def test_cp1252_stdin(self, runner):
        failed(
            runner.invoke(cli, ["lint", "-"], input="# Caf\xe9\n".encode("latin-1")),
            1,
            "<stdin>: is not UTF-8 text (byte 0xe9 on line 1)",
        )

    @pytest.mark.parametrize("args", [["lint", "-"], ["guide", "import", "-"]])
    def test_stdin_that_cannot_be_read(self, runner, args):
        class Broken(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, buffer):
                raise OSError(errno.EIO, "Input/output error")

        failed(
            runner.invoke(cli, args, input=io.BufferedReader(Broken())),
            1,
            "<stdin>: cannot read the",
            "Input/output error",
        )

    def test_guide_import_stdin_binary(self, runner):
        failed(
            runner.invoke(cli, ["guide", "import", "-"], input=b"\x00\x01"),
            1,
            "<stdin>: looks like a binary file (it holds NUL bytes), not a guide text",
        )


# ----------------------------------------------------------------------------------- values


class TestValues:
    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            ("A\x00B", "contains the control character U+0000"),
            ("A\x1b[31mB", "contains the control character U+001B"),
            ("A\x85B", "contains the control character U+0085"),
            ("A\rB", "contains the control character U+000D"),
            ("A\nB", "contains a line break; this field is a single line"),
            ("A\tB", "contains a tab; this field is a single line"),
            ("A\ud800B", "contains a lone surrogate U+D800"),
            ("A\udce9B", "contains a lone surrogate U+DCE9"),
            ("A\ufffeB", "contains the non-character U+FFFE"),
            ("A\u202eB", "contains a bidirectional override"),
            ("A\u2066B", "contains a bidirectional override"),
        ],
    )
    def test_characters_documents_cannot_hold(self, runner, tmp_path, value, problem):
        # from --set: bad usage, exit 2
        result, out = render_to(runner, tmp_path, *BASE, "--set", f"employer.name={value}")
        failed(result, 2, "--set: employer.name: " + problem)
        assert list(out.iterdir()) == []
        if "\x00" in value or "\ud800" in value:
            return  # no environment variable can hold these
        # from the environment: exit 1, naming the variable
        result, out = render_to(runner, tmp_path, *BASE, env={"JOBGEN_EMPLOYER_NAME": value})
        failed(result, 1, "JOBGEN_EMPLOYER_NAME: employer.name: " + problem)
        assert list(out.iterdir()) == []

    @pytest.mark.parametrize(
        ("escape", "problem"),
        [
            ("\\0", "U+0000"),
            ("\\e", "U+001B"),
            ("\\ud800", "lone surrogate U+D800"),
            ("\\u202e", "bidirectional override"),
        ],
    )
    def test_yaml_escapes_name_file_line_and_field(self, runner, tmp_path, escape, problem):
        f = employer(tmp_path, GOOD + f'employer:\n  about: "Text {escape} here"\n')
        result, out = render_to(runner, tmp_path, "render", "-e", str(f))
        failed(result, 1, f"{f}:4: employer.about: contains", problem)
        assert list(out.iterdir()) == []

    def test_a_lone_surrogate_from_a_non_utf8_command_line(self, runner):
        # Python decodes undecodable argv bytes to lone surrogates (surrogateescape)
        result = runner.invoke(cli, [*BASE, "--set", "employer.name=Caf\udce9"])
        failed(result, 2, "employer.name: contains a lone surrogate U+DCE9")

    @pytest.mark.parametrize(
        "name",
        ["מרכז בריאות\u200f", "\u200eשלום Acme", "مركز\u061c الصحة"],
    )
    def test_right_to_left_marks_are_allowed_and_kept(self, runner, tmp_path, name):
        import docx

        md = succeeded(runner.invoke(cli, [*BASE, "--set", f"employer.name={name}"]))
        assert name in md
        out = tmp_path / "p.docx"
        succeeded(runner.invoke(cli, [*BASE, "--set", f"employer.name={name}", "-o", str(out)]))
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
        assert name in text

    def test_five_megabyte_strings_are_refused_by_the_field_limit(self, runner, tmp_path):
        big = "a" * (5 * 1024 * 1024)
        f = employer(tmp_path, GOOD + f"employer:\n  about: {big}\n")
        result, out = render_to(runner, tmp_path, "render", "-e", str(f))
        failed(
            result,
            1,
            f"{f}:4: employer.about: is {len(big):,} characters; the limit is {MAX_TEXT:,}",
        )
        assert list(out.iterdir()) == []
        failed(
            runner.invoke(cli, [*BASE, "--set", f"title={big}"]),
            2,
            f"title: is {len(big):,} characters",
        )

    def test_the_limit_itself_is_fine(self, runner):
        md = succeeded(runner.invoke(cli, [*BASE, "--set", "employer.about=" + "a" * MAX_TEXT]))
        assert "a" * MAX_TEXT in md

    def test_too_many_list_entries(self, runner):
        failed(
            runner.invoke(cli, [*BASE, "--set", "benefits=" + ";".join(["x"] * 31)]),
            2,
            "benefits: has 31 entries; the limit is 30",
        )

    @pytest.mark.parametrize(
        ("sets", "message"),
        [
            (
                ["salary.min=-5", "salary.period=hour"],
                "salary.min: '-5' is negative; pay must be 0",
            ),
            (
                ["salary.min=30", "salary.max=20", "salary.period=hour"],
                "salary.max: 20 is less than salary.min 30; the range must go from low to high",
            ),
            (["salary.min=NaN", "salary.period=hour"], "'NaN' is not a number"),
            (["salary.min=1e999", "salary.period=hour"], "is larger than any real salary"),
            (["salary.min=18"], "salary.period: is needed when a salary is given. Allowed: hour"),
            (["salary.min=18", "salary.period=fortnight"], "Allowed: hour, day, week, month, year"),
            (["salary.currency=dollars"], "'DOLLARS' is not a 3-letter ISO 4217 code"),
            (["experience_months=-1"], "is not a whole number of months from 0 to 600"),
            (["date_posted=2026-02-30"], "'2026-02-30' is not a real date in the form YYYY-MM-DD"),
            (["date_posted=30/01/2026"], "is not a real date in the form YYYY-MM-DD"),
            (["valid_through=2026-13-01"], "is not a real date"),
            (
                ["date_posted=2026-12-01", "valid_through=2026-11-01"],
                "valid_through: 2026-11-01 is before date_posted 2026-12-01; "
                "a posting cannot close before it opens",
            ),
            (["workplace=moon"], "Allowed: onsite, hybrid, remote"),
        ],
    )
    def test_bad_values_say_what_is_allowed(self, runner, tmp_path, sets, message):
        args = [a for s in sets for a in ("--set", s)]
        result, out = render_to(runner, tmp_path, *BASE, *args)
        failed(result, 2, message)
        assert list(out.iterdir()) == []

    def test_bad_values_in_a_file_exit_1_with_the_line(self, runner, tmp_path):
        f = employer(tmp_path, GOOD + "salary:\n  min: 30\n  max: 20\n  period: hour\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:5: salary.max: 20 is less")
        f = employer(tmp_path, GOOD + "valid_through: 2026-11-01\ndate_posted: 2026-12-01\n")
        failed(runner.invoke(cli, ["render", "-e", str(f)]), 1, f"{f}:3: valid_through:")

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.org/",
            "//example.org/",
            "vbscript:msgbox",
        ],
    )
    @pytest.mark.parametrize("field", ["apply.url", "employer.website"])
    def test_links_must_be_http_or_https(self, runner, url, field):
        failed(
            runner.invoke(cli, [*BASE, "--set", f"{field}={url}"]),
            2,
            f"{field}: ",
            "only http:// and https:// links are allowed",
        )

    @pytest.mark.parametrize(
        ("url", "what"),
        [
            ("https://exa mple.org/", "a space"),
            ('https://example.org/a"b', "'\"'"),
            ("https://example.org/<x>", "'<'"),
        ],
    )
    def test_an_http_link_with_a_bad_character_names_the_character(self, runner, url, what):
        """Issue 18 item 17: the address is http(s); what is wrong is one character in it."""
        result = runner.invoke(cli, [*BASE, "--set", f"apply.url={url}"])
        stderr = failed(result, 2, f"contains {what}, which a web address cannot hold", "%")
        assert "only http:// and https://" not in stderr

    @pytest.mark.parametrize(
        "email", ["javascript:alert@x.org", "a@b", "<a@b.org>", "a@b.org;c@d.org"]
    )
    def test_emails_must_be_addresses(self, runner, email):
        failed(
            runner.invoke(cli, [*BASE, "--set", f"apply.email={email}"]),
            2,
            "is not an email address like jobs@example.org",
        )

    def test_mailto_prefix_is_accepted(self, runner):
        md = succeeded(runner.invoke(cli, [*BASE, "--set", "apply.email=mailto:jobs@acme.org"]))
        assert "(<mailto:jobs@acme.org>)" in md

    @pytest.mark.parametrize(
        "text",
        [
            '=HYPERLINK("https://evil.example/","Click")',
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "[Click](javascript:alert(1))",
            "<https://evil.example/>",
            "<script>alert(1)</script>",
        ],
    )
    def test_formulas_and_markup_in_text_print_literally(self, runner, tmp_path, text):
        """jobgen writes no CSV (batch inputs are read, not written), so a formula can only
        reach a spreadsheet through a document: in every format it must print as plain text,
        never as a link or markup."""
        import docx
        from markdown_it import MarkdownIt

        md = succeeded(runner.invoke(cli, [*BASE, "--set", f"employer.name={text}"]))
        tokens = MarkdownIt("commonmark", {"html": False}).parse(md)
        inline = [t for t in tokens if t.type == "inline" and text in _plain(t)]
        assert inline, f"{text!r} does not print literally in the Markdown"
        for token in inline:
            assert not any(c.type in ("link_open", "html_inline") for c in token.children or [])
        out = tmp_path / "p.docx"
        succeeded(runner.invoke(cli, [*BASE, "--set", f"employer.name={text}", "-o", str(out)]))
        document = docx.Document(str(out))
        assert any(text in p.text for p in document.paragraphs)
        targets = [r.target_ref for r in document.part.rels.values() if r.is_external]
        assert not any("evil" in t or "javascript" in t for t in targets)


def _plain(token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


# -------------------------------------------------------------------------------- templates


def template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "posting.md.j2"
    path.write_text(text, encoding="utf-8")
    return path


class TestTemplates:
    def test_syntax_error_names_file_and_line(self, runner, tmp_path):
        t = template(tmp_path, "# {{ posting.title }}\n\n{% for x in %}\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]), 1, f"{t}:3: template syntax error"
        )

    def test_unclosed_block(self, runner, tmp_path):
        t = template(tmp_path, "# T\n{% if posting.title %}\nno end\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]), 1, f"{t}:", "template syntax error"
        )

    def test_undefined_variable_names_file_line_and_name(self, runner, tmp_path):
        t = template(tmp_path, "# {{ posting.title }}\n\n{{ posting.salry }}\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]),
            1,
            f"{t}:3: undefined variable:",
            "salry",
            "Posting fields",
        )

    @pytest.mark.parametrize(
        "expression",
        [
            "{{ cycler.__init__.__globals__ }}",
            "{{ joiner.__init__.__globals__.os }}",
            "{{ namespace.__init__.__globals__ }}",
            "{{ posting|attr('__class__') }}",
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ '{0.__class__.__init__.__globals__}'.format(posting) }}",
            "{{ '{0.__class__}'|format(posting) }}",
            "{{ posting.__class__ }}",
            "{{ self.__init__.__globals__ }}",
            "{{ range.__self__ }}",
            "{{ md_link.__globals__ }}",
            "{% set l = [] %}{{ l.append(1) }}",
            "{{ {}.update({'a': 1}) }}",
        ],
    )
    def test_sandbox_escapes_are_refused(self, runner, tmp_path, expression):
        t = template(tmp_path, "# T\n\n" + expression + "\n")
        result, out = render_to(runner, tmp_path, *BASE, "--template", str(t))
        err = failed(result, 1, f"{t}:3:")
        assert "sandbox" in err or "undefined" in err or "template error" in err
        assert "__globals__" not in result.stdout
        assert list(out.iterdir()) == []

    @pytest.mark.parametrize(
        "expression",
        [
            "{{ 'x' * 10**9 }}",
            "{{ ['x'] * 10**9 }}",
            "{{ (['x' * 100000] * 10) * 10 }}",
            "{{ 10 ** 100000 }}",
            "{{ range(10**9)|list }}",
            "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
            "{% for i in range(5000) %}{{ 'x' * 1000 }}\n{% endfor %}",
            "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
            "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}",
            "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
            "{% endfor %}",
            "{{ 'x'.center(10**9) }}",
            "{{ 'x'|center(10**9) }}",
            "{{ ('x' * 1000000)|replace('', 'y' * 1000) }}",
            "{{ ('\t' * 1000000).expandtabs(1000) }}",
            "{{ '{:999999999}'.format(1) }}",
            "{{ '%999999999s'|format(1) }}",
            "{{ '%0999999999d' % 1 }}",
            "{{ (['x'] * 1000)|join('y' * 100000) }}",
            "{{ ('y' * 100000).join(['x'] * 1000) }}",
            "{{ ('a' * 100000).translate({97: 'b' * 100000}) }}",
            "{{ ('a\\n' * 100000)|indent('b' * 1000) }}",
        ],
    )
    def test_output_bombs_are_bounded(self, runner, tmp_path, expression):
        t = template(tmp_path, "# T\n\n" + expression + "\n")
        result, out = render_to(runner, tmp_path, *BASE, "--template", str(t))
        err = failed(result, 1, f"{t}:3: the template went past a limit:", "docs/safety.md")
        assert len(err) < 1_000
        assert list(out.iterdir()) == []

    def test_the_output_limit_names_the_line_that_was_printing(self, runner, tmp_path):
        t = template(tmp_path, "# T\n\n{% for i in range(5000) %}\n{{ 'x' * 999 }}\n{% endfor %}\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]),
            1,
            f"{t}:4: the template went past a limit: the output is longer than {MAX_OUTPUT:,}",
        )

    def test_the_step_budget_message(self, runner, tmp_path):
        t = template(
            tmp_path,
            "# T\n{% for i in range(10000) %}{% for j in range(100) %}{% endfor %}{% endfor %}\n",
        )
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]),
            1,
            f"{t}:2: the template went past a limit",
            f"more than {MAX_STEPS:,} steps of work",
        )

    @pytest.mark.parametrize(
        "text",
        [
            # list and dict literals holding a long text many times over (item 3 of issue 18)
            '{% set s = "x" * 999999 %}{% set a = [s, s, s] %}{{ a|length }}',
            '{% set s = "x" * 999999 %}{% set a = (s, s) %}{{ a|length }}',
            '{% set s = "x" * 999999 %}{% set d = {1: s, 2: s} %}{{ d|length }}',
            '{% set s = "x" * 600000 %}{{ [[s], [s]]|length }}',
        ],
    )
    def test_literals_count_what_they_hold(self, runner, tmp_path, text):
        t = template(tmp_path, "# T\n" + text + "\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]),
            1,
            f"{t}:2: the template went past a limit",
            "a literal, slice or comparison makes a value of more than 1,000,000",
        )

    @pytest.mark.parametrize(
        "text",
        [
            '{% for i in range(20) %}{{ ("x" * 100000)|wordwrap(1)|length }}{% endfor %}',
            '{% set s = "ab " * 333333 %}{% for i in range(300) %}{{ s|wordcount }}{% endfor %}',
            '{% set s = "ab " * 333333 %}{% for i in range(300) %}'
            "{{ s|upper|title|length }}{% endfor %}",
            '{% set s = "ab " * 333333 %}{% for i in range(3000) %}{{ s[1:]|length }}{% endfor %}',
            '{% set s = "ab " * 333333 %}{% for i in range(3000) %}{{ s in s }}{% endfor %}',
            '{% set s = "ab " * 333333 %}{% for i in range(3000) %}'
            "{% set t %}{{ s }}{% endset %}{% endfor %}",
        ],
    )
    def test_work_on_long_texts_counts_against_the_budget(self, runner, tmp_path, text):
        t = template(tmp_path, "# T\n" + text + "\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]),
            1,
            f"{t}:2: the template went past a limit",
            f"more than {MAX_STEPS:,} steps of work",
        )

    def test_the_cpu_backstop_names_the_template(self, runner, tmp_path, monkeypatch):
        """Whatever the step count misses, a rendering stops after MAX_SECONDS of CPU (set to 0
        here, so the first look at the clock, after 64 steps, stops it)."""
        import jobgen.render.markdown as markdown

        monkeypatch.setattr(markdown, "MAX_SECONDS", 0.0)
        t = template(tmp_path, "# T\n{% for i in range(1000) %}{{ i }}{% endfor %}\n")
        failed(
            runner.invoke(cli, [*BASE, "--template", str(t)]),
            1,
            f"{t}:2: the template went past a limit",
            "the template ran for more than 0 seconds of CPU time",
        )

    def test_ordinary_filters_on_posting_text_stay_within_the_budget(self, runner, tmp_path):
        t = template(
            tmp_path,
            "# {{ posting.title|upper }}\n{% set text = posting.summary|join(' ') %}"
            "{% for i in range(200) %}{{ text|wordwrap(20)|wordcount }} "
            "{{ text|title|truncate(30) }} {{ [i, i * 2]|join(',') }}\n{% endfor %}",
        )
        assert "MENTAL HEALTH TECHNICIAN" in succeeded(
            runner.invoke(cli, [*BASE, "--template", str(t)])
        )

    @pytest.mark.parametrize(
        "text",
        [
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
            "{% include 'itself' %}",
            "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
        ],
    )
    def test_endless_recursion(self, runner, tmp_path, text):
        t = template(tmp_path, "# T\n" + text + "\n")
        failed(runner.invoke(cli, [*BASE, "--template", str(t)]), 1, f"{t}:", "itself too deeply")

    def test_deeply_nested_expression(self, runner, tmp_path):
        t = template(tmp_path, "# T\n{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n")
        failed(runner.invoke(cli, [*BASE, "--template", str(t)]), 1, f"{t}")

    def test_output_no_file_can_hold(self, runner, tmp_path):
        t = template(tmp_path, "# T\n\n{{ '\\ud800' }}\n")
        result, out = render_to(runner, tmp_path, *BASE, "--template", str(t))
        failed(result, 1, f"{t}: the template's output has the lone surrogate U+D800 on line 3")
        assert list(out.iterdir()) == []

    @pytest.mark.parametrize(
        ("command", "fmt"),
        [
            ("render", "md"),
            ("render", "html"),
            ("render", "jsonld"),
            ("render", "docx"),
            ("render", "json"),
            ("preview", None),
        ],
    )
    @pytest.mark.parametrize("escape", ["\\x1b]0;PWNED\\x07", "a\\x00b\\x0bc", "\\x9b31m", "x\\ry"])
    def test_control_characters_a_template_prints_reach_no_format(
        self, runner, tmp_path, command, fmt, escape
    ):
        """Issue 18, item 10: a terminal obeys escapes in piped preview or render output."""
        t = template(tmp_path, "# T\n\nBefore {{ '" + escape + "' }} after.\n")
        args = ["preview", "-s", "inpatient", "-E", "associate"] if command == "preview" else BASE
        args = [*args, "--template", str(t)] + (["-f", fmt] if fmt else [])
        result = runner.invoke(cli, args)
        if fmt == "json":  # the posting's data: no template is involved
            assert result.exit_code == 0 and "PWNED" not in result.stdout
            return
        failed(result, 1, f"{t}: the template's output has the control character U+00", "line 3")
        assert result.stdout == ""

    def test_ordinary_templates_still_work(self, runner, tmp_path):
        t = template(
            tmp_path,
            "# {{ posting.title ~ '!' }}\n\n"
            "{% for r in posting.responsibilities %}- {{ r.name|upper }}\n{% endfor %}\n"
            "{{ posting.responsibilities|map(attribute='name')|join(', ') }}\n"
            "{{ '%s at %s'|format(posting.title, posting.employer_name) }}\n"
            "{{ '{} wins'.format('format') }} {{ range(3)|list }} {{ 2 ** 10 }} {{ 'ab' * 3 }}\n"
            "{% set ns = namespace(n=0) %}{% for i in range(100) %}{% set ns.n = ns.n + i %}"
            "{% endfor %}{{ ns.n }}\n",
        )
        md = succeeded(runner.invoke(cli, [*BASE, "--template", str(t)]))
        assert md.startswith("# Mental Health Technician!\n")
        assert "format wins [0, 1, 2] 1024 ababab\n4950\n" in md.replace("\\", "")


# ----------------------------------------------------------------------------------- output


class TestOutput:
    def test_existing_file_is_never_replaced_without_force(self, runner, tmp_path):
        out = tmp_path / "posting.md"
        out.write_text("my edits")
        failed(
            runner.invoke(cli, [*BASE, "-o", str(out)]),
            1,
            f"{out}: already exists; jobgen does not overwrite files",
            "--force",
        )
        assert out.read_text() == "my edits"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["posting.md"]

    def test_existing_docx_and_init_file(self, runner, tmp_path):
        out = tmp_path / "posting.docx"
        out.write_bytes(b"mine")
        failed(runner.invoke(cli, [*BASE, "-o", str(out)]), 1, "already exists")
        assert out.read_bytes() == b"mine"
        emp = tmp_path / "employer.yaml"
        emp.write_text("mine")
        failed(runner.invoke(cli, ["init", "-o", str(emp), "--no-input"]), 1, "already exists")
        assert emp.read_text() == "mine"

    def test_missing_folder(self, runner, tmp_path):
        target = tmp_path / "no" / "such" / "posting.md"
        failed(
            runner.invoke(cli, [*BASE, "-o", str(target)]),
            1,
            "does not exist",
            "create it first",
        )
        assert not (tmp_path / "no").exists()

    def test_output_is_a_folder(self, runner, tmp_path):
        (tmp_path / "x.md").mkdir()
        failed(runner.invoke(cli, [*BASE, "-o", str(tmp_path / "x.md")]), 1, "is a folder")

    def test_a_parent_that_is_a_file(self, runner, tmp_path):
        (tmp_path / "file").write_text("x")
        failed(
            runner.invoke(cli, [*BASE, "-o", str(tmp_path / "file" / "p.md")]), 1, "does not exist"
        )

    def test_pipes_and_devices_are_never_replaced_even_with_force(self, runner, tmp_path):
        # a named pipe stands in for /dev/null: replacing that as root would break the system
        fifo = tmp_path / "pipe.md"
        os.mkfifo(fifo)
        failed(
            runner.invoke(cli, [*BASE, "-o", str(fifo), "--force"]),
            1,
            f"{fifo}: is not a regular file (a device, pipe or socket)",
            "-o - > TARGET",
        )
        assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe.md"]

    def test_a_name_too_long(self, runner, tmp_path):
        target = tmp_path / ("x" * 300 + ".md")
        failed(runner.invoke(cli, [*BASE, "-o", str(target)]), 1, "File name too long")
        assert list(tmp_path.iterdir()) == []

    def test_a_long_but_valid_name_works(self, runner, tmp_path):
        target = tmp_path / ("x" * 240 + ".md")
        succeeded(runner.invoke(cli, [*BASE, "-o", str(target)]))
        assert [p.name for p in tmp_path.iterdir()] == [target.name]

    def test_permission_denied(self, runner, tmp_path, monkeypatch):
        import jobgen.output

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(jobgen.output, "_temp_sibling", refuse)  # creating the temporary file
        failed(
            runner.invoke(cli, [*BASE, "-o", str(tmp_path / "p.md")]),
            1,
            "cannot write here: permission denied in",
        )
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("fmt", ["md", "docx"])
    @pytest.mark.parametrize("existing", [False, True])
    def test_full_disk_leaves_no_partial_file(self, runner, tmp_path, monkeypatch, fmt, existing):
        target = tmp_path / f"posting.{fmt}"
        if existing:
            target.write_bytes(b"the old posting")

        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        args = [*BASE, "-o", str(target), *(["--force"] if existing else [])]
        failed(runner.invoke(cli, args), 1, f"{target}: could not write the file: the disk is full")
        if existing:
            assert target.read_bytes() == b"the old posting"
        assert [p.name for p in tmp_path.iterdir()] == ([target.name] if existing else [])

    def test_full_disk_during_the_write_itself(self, runner, tmp_path, monkeypatch):
        import jobgen.output

        real_write = os.write
        written = [0]

        def full(fd, data):  # short writes of 50 bytes, then the disk is full
            if written[0] > 100:
                raise OSError(errno.ENOSPC, "No space left on device")
            n = real_write(fd, bytes(data)[:50])
            written[0] += n
            return n

        monkeypatch.setattr(jobgen.output, "_os_write", full)
        failed(
            runner.invoke(cli, [*BASE, "-o", str(tmp_path / "p.md")]),
            1,
            "the disk is full",
        )
        assert list(tmp_path.iterdir()) == []

    def test_interrupt_inside_a_command_cleans_up(self, runner, tmp_path, monkeypatch):
        import jobgen.output

        def interrupted(fd):
            raise KeyboardInterrupt

        monkeypatch.setattr(jobgen.output.os, "fsync", interrupted)
        result = runner.invoke(cli, [*BASE, "-o", str(tmp_path / "p.md")])
        assert result.exit_code == 130
        assert "interrupted; no partial file was left behind" in result.stderr
        assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------- real processes


def _jobgen(*args: str, **kwargs) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795824000"}
    return subprocess.run(
        [sys.executable, "-m", "jobgen", *args], env=env, capture_output=True, **kwargs
    )


_DRIVER = """
import os, signal, sys
import jobgen.output
{patch}
from jobgen.cli import main
sys.argv = ["jobgen", *sys.argv[1:]]
main()
"""


def _driven(tmp_path: Path, patch: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run jobgen in a real process whose ``patch`` decides when a real signal arrives."""
    driver = tmp_path.parent / f"driver-{tmp_path.name}.py"
    driver.write_text(_DRIVER.format(patch=textwrap.dedent(patch)))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795824000"}
    return subprocess.run(
        [sys.executable, str(driver), *args], env=env, capture_output=True, text=True
    )


_SIGINT_DURING_WRITE = """
real_fsync = os.fsync
def fsync(fd):
    real_fsync(fd)  # the data is in the temporary file, not yet in place
    os.kill(os.getpid(), signal.SIGINT)
jobgen.output.os.fsync = fsync
"""


class TestSignals:
    @pytest.mark.parametrize("fmt", ["md", "docx"])
    def test_sigint_during_a_write_leaves_nothing(self, tmp_path, fmt):
        out = tmp_path / "out"
        out.mkdir()
        done = _driven(tmp_path, _SIGINT_DURING_WRITE, *BASE, "-o", str(out / f"p.{fmt}"))
        assert done.returncode == 130, done.stderr
        assert "jobgen: interrupted; no partial file was left behind" in done.stderr
        assert "Traceback" not in done.stderr
        assert list(out.iterdir()) == []

    def test_sigint_during_a_forced_replace_keeps_the_old_file(self, tmp_path):
        out = tmp_path / "out"
        out.mkdir()
        (out / "p.md").write_text("the old posting")
        done = _driven(tmp_path, _SIGINT_DURING_WRITE, *BASE, "-o", str(out / "p.md"), "--force")
        assert done.returncode == 130 and "Traceback" not in done.stderr
        assert (out / "p.md").read_text() == "the old posting"
        assert [p.name for p in out.iterdir()] == ["p.md"]

    def test_sigint_while_rendering(self, tmp_path):
        out = tmp_path / "out"
        out.mkdir()
        patch = """
        import importlib
        m = importlib.import_module("jobgen.render.markdown")
        real = m.TEMPLATES.escaper.finalize  # called for every value a template prints
        def finalize(value):
            os.kill(os.getpid(), signal.SIGINT)
            return real(value)
        m.TEMPLATES.escaper.finalize = finalize
        """
        done = _driven(tmp_path, patch, *BASE, "-o", str(out / "p.md"))
        assert done.returncode == 130 and "interrupted" in done.stderr
        assert "Traceback" not in done.stderr
        assert list(out.iterdir()) == []

    def test_sigint_before_any_command_runs(self, tmp_path):
        done = _driven(
            tmp_path,
            "import click\nclick.Group.main = lambda *a, **k: os.kill(os.getpid(), signal.SIGINT)",
            *BASE,
        )
        assert done.returncode == 130 and "jobgen: interrupted" in done.stderr
        assert "Traceback" not in done.stderr


def _drop_write_override() -> None:
    """In the child: as root, give up the capability that ignores folder permissions."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override = 24, 1
    if libc.prctl(pr_capbset_drop, cap_dac_override, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


class TestRealFilesystem:
    def test_read_only_folder(self, tmp_path):
        if sys.platform != "linux":
            pytest.skip("dropping root's override of permissions needs Linux")
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        try:
            try:
                done = _jobgen(*BASE, "-o", str(folder / "p.md"), preexec_fn=_drop_write_override)
            except subprocess.SubprocessError as exc:
                pytest.skip(f"cannot make a folder read-only for a child process here: {exc}")
            stderr = done.stderr.decode()
            assert done.returncode == 1, stderr
            assert f"{folder / 'p.md'}: cannot write here: permission denied in" in stderr
            assert "Traceback" not in stderr
            assert list(folder.iterdir()) == []
        finally:
            folder.chmod(0o755)

    def test_full_disk_on_stdout(self):
        if not Path("/dev/full").exists():
            pytest.skip("this system has no /dev/full")
        for fmt in ("md", "docx"):
            with Path("/dev/full").open("wb") as full:
                done = subprocess.run(
                    [sys.executable, "-m", "jobgen", *BASE, "-f", fmt],
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                    stdout=full,
                    stderr=subprocess.PIPE,
                )
            stderr = done.stderr.decode()
            assert done.returncode == 1, stderr
            assert "could not write the output: the disk is full" in stderr
            assert "Traceback" not in stderr and "Exception ignored" not in stderr

    def test_closed_pipe_is_not_an_error(self, tmp_path):
        # 1 MB of posting: far more than a pipe holds, so the write meets the closed end
        big = template(
            tmp_path,
            "# {{ posting.title }}\n{% for i in range(5000) %}\n"
            "{{ posting.summary[0][:200] }}\n{% endfor %}\n",
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        args = [sys.executable, "-m", "jobgen", *BASE, "--template", str(big)]
        with subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            assert proc.stdout.read(10) == b"# Mental H"
            proc.stdout.close()
            stderr = proc.stderr.read().decode()
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr and "Exception ignored" not in stderr

    def test_file_names_that_are_not_utf8(self, tmp_path):
        name = os.fsencode(tmp_path) + b"/caf\xe9.yaml"
        done = subprocess.run(
            [sys.executable.encode(), b"-m", b"jobgen", b"render", b"-e", name],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
        )
        assert done.returncode == 1
        assert b"no such employer file" in done.stderr
        assert b"Traceback" not in done.stderr

    def test_unexpected_errors_are_reported_as_bugs_without_a_traceback(self, tmp_path):
        done = _driven(
            tmp_path,
            "import jobgen\njobgen.generate_document = lambda **k: 1 / 0",
            *BASE,
        )
        assert done.returncode == 1
        assert "jobgen: internal error: ZeroDivisionError" in done.stderr
        assert "JOBGEN_DEBUG=1" in done.stderr and "Traceback" not in done.stderr


# ------------------------------------------------------------------------------- exit codes


class TestExitCodes:
    @pytest.mark.parametrize(
        "args",
        [
            ["render", "--bogus"],
            ["render", "-s", "nowhere", "-E", "hs"],
            ["render", "-s", "in", "-E", "hs", "-f", "pdf"],
            ["render", "-s", "in", "-E", "hs", "-o", "posting.pdf"],
            ["render", "-s", "in", "-E", "hs", "--set", "nonsense"],
            ["render", "-s", "in", "-E", "hs", "--set", "salry.min=1"],
            ["render", "--education", "hs"],
            ["nosuchcommand"],
        ],
    )
    def test_bad_usage_exits_2_with_the_usage_line(self, runner, args):
        err = failed(runner.invoke(cli, args), 2)
        assert "Usage: jobgen" in err and "Error:" in err

    def test_usage_errors_come_before_any_file_is_written(self, runner, tmp_path):
        result = runner.invoke(cli, [*BASE, "-f", "pdf", "-o", str(tmp_path / "p.md")])
        failed(result, 2, "unknown format 'pdf'; choose one of md, docx")
        assert list(tmp_path.iterdir()) == []


def test_yaml_loader_never_builds_python_objects():
    from jobgen._yaml_loader import _LiteralLoader, _Loader

    with pytest.raises(ValidationError, match="could not determine a constructor"):
        parse_yaml("!!python/object/apply:os.system ['true']\n", "x.yaml")
    assert issubclass(_Loader, yaml.SafeLoader) and issubclass(_LiteralLoader, yaml.SafeLoader)


# ------------------------------------------------------------------------------------ batch

ADDRESS = ["--set", "location.city=Denver", "--set", "location.country=US"]
SAFE_STEM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def manifest_of(folder: Path) -> dict:
    import json

    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


class TestBatch:
    HOSTILE_NAMES = (
        "..",
        ".",
        "../../etc/passwd",
        "..\\..\\Windows\\System32",
        "/",
        "/etc/cron.d/evil",
        "CON",
        "con.txt",
        "NUL",
        "lpt1",
        "",
        "   ",
        "Ü",
        "日本語",
        "~root",
        "$HOME",
        "-rf",
        "a" * 500,
        "Acme",
        "ACME",
        "acme!",
        "manifest",
    )

    def test_hostile_names_stay_inside_the_folder(self, runner, tmp_path):
        src = write_rows(
            tmp_path / "rows.csv",
            ["employer.name", "setting", "education"],
            [[name, "inpatient", "associate"] for name in self.HOSTILE_NAMES],
        )
        out = tmp_path / "out"
        result = runner.invoke(
            cli, ["batch", str(src), "-d", str(out), "--name", "{employer}", "--jobs", "1"]
        )
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "rows.csv"]
        files = sorted(p.name for p in out.iterdir())
        stems = [name.removesuffix(".md") for name in files if name != "manifest.json"]
        assert len(stems) == len(self.HOSTILE_NAMES) == len(set(stems))
        assert all(SAFE_STEM.fullmatch(s) and len(s) <= 80 for s in stems), stems
        reserved = {"con", "nul", "lpt1", "manifest"}
        assert not reserved & set(stems)
        assert {"etc-passwd", "con-posting", "posting", "acme", "acme-2", "acme-3"} <= set(stems)
        assert all(
            (out / p["files"][0]["path"]).parent == out for p in manifest_of(out)["postings"]
        )

    def test_names_that_slugify_to_the_same_name_get_numbers(self, runner, tmp_path):
        src = write_rows(
            tmp_path / "rows.csv",
            ["employer.name", "setting", "education"],
            [
                ["", "in", "hs"],
                ["..", "in", "hs"],
                ["日本", "in", "hs"],
                ["Ünï", "in", "hs"],
                ["uni", "in", "hs"],
            ],
        )
        out = tmp_path / "out"
        result = runner.invoke(cli, ["batch", str(src), "-d", str(out), "--name", "{employer}"])
        assert result.exit_code == 0, result.output
        assert [p["name"] for p in manifest_of(out)["postings"]] == [
            "posting",
            "posting-2",
            "posting-3",
            "uni",
            "uni-2",
        ]

    def test_formulas_in_a_csv_print_literally_in_every_format(self, runner, tmp_path):
        """jobgen reads CSV but never writes one (the manifest is JSON), so formulas cannot reach
        a spreadsheet through jobgen; in every document they are plain text."""
        import json

        import docx
        from markdown_it import MarkdownIt

        formula = '=HYPERLINK("https://evil.example/","Click me")'
        src = write_rows(
            tmp_path / "rows.csv",
            ["employer.name", "setting", "education", "schedule"],
            [[formula, "inpatient", "associate", "@SUM(A1:A9)"]],
        )
        out = tmp_path / "out"
        formats = ",".join(FORMATS)
        result = runner.invoke(
            cli, ["batch", str(src), "-d", str(out), "-f", formats, "--name", "p", *ADDRESS]
        )
        assert result.exit_code == 0, result.output
        assert not [p for p in out.iterdir() if p.suffix.lower() in (".csv", ".tsv", ".xlsx")]
        for fmt in FORMATS:
            [path] = [p for p in out.iterdir() if p.stem == "p" and p.suffix == _ext(fmt)]
            data = path.read_bytes()
            if fmt == "md":
                tokens = MarkdownIt("commonmark", {"html": False}).parse(data.decode())
                assert any(formula in _plain(t) for t in tokens if t.type == "inline")
            elif fmt == "docx":
                document = docx.Document(str(path))
                assert any(formula in p.text for p in document.paragraphs)
                assert not any(
                    "evil" in r.target_ref for r in document.part.rels.values() if r.is_external
                )
            elif fmt == "html":
                text = data.decode()
                assert 'href="https://evil' not in text
                from html import unescape

                assert formula in unescape(text)
            else:
                assert formula in json.dumps(json.loads(data), ensure_ascii=False).replace(
                    '\\"', '"'
                )

    def test_bad_rows_are_named_and_write_nothing_while_good_rows_are_written(
        self, runner, tmp_path
    ):
        src = tmp_path / "rows.csv"
        src.write_text(
            "employer.name,setting,education,salary.min,salary.period\n"
            "Good One,in,hs,18,hour\n"
            "Bad Pay,in,hs,lots,hour\n"
            "Bell\x07Co,in,hs,,\n"
            "Too,in,hs,18,hour,extra\n"
            "Reversed,in,hs,-3,hour\n"
            "Nowhere,moon,hs,,\n"
            "Good Two,out,ba,,\n",
            encoding="utf-8",
        )
        out = tmp_path / "out"
        result = runner.invoke(cli, ["batch", str(src), "-d", str(out), "--name", "{employer}"])
        err = failed(result, 1, "2 ok, 5 failed")
        for expected in (
            f"{src} row 2 (line 3): salary.min: 'lots' is not a number",
            f"{src} row 3 (line 4): employer.name: contains the control character U+0007",
            f"{src} row 4 (line 5): has 6 cells but the header has 5 columns",
            f"{src} row 5 (line 6): salary.min: '-3' is negative",
            f"{src} row 6 (line 7): unknown setting 'moon'",
        ):
            assert expected in err, (expected, err)
        entries = manifest_of(out)["postings"]
        assert [e["status"] for e in entries] == [
            "ok",
            "error",
            "error",
            "error",
            "error",
            "error",
            "ok",
        ]
        assert [e["field"] for e in entries][1:6] == [
            "salary.min",
            "employer.name",
            None,
            "salary.min",
            "setting",
        ]
        assert sorted(p.name for p in out.iterdir()) == [
            "good-one.md",
            "good-two.md",
            "manifest.json",
        ]

    def test_jsonl_bad_lines(self, runner, tmp_path):
        src = tmp_path / "rows.jsonl"
        src.write_text(
            '{"setting": "in", "education": "hs", "employer.name": "Fine"}\n'
            "{not json}\n"
            "[1, 2]\n"
            '{"setting": "in", "setting": "out", "education": "hs"}\n'
            '{"setting": "in", "education": "hs", "employer.name": "A\\ud800B"}\n'
            '{"setting": "in", "education": "hs", "employer.name": "A\\u0000B"}\n'
            '{"setting": "in", "education": "hs", "employer": {"nmae": "X"}}\n',
            encoding="utf-8",
        )
        out = tmp_path / "out"
        err = failed(runner.invoke(cli, ["batch", str(src), "-d", str(out)]), 1, "1 ok, 6 failed")
        for expected in (
            "row 2 (line 2): is not valid JSON",
            "row 3 (line 3): must be a JSON object",
            "row 4 (line 4): duplicate key 'setting'",
            "row 5 (line 5): employer.name: contains a lone surrogate U+D800",
            "row 6 (line 6): employer.name: contains the control character U+0000",
            "unknown field 'employer.nmae'. Did you mean 'employer.name'?",
        ):
            assert expected in err, (expected, err)

    def test_yaml_alias_bomb_stops_the_batch_before_any_file(self, runner, tmp_path):
        # one posting (a list item) whose benefits hold the bomb
        src = employer(tmp_path, "- " + TestAliases.laughs(13).replace("\n", "\n  "), "b.yaml")
        out = tmp_path / "out"
        failed(
            runner.invoke(cli, ["batch", str(src), "-d", str(out)]),
            1,
            f"more than {MAX_ALIASES} alias references",
        )
        assert not out.exists()

    def test_an_endless_input_is_bounded(self, runner, tmp_path):
        if not Path("/dev/zero").exists():
            pytest.skip("this system has no /dev/zero")
        out = tmp_path / "out"
        failed(
            runner.invoke(cli, ["batch", "/dev/zero", "--input-format", "csv", "-d", str(out)]),
            1,
            "/dev/zero: line 1 is longer than 1,048,576 bytes",
        )
        assert not out.exists()

    def test_a_huge_input_is_refused(self, runner, tmp_path, monkeypatch):
        import jobgen.batch

        monkeypatch.setattr(jobgen.batch.inputs, "MAX_STREAM_BYTES", 10_000)
        rows = [["Acme", "in", "hs"]] * 1000
        src = write_rows(tmp_path / "rows.csv", ["employer.name", "setting", "education"], rows)
        message = "is larger than 10,000 bytes, the most jobgen reads as one batch"
        # a file: before any row
        failed(runner.invoke(cli, ["batch", str(src), "-d", str(tmp_path / "f")]), 1, message)
        assert not (tmp_path / "f").exists()
        # a pipe: the rows read before the limit are rendered; the limit is the next row's error
        piped = runner.invoke(
            cli,
            ["batch", "-", "--input-format", "csv", "-d", str(tmp_path / "o")],
            input=src.read_bytes(),
        )
        assert piped.exit_code == 1
        assert f"stdin after row 679: {message}" in piped.stderr

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("setting,education\nin,hs\n".encode("utf-16"), "is not UTF-8 text"),
            (
                "setting,education,employer.name\nin,hs,Café\n".encode("cp1252"),
                "is not UTF-8 text (byte 0xe9",
            ),
            (b"setting,education\nin\x00,hs\n", "contains the control character U+0000"),
            (b"setting,educaton\nin,hs\n", "unknown column 'educaton'"),
        ],
    )
    def test_broken_csv_files(self, runner, tmp_path, content, message):
        src = tmp_path / "rows.csv"
        src.write_bytes(content)
        failed(runner.invoke(cli, ["batch", str(src), "-d", str(tmp_path / "out")]), 1, message)

    def test_a_name_too_long_to_be_a_file(self, runner, tmp_path):
        failed(
            runner.invoke(cli, ["batch", "r" * 300 + ".csv", "-d", str(tmp_path / "o")]),
            1,
            "cannot read this batch file: File name too long",
        )

    def test_full_disk_leaves_no_partial_files(self, runner, tmp_path, monkeypatch):
        src = write_rows(
            tmp_path / "rows.csv", ["employer.name", "setting", "education"], [["Acme", "in", "hs"]]
        )
        out = tmp_path / "out"
        out.mkdir()

        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        result = runner.invoke(
            cli, ["batch", str(src), "-d", str(out), "-f", "md,docx", "--jobs", "1"]
        )
        failed(result, 1, "could not write the file: the disk is full")
        assert list(out.iterdir()) == []

    def test_a_manifest_that_is_a_pipe_is_not_replaced(self, runner, tmp_path):
        src = write_rows(
            tmp_path / "rows.csv", ["employer.name", "setting", "education"], [["Acme", "in", "hs"]]
        )
        out = tmp_path / "out"
        out.mkdir()
        os.mkfifo(out / "manifest.json")
        failed(
            runner.invoke(cli, ["batch", str(src), "-d", str(out), "--force"]),
            1,
            "manifest.json: is not a regular file",
        )
        assert (out / "manifest.json").is_fifo()


def _ext(fmt: str) -> str:
    from jobgen.batch import extension_for

    return extension_for(fmt)


class TestGallery:
    def test_employer_file_names_become_safe_unique_page_names(self, runner, tmp_path):
        files = []
        for folder, name in (("a", "CON.yaml"), ("b", "CON.yaml"), ("c", "日本.yaml")):
            (tmp_path / folder).mkdir()
            files += ["-e", str(employer(tmp_path / folder, GOOD + "employer: {name: X}\n", name))]
        out = tmp_path / "site"
        result = runner.invoke(cli, ["gallery", "-o", str(out), *files])
        assert result.exit_code == 0, result.output
        pages = sorted(p.name for p in (out / "employers").iterdir() if p.suffix == ".html")
        assert pages == ["con-employer-2.html", "con-employer.html", "employer.html"]
        again = runner.invoke(cli, ["gallery", "-o", str(out), *files])
        failed(again, 1, "already exist", "--force")
