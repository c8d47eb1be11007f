"""DOCX through the command line and the library: format choice, --reference-docx, binary stdout
rules, atomic writes, document properties from the posting."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

import jobgen
from jobgen.cli import cli
from jobgen.guide import Guide
from jobgen.render.docx import default_reference_path

ROOT = Path(__file__).resolve().parents[1]
RIVERSIDE = ROOT / "examples" / "riverside-inpatient.yaml"


def read(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def test_output_extension_chooses_docx(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "posting.docx"
    result = runner.invoke(cli, ["render", "-e", str(RIVERSIDE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "(docx," in result.stderr
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Mental Health Technician, Nights"
    assert document.paragraphs[0].style.name == "Heading 1"
    assert [p.name for p in tmp_path.iterdir()] == ["posting.docx"]


def test_docx_to_a_pipe_and_dash_o(runner: CliRunner) -> None:
    args = ["render", "-s", "inpatient", "-E", "associate", "-f", "docx"]
    piped = runner.invoke(cli, args)
    dashed = runner.invoke(cli, [*args, "-o", "-"])
    assert piped.exit_code == 0 and dashed.exit_code == 0
    assert piped.stdout_bytes[:2] == b"PK"
    assert piped.stdout_bytes == dashed.stdout_bytes  # and identical bytes on every run
    assert read(piped.stdout_bytes).paragraphs[0].text == "Mental Health Technician"


def test_posting_as_word_document(guide: Guide, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["render", "-e", str(RIVERSIDE), "-f", "docx"])
    document = read(result.stdout_bytes)
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) >= 5
    assert {p.style.name for p in headings} == {"Heading 1", "Heading 2", "Heading 3"}
    lead_ins = {
        p.runs[0].text
        for p in document.paragraphs
        if p.style.name == "List Bullet" and p.runs and p.runs[0].bold
    }
    for item in guide.responsibilities:
        assert f"{item.name}:" in lead_ins
    items = [p for p in document.paragraphs if p.style.name.startswith("List")]
    assert items
    for paragraph in items:
        numbering = paragraph._p.pPr.numPr
        assert numbering is not None and numbering.numId.val > 0, paragraph.text
    links = {
        document.part.rels[h.get(qn("r:id"))].target_ref
        for h in document.element.body.iter(qn("w:hyperlink"))
    }
    assert links == {
        "https://riverside-bh.example",
        "https://riverside-bh.example/careers/mht-nights",
        "mailto:careers@riverside-bh.example",
    }


def test_document_properties_come_from_the_posting(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["render", "-e", str(RIVERSIDE), "-f", "docx"])
    properties = read(result.stdout_bytes).core_properties
    assert properties.title == "Mental Health Technician, Nights"
    assert properties.author == "Riverside Behavioral Health"
    assert properties.subject == (
        "Job posting: Mental Health Technician, Nights at Riverside Behavioral Health"
    )
    assert "Inpatient Facilities" in properties.keywords
    assert "Denver, CO" in properties.keywords
    assert properties.created == datetime(2026, 11, 28, tzinfo=UTC)  # the file's date_posted


def test_created_follows_source_date_epoch(runner: CliRunner, monkeypatch: Any) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2025, 3, 4, tzinfo=UTC).timestamp())))
    args = ["render", "-s", "inpatient", "-E", "associate", "-f", "docx"]
    first = runner.invoke(cli, args).stdout_bytes
    assert read(first).core_properties.created == datetime(2025, 3, 4, tzinfo=UTC)
    assert read(first).core_properties.author == ""  # no employer name: no author
    dated = runner.invoke(cli, [*args, "--set", "date_posted=2024-01-02"]).stdout_bytes
    assert read(dated).core_properties.created == datetime(2024, 1, 2, tzinfo=UTC)


def test_reference_docx_brands_the_output(runner: CliRunner, tmp_path: Path) -> None:
    reference = docx.Document(str(default_reference_path()))
    reference.styles["Normal"].font.name = "Georgia"
    reference.sections[0].header.paragraphs[0].text = "Riverside letterhead"
    path = tmp_path / "ours.docx"
    reference.save(str(path))
    result = runner.invoke(
        cli, ["render", "-e", str(RIVERSIDE), "-f", "docx", "--reference-docx", str(path)]
    )
    assert result.exit_code == 0, result.output
    document = read(result.stdout_bytes)
    assert document.styles["Normal"].font.name == "Georgia"
    assert document.sections[0].header.paragraphs[0].text == "Riverside letterhead"


def test_missing_style_is_a_warning_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    reference = docx.Document(str(default_reference_path()))
    styles = reference.styles.element
    styles.remove(reference.styles["List Bullet"].element)
    path = tmp_path / "plain.docx"
    reference.save(str(path))
    out = tmp_path / "posting.docx"
    result = runner.invoke(
        cli, ["render", "-e", str(RIVERSIDE), "-o", str(out), "--reference-docx", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "jobgen: warning:" in result.stderr
    assert "no paragraph style 'List Bullet'" in result.stderr
    assert any(p.style.name == "List Bullet" for p in docx.Document(str(out)).paragraphs)


def test_reference_docx_needs_a_docx_format(runner: CliRunner) -> None:
    ref = str(default_reference_path())
    result = runner.invoke(cli, ["render", "-s", "in", "-E", "hs", "--reference-docx", ref])
    assert result.exit_code == 2
    assert "--reference-docx: applies to Word documents only" in result.stderr


def test_bad_reference_fails_and_leaves_no_file(runner: CliRunner, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.docx"
    bogus.write_text("hello")
    out = tmp_path / "posting.docx"
    result = runner.invoke(
        cli, ["render", "-s", "in", "-E", "hs", "-o", str(out), "--reference-docx", str(bogus)]
    )
    assert result.exit_code == 1
    assert f"{bogus}: not a readable Word document" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bogus.docx"]

    missing = runner.invoke(
        cli, ["render", "-s", "in", "-E", "hs", "-f", "docx", "--reference-docx", "nope.docx"]
    )
    assert missing.exit_code == 2
    assert "nope.docx: cannot read the reference document" in missing.stderr


def test_existing_docx_is_not_overwritten_without_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "posting.docx"
    out.write_bytes(b"mine")
    args = ["render", "-s", "in", "-E", "hs", "-o", str(out)]
    assert runner.invoke(cli, args).exit_code == 1
    assert out.read_bytes() == b"mine"
    assert runner.invoke(cli, [*args, "--force"]).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("dash_o", [False, True])
def test_docx_is_never_written_to_a_terminal(dash_o: bool) -> None:
    main, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "jobgen", "render", "-s", "in", "-E", "hs", "-f", "docx"]
            + (["-o", "-"] if dash_o else []),
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
        )
    finally:
        os.close(secondary)
    written = b""
    try:
        while chunk := os.read(main, 4096):
            written += chunk
    except OSError:  # EIO: the terminal's other side is closed and drained
        pass
    finally:
        os.close(main)
    assert done.returncode == 2
    assert "will not write a DOCX file (binary data) to the terminal" in done.stderr
    assert "-o posting.docx" in done.stderr
    assert b"PK" not in written


def test_options_lists_docx(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["options"])
    assert "docx" in result.stdout


def test_library_generate_docx() -> None:
    data = jobgen.generate(setting="outpatient", education="ba", fmt="docx", environ={})
    assert read(data).paragraphs[0].style.name == "Heading 1"
