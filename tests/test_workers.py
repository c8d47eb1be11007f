"""The two kinds of batch worker processes (jobgen._workers), driven directly: every chunk handed
out is answered once, with its result or why its worker failed; big chunks cross the pipes
whole; nothing is left running; and the batch picks forked workers only where fork is safe."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run_python

from jobgen import _workers, batch
from jobgen._workers import WORKER_FAILED, ForkedWorkers, PoolWorkers


def double(payload: Any) -> Any:
    return [x * 2 for x in payload]


def fails_on_negative(payload: list[int]) -> list[int]:
    if any(x < 0 for x in payload):
        raise ValueError("negative number")
    return payload


def dies_on_13(payload: list[int]) -> list[int]:
    if 13 in payload:
        os._exit(9)  # as the kernel's OOM killer would leave it: no answer, no clean-up
    return payload


def slow(payload: list[int]) -> list[int]:
    time.sleep(payload[0] if payload else 0.05)
    return payload


def _nothing() -> None:
    pass


def forked(handle: Any, count: int = 1) -> ForkedWorkers[str]:
    return ForkedWorkers(count, handle)


def pooled(handle: Any, count: int = 1) -> PoolWorkers[str]:
    return PoolWorkers(count, handle, "fork", _nothing, ())


KINDS = [pytest.param(forked, id="forked"), pytest.param(pooled, id="pool")]


def drain(workers: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    while workers.in_flight:
        for key, answer in workers.finished(block=True):
            assert key not in answers, "a chunk was answered twice"
            answers[key] = answer
    return answers


@pytest.mark.parametrize("make", KINDS)
@pytest.mark.parametrize("count", [1, 3])
def test_every_chunk_is_answered_once_with_its_result(make: Any, count: int) -> None:
    workers = make(double, count)
    try:
        for i in range(12):
            assert workers.submit(f"chunk{i}", list(range(i, i + 5)))
        assert workers.in_flight == 12
        answers = drain(workers)
    finally:
        assert workers.close(wait=True) == []
    assert answers == {f"chunk{i}": [2 * x for x in range(i, i + 5)] for i in range(12)}


def test_chunks_larger_than_the_pipes_cross_whole_both_ways() -> None:
    """A chunk of long rows can be far larger than a pipe holds (1 MiB, or 64 KiB where it
    cannot be widened): it is written a piece at a time, and the answer read likewise."""
    big = ["x" * 1000 + str(i) for i in range(3000)]  # about 3 MB each way
    workers = forked(double, 2)
    try:
        for i in range(4):
            assert workers.submit(f"c{i}", big)
        answers = drain(workers)
    finally:
        workers.close()
    assert set(answers) == {"c0", "c1", "c2", "c3"}
    assert all(answer == [s * 2 for s in big] for answer in answers.values())


@pytest.mark.parametrize("make", KINDS)
def test_a_chunk_that_raises_is_answered_with_why(make: Any) -> None:
    workers = make(fails_on_negative)
    try:
        workers.submit("bad", [1, -1])
        answers = drain(workers)
    finally:
        workers.close(wait=True)
    assert answers == {"bad": f"{WORKER_FAILED}: ValueError: negative number"}


def test_a_forked_worker_that_raised_goes_on_with_the_next_chunk() -> None:
    workers = forked(fails_on_negative)
    try:
        workers.submit("bad", [-1])
        workers.submit("good", [1, 2])
        answers = drain(workers)
    finally:
        workers.close()
    assert answers["good"] == [1, 2] and answers["bad"].startswith(WORKER_FAILED)


@pytest.mark.parametrize("make", KINDS)
def test_a_worker_that_dies_fails_the_chunks_it_held(make: Any) -> None:
    workers = make(dies_on_13)
    try:
        workers.submit("before", [1, 2])
        workers.submit("fatal", [13])
        workers.submit("after", [3])  # held by the same (only) worker
        answers = drain(workers)
    finally:
        workers.close(wait=True)
    assert answers["before"] == [1, 2]
    assert answers["fatal"] == WORKER_FAILED and answers["after"] == WORKER_FAILED
    assert not workers.submit("later", [4]), "no worker is left to take it"


def test_answers_written_just_before_a_worker_died_still_count() -> None:
    """Read in one go, a dead worker's pipe holds its last answers and then its end: the
    answers are taken before the chunks it still held are failed."""
    workers = forked(dies_on_13)
    try:
        workers.submit("before", [1, 2])
        workers.submit("fatal", [13])
        if hasattr(os, "waitid"):  # until it has died (without reaping it)
            os.waitid(os.P_PID, workers.children[0].pid, os.WEXITED | os.WNOWAIT)
        else:
            time.sleep(0.5)
        answers = drain(workers)
    finally:
        workers.close()
    assert answers == {"before": [1, 2], "fatal": WORKER_FAILED}


def test_pipes_numbered_past_1024_are_waited_on_too() -> None:
    """select() refuses file descriptors from 1,024 on; a library caller may hold that many."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this system allows only {hard} open files")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        workers = forked(slow)
        try:
            assert min(workers.children[0].answers, workers.children[0].tasks) > 1024
            workers.submit("c", [0.1])  # answered while this process waits
            assert drain(workers) == {"c": [0.1]}
        finally:
            workers.close()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_forked_workers_are_reaped_when_closed() -> None:
    workers = forked(double, 3)
    pids = [child.pid for child in workers.children]
    workers.submit("a", [1])
    drain(workers)
    assert workers.close() == []
    for pid in pids:
        with pytest.raises(ChildProcessError):  # already reaped: no zombie left
            os.waitpid(pid, os.WNOHANG)


def test_closing_with_chunks_in_flight_kills_the_workers_and_returns_the_chunks() -> None:
    workers = forked(slow, 2)
    pids = [child.pid for child in workers.children]
    for i in range(4):
        workers.submit(f"c{i}", [5])  # five seconds each
    started = time.monotonic()
    abandoned = workers.close()
    assert time.monotonic() - started < 2, "it waited for the chunks instead of stopping"
    assert sorted(abandoned) == ["c0", "c1", "c2", "c3"]
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_workers_ignore_ctrl_c_which_is_this_process_s_to_handle() -> None:
    workers = forked(slow)
    try:
        workers.submit("ready", [])  # answered: the child is past its start, handlers set
        assert drain(workers) == {"ready": []}
        os.kill(workers.children[0].pid, signal.SIGINT)
        workers.submit("c", [0.2])
        assert drain(workers) == {"c": [0.2]}
    finally:
        workers.close()


def test_when_no_process_can_be_started_there_are_no_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fds = Path("/proc/self/fd")
    opened = len(list(fds.iterdir())) if fds.is_dir() else None

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    workers = forked(double, 2)
    assert workers.children == [] and not workers.submit("c", [1])
    if opened is not None:
        assert len(list(fds.iterdir())) == opened  # its pipes were closed again


def test_fork_is_used_only_where_it_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not _workers.fork_is_safe("spawn") and not _workers.fork_is_safe("forkserver")
    assert _workers.fork_is_safe("fork") == hasattr(os, "fork")
    if not hasattr(os, "fork"):
        return
    monkeypatch.setattr("sys.platform", "linux")
    assert _workers.fork_is_safe(None)
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:  # another thread may hold a lock that a forked child would wait for forever
        assert not _workers.fork_is_safe(None)
    finally:
        release.set()
        thread.join()
    monkeypatch.setattr("sys.platform", "darwin")  # system frameworks there break after fork
    assert not _workers.fork_is_safe(None)


def test_a_batch_renders_on_forked_workers_by_default_and_a_pool_with_threads_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    monkeypatch.setattr("sys.platform", "linux")
    used: list[str] = []
    real = batch._start_workers

    def spy(ctx: Any, count: int) -> Any:
        workers = real(ctx, count)
        used.append(type(workers).__name__)
        return workers

    monkeypatch.setattr(batch, "_start_workers", spy)
    rows = [
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(40)
    ]
    first = batch.run_batch(rows, out_dir=tmp_path / "a", jobs=2, environ={})
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        second = batch.run_batch(rows, out_dir=tmp_path / "b", jobs=2, environ={})
    finally:
        release.set()
        thread.join()
    assert used == ["ForkedWorkers", "PoolWorkers"]
    assert first.ok == second.ok == 40
    for name in (p.name for p in (tmp_path / "a").iterdir()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_batch_goes_on_in_this_process_when_no_worker_can_be_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(batch, "START_METHOD", "fork")
    monkeypatch.setattr(os, "fork", no_fork)
    rows = [
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(80)
    ]
    result = batch.run_batch(rows, out_dir=tmp_path / "out", jobs=3, environ={})
    assert result.ok == 80 and len(list((tmp_path / "out").glob("*.md"))) == 80


def test_a_batch_stopped_at_once_leaves_only_the_files_of_the_rows_it_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second Ctrl-C (here: raised by the progress callback) stops the batch at once: the
    workers are killed mid-chunk, and rows rendered here after theirs are never reported
    either; none of their files stays, and the manifest lists the rows before them."""
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    calls = 0

    def progress(done: int, total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 6:  # the worker holds the first rows; this process has rendered later ones
            raise KeyboardInterrupt

    rows = [
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(3000)
    ]
    out = tmp_path / "out"
    with pytest.raises(batch.BatchInterrupted) as stopped:
        batch.run_batch(rows, out_dir=out, jobs=2, environ={}, progress=progress)
    result = stopped.value.result
    assert result.interrupted and result.ok < 3000
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for p in manifest["postings"] for f in p["files"]}
    assert [p["row"] for p in manifest["postings"]] == list(range(1, result.ok + 1))
    assert {p.name for p in out.iterdir()} - {"manifest.json"} == listed


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="forks on Linux")
def test_a_batch_on_forked_workers_imports_no_process_pool(tmp_path: Path) -> None:
    """The pool machinery (concurrent.futures, multiprocessing) costs about 15 ms to import."""
    source = tmp_path / "in.csv"
    source.write_text(
        "requisition_id,setting,education\n"
        + "".join(f"R{i},inpatient,associate\n" for i in range(100)),
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from jobgen.cli import main\n"
        f"sys.argv = ['jobgen', 'batch', {str(source)!r}, '-d', {str(tmp_path / 'out')!r},"
        " '--jobs', '2']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('POOL', sorted(m for m in sys.modules"
        " if m.startswith(('multiprocessing', 'concurrent'))))\n"
    )
    assert run_python(code).splitlines()[-1] == "POOL []"
    assert len(list((tmp_path / "out").glob("*.md"))) == 100


@pytest.mark.parametrize(("jobs", "stop_at"), [(1, 100), (2, 520)])
def test_a_batch_stopped_in_the_middle_of_a_chunk_here_leaves_no_unlisted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, stop_at: int
) -> None:
    """A second Ctrl-C while this process renders a chunk: the rows of that chunk already
    written are never reported, so their files go too (with --jobs 2, row 520 is in this
    process's first chunk of its own, with the worker holding the rows before)."""
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    parent = os.getpid()
    real = batch.process_row

    def stopped(ctx: Any, task: Any, to_sync: Any = None) -> Any:
        if os.getpid() == parent and task.row.number == stop_at:
            raise KeyboardInterrupt
        return real(ctx, task, to_sync)

    monkeypatch.setattr(batch, "process_row", stopped)
    rows = [
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(2000)
    ]
    out = tmp_path / "out"
    with pytest.raises(batch.BatchInterrupted) as info:
        batch.run_batch(rows, out_dir=out, jobs=jobs, environ={})
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for p in manifest["postings"] for f in p["files"]}
    assert [p["row"] for p in manifest["postings"]] == list(range(1, info.value.result.ok + 1))
    assert info.value.result.ok < stop_at - 1
    assert {p.name for p in out.iterdir()} - {"manifest.json"} == listed
