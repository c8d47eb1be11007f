"""The batch's promises under attack and on a rerun (issue 18: items 5, 6, 8, 9, 11, 16).

Driven through the command line (and a real process for the signals), as a user meets them.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jobgen.cli import cli
from jobgen.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["requisition_id", "employer.name", "setting", "education", "salary.min", "salary.period"]


def write_csv(path: Path, count: int, pay: str = "18") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(count):
            writer.writerow([f"R{i}", "Acme", "inpatient", "associate", pay, "hour"])
    return path


def batch(*args: str, input: bytes | None = None) -> Any:
    return CliRunner().invoke(cli, ["batch", *args], input=input)


def entries(out: Path) -> list[dict[str, Any]]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    postings: list[dict[str, Any]] = data["postings"]
    return postings


# --------------------------------------------------------------------------- 5: not a file


def _odd_targets(out: Path) -> dict[str, str]:
    """What each of three rows finds at its target, and the word its error uses."""
    out.mkdir()
    os.mkfifo(out / "r0-acme-inpatient-facilities.md")
    (out / "r1-acme-inpatient-facilities.md").symlink_to("/dev/zero")
    (out / "r2-acme-inpatient-facilities.md").mkdir()
    return {"R0": "a named pipe", "R1": "a symbolic link", "R2": "a folder"}


@pytest.mark.parametrize("force", [False, True], ids=["keep", "force"])
def test_anything_but_a_regular_file_at_a_target_is_that_rows_error(
    tmp_path: Path, force: bool
) -> None:
    src = write_csv(tmp_path / "rows.csv", 4)
    out = tmp_path / "out"
    kinds = _odd_targets(out)
    result = batch(str(src), "-d", str(out), *(["--force"] if force else []))
    assert result.exit_code == 1, result.output
    rows = entries(out)
    assert [r["status"] for r in rows] == ["error", "error", "error", "ok"]
    for row, kind in zip(rows, kinds.values(), strict=False):
        assert f"is {kind}; jobgen writes and replaces regular files only" in row["error"]
        assert row["files"] == []
    assert (out / "r0-acme-inpatient-facilities.md").is_fifo()  # nothing was replaced
    assert (out / "r1-acme-inpatient-facilities.md").readlink() == Path("/dev/zero")
    assert (out / "r2-acme-inpatient-facilities.md").is_dir()
    assert "1 ok, 3 failed" in result.stderr


# --------------------------------------------------------------------------- 6: the input


def test_the_input_file_is_never_a_target(tmp_path: Path) -> None:
    src = tmp_path / "posting.json"
    text = '[{"setting": "inpatient", "education": "associate"}]\n'
    src.write_text(text, encoding="utf-8")
    result = batch(str(src), "-d", str(tmp_path), "--name", "posting", "-f", "json", "--force")
    assert result.exit_code == 1
    assert "posting.json is the batch's input; a batch never writes over its input" in (
        result.stderr
    )
    assert src.read_text(encoding="utf-8") == text


def test_an_input_named_manifest_json_is_not_replaced_by_the_manifest(tmp_path: Path) -> None:
    src = tmp_path / "manifest.json"
    text = '[{"setting": "inpatient", "education": "associate"}]\n'
    src.write_text(text, encoding="utf-8")
    for extra in ([], ["--force"]):
        result = batch(str(src), "-d", str(tmp_path), *extra)
        assert result.exit_code == 1
        assert "manifest.json: is the batch's input" in result.stderr
        assert src.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


# --------------------------------------------------------------------------- 16: a rerun


def test_a_rerun_reports_a_file_whose_new_rendering_differs_as_changed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = write_csv(tmp_path / "rows.csv", 3)
    assert batch(str(src), "-d", str(out), "-f", "md,docx").exit_code == 0
    same = batch(str(src), "-d", str(out), "-f", "md,docx")
    assert same.exit_code == 0
    assert same.stderr.startswith("0 ok, 0 failed, 3 skipped")

    first = out / "r0-acme-inpatient-facilities.md"
    old = first.read_bytes()
    write_csv(src, 3, pay="25")  # every row's pay changes
    rerun = batch(str(src), "-d", str(out), "-f", "md,docx")
    assert rerun.exit_code == 1
    assert "0 ok, 0 failed, 0 skipped, 3 changed (add --force to replace them)" in rerun.stderr
    assert "differ from what this row renders now and were left as they were; add --force" in (
        rerun.stderr
    )
    assert first.read_bytes() == old  # left as it was
    rows = entries(out)
    assert {r["status"] for r in rows} == {"changed"}
    assert rows[0]["files"][0]["written"] is False
    forced = batch(str(src), "-d", str(out), "-f", "md,docx", "--force")
    assert forced.exit_code == 0 and b"25" in first.read_bytes()


# --------------------------------------------------------------------------- 9: a full disk


def test_a_manifest_that_cannot_be_written_still_leaves_the_rows_and_summary_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jobgen.batch.manifest
    import jobgen.batch.row

    real_row_write = jobgen.batch.row.write_new

    def full_for_row_2(path: str, data: Any, **kwargs: Any) -> None:
        if "r1-" in path:
            raise OutputError("could not write the file: the disk is full", source=path)
        real_row_write(path, data, **kwargs)

    def full(path: str, data: Any, **kwargs: Any) -> None:
        raise OutputError("could not write the file: the disk is full", source=path)

    monkeypatch.setattr(jobgen.batch.row, "write_new", full_for_row_2)
    monkeypatch.setattr(jobgen.batch.manifest, "write_new", full)
    out = tmp_path / "out"
    result = batch(str(write_csv(tmp_path / "rows.csv", 3)), "-d", str(out), "-j", "1")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "r1-acme-inpatient-facilities.md: could not write the file: the disk is full" in lines[0]
    assert any(line.startswith("2 ok, 1 failed, 0 skipped") for line in lines)
    assert "the manifest was not written" in result.stderr
    assert "the files of the 2 rows reported ok are in" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "r0-acme-inpatient-facilities.md",
        "r2-acme-inpatient-facilities.md",
    ]


# --------------------------------------------------------------------------- 11: silent values


def test_an_empty_out_dir_or_name_pattern_is_refused(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "rows.csv", 1)
    os.chdir(tmp_path)
    empty_dir = batch(str(src), "-d", "")
    assert empty_dir.exit_code == 2
    assert "--out-dir '': give a folder" in empty_dir.output
    empty_name = batch(str(src), "-d", "out", "--name", "")
    assert empty_name.exit_code == 2
    assert "--name '': give a pattern" in empty_name.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.csv"]


def test_a_csv_with_an_unterminated_quote_is_refused_with_its_row_and_line(tmp_path: Path) -> None:
    src = tmp_path / "rows.csv"
    src.write_text('setting,education,employer.name\ninpatient,associate,"Acme\n', "utf-8")
    result = batch(str(src), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "is not valid CSV from row 1 (line 2) on: a quoted value is never closed" in (
        result.stderr
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["rows.csv", "rows.jsonl", "rows.yaml"])
def test_an_empty_input_is_an_error_not_zero_ok(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(b"")
    result = batch(str(src), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"{src}: is empty: a batch input holds at least one row" in result.stderr
    assert "0 ok" not in result.stderr
    piped = batch("-", "--input-format", name.rsplit(".", 1)[1], "-d", "o", input=b"")
    assert piped.exit_code == 1 and "stdin: is empty" in piped.stderr


# --------------------------------------------------------------------------- 8: signals


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795824000"}


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["TERM", "HUP"]
)
def test_sigterm_and_sighup_stop_a_two_process_batch_as_ctrl_c_does(
    tmp_path: Path, signum: int, code: int
) -> None:
    src = write_csv(tmp_path / "rows.csv", 20_000)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "jobgen", "batch", str(src), "-d", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        start_new_session=True,
    )
    try:
        for _ in range(6000):  # until some postings exist (up to a minute)
            if out.is_dir() and sum(1 for _ in out.glob("*.md")) >= 300:
                break
            if process.poll() is not None:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the batch ended before it could be stopped"
        os.kill(process.pid, signum)  # the jobgen process only, as `kill` or a closed terminal
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == code, stderr
    on_disk = {p.name for p in out.iterdir()}
    time.sleep(1)
    assert {p.name for p in out.iterdir()} == on_disk  # no worker is still writing
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["interrupted"] is True
    finished = data["postings"]
    assert 300 <= len(finished) < 20_000
    assert data["summary"]["not_run"] == 20_000 - len(finished)
    assert [e["row"] for e in finished] == list(range(1, len(finished) + 1))
    assert {e["status"] for e in finished} == {"ok"}
    listed = {f["path"] for e in finished for f in e["files"]}
    assert on_disk - {"manifest.json"} == listed  # no temporary or half-written file
    assert f"interrupted: {len(finished)} ok, 0 failed, 0 skipped" in stderr.decode()
