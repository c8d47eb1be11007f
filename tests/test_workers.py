"""A batch on worker processes: a worker that cannot start, a batch stopped at once (a second
Ctrl-C), a stop in the middle of a chunk: the manifest lists exactly the rows whose files stay."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import jobgen.batch.row
import jobgen.batch.scheduler
from jobgen import batch


def rows(count: int) -> list[dict[str, str]]:
    return [
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(count)
    ]


def test_a_batch_goes_on_in_this_process_when_no_worker_can_be_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(jobgen.batch.scheduler, "START_METHOD", "fork")
    monkeypatch.setattr(os, "fork", no_fork)
    result = batch.run_batch(rows(300), out_dir=tmp_path / "out", jobs=3, environ={})
    assert result.ok == 300 and len(list((tmp_path / "out").glob("*.md"))) == 300


def _check_listed(out: Path, result: batch.BatchResult) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for p in manifest["postings"] for f in p["files"]}
    assert [p["row"] for p in manifest["postings"]] == list(range(1, result.ok + 1))
    assert {p.name for p in out.iterdir()} - {"manifest.json"} == listed


def test_a_batch_stopped_at_once_leaves_only_the_files_of_the_rows_it_reports(
    tmp_path: Path,
) -> None:
    """A KeyboardInterrupt (a second Ctrl-C; here raised by the progress callback) stops the
    batch at once: no chunk is handed out, the workers finish the one they hold, and those are
    never reported; none of their files stays, and the manifest lists the rows before."""
    calls = 0

    def progress(done: int, total: int | None) -> None:
        nonlocal calls
        calls += 1
        if calls == 6:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(batch.BatchInterrupted) as stopped:
        batch.run_batch(rows(3000), out_dir=out, jobs=2, environ={}, progress=progress)
    result = stopped.value.result
    assert result.interrupted and result.ok < 3000 and result.not_run == 3000 - result.ok
    _check_listed(out, result)


def test_a_batch_stopped_in_the_middle_of_a_chunk_leaves_no_unlisted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A KeyboardInterrupt while this process renders a chunk: the rows of that chunk already
    written are never reported, so their files go too."""
    real = jobgen.batch.row.process_row

    def stopped(ctx: Any, task: Any, created: Any) -> Any:
        if task.row.number == 200:
            raise KeyboardInterrupt
        return real(ctx, task, created)

    monkeypatch.setattr(jobgen.batch.row, "process_row", stopped)
    out = tmp_path / "out"
    with pytest.raises(batch.BatchInterrupted) as info:
        batch.run_batch(rows(2000), out_dir=out, jobs=1, environ={})
    assert info.value.result.ok < 199
    _check_listed(out, info.value.result)
