"""Counting beside, rendering ahead: with workers to come, a forked process counts a large
input while this one renders its first rows. Nothing may change but the time: the same files,
manifest, row errors and skips as a batch counted first, and the same error, with nothing
written, when the input is bad further on."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from jobgen import batch
from jobgen.errors import ValidationError

HEADER = [
    "requisition_id",
    "employer.name",
    "setting",
    "education",
    "location.city",
    "location.country",
    "salary.min",
    "salary.period",
    "schedule",
]
LONG = "Day shift, 7 a.m. to 3:30 p.m., with every other weekend off; " * 6  # rows of ~430 bytes


def row(i: int) -> list[str]:
    settings = ("inpatient", "outpatient", "community", "sud")
    country = "" if i % 97 == 5 else "US"  # JSON-LD needs a country: this row fails in jsonld
    pay = "lots" if i % 89 == 7 else f"{18 + i % 5}.50"  # not a number: the row fails at once
    return [f"R{i:04d}", f"Employer {i % 7}", settings[i % 4], "associate", "Akron", country, pay,
            "hour", LONG]  # fmt: skip


ROWS = 160
SMALL_ENOUGH = 32 * 1024  # AHEAD_MIN_BYTES in these tests: a 160-row input is counted beside


def write_input(path: Path, n: int = ROWS, tail: bytes = b"") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(row(i) for i in range(n))
    if tail:
        with path.open("ab") as handle:
            handle.write(tail)
    assert path.stat().st_size >= SMALL_ENOUGH
    return path


class Ahead:
    """Rows this process rendered ahead (their numbers), and how many it must have rendered
    before the forked counter may count (None: as many as it may)."""

    def __init__(self) -> None:
        self.rendered: list[int] = []
        self.wait_for: int | None = None

    def __len__(self) -> int:
        return len(self.rendered)


@pytest.fixture
def slow_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ahead:
    """The forked counter waits, before counting, until this process has rendered rows ahead
    (up to 30 s), so that rows surely are rendered ahead."""
    parent = os.getpid()
    real_count = batch._count
    real_ahead = batch._render_ahead
    seen = Ahead()
    go = tmp_path / "go"

    def count(stand_ins: Any) -> int:
        if os.getpid() != parent:
            deadline = time.monotonic() + 30
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.005)
        return real_count(stand_ins)

    def ahead(ctx: Any, r: Any) -> Any:
        seen.rendered.append(r.number)
        if len(seen) >= (seen.wait_for or min(batch.AHEAD_ROWS, ROWS)):
            go.touch()
        return real_ahead(ctx, r)

    monkeypatch.setattr(batch, "_count", count)
    monkeypatch.setattr(batch, "_render_ahead", ahead)
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    monkeypatch.setattr(batch, "AHEAD_MIN_BYTES", SMALL_ENOUGH)
    return seen


def run(src: Path, out: Path, jobs: int, **kwargs: Any) -> batch.BatchResult:
    return batch.run_batch(
        src, out_dir=out, formats=["md", "jsonld"], jobs=jobs, environ={}, **kwargs
    )


def same_outcome(one: Path, two: Path) -> None:
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


@pytest.mark.parametrize("limit", [batch.AHEAD_ROWS, 50])
def test_rows_rendered_ahead_give_the_same_files_manifest_errors_and_skips(
    tmp_path: Path, slow_count: Ahead, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(batch, "AHEAD_ROWS", limit)
    src = write_input(tmp_path / "in.csv")
    for folder in ("counted", "ahead"):  # a file already there: its row is skipped
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "r0001-employer-1-outpatient-clinics.md").write_text("mine\n")
    counted = run(src, tmp_path / "counted", jobs=1)
    assert not slow_count, "a batch in one process counts first"
    ahead = run(src, tmp_path / "ahead", jobs=2)
    assert len(slow_count) == min(limit, ROWS) and slow_count.rendered[:3] == [1, 2, 3]
    assert ahead.postings == counted.postings
    assert {r.status for r in ahead.postings} == {"ok", "error", "skipped"}
    errors = {r.row: r.error for r in ahead.postings if r.status == "error"}
    assert "salary.min" in str(errors[8]) and "location.country" in str(errors[6])
    same_outcome(tmp_path / "counted", tmp_path / "ahead")


def test_a_bad_input_further_on_stops_the_batch_before_any_file_as_before(
    tmp_path: Path, slow_count: Ahead
) -> None:
    src = write_input(
        tmp_path / "in.csv", tail=b"R9999,Caf\xe9,inpatient,associate,Akron,US,18,hour,x\r\n"
    )
    slow_count.wait_for = 50  # the file cannot be read to its end
    with pytest.raises(ValidationError) as counted:
        run(src, tmp_path / "counted", jobs=1)
    with pytest.raises(ValidationError) as ahead:
        run(src, tmp_path / "ahead", jobs=2)
    assert slow_count, "rows were rendered ahead before the count said no"
    assert str(ahead.value) == str(counted.value) and "is not UTF-8" in str(ahead.value)
    assert not (tmp_path / "ahead").exists() and not (tmp_path / "counted").exists()


def test_if_the_counting_process_dies_this_one_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    real_count = batch._count
    counted_here: list[int] = []

    def count(stand_ins: Any) -> int:
        if os.getpid() != parent:
            os._exit(9)
        counted_here.append(1)
        return real_count(stand_ins)

    monkeypatch.setattr(batch, "_count", count)
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    monkeypatch.setattr(batch, "AHEAD_MIN_BYTES", SMALL_ENOUGH)
    src = write_input(tmp_path / "in.csv")
    result = run(src, tmp_path / "out", jobs=2)
    assert counted_here == [1] and result.total == ROWS
    assert result.ok + result.failed + result.skipped == ROWS


def test_small_inputs_and_single_process_batches_count_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    small = tmp_path / "small.csv"
    small.write_text("requisition_id,setting,education\nR1,inpatient,associate\n")
    assert not batch._count_beside(batch.open_input(small), 2)
    big = write_input(tmp_path / "big.csv", n=700)
    assert big.stat().st_size >= batch.AHEAD_MIN_BYTES
    assert batch._count_beside(batch.open_input(big), 2)
    assert not batch._count_beside(batch.open_input(big), 1)
    rows = [{"setting": "inpatient", "education": "hs"}] * 3
    assert not batch._count_beside(batch.open_input(rows), 2)  # Python rows: nothing to count


def test_the_manifest_of_a_batch_rendered_ahead_lists_every_row_in_order(
    tmp_path: Path, slow_count: Ahead
) -> None:
    src = write_input(tmp_path / "in.csv")
    run(src, tmp_path / "out", jobs=2)
    data = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [p["row"] for p in data["postings"]] == list(range(1, ROWS + 1))
