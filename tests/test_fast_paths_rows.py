"""The batch's third-pass shortcuts give what the paths they shortcut give: CSV rows read in one
step, names made from the defaults looked up once, results reported a chunk at a time, the
output folder listed once. Speed itself is measured by benchmarks/run.py, never asserted here."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobgen import batch
from jobgen.batch import Row, name_fields, read_csv, run_batch
from jobgen.guide import load_guide
from jobgen.output import write_new

GUIDE = load_guide()
COLUMNS = ["requisition_id", "employer.name", "setting", "education", "benefits"]


def _slow_rows(text: str) -> list[Row]:
    """read_csv's rows as the general loop makes them (the shortcut turned off by a header cell
    left blank: a blank column must stay blank, so every row goes the long way)."""
    header, _, body = text.partition("\r\n")
    rows = list(read_csv(io.StringIO(header + ",\r\n" + body, newline=""), "in.csv"))
    return [Row(r.number, r.source, r.values, r.error) for r in rows]


cells = st.text(alphabet=' ab,;"\r\n\t', max_size=6)


@settings(max_examples=200)
@given(st.lists(st.lists(cells, min_size=0, max_size=len(COLUMNS)), max_size=6))
def test_the_short_way_reads_rows_as_the_long_way(table: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(table)
    text = out.getvalue()
    fast = list(read_csv(io.StringIO(text, newline=""), "in.csv"))
    assert fast == _slow_rows(text)


def test_a_row_with_more_cells_than_columns_is_still_an_error() -> None:
    text = "setting,education\r\ninpatient,high-school,extra\r\n"
    (row,) = read_csv(io.StringIO(text, newline=""), "in.csv")
    assert row.error is not None and "has 3 cells but the header has 2 columns" in row.error


def _names_the_long_way(rows: list[dict[str, Any]], defaults: list[dict[str, Any]]) -> list[str]:
    """Each name made as the documented pieces say: name_fields, then format_name, then unique."""
    from jobgen.output import unique_stems

    pattern = "{row}-{id}-{employer}-{setting}-{education}-{title}"
    width = len(str(len(rows)))
    stems = [
        batch.format_name(pattern, name_fields(GUIDE, n, width, [*defaults, values]))
        for n, values in enumerate(rows, 1)
    ]
    return list(unique_stems(stems, taken=["manifest"]))


texts = st.sampled_from(
    ["", " ", "Inpatient", "community", "sud", "bachelor", "HS", "Acme & Co", "x" * 50, "a/b"]
)


@settings(max_examples=150)
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "requisition_id": texts,
                "employer.name": texts,
                "setting": texts,
                "education": texts,
                "title": texts,
                "employer": st.fixed_dictionaries({"name": texts}),
            },
        ),
        max_size=12,
    ),
    st.lists(st.fixed_dictionaries({}, optional={"employer.name": texts, "setting": texts})),
)
def test_names_are_what_the_documented_steps_make(
    rows: list[dict[str, Any]], defaults: list[dict[str, Any]]
) -> None:
    pattern = "{row}-{id}-{employer}-{setting}-{education}-{title}"
    made = batch._named_rows(
        GUIDE,
        (Row(n, f"row {n}", values) for n, values in enumerate(rows, 1)),
        len(rows),
        pattern=pattern,
        defaults=defaults,
    )
    assert [name for _, name in made] == _names_the_long_way(rows, defaults)


def _batch_input(n: int) -> list[dict[str, str]]:
    rows = [
        {"requisition_id": f"R{i}", "employer.name": "Acme", "setting": "inpatient"}
        for i in range(n)
    ]
    rows[5] = {"setting": "nowhere"}  # a bad row among them
    return rows


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_reported_by_chunk_keep_row_order_and_every_row(jobs: int, tmp_path: Path) -> None:
    seen: list[int] = []
    progress: list[tuple[int, int]] = []
    result = run_batch(
        _batch_input(150),
        out_dir=tmp_path / "out",
        defaults={"education": "high-school"},
        jobs=jobs,
        on_result=lambda r: seen.append(r.row),
        progress=lambda done, total: progress.append((done, total)),
        keep_results=False,
    )
    assert seen == list(range(1, 151))
    assert progress[0] == (0, 150) and progress[-1] == (150, 150)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert (result.ok, result.failed) == (149, 1)
    assert [r.row for r in result.postings] == [6]  # only the failed row is kept
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [p["row"] for p in manifest["postings"]] == list(range(1, 151))
    assert manifest["postings"][5]["field"] == "setting"


def test_a_file_made_after_the_folder_was_listed_is_still_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "r1-acme-inpatient-facilities.md"
    mine.write_text("mine", encoding="utf-8")
    monkeypatch.setattr(batch, "_names_in", lambda folder: frozenset())  # listed too early
    result = run_batch(
        [{"requisition_id": "R1", "employer.name": "Acme", "setting": "inpatient"}],
        out_dir=out,
        defaults={"education": "high-school"},
        jobs=1,
    )
    assert mine.read_text(encoding="utf-8") == "mine"
    assert result.postings[0].status == "skipped"
    assert result.postings[0].files[0].written is False
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", mine.name]


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
    """A worker killed mid-batch (out of memory, say): the rows it held fail, naming why, the
    files and temporary files it wrote for them are removed, this process renders the rest,
    and the manifest lists every row in order."""
    parent = os.getpid()
    real = batch.process_row

    def dies_on_row_300(ctx: Any, task: Any, to_sync: Any = None) -> Any:
        if os.getpid() != parent and task.row.number >= 300:
            # half-way through a write, as a kill would leave it
            (ctx.out_dir / f".{task.name}.md.{os.getpid()}-99.tmp").write_bytes(b"partial")
            os._exit(9)
        return real(ctx, task, to_sync)

    monkeypatch.setattr(batch, "process_row", dies_on_row_300)
    monkeypatch.setattr(batch, "START_METHOD", "fork")  # the child runs the patched code
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
