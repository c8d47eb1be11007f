"""Real readers open jobgen's DOCX: pandoc reads it back to Markdown, LibreOffice converts it to a
PDF. Skipped with a reason when the programs are missing; ``.ci/run`` installs them and sets
JOBGEN_REQUIRE_EXTERNAL=1 so they cannot be skipped there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import require_program
from test_docx import META, POSTING, RESPONSIBILITIES, SECTIONS

from jobgen.render.docx import build_docx

pytestmark = pytest.mark.external


@pytest.fixture(scope="module")
def posting_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "posting.docx"
    path.write_bytes(build_docx(POSTING, META).data)
    return path


def libreoffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with a private LibreOffice profile, so a LibreOffice already running (a desktop
    session, another test run) neither swallows the request nor locks the profile."""
    soffice = require_program("soffice", "libreoffice")
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = out_dir / f"{docx_path.stem}.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    return pdf


def test_pandoc_reads_headings_lists_and_links(posting_docx: Path) -> None:
    pandoc = require_program("pandoc")
    markdown = subprocess.run(
        [pandoc, "-f", "docx", "-t", "markdown", "--wrap=none", str(posting_docx)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    lines = markdown.splitlines()
    assert "# Mental Health Technician" in lines
    for section in SECTIONS:
        assert f"## {section}".replace("*", r"\*") in lines
    for sub in ("In our inpatient setting", "Required", "Preferred"):
        assert f"### {sub}" in lines
    for name in RESPONSIBILITIES:
        assert re.search(rf"^-\s+\*\*{re.escape(name)}\*\*", markdown, re.M), name
    # nested bullets stay nested under their item
    assert re.search(r"^\s{2,}-\s+Chart every shift\.", markdown, re.M)
    # two ordered lists: 1., 2. and then 3., 4.
    numbers = re.findall(r"^(\d+)\.\s", markdown, re.M)
    assert numbers == ["1", "2", "3", "4"]
    assert "[acme.example/jobs/123](https://acme.example/jobs/123)" in markdown
    assert "<jobs@acme.example>" in markdown


def test_libreoffice_pdf_holds_every_section(posting_docx: Path, tmp_path: Path) -> None:
    pdf = libreoffice_pdf(posting_docx, tmp_path)
    pdftotext = require_program("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for heading in ("Mental Health Technician", *SECTIONS, "Required", "Preferred"):
        assert heading in flat
    for name in RESPONSIBILITIES:
        assert name in flat
    assert "acme.example/jobs/123" in flat


def test_libreoffice_renders_every_section_of_a_real_posting(tmp_path: Path) -> None:
    import io

    import docx

    from jobgen import generate

    root = Path(__file__).resolve().parents[1]
    data = generate(employer_file=root / "examples" / "riverside-inpatient.yaml", fmt="docx")
    path = tmp_path / "riverside.docx"
    path.write_bytes(data)
    headings = [
        p.text
        for p in docx.Document(io.BytesIO(data)).paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert len(headings) >= 10
    pdf = libreoffice_pdf(path, tmp_path)
    text = subprocess.run(
        [require_program("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    missing = [h for h in headings if " ".join(h.split()) not in flat]
    assert not missing
