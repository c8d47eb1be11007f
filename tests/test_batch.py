"""jobgen batch: readers, file names, the manifest, exit codes, overwrite rules, interrupts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import jobgen.batch
from jobgen.batch import (
    BatchInterrupted,
    Row,
    RowResult,
    assign_names,
    check_name_pattern,
    open_input,
    run_batch,
)
from jobgen.cli import cli
from jobgen.compose import compose
from jobgen.employer import load_options
from jobgen.errors import UsageError, ValidationError
from jobgen.guide import Guide, load_guide
from jobgen.lint import lint_posting
from jobgen.output import WINDOWS_RESERVED, safe_stem, unique_stems

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CSV = ROOT / "examples" / "batch.csv"
HEADER = ["employer.name", "setting", "education", "location.city", "location.country"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def good(i: int, name: str | None = None) -> list[str]:
    settings = ("inpatient", "outpatient", "community", "sud")
    employer = f"Employer {i}" if name is None else name
    return [employer, settings[i % 4], "associate", "Akron", "US"]


def manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def batch(runner: CliRunner, *args: str, input: bytes | None = None) -> Any:
    return runner.invoke(cli, ["batch", *args], input=input)


def rows_of(source: Any, **kwargs: Any) -> list[Row]:
    return list(open_input(source, **kwargs).rows)


def all_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


# --------------------------------------------------------------------------- readers


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
def test_csv_header_holds_fields_with_or_without_bom(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(bom + b"employer.name,setting,education\r\nAcme,inpatient,hs\r\n")
    [row] = rows_of(path)
    assert row.values == {"employer.name": "Acme", "setting": "inpatient", "education": "hs"}
    assert (row.number, row.source, row.error) == (1, f"{path} row 1 (line 2)", None)


def test_csv_empty_cells_blank_rows_quotes_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "Employer.Name , setting,education,schedule,location.city\n"
        'Acme,inpatient,hs,"Nights, 7p-7a",\n'
        "\n"
        ",,,,\n"
        'Beta,outpatient,ba,"two\nlines",   \n'
        "Gamma,sud,hs,,Akron\n",
        encoding="utf-8",
    )
    rows = rows_of(path)
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].values == {
        "employer.name": "Acme",
        "setting": "inpatient",
        "education": "hs",
        "schedule": "Nights, 7p-7a",
    }  # the empty city is unset, the header is matched case- and space-insensitively
    assert rows[1].values["schedule"] == "two\nlines" and "location.city" not in rows[1].values
    assert [r.source.rsplit(" ", 2)[-2:] for r in rows] == [
        ["(line", "2)"],
        ["(line", "5)"],
        ["(line", "7)"],
    ]


def test_csv_semicolon_delimiter_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("employer.name;setting;education;benefits\nAcme;inpatient;hs;Dental\n")
    [row] = rows_of(path)
    assert row.values["benefits"] == "Dental" and row.values["setting"] == "inpatient"


def test_csv_list_fields_split_on_semicolons(tmp_path: Path) -> None:
    src = write_csv(
        tmp_path / "p.csv",
        [["Acme", "inpatient", "hs", "Medical, dental and vision;Tuition help"]],
        ["employer.name", "setting", "education", "benefits"],
    )
    run_batch(src, out_dir=tmp_path / "out", jobs=1, environ={})
    [posting] = (tmp_path / "out").glob("*.md")
    text = posting.read_text(encoding="utf-8")
    assert "- Medical, dental and vision\n" in text and "- Tuition help\n" in text


def test_csv_unknown_column_is_one_error_naming_it_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = write_csv(tmp_path / "p.csv", [good(1)], [*HEADER[:3], "salary.minimum", *HEADER[3:]])
    out = tmp_path / "out"
    result = batch(runner, str(src), "--out-dir", str(out))
    assert result.exit_code == 1
    assert f"{src} line 1: unknown column 'salary.minimum' (column 4" in result.stderr
    assert "Did you mean 'salary.min'?" in result.stderr
    assert "no file was written" in result.stderr
    assert not out.exists()


def test_csv_repeated_column(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "p.csv", [], ["setting", "education", "Setting"])
    with pytest.raises(ValidationError, match="column 3 'Setting' repeats column 1"):
        rows_of(src)


def test_csv_more_cells_than_header_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("employer.name,setting,education\nAcme, Inc,inpatient,hs\nBeta,sud,hs\n")
    bad, ok = rows_of(path)
    assert bad.error is not None and "has 4 cells but the header has 3 columns" in bad.error
    assert "double quotes" in bad.error and ok.error is None


def test_csv_that_is_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("employer.name,setting,education\nCafé,inpatient,hs\n".encode("cp1252"))
    result = batch(runner, str(path), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "is not UTF-8 text (byte 0xe9" in result.stderr and "CSV UTF-8" in result.stderr


def test_yaml_list_of_postings_with_nested_fields(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "- employer: {name: Acme}\n  setting: inpatient\n  education: hs\n"
        "- employer.name: Beta\n  setting: sud\n  education: '012'\n"
        "- just text\n"
    )
    first, second, third = rows_of(path)
    assert first.values == {"employer": {"name": "Acme"}, "setting": "inpatient", "education": "hs"}
    assert first.source == f"{path} row 1 (line 1)" and second.source == f"{path} row 2 (line 4)"
    assert second.values["education"] == "012"  # read literally, as text
    assert third.error == f"{path} row 3: is the value 'just text'; each posting is a mapping"


def test_yaml_defaults_and_postings(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "defaults:\n  employer: {name: Acme Health}\n  education: hs\n"
        "postings:\n  - setting: inpatient\n  - {setting: sud, employer.name: Beta}\n"
    )
    out = tmp_path / "out"
    result = run_batch(path, out_dir=out, jobs=1, environ={})
    assert result.exit_code == 0
    names = sorted(f.path for r in result.postings for f in r.files)
    assert names == [
        "1-acme-health-inpatient-facilities.md",
        "2-beta-substance-abuse-treatment-facilities.md",
    ]


def test_yaml_single_mapping_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("setting: inpatient\neducation: hs\n")
    with pytest.raises(ValidationError, match="this one is a single mapping"):
        open_input(path)
    path.write_text("defaults: {}\npostings: []\nextra: 1\n")
    with pytest.raises(ValidationError, match="unknown field 'extra'"):
        open_input(path)


def test_jsonl_rows_blank_lines_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"employer": {"name": "Acme"}, "setting": "inpatient", "education": "hs", '
        '"salary.min": 19.5, "salary.period": "hour"}\n'
        "\n"
        "{not json}\n"
        '["a list"]\n'
        '{"setting": "sud", "setting": "in"}\n'
    )
    rows = rows_of(path)
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[0].values["employer"] == {"name": "Acme"} and rows[0].error is None
    assert str(rows[0].values["salary.min"]) == "19.5"
    assert rows[1].error is not None
    assert rows[1].error.startswith(f"{path} row 2 (line 3): is not valid JSON")
    assert (
        rows[2].error
        == f'{path} row 3 (line 4): must be a JSON object such as {{"setting": "..."}}'
    )
    assert (
        rows[3].error == f"{path} row 4 (line 5): duplicate key 'setting'; each key may appear once"
    )


def test_input_format_from_extension_or_flag(tmp_path: Path) -> None:
    path = tmp_path / "postings.txt"
    path.write_text('{"setting": "in", "education": "hs"}\n')
    with pytest.raises(UsageError, match="cannot tell the format"):
        open_input(path)
    assert rows_of(path, input_format="jsonl")[0].values == {"setting": "in", "education": "hs"}
    assert open_input(io.BytesIO(b"setting\n"), input_format="csv").name == "stdin"
    with pytest.raises(UsageError, match="--input-format"):
        open_input(io.BytesIO(b"x"))


def test_python_mappings_as_input(tmp_path: Path) -> None:
    result = run_batch(
        [{"setting": "inpatient", "education": "hs"}, "oops"],
        out_dir=tmp_path,
        defaults={"employer": {"name": "Acme"}},
        jobs=1,
        environ={},
    )
    assert [(r.row, r.status) for r in result.postings] == [(1, "ok"), (2, "error")]
    assert result.postings[1].error == "rows row 2: is not a mapping of employer fields"


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\Windows\\System32", "windows-system32"),
        ("/", "posting"),
        ("", "posting"),
        ("...", "posting"),
        ("CON", "con-posting"),
        ("lpt1", "lpt1-posting"),
        ("Aux", "aux-posting"),
        ("console", "console"),
        ("Café Ünïcode — Health", "cafe-unicode-health"),
        ("日本語", "posting"),
        ("A" * 200, "a" * 80),
        ("word " * 30, "-".join(["word"] * 16)),
    ],
)
def test_safe_stem(text: str, stem: str) -> None:
    assert safe_stem(text) == stem


@given(st.text())
def test_safe_stem_is_always_a_plain_portable_name(text: str) -> None:
    stem = safe_stem(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem) and len(stem) <= 80
    assert stem not in WINDOWS_RESERVED


def test_collisions_get_deterministic_suffixes() -> None:
    stems = ["a", "a", "a-2", "a", "manifest", "b" * 80, "b" * 80]
    assert list(unique_stems(stems, taken=["manifest"])) == [
        "a",
        "a-2",
        "a-2-2",
        "a-3",
        "manifest-2",
        "b" * 80,
        "b" * 78 + "-2",
    ]


def test_default_names_use_requisition_id_or_the_row_number(guide: Guide) -> None:
    rows = [
        Row(i, f"r{i}", {"employer.name": "Acme", "setting": "in", "education": "hs"})
        for i in range(1, 11)
    ]
    rows[2] = Row(
        3, "r3", {"requisition_id": "REQ/7", "employer": {"name": "Acme"}, "setting": "sud"}
    )
    rows[4] = Row(5, "r5", {"setting": "nowhere", "salary.min": "lots"})  # bad rows get names too
    names = assign_names(guide, rows)
    assert names[0] == "1-acme-inpatient-facilities"  # not padded: adding rows renames nothing
    assert names[2] == "req-7-acme-substance-abuse-treatment-facilities"
    assert names[4] == "5-nowhere"
    assert names[9] == "10-acme-inpatient-facilities"


def test_name_pattern_fields_and_defaults(guide: Guide) -> None:
    rows = [
        Row(1, "r1", {"title": "Night Tech", "education": "ba"}),
        Row(2, "r2", {"education": "certificate"}),
    ]
    names = assign_names(
        guide,
        rows,
        pattern="{employer}/{title}.{education} {row}",
        defaults=[{"employer.name": "Acme"}],
    )
    assert names == [
        "acme-night-tech-bachelors-degree-1",
        "acme-mental-health-technician-mental-health-technician-training-2",
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{employr}", "unknown field {employr}. Did you mean 'employer'?"),
        ("{row:03d}", "write {row} plainly"),
        ("{row", "expected '}'"),
    ],
)
def test_bad_name_patterns(pattern: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        check_name_pattern(pattern)
    assert message in str(info.value)


def test_bad_name_pattern_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = batch(runner, str(EXAMPLE_CSV), "-d", str(tmp_path), "--name", "{nope}")
    assert result.exit_code == 2 and "unknown field {nope}" in result.stderr


def test_names_never_leave_the_folder(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "a" / "out"
    evil = ["../../../escape", "..\\..\\escape", "/etc/cron.d/x", "CON", "", "NUL.txt"]
    src = write_csv(tmp_path / "p.csv", [good(i, name) for i, name in enumerate(evil)])
    result = batch(runner, str(src), "-d", str(out), "--name", "{employer}", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "con-posting.md",
        "escape-2.md",
        "escape.md",
        "etc-cron-d-x.md",
        "manifest.json",
        "nul-txt.md",
        "posting.md",
    ]
    assert all_files(tmp_path) == {src, *all_files(out)}


# --------------------------------------------------------------------------- the manifest


def test_manifest_records_every_row(runner: CliRunner, tmp_path: Path) -> None:
    rows = [good(1), ["Beta", "inpatient", "hs", "Akron", "US"], ["Gamma", "nowhere", "hs", "", ""]]
    rows.append(["Delta", "sud", "", "Akron", "US"])
    src = write_csv(tmp_path / "p.csv", rows)
    out = tmp_path / "out"
    result = batch(runner, str(src), "-d", str(out), "-f", "md", "-f", "json", "-j", "1")
    assert result.exit_code == 1
    data = manifest(out)
    assert data["summary"] == {
        "rows": 4,
        "ok": 2,
        "error": 2,
        "changed": 0,
        "skipped": 0,
        "not_run": 0,
    }
    assert data["formats"] == ["md", "json"] and data["interrupted"] is False
    assert data["input"] == str(src) and data["name_pattern"] == "{id}-{employer}-{setting}"
    first, second, third, fourth = data["postings"]
    assert first["row"] == 1 and first["status"] == "ok" and first["error"] is None
    assert [f["path"] for f in first["files"]] == [
        "1-employer-1-outpatient-clinics.md",
        "1-employer-1-outpatient-clinics.json",
    ]
    for entry in (first, second):
        for f in entry["files"]:
            body = (out / f["path"]).read_bytes()
            assert f["sha256"] == hashlib.sha256(body).hexdigest() and f["bytes"] == len(body)
            assert f["written"] is True
    assert third["status"] == "error" and third["field"] == "setting" and third["files"] == []
    assert third["error"].startswith(f"{src} row 3 (line 4): unknown setting 'nowhere'")
    assert fourth["field"] == "education"
    assert fourth["error"].startswith(f"{src} row 4 (line 5): education: no education level given")
    assert third["error"] in result.stderr and fourth["error"] in result.stderr
    assert result.stderr.endswith(f"2 ok, 2 failed, 0 skipped → {out} (manifest.json)\n")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["manifest.json", *(f["path"] for e in (first, second) for f in e["files"])]
    )


def test_manifest_dash_streams_json_lines_in_row_order(runner: CliRunner, tmp_path: Path) -> None:
    rows = [good(i) for i in range(40)]
    rows[7][1] = "nowhere"
    src = write_csv(tmp_path / "p.csv", rows)
    out = tmp_path / "out"
    result = batch(runner, str(src), "-d", str(out), "--manifest", "-", "-j", "2")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["row"] for line in lines] == list(range(1, 41))
    assert lines == manifest(out)["postings"]
    assert lines[7]["status"] == "error" and lines[7]["field"] == "setting"


def test_manifest_takes_only_dash(runner: CliRunner, tmp_path: Path) -> None:
    result = batch(runner, str(EXAMPLE_CSV), "-d", str(tmp_path), "--manifest", "m.json")
    assert result.exit_code == 2 and "only '-' is accepted" in result.stderr


def test_same_input_gives_the_same_bytes_with_any_number_of_workers(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "p.csv", [good(i, "Same Name") for i in range(30)])
    one = run_batch(src, out_dir=tmp_path / "one", jobs=1, environ={})
    two = run_batch(src, out_dir=tmp_path / "two", jobs=2, environ={})
    assert one.postings == two.postings
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (
        tmp_path / "two" / "manifest.json"
    ).read_bytes()
    assert one.postings[1].name == "2-same-name-outpatient-clinics"


def test_workers_started_by_spawn_as_on_macos_and_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "spawn" pickles the guide, the defaults and the template path into each worker."""
    monkeypatch.setattr(jobgen.batch.scheduler, "START_METHOD", "spawn")
    employer = tmp_path / "e.yaml"
    employer.write_text("employer: {name: Spawned Co}\nlocation: {city: Akron, country: US}\n")
    src = write_csv(
        tmp_path / "p.csv", [["in", "hs"], ["sud", "ba"], ["out", "x"]], ["setting", "education"]
    )
    result = run_batch(src, out_dir=tmp_path / "out", employer_file=employer, jobs=2, environ={})
    assert [r.status for r in result.postings] == ["ok", "ok", "error"]
    assert (
        result.postings[2].error is not None
        and "unknown education level 'x'" in result.postings[2].error
    )
    text = (tmp_path / "out" / "1-spawned-co-inpatient-facilities.md").read_text(encoding="utf-8")
    assert "Spawned Co" in text


def test_a_failing_row_writes_no_file_in_any_format(runner: CliRunner, tmp_path: Path) -> None:
    rows = [good(1), ["No Country", "inpatient", "hs", "Akron", ""]]
    src = write_csv(tmp_path / "p.csv", rows)
    out = tmp_path / "out"
    result = batch(runner, str(src), "-d", str(out), "-f", "md,jsonld", "-j", "1")
    assert result.exit_code == 1
    bad = manifest(out)["postings"][1]
    assert bad["field"] == "location.country" and bad["files"] == []
    assert sorted(p.name for p in out.iterdir()) == [
        "1-employer-1-outpatient-clinics.jsonld",
        "1-employer-1-outpatient-clinics.md",
        "manifest.json",
    ]


def test_lint_findings_are_recorded_without_changing_the_exit_status(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = write_csv(tmp_path / "p.csv", [good(1)])
    result = batch(runner, str(src), "-d", str(tmp_path / "out"), "--lint")
    assert result.exit_code == 0, result.output
    [entry] = manifest(tmp_path / "out")["postings"]
    guide = load_guide()
    values = dict(zip(HEADER, good(1), strict=True))
    posting = compose(guide, load_options(guide, values=values))
    assert entry["lint"] == lint_posting(posting) and entry["lint"]["word_count"] > 0
    without = batch(runner, str(src), "-d", str(tmp_path / "plain"))
    assert "lint" not in manifest(tmp_path / "plain")["postings"][0] and without.exit_code == 0


def test_docx_warnings_are_recorded(runner: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("# {{ posting.title }}\ufffe\n\n{{ posting.employer_name }}\n")
    src = write_csv(tmp_path / "p.csv", [good(1)])
    out = tmp_path / "out"
    result = batch(runner, str(src), "-d", str(out), "-f", "md,docx", "--template", str(template))
    assert result.exit_code == 0, result.output
    [entry] = manifest(out)["postings"]
    assert len(entry["warnings"]) == 1 and entry["warnings"][0].startswith("docx: removed U+FFFE")


# --------------------------------------------------------------------------- options and exit codes


def test_precedence_employer_file_yaml_defaults_env_set_row(
    runner: CliRunner, tmp_path: Path
) -> None:
    employer = tmp_path / "e.yaml"
    employer.write_text(
        "employer: {name: File Co}\nlocation: {city: Fileville, region: OH}\nschedule: File\n"
        "title: File Title\n"
    )
    src = tmp_path / "p.yaml"
    src.write_text(
        "defaults: {location.city: Yamlton, schedule: Yaml, title: Yaml Title}\n"
        "postings:\n  - {setting: in, education: hs, title: Row Title}\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["batch", str(src), "-d", str(out), "-e", str(employer), "--set", "schedule=Set",
         "--set", "title=Set Title", "--name", "{row}"],
        env={"JOBGEN_SCHEDULE": "Env", "JOBGEN_LOCATION_REGION": "PA"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (out / "1.md").read_text(encoding="utf-8")
    assert text.startswith("# Row Title\n")
    assert "**File Co · Yamlton, PA · Full-time · Set**" in text


def test_bad_default_is_reported_once_before_any_row(runner: CliRunner, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "p.csv", [good(i) for i in range(5)])
    out = tmp_path / "out"
    result = batch(runner, str(src), "-d", str(out), "--set", "salary.min=lots")
    assert result.exit_code == 2
    assert "salary.min: 'lots' is not a number" in result.stderr and not out.exists()
    employer = tmp_path / "e.yaml"
    employer.write_text("workplace: moon\n")
    result = batch(runner, str(src), "-d", str(out), "-e", str(employer))
    assert result.exit_code == 1
    assert f"{employer}:1: workplace: 'moon' is not allowed" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "pdf"], "unknown format 'pdf'"),
        (["--set", "salary.minimum=3"], "unknown field 'salary.minimum'"),
        (["--jobs", "0"], "0 is not allowed; give 1 or more"),
        (["--input-format", "xml"], "'xml' is not one of"),
        (["--reference-docx", "ref.docx"], "applies to Word documents only"),
    ],
)
def test_usage_errors_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = batch(runner, str(EXAMPLE_CSV), "-d", str(tmp_path / "out"), *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and not (tmp_path / "out").exists()


def test_missing_out_dir_and_missing_input(runner: CliRunner, tmp_path: Path) -> None:
    assert batch(runner, str(EXAMPLE_CSV)).exit_code == 2
    result = batch(runner, str(tmp_path / "nope.csv"), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1 and "nope.csv: no such batch file" in result.stderr


def test_template_syntax_error_stops_before_any_row(runner: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "t.md.j2"
    template.write_text("# {{ posting.title }\n")
    out = tmp_path / "out"
    result = batch(runner, str(EXAMPLE_CSV), "-d", str(out), "--template", str(template))
    assert result.exit_code == 1 and f"{template}:1: template syntax error" in result.stderr
    assert not out.exists()


def test_example_batch_renders_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch(runner, str(EXAMPLE_CSV), "-d", str(out), "-f", "md,jsonld")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"6 ok, 0 failed, 0 skipped → {out} (manifest.json)\n"
    assert len(list(out.glob("*.md"))) == 6 and len(list(out.glob("*.jsonld"))) == 6
    riverside = out / "rbh-2026-118-riverside-behavioral-health-inpatient-facilities.md"
    text = riverside.read_text(encoding="utf-8")
    assert "- Medical, dental and vision insurance from day one\n" in text


# --------------------------------------------------------------------------- overwriting, dry run


def test_second_run_without_force_leaves_every_file_untouched(
    runner: CliRunner, tmp_path: Path
) -> None:
    src = write_csv(tmp_path / "p.csv", [good(i) for i in range(8)])
    out = tmp_path / "out"
    assert batch(runner, str(src), "-d", str(out), "-f", "md,json").exit_code == 0
    edited = out / "1-employer-0-inpatient-facilities.md"
    edited.write_text("my edits")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    (out / "8-employer-7-substance-abuse-treatment-facilities.json").unlink()

    second = batch(runner, str(src), "-d", str(out), "-f", "md,json")
    assert second.exit_code == 1, second.output  # the edited file is reported, left as it is
    assert second.stderr.endswith(
        f"0 ok, 0 failed, 7 skipped, 1 changed (add --force to replace them) → {out} "
        "(manifest.json)\n"
    )
    assert (
        f"{edited.name} differs from what this row renders now and was left as it was; "
        "add --force to replace"
    ) in second.stderr
    recreated = out / "8-employer-7-substance-abuse-treatment-facilities.json"
    for path, (body, mtime) in before.items():
        if path.name != "manifest.json" and path != recreated:
            assert (path.read_bytes(), path.stat().st_mtime_ns) == (body, mtime)
    assert recreated.read_bytes() == before[recreated][0]
    assert edited.read_text() == "my edits"
    entries = manifest(out)["postings"]
    assert [e["status"] for e in entries] == ["changed"] + ["skipped"] * 7
    assert entries[0]["files"][0] == {
        "format": "md",
        "path": edited.name,
        "sha256": hashlib.sha256(b"my edits").hexdigest(),
        "bytes": 8,
        "written": False,
    }
    assert [f["written"] for f in entries[7]["files"]] == [False, True]  # the missing one came back

    forced = batch(runner, str(src), "-d", str(out), "-f", "md,json", "--force")
    assert forced.exit_code == 0 and edited.read_text().startswith("# Mental Health Technician")
    assert {e["status"] for e in manifest(out)["postings"]} == {"ok"}


def test_a_foreign_manifest_is_not_replaced(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"mine": true}')
    result = batch(runner, str(EXAMPLE_CSV), "-d", str(out))
    assert result.exit_code == 1 and "is not a jobgen manifest" in result.stderr
    assert [p.name for p in out.iterdir()] == ["manifest.json"]


def test_dry_run_validates_every_row_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    rows = [good(1), ["Bad", "in", "hs", "Akron", "US"], good(3)]
    rows[1][2] = "phd"
    src = write_csv(tmp_path / "p.csv", rows)
    out = tmp_path / "out"
    result = batch(
        runner, str(src), "-d", str(out), "--dry-run", "--manifest", "-", "-f", "md,docx"
    )
    assert result.exit_code == 1
    assert not out.exists()
    assert result.stderr.endswith("dry run: 2 ok, 1 failed, 0 skipped; nothing was written\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["ok", "error", "ok"]
    assert lines[1]["field"] == "education"
    assert all(f["written"] is False and f["sha256"] for f in lines[0]["files"])
    # an existing file with other text would be reported changed
    out.mkdir()
    (out / "1-employer-1-outpatient-clinics.md").write_text("keep")
    again = batch(runner, str(src), "-d", str(out), "--dry-run")
    assert "dry run: 1 ok, 1 failed, 0 skipped, 1 changed" in again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["1-employer-1-outpatient-clinics.md"]


# --------------------------------------------------------------------------- stdin


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("csv", b"\xef\xbb\xbfemployer.name,setting,education\nAcme,in,hs\nBeta,sud,ba\n"),
        ("jsonl", b'{"employer.name": "Acme", "setting": "in", "education": "hs"}\n'
                  b'{"employer": {"name": "Beta"}, "setting": "sud", "education": "ba"}\n'),
        ("yaml", b"- {employer.name: Acme, setting: in, education: hs}\n"
                 b"- {employer: {name: Beta}, setting: sud, education: ba}\n"),
    ],
)  # fmt: skip
def test_stdin_in_every_format(runner: CliRunner, tmp_path: Path, fmt: str, data: bytes) -> None:
    out = tmp_path / "out"
    result = batch(runner, "-", "--input-format", fmt, "-d", str(out), input=data)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.md")) == [
        "1-acme-inpatient-facilities.md",
        "2-beta-substance-abuse-treatment-facilities.md",
    ]
    assert manifest(out)["input"] == "stdin"


def test_an_empty_input_is_an_empty_batch(runner: CliRunner, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "p.csv", [])
    result = batch(runner, str(src), "-d", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.stderr == f"0 ok, 0 failed, 0 skipped → {tmp_path / 'out'} (manifest.json)\n"
    assert manifest(tmp_path / "out")["postings"] == []


def test_many_errors_are_summed_up_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "p.csv", [["X", "nowhere", "hs", "", ""] for _ in range(25)])
    result = batch(runner, str(src), "-d", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 1
    assert result.stderr.count("unknown setting 'nowhere'") == 20
    assert "... and 5 more errors\n0 ok, 25 failed, 0 skipped" in result.stderr
    assert len(manifest(tmp_path / "out")["postings"]) == 25


def test_stdin_needs_input_format(runner: CliRunner, tmp_path: Path) -> None:
    result = batch(runner, "-", "-d", str(tmp_path), input=b"setting\nin\n")
    assert result.exit_code == 2 and "--input-format csv|yaml|jsonl" in result.stderr


# --------------------------------------------------------------------------- the 300-row run


def test_300_rows_with_3_bad_ones(runner: CliRunner, tmp_path: Path) -> None:
    formats = ["md", "docx"]
    rows = [good(i, "../../../Evil/../Corp" if i % 25 == 0 else None) for i in range(300)]
    rows[10][1] = "the moon"  # setting
    rows[150][2] = "phd"  # education
    rows[299][0] = "x" * 5001  # employer.name, too long
    (tmp_path / "in").mkdir()
    src = write_csv(tmp_path / "in" / "p.csv", rows)
    out = tmp_path / "deep" / "out"
    result = batch(runner, str(src), "-d", str(out), "-f", ",".join(formats), "-j", "2")
    assert result.exit_code == 1, result.output
    for fmt in formats:
        assert len(list(out.glob(f"*.{fmt}"))) == 297
    data = manifest(out)
    assert data["summary"] == {
        "rows": 300,
        "ok": 297,
        "error": 3,
        "changed": 0,
        "skipped": 0,
        "not_run": 0,
    }
    errors = [(e["row"], e["field"]) for e in data["postings"] if e["status"] == "error"]
    assert errors == [(11, "setting"), (151, "education"), (300, "employer.name")]
    assert result.stderr.endswith(f"297 ok, 3 failed, 0 skipped → {out} (manifest.json)\n")
    assert all_files(tmp_path) == {src, *all_files(out)}  # nothing outside DIR
    assert len(all_files(out)) == 297 * len(formats) + 1
    assert "1-evil-corp-inpatient-facilities.md" in {p.name for p in out.iterdir()}


# --------------------------------------------------------------------------- terminals and signals


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795824000"}


def test_progress_bar_on_a_terminal_and_silence_when_piped(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "jobgen", "batch", str(EXAMPLE_CSV), "-j", "1", "-d"]
    piped = subprocess.run(
        [*command, str(tmp_path / "piped")], capture_output=True, text=True, env=_env(), timeout=120
    )
    assert piped.returncode == 0
    assert piped.stderr == f"6 ok, 0 failed, 0 skipped → {tmp_path / 'piped'} (manifest.json)\n"
    assert piped.stdout == ""

    main, secondary = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        try:
            while chunk := os.read(main, 4096):
                chunks.append(chunk)
        except OSError:  # EIO once the terminal's other side is closed
            pass

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        done = subprocess.run(
            [*command, str(tmp_path / "tty")],
            stderr=secondary,
            stdout=subprocess.PIPE,
            env=_env(),
            timeout=120,
        )
    finally:
        os.close(secondary)
        reader.join(timeout=30)
        os.close(main)
    shown = b"".join(chunks).decode()
    assert done.returncode == 0
    assert "Rendering  [" in shown and "100%" in shown  # of the input's bytes read
    assert "6 ok, 0 failed, 0 skipped" in shown


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigint_leaves_no_partial_file_and_a_manifest_of_what_finished(
    tmp_path: Path, jobs: str
) -> None:
    src = write_csv(tmp_path / "p.csv", [good(i) for i in range(20_000)])
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "jobgen", "batch", str(src), "-d", str(out), "-j", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C would signal
    )
    try:
        for _ in range(6000):  # until some postings exist (up to a minute)
            if out.is_dir() and sum(1 for _ in out.glob("*.md")) >= 3:
                break
            if process.poll() is not None:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the batch ended before it could be interrupted"
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    data = manifest(out)
    assert data["interrupted"] is True
    finished = data["postings"]
    assert 3 <= len(finished) < 20_000
    assert data["summary"]["not_run"] == 20_000 - len(finished)
    assert [e["row"] for e in finished] == list(range(1, len(finished) + 1))
    assert {e["status"] for e in finished} == {"ok"}
    listed = {f["path"]: f["sha256"] for e in finished for f in e["files"]}
    on_disk = {p.name for p in out.iterdir()} - {"manifest.json"}
    assert on_disk == set(listed)  # no temporary or half-written file, nothing unrecorded
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert f"interrupted: {len(finished)} ok, 0 failed, 0 skipped" in stderr.decode()


def test_library_raises_batch_interrupted_with_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cancel = threading.Event()

    def on_result(row: RowResult) -> None:
        if row.row == 2:
            cancel.set()  # as a signal handler of the caller's would

    src = write_csv(tmp_path / "p.csv", [good(i) for i in range(300)])
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(BatchInterrupted) as info:
        run_batch(
            src, out_dir=tmp_path / "out", jobs=1, environ={}, on_result=on_result, cancel=cancel
        )
    result = info.value.result
    assert isinstance(info.value, KeyboardInterrupt)
    assert result.interrupted and result.exit_code == 130
    # the chunk running when it was set is finished and recorded; the rest are counted
    assert 0 < result.not_run < 299
    assert [r.row for r in result.postings] == list(range(1, 301 - result.not_run))
    assert manifest(tmp_path / "out")["summary"]["not_run"] == result.not_run
    assert signal.getsignal(signal.SIGINT) is before  # the library installs no handler
