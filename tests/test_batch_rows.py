"""Batch rows as a user meets them: CSV rows read cell by cell, bad bytes named by their line,
the same files whatever the job count, a worker that dies."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import jobgen.batch.row
import jobgen.batch.scheduler
import jobgen.errors
from jobgen.batch import open_input, read_csv, run_batch
from jobgen.cli import cli
from jobgen.output import write_new


def test_a_row_with_more_cells_than_columns_is_an_error() -> None:
    text = "setting,education\r\ninpatient,high-school,extra\r\n"
    (row,) = read_csv(io.StringIO(text, newline=""), "in.csv")
    assert row.error is not None and "has 3 cells but the header has 2 columns" in row.error


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_bad_byte_far_into_a_file_is_named_by_its_line(tmp_path: Path, fmt: str) -> None:
    """The decoder reads ahead in blocks, so the rows read when it fails say little about where
    the bad byte is: its line is found by reading the file again. A character cut in two by the
    64 KiB pieces that reading takes is not mistaken for a bad byte. The rows before it are
    rendered; the input's problem is the next row's error, and reading ends there."""
    path = tmp_path / f"rows.{fmt}"
    if fmt == "csv":
        head = b"setting,education,employer.name\n"
        start, end = "inpatient,associate,", "\n"
        rest = [b"inpatient,associate,Acme\n"] * 2000
        bad = b"inpatient,associate,Caf\xe9\n"
    else:
        head = b""
        start, end = '{"setting": "inpatient", "education": "associate", "employer.name": "', '"}\n'
        rest = [b'{"setting": "inpatient", "education": "associate"}\n'] * 2000
        bad = b'{"setting": "Caf\xe9"}\n'
    long_line = (start + "a" * (65535 - len(start)) + "é" + end).encode()
    assert long_line.index("é".encode()) == 65535  # its 2 bytes straddle the 64 KiB mark
    path.write_bytes(head + long_line + b"".join(rest) + bad)
    line = 2002 + (fmt == "csv")
    message = f"is not UTF-8 text (byte 0xe9 on line {line})"
    last = list(open_input(path).rows)[-1]
    assert last.error is not None and message in last.error
    stdin = open_input(io.BytesIO(path.read_bytes()), input_format=fmt)
    last = list(stdin.rows)[-1]
    assert last.error is not None and message in last.error
    result = run_batch(path, out_dir=tmp_path / "out", jobs=1, environ={})
    # row 1 fails too: its 65,536-character employer name is past the limit
    assert (result.ok, result.failed, result.exit_code) == (2000, 2, 1)


def test_a_bad_byte_before_any_row_stops_the_batch_before_any_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"setting,education\nCaf\xe9,hs\n")
    with pytest.raises(jobgen.errors.ValidationError, match="byte 0xe9 on line 2"):
        run_batch(path, out_dir=tmp_path / "out", jobs=1, environ={})
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_files_and_manifest_are_the_same_with_either_job_count(
    tmp_path: Path, jobs: str
) -> None:
    rows = "requisition_id,setting,education,employer.name\n" + "".join(
        f"R-{i},{('inpatient', 'outpatient')[i % 2]},associate,Acme {i % 3}\n" for i in range(70)
    )
    source = tmp_path / "rows.csv"
    source.write_text(rows, encoding="utf-8")
    out = tmp_path / f"out{jobs}"
    env = {"SOURCE_DATE_EPOCH": "1795824000"}
    result = CliRunner().invoke(
        cli, ["batch", str(source), "--out-dir", str(out), "--jobs", jobs], env=env
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    names = [p["name"] for p in manifest["postings"]]
    assert names[:2] == ["r-0-acme-0-inpatient-facilities", "r-1-acme-1-outpatient-clinics"]
    assert len(set(names)) == 70
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.md" for n in names] + ["manifest.json"]
    )
    for entry in manifest["postings"]:
        (record,) = entry["files"]
        data = (out / record["path"]).read_bytes()
        assert record["bytes"] == len(data)
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    # a rerun without --force leaves every file alone and says so
    again = CliRunner().invoke(
        cli, ["batch", str(source), "--out-dir", str(out), "--jobs", jobs], env=env
    )
    assert again.exit_code == 0, again.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["summary"]["skipped"] == 70


def test_new_files_follow_the_umask_like_any_other_program(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_new(str(tmp_path / "private.md"), b"text")
    finally:
        os.umask(previous)
    assert (tmp_path / "private.md").stat().st_mode & 0o777 == 0o600
    write_new(str(tmp_path / "usual.md"), b"text")
    assert (tmp_path / "usual.md").stat().st_mode & 0o777 == 0o666 & ~previous


def test_a_worker_that_dies_fails_its_rows_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-batch (out of memory, say): the rows in flight fail, naming why, the
    files and temporary files written for them are removed, this process renders the rest,
    and the manifest lists every row in order."""
    parent = os.getpid()
    real = jobgen.batch.row.process_row

    def dies_on_row_300(ctx: Any, task: Any, created: Any) -> Any:
        if os.getpid() != parent and task.row.number >= 300:
            # half-way through a write, as a kill would leave it
            Path(ctx.out_dir, f".{task.name}.md.{os.getpid()}-99.tmp").write_bytes(b"partial")
            os._exit(9)
        return real(ctx, task, created)

    monkeypatch.setattr(jobgen.batch.row, "process_row", dies_on_row_300)
    monkeypatch.setattr(jobgen.batch.scheduler, "START_METHOD", "fork")  # runs the patched code
    out = tmp_path / "out"
    rows = [
        {"requisition_id": f"R{i}", "employer.name": "Acme", "setting": "inpatient"}
        for i in range(1, 2001)
    ]
    result = run_batch(rows, out_dir=out, defaults={"education": "high-school"}, jobs=2)
    failed = [r for r in result.postings if r.status == "error"]
    assert failed, "the worker held rows from 300 on"
    for r in failed:
        assert r.error is not None and "a worker process failed" in r.error
    assert result.ok + result.failed == 2000
    assert [r.row for r in result.postings] == list(range(1, 2001))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for p in manifest["postings"] if p["status"] == "ok" for f in p["files"]}
    on_disk = {p.name for p in out.iterdir()} - {"manifest.json"}
    assert on_disk == listed  # no file of a failed row, no temporary file


def test_a_worker_killed_by_a_signal_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows a killed worker held say which signal ended it, and what SIGKILL usually is."""
    import signal

    parent = os.getpid()
    real = jobgen.batch.row.process_row

    def killed_on_row_50(ctx: Any, task: Any, created: Any) -> Any:
        if os.getpid() != parent and task.row.number >= 50:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(ctx, task, created)

    monkeypatch.setattr(jobgen.batch.row, "process_row", killed_on_row_50)
    monkeypatch.setattr(jobgen.batch.scheduler, "START_METHOD", "fork")
    rows = [{"employer.name": "Acme", "setting": "inpatient"} for _ in range(400)]
    result = run_batch(
        rows, out_dir=tmp_path / "out", defaults={"education": "high-school"}, jobs=2
    )
    failed = [r for r in result.postings if r.status == "error"]
    assert failed
    for r in failed:
        assert r.error is not None
        assert "a worker process failed (it was killed by SIGKILL" in r.error
        assert "memory runs out" in r.error
