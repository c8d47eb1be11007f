"""`jobgen init` (with and without a terminal) and `jobgen preview`."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from jobgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_init_without_a_terminal_writes_a_commented_file_that_renders(runner, tmp_path):
    out = tmp_path / "employer.yaml"
    result = runner.invoke(cli, ["init", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.count("\n# ") > 20  # every field is explained
    for key in ("salary:", "benefits:", "apply:", "valid_through:", "eeo_statement:"):
        assert key in text
    rendered = runner.invoke(cli, ["render", "-e", str(out)])
    assert rendered.exit_code == 0, rendered.output
    assert rendered.stdout.startswith("# Mental Health Technician")


def test_init_refuses_to_overwrite(runner, tmp_path):
    out = tmp_path / "employer.yaml"
    out.write_text("mine")
    result = runner.invoke(cli, ["init", "-o", str(out)])
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert out.read_text() == "mine"


def test_uncommenting_every_example_still_renders(runner, tmp_path):
    """The commented examples are valid values: a user who uncomments them gets a posting."""
    result = runner.invoke(cli, ["init", "-o", "-", "--no-input"])
    example = re.compile(r"^(\s*)# ([a-z_]+:(?: .*)?|  - .*)$")  # "# key: value", "#   - item"
    lines = [example.sub(r"\1\2", line) for line in result.stdout.splitlines()]
    lines = [line for line in lines if not line.lstrip().startswith("#")]
    f = tmp_path / "full.yaml"
    f.write_text("\n".join(lines) + "\n")
    rendered = runner.invoke(cli, ["render", "-e", str(f)])
    assert rendered.exit_code == 0, rendered.output + f.read_text()
    assert "Riverside Behavioral Health" in rendered.stdout


def _read_until(fd: int, wanted: str, seen: list[str], timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while wanted not in "".join(seen):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"never saw {wanted!r}; screen so far:\n{''.join(seen)}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen.append(os.read(fd, 4096).decode("utf-8", "replace"))
            except OSError:
                break
    text = "".join(seen)
    seen.clear()
    seen.append(text[text.index(wanted) + len(wanted) :])
    return text


def test_init_on_a_terminal_asks_reasks_and_writes_a_file_that_renders(tmp_path):
    out = tmp_path / "answered.yaml"
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobgen", "init", "-o", str(out)],
        stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen: list[str] = []
    answers = [
        ("Employer name", "Lakeside Clinic"),
        ("Work setting", "outpatent"),  # a typo: must be re-asked
        ("unknown setting 'outpatent'", "outpatient"),
        ("Required education level", "bachelor"),
        ("City", "Madison"),
        ("State or region", "WI"),
        ("Country (ISO code, e.g. US) [US]", ""),  # a US state: US is the default
        ("Employment type", "part time"),
        ("Schedule", "Weekdays 9-5"),
        ("Lowest pay", "twenty"),  # not a number: re-asked
        ("is not a number", "22"),
        ("Highest pay", "20"),  # below the lowest: re-asked
        ("below the lowest", "27.50"),
        ("Pay period", ""),  # accept the default: hour
        ("Application web address", "javascript:alert(1)"),  # refused
        ("only http:// and https://", "https://lakeside.example/jobs"),
        ("Application email", ""),
    ]
    try:
        for prompt, answer in answers:
            _read_until(master, prompt, seen)
            os.write(master, answer.encode() + b"\r")
        _read_until(master, "wrote", seen)
        assert proc.wait(timeout=20) == 0
    finally:
        proc.kill()
        os.close(master)
    text = out.read_text()
    assert "name: Lakeside Clinic" in text and "setting: outpatient-clinics" in text
    assert "min: 22" in text and "max: 27.50" in text and "period: hour" in text
    assert "employment_type: part-time" in text
    assert "country: US" in text
    from click.testing import CliRunner

    for fmt in ("html", "jsonld"):  # the answered file publishes as it is (issue 18, item 14)
        published = CliRunner().invoke(cli, ["render", "-e", str(out), "-f", fmt])
        assert published.exit_code == 0, published.output
        assert "Lakeside Clinic" in published.stdout and "warning" not in published.stderr

    rendered = CliRunner().invoke(cli, ["render", "-e", str(out)])
    assert rendered.exit_code == 0, rendered.output
    assert (
        "Lakeside Clinic · Madison, WI · Part-time · Weekdays 9-5 · $22.00–$27.50 per hour"
        in rendered.stdout
    )
    assert "Bachelor's degree in psychology" in rendered.stdout


def test_preview_piped_is_plain_text(runner):
    result = runner.invoke(
        cli, ["preview", "-e", str(ROOT / "examples" / "riverside-inpatient.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "**" not in result.stdout and "\\" not in result.stdout
    assert result.stdout.startswith("MENTAL HEALTH TECHNICIAN, NIGHTS\n")
    assert "• Assisting with Daily Care: Help patients" in result.stdout
    assert "https://riverside-bh.example/careers/mht-nights" in result.stdout


def test_preview_colors_only_for_a_terminal_without_no_color():
    from jobgen.render.terminal import render_terminal

    md = "# Title\n\n- **Bold:** text and [site](https://x.example)\n"
    colored = render_terminal(md, color=True)
    assert "\x1b[1m" in colored and "(https://x.example)" in colored
    assert "\x1b" not in render_terminal(md, color=False)


@pytest.mark.parametrize("no_color", ["1", ""])
def test_preview_on_a_terminal(tmp_path, no_color):
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": no_color, "PAGER": "cat"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobgen", "preview", "-s", "in", "-E", "hs"],
        stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen: list[str] = []
    try:
        screen = _read_until(master, "Equal opportunity", seen)
        proc.wait(timeout=20)
    finally:
        proc.kill()
        os.close(master)
    assert ("\x1b[" in screen) is (not no_color)


@pytest.mark.skipif(shutil.which("less") is None, reason="needs less (apt-get install less)")
@pytest.mark.parametrize("less_env", [None, "-X"])
def test_preview_in_less_shows_styles_not_escape_codes(tmp_path, less_env):
    """Issue 18, item 12: the real pager, on a real (pseudo-)terminal of 80x24. Without -R,
    less shows an escape code as the letters ESC[1m, and the posting is unreadable."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAGER", "LESS", "NO_COLOR")}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm", LESSHISTFILE="-")
    if less_env is not None:
        env["LESS"] = less_env
    pid, master = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.chdir(tmp_path)
        os.execvpe(
            sys.executable,
            [sys.executable, "-m", "jobgen", "preview", "-s", "in", "-E", "hs"],
            env,
        )
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen: list[str] = []
    try:
        screen = _read_until(master, "What you will do", seen)
        time.sleep(0.5)  # the rest of the first page
        while select.select([master], [], [], 0.2)[0]:
            screen += os.read(master, 65536).decode("utf-8", "replace")
        os.write(master, b"q")
        deadline = time.monotonic() + 20
        while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
            assert time.monotonic() < deadline, "less did not quit on q"
            with contextlib.suppress(OSError):  # keep the terminal drained; EIO once it closed
                while select.select([master], [], [], 0.1)[0]:
                    os.read(master, 65536)
        status = done[1]
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(master)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "ESC[" not in screen and "^[" not in screen, screen
    assert "\x1b[1m" in screen or "\x1b[1;" in screen  # the styles reach the terminal
