"""The batch's and the CLI's fast paths (second performance pass) give what the slow paths they
shortcut give. Speed itself is measured by benchmarks/run.py, never asserted here."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from jobgen import batch
from jobgen._validate import slugify
from jobgen.cli import cli
from jobgen.employer import (
    OptionLayer,
    merge_layers,
    merge_values,
    options_from_layers,
    options_from_merged,
)
from jobgen.errors import ValidationError
from jobgen.guide import load_guide
from jobgen.output import MAX_NAME, WINDOWS_RESERVED, safe_stem

ROOT = Path(__file__).resolve().parent.parent


def _slow_safe_stem(text: str, fallback: str = "posting", limit: int = MAX_NAME) -> str:
    """safe_stem as it was before its shortcut, step by step."""
    stem = slugify(text)
    if len(stem) > limit:
        cut = stem[: limit + 1]
        stem = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else stem[:limit]
    stem = stem.strip("-") or fallback
    if stem in WINDOWS_RESERVED:
        stem = f"{stem}-{fallback}"
    return stem


@given(st.text(alphabet="abczAZ019-_ é", max_size=100), st.sampled_from([MAX_NAME, 40, 3]))
def test_safe_stem_shortcut_matches_the_full_steps(text: str, limit: int) -> None:
    assert safe_stem(text, limit=limit) == _slow_safe_stem(text, limit=limit)
    assert safe_stem(text, fallback="", limit=limit) == _slow_safe_stem(text, "", limit)


@pytest.mark.parametrize("text", ["con", "lpt1", "a" * 81, "x--y", "-a", "a-", "ok-name-1"])
def test_safe_stem_shortcut_on_the_edges(text: str) -> None:
    assert safe_stem(text) == _slow_safe_stem(text)
    assert safe_stem("con") == "con-posting"
    assert safe_stem("ok-name-1") == "ok-name-1"


def test_a_row_merged_onto_merged_defaults_gives_the_same_options() -> None:
    guide = load_guide()
    defaults = [
        OptionLayer("employer.yaml", {"employer": {"name": "Acme"}, "salary": {"period": "hour"}}),
        OptionLayer("environment", {"salary.min": "18"}, where={"salary.min": "JOBGEN_SALARY_MIN"}),
        OptionLayer("--set", {"schedule": "Nights"}, usage=True),
    ]
    row = {"setting": "inpatient", "education": "associate", "salary.max": "22", "title": ""}
    slow = options_from_layers(guide, [*defaults, OptionLayer("rows.csv row 1", row)])
    merged = merge_values(merge_layers(defaults), row, "rows.csv row 1")
    assert options_from_merged(guide, merged) == slow
    assert merged["salary.min"] == ("18", "JOBGEN_SALARY_MIN", False)  # (value, where, usage)
    assert merged["schedule"] == ("Nights", "--set", True)
    assert "title" not in merged  # empty values are not given


def test_a_row_error_still_names_the_row_and_the_field() -> None:
    guide = load_guide()
    base = merge_layers([OptionLayer("--set", {"setting": "inpatient", "education": "associate"})])
    merged = merge_values(base, {"salary.min": "lots"}, "rows.csv row 7 (line 8)")
    with pytest.raises(ValidationError) as caught:
        options_from_merged(guide, merged)
    assert "salary.min" in caught.value.format()
    assert "rows.csv row 7 (line 8)" in caught.value.format()


CSV = (
    "setting,education,employer.name\n"
    "inpatient,associate,Acme\n"
    " , ,\n"  # blank: only spaces
    "\n"
    'outpatient,bachelor,"Two\nLines"\n'  # a quoted line break is one row
    "inpatient,associate,Acme,extra\n"  # a bad row is still a row
)


def test_the_counting_pass_counts_what_the_rows_pass_reads(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(CSV, encoding="utf-8")
    opened = batch.open_input(path)
    assert opened.count is not None
    assert opened.count() == 3
    rows = list(opened.rows)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[1].values["employer.name"] == "Two\nLines"
    assert rows[2].error is not None
    counted = list(batch.read_csv(io.StringIO(CSV), "rows.csv", count_only=True))
    assert [r.number for r in counted] == [3]  # one stand-in: the last row's number
    assert (
        list(batch.read_csv(io.StringIO(CSV.split("\n")[0] + "\n"), "h.csv", count_only=True)) == []
    )


def test_the_counting_pass_of_stdin_leaves_the_rows_to_read() -> None:
    opened = batch.open_input(io.BytesIO(CSV.encode()), input_format="csv")
    assert opened.count is not None
    assert opened.count() == 3
    assert [r.number for r in opened.rows] == [1, 2, 3]


def test_the_counting_pass_reports_bad_bytes_as_the_rows_pass_does(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    good = b"inpatient,associate\n" * 3000  # past the first block the decoder reads
    path.write_bytes(b"setting,education\n" + good + b"in\xffpatient,associate\n")
    with pytest.raises(ValidationError) as by_rows:
        list(batch.open_input(path).rows)
    with pytest.raises(ValidationError) as by_count:
        batch.run_batch(path, out_dir=tmp_path / "out")
    assert by_count.value.format() == by_rows.value.format()
    assert "is not UTF-8 text (byte 0xff on line 3002)" in by_count.value.format()
    assert not (tmp_path / "out" / "manifest.json").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_bad_byte_far_into_a_file_is_named_by_its_line(tmp_path: Path, fmt: str) -> None:
    """The decoder reads ahead in blocks, so the rows read when it fails say little about where
    the bad byte is: its line is found by reading the file again. A character cut in two by the
    64 KiB pieces that reading takes is not mistaken for a bad byte."""
    path = tmp_path / f"rows.{fmt}"
    if fmt == "csv":
        head = b"setting,education,employer.name\n"
        start, end = "inpatient,associate,", "\n"
        rest = [b"inpatient,associate,Acme\n"] * 2000
        bad = b"inpatient,associate,Caf\xe9\n"
    else:
        head = b""
        start, end = '{"setting": "inpatient", "employer.name": "', '"}\n'
        rest = [b'{"setting": "inpatient"}\n'] * 2000
        bad = b'{"setting": "Caf\xe9"}\n'
    long_line = (start + "a" * (65535 - len(start)) + "é" + end).encode()
    assert long_line.index("é".encode()) == 65535  # its 2 bytes straddle the 64 KiB mark
    rows = [long_line, *rest]
    path.write_bytes(head + b"".join(rows) + bad)
    line = 2002 + (fmt == "csv")
    with pytest.raises(ValidationError) as by_rows:
        list(batch.open_input(path).rows)
    with pytest.raises(ValidationError) as by_count:
        batch.run_batch(path, out_dir=tmp_path / "out")
    for error in (by_rows.value, by_count.value):
        assert error.message == f"is not UTF-8 text (byte 0xe9 on line {line})"
    stdin = batch.open_input(io.BytesIO(path.read_bytes()), input_format=fmt)
    with pytest.raises(ValidationError, match=f"byte 0xe9 on line {line}"):
        assert stdin.count is not None
        stdin.count()


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


def test_mistaken_options_are_explained_and_joined_short_options_work() -> None:
    runner = CliRunner()
    wrong = runner.invoke(cli, ["render", "--employr", "x.yaml"])
    assert wrong.exit_code == 2
    assert "No such option '--employr'" in wrong.output
    assert "--employer" in wrong.output  # the suggestion is made
    short = runner.invoke(cli, ["render", "-x"])
    assert short.exit_code == 2
    assert "No such option '-x'" in short.output
    joined = runner.invoke(cli, ["render", "-sinpatient", "-Eassociate"])
    assert joined.exit_code == 0, joined.output
    assert joined.output.startswith("# ")
