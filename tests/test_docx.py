"""The DOCX writer, read back with python-docx: styles, runs, numbering, links, properties,
determinism, reference documents and text XML cannot hold."""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import run_python
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Inches

from jobgen.errors import UsageError, ValidationError
from jobgen.render import docx as docx_render
from jobgen.render.docx import (
    DocumentMeta,
    DocxWarning,
    build_docx,
    default_reference_path,
    render_docx,
)
from jobgen.render.docx import reference as docx_reference

ROOT = Path(__file__).resolve().parents[1]

POSTING = """\
# Mental Health Technician

**Acme Health** · Denver, CO · Full-time · Day shift · $18.00–$24.00 per hour

## About \\*Acme\\* Health
Acme Health runs a 40-bed inpatient unit. We care
about *people* and `evidence-based` practice.

## What you will do
- **Assisting with Daily Care:** Help patients with personal hygiene and meals.
- **Monitoring Patient Progress:** Observe and document behavior and mood.
  - Chart every shift.
  - Report changes to the nurse.
- **Implementing Therapeutic Activities:** Lead group activities.
- **Providing Emotional Support:** Listen and offer a safe space.
- **Collaborating with the Treatment Team:** Share observations at team meetings.

### In our inpatient setting
- Carry out routine safety checks.

## Qualifications
### Required
- High school diploma or GED.
### Preferred
- CPR certification.

## How to apply
1. Apply at [acme.example/jobs/123](https://acme.example/jobs/123) or email <jobs@acme.example>.
2. Bring a reference.

After the interview:

3. Shadow a shift.
4. Receive an offer.

Not a link: [click](javascript:alert(1)).
"""

RESPONSIBILITIES = (
    "Assisting with Daily Care:",
    "Monitoring Patient Progress:",
    "Implementing Therapeutic Activities:",
    "Providing Emotional Support:",
    "Collaborating with the Treatment Team:",
)
SECTIONS = ("About *Acme* Health", "What you will do", "Qualifications", "How to apply")

META = DocumentMeta(
    title="Mental Health Technician",
    subject="Job posting: Mental Health Technician at Acme Health",
    author="Acme Health",
    company="Acme Health",
    keywords=("mental health technician", "inpatient", "Denver"),
    created=datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
)


def read(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def output() -> bytes:
    return build_docx(POSTING, META).data


@pytest.fixture(scope="module")
def document(output: bytes) -> Any:
    return read(output)


def numbering_of(paragraph: Any) -> tuple[int, int] | None:
    properties = paragraph._p.pPr
    if properties is None or properties.numPr is None:
        return None
    return properties.numPr.ilvl.val, properties.numPr.numId.val


def list_format(document: Any, num_id: int, level: int) -> tuple[str, int]:
    """(numFmt, effective start) of ``level`` in the list ``num_id``."""
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.numId == num_id)
    abstract_id = num.abstractNumId.val
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(abstract_id)
    )
    lvl = next(x for x in abstract.findall(qn("w:lvl")) if x.get(qn("w:ilvl")) == str(level))
    start = int(lvl.find(qn("w:start")).get(qn("w:val")))
    for override in num.findall(qn("w:lvlOverride")):
        if override.get(qn("w:ilvl")) == str(level):
            start = int(override.find(qn("w:startOverride")).get(qn("w:val")))
    return lvl.find(qn("w:numFmt")).get(qn("w:val")), start


def styled(document: Any, prefix: str) -> list[Any]:
    return [p for p in document.paragraphs if p.style.name.startswith(prefix)]


# ---------------------------------------------------------------------------------------------
# structure


def test_headings_use_word_heading_styles(document: Any) -> None:
    headings = [(p.style.name, p.text) for p in styled(document, "Heading")]
    assert len(headings) >= 5
    assert headings[0] == ("Heading 1", "Mental Health Technician")
    assert [text for style, text in headings if style == "Heading 2"] == list(SECTIONS)
    assert ("Heading 3", "In our inpatient setting") in headings
    assert ("Heading 3", "Required") in headings
    assert ("Heading 3", "Preferred") in headings


def test_paragraphs_use_the_body_style_with_bold_and_italic_runs(document: Any) -> None:
    byline = document.paragraphs[1]
    assert byline.style.name == "Normal"
    assert (byline.runs[0].text, byline.runs[0].bold) == ("Acme Health", True)
    about = document.paragraphs[3]
    assert about.style.name == "Normal"
    # the soft line break is a space; code spans are plain text
    assert about.text == (
        "Acme Health runs a 40-bed inpatient unit. We care about people and evidence-based "
        "practice."
    )
    assert [r.text for r in about.runs if r.italic] == ["people"]


def test_every_responsibility_is_a_bold_lead_in(document: Any) -> None:
    items = [p for p in styled(document, "List Bullet") if p.runs and p.runs[0].bold]
    lead_ins = [p.runs[0].text for p in items]
    assert lead_ins == list(RESPONSIBILITIES)
    for paragraph in items:
        assert not paragraph.runs[1].bold
        assert paragraph.runs[1].text.startswith(" ")


def test_list_items_carry_word_numbering(document: Any) -> None:
    items = styled(document, "List")
    assert len(items) == 14
    for paragraph in items:
        numbering = numbering_of(paragraph)
        assert numbering is not None, paragraph.text
        level, num_id = numbering
        number_format, _ = list_format(document, num_id, level)
        expected = "decimal" if paragraph.style.name == "List Number" else "bullet"
        assert number_format == expected, paragraph.text


def test_nested_bullets_are_one_level_down_in_their_own_list(document: Any) -> None:
    by_text = {p.text: numbering_of(p) for p in styled(document, "List Bullet")}
    level, outer = by_text["Monitoring Patient Progress: Observe and document behavior and mood."]
    assert level == 0
    nested = [by_text["Chart every shift."], by_text["Report changes to the nurse."]]
    assert nested[0] == nested[1]
    assert nested[0][0] == 1
    assert nested[0][1] != outer
    assert by_text["Providing Emotional Support: Listen and offer a safe space."] == (0, outer)


def test_each_ordered_list_restarts_at_its_first_number(document: Any) -> None:
    numbered = styled(document, "List Number")
    assert [p.text.split(" ")[0] for p in numbered] == ["Apply", "Bring", "Shadow", "Receive"]
    first, second = numbering_of(numbered[0]), numbering_of(numbered[2])
    assert first is not None and second is not None
    assert numbering_of(numbered[1]) == first
    assert first[1] != second[1]
    assert list_format(document, first[1], 0) == ("decimal", 1)
    assert list_format(document, second[1], 0) == ("decimal", 3)  # the Markdown said "3."


def test_links_are_real_hyperlinks_with_the_hyperlink_style(document: Any) -> None:
    part = document.part
    hyperlink_style = document.styles["Hyperlink"].style_id
    found = {}
    for element in part.element.body.iter(qn("w:hyperlink")):
        rel = part.rels[element.get(qn("r:id"))]
        assert rel.is_external
        assert rel.reltype == RT.HYPERLINK
        runs = element.findall(qn("w:r"))
        assert all(r.rPr.rStyle.val == hyperlink_style for r in runs)
        found[rel.target_ref] = "".join(r.text for r in runs)
    assert found == {
        "https://acme.example/jobs/123": "acme.example/jobs/123",
        "mailto:jobs@acme.example": "jobs@acme.example",
    }
    last = document.paragraphs[-1]
    assert last.text == "Not a link: [click](javascript:alert(1))."


def test_core_and_app_properties(output: bytes, document: Any) -> None:
    properties = document.core_properties
    assert properties.title == META.title
    assert properties.subject == META.subject
    assert properties.author == "Acme Health"
    assert properties.keywords == "mental health technician, inpatient, Denver"
    assert properties.created == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert properties.modified == properties.created
    assert properties.revision == 1
    assert properties.last_modified_by == "jobgen"
    assert properties.comments == ""
    with zipfile.ZipFile(io.BytesIO(output)) as package:
        app = package.read("docProps/app.xml").decode()
    assert "<Company>Acme Health</Company>" in app


def test_default_reference_body_is_not_copied(document: Any) -> None:
    assert not any("Heading 1)" in p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Mental Health Technician"


# ---------------------------------------------------------------------------------------------
# determinism


def test_identical_inputs_give_identical_bytes(output: bytes) -> None:
    assert build_docx(POSTING, META).data == output
    assert render_docx(POSTING, META) == output


def test_zip_members_have_fixed_order_and_timestamps(output: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(output)) as package:
        infos = package.infolist()
    names = [info.filename for info in infos]
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert names[2:] == sorted(names[2:])
    assert {info.date_time for info in infos} == {(2024, 5, 1, 9, 30, 0)}


def test_created_time_is_taken_as_utc() -> None:
    later = DocumentMeta(
        title=META.title, created=datetime(2024, 5, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    )
    naive = DocumentMeta(title=META.title, created=datetime(2024, 5, 1, 9, 30))
    assert build_docx(POSTING, later).data == build_docx(POSTING, naive).data
    assert read(build_docx(POSTING, naive).data).core_properties.created == META.created


def test_a_different_date_changes_only_dates() -> None:
    moved = DocumentMeta(title=META.title, created=datetime(2025, 1, 2, tzinfo=UTC))
    data = build_docx(POSTING, moved).data
    assert read(data).core_properties.created == datetime(2025, 1, 2, tzinfo=UTC)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {i.date_time for i in package.infolist()} == {(2025, 1, 2, 0, 0, 0)}


def test_dates_before_1980_still_make_a_valid_zip() -> None:
    old = DocumentMeta(title="x", created=datetime(1970, 1, 1, tzinfo=UTC))
    data = build_docx("# x\n", old).data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert read(data).core_properties.created == datetime(1970, 1, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# reference documents


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def employer_reference(tmp_path: Path) -> Path:
    """jobgen's reference rebranded: serif Normal font, a logo and text in the header, wide
    margins, and body content (text and an image) that must not reach the posting."""
    document = docx.Document(str(default_reference_path()))
    document.styles["Normal"].font.name = "Liberation Serif"
    section = document.sections[0]
    section.left_margin = section.right_margin = Inches(1.5)
    header = section.header.paragraphs[0]
    header.text = "ACME HEALTH LETTERHEAD"
    logo = tmp_path / "logo.png"
    logo.write_bytes(tiny_png())
    header.add_run().add_picture(str(logo), width=Inches(0.5))
    document.add_paragraph("REFERENCE BODY TEXT")
    document.add_picture(str(logo), width=Inches(1))
    path = tmp_path / "acme-reference.docx"
    document.save(str(path))
    return path


def test_reference_font_page_setup_and_header_carry_over(tmp_path: Path) -> None:
    reference = employer_reference(tmp_path)
    result = build_docx(POSTING, META, reference=reference)
    assert result.warnings == ()
    document = read(result.data)
    assert document.styles["Normal"].font.name == "Liberation Serif"
    section = document.sections[0]
    assert section.left_margin == Inches(1.5)
    assert section.header.paragraphs[0].text == "ACME HEALTH LETTERHEAD"
    header_images = [rel for rel in section.header.part.rels.values() if rel.reltype == RT.IMAGE]
    assert len(header_images) == 1
    body_text = "\n".join(p.text for p in document.paragraphs)
    assert "REFERENCE BODY TEXT" not in body_text
    assert body_text.startswith("Mental Health Technician")
    assert not [rel for rel in document.part.rels.values() if rel.reltype == RT.IMAGE]
    with zipfile.ZipFile(io.BytesIO(result.data)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) == 1  # the header's logo; the body's copy of it is gone
    assert render_docx(POSTING, META, reference=reference) == result.data


def test_reference_is_loaded_once_per_path_and_mtime(tmp_path: Path) -> None:
    reference = employer_reference(tmp_path)
    docx_reference._load_reference.cache_clear()
    build_docx("# One\n", META, reference=reference)
    build_docx("# Two\n", META, reference=reference)
    info = docx_reference._load_reference.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    stat = reference.stat()
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    build_docx("# Three\n", META, reference=reference)
    assert docx_reference._load_reference.cache_info().misses == 2


def remove_styles(path: Path, names: set[str], *, numbering: bool = False) -> Path:
    document = docx.Document(str(path))
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.find(qn("w:name")).get(qn("w:val")) in names:
            styles.remove(style)
    if numbering:
        for rid, rel in list(document.part.rels.items()):
            if rel.reltype == RT.NUMBERING:
                del document.part.rels[rid]
    target = path.with_name(f"without-{len(names)}-{numbering}.docx")
    document.save(str(target))
    return target


def test_missing_styles_fall_back_with_a_warning_naming_them(tmp_path: Path) -> None:
    reference = remove_styles(employer_reference(tmp_path), {"List Number", "Hyperlink"})
    result = build_docx(POSTING, META, reference=reference)
    assert len(result.warnings) == 2
    assert "no paragraph style 'List Number'" in result.warnings[0]
    assert "no character style 'Hyperlink'" in result.warnings[1]
    assert all(str(reference) in w for w in result.warnings)
    document = read(result.data)
    assert len(styled(document, "List Number")) == 4
    assert document.styles["Hyperlink"].font.underline
    # the copied style is based on the employer's Normal, so it carries the employer's font
    assert document.styles["List Number"].base_style.name == "Normal"
    with pytest.warns(DocxWarning) as caught:
        render_docx(POSTING, META, reference=reference)
    assert [str(w.message) for w in caught] == list(result.warnings)


def test_reference_without_numbering_part_gets_one(tmp_path: Path) -> None:
    reference = remove_styles(employer_reference(tmp_path), {"List Bullet"}, numbering=True)
    result = build_docx(POSTING, META, reference=reference)
    assert [w for w in result.warnings if "'List Bullet'" in w]
    document = read(result.data)
    bullets = styled(document, "List Bullet")
    assert len(bullets) == 10
    numbering = numbering_of(bullets[0])
    assert numbering is not None
    assert list_format(document, numbering[1], 0) == ("bullet", 1)


def test_reference_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "letter.docx"
    bogus.write_text("not a zip")
    with pytest.raises(ValidationError) as caught:
        build_docx(POSTING, META, reference=bogus)
    assert str(bogus) in str(caught.value)
    assert "not a readable Word document" in str(caught.value)


def test_missing_reference_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        build_docx(POSTING, META, reference=tmp_path / "nope.docx")
    assert "nope.docx" in str(caught.value)
    assert caught.value.exit_code == 2


def test_default_reference_document() -> None:
    document = docx.Document(str(default_reference_path()))
    names = {style.name for style in document.styles}
    assert {"Normal", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"} <= names
    assert "Hyperlink" in names
    assert document.styles["Normal"].font.name == "Calibri"
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    assert margins == (Inches(1),) * 4


def test_default_reference_generator_is_reproducible() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_reference_docx
    finally:
        sys.path.remove(str(ROOT / "tools"))
    built = make_reference_docx.build()
    assert built == make_reference_docx.build()
    if docx.__version__ == "1.2.0":  # the committed file was made from python-docx 1.2.0's template
        # member by member, uncompressed: a different zlib must not fail this
        assert unzipped(built) == unzipped(default_reference_path().read_bytes())


def unzipped(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(name, package.read(name)) for name in package.namelist()]


# ---------------------------------------------------------------------------------------------
# text XML cannot hold


def test_control_characters_are_removed_with_warnings() -> None:
    markdown = POSTING.replace("40-bed", "40\x0b-bed\x00").replace("Bring a", "Bring\x0c a\ud800")
    meta = DocumentMeta(title="Mental\x0c Health Technician", created=META.created)
    result = build_docx(markdown, meta)
    document = read(result.data)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "40-bed" in text
    assert "Bring a reference." in text
    assert document.core_properties.title == "Mental Health Technician"
    assert len(result.warnings) == 3
    first, second, title = result.warnings
    assert first == (
        'removed U+000B (vertical tab), U+0000 (NUL) from line 6 of the posting under "About '
        '*Acme* Health": a Word document cannot hold these characters'
    )
    assert second.startswith(
        "removed U+000C (form feed), U+D800 (lone surrogate) from line 29 of the posting under "
        '"How to apply"'
    )
    assert title.startswith("removed U+000C (form feed) from the document title")


def test_strip_xml_invalid_keeps_tabs_newlines_and_astral_characters() -> None:
    text = "a\tb\nc\r\U0001f600 \ufffd"
    assert docx_render.strip_xml_invalid(text) == (text, [])
    assert docx_render.strip_xml_invalid("x\ufffey\x1f") == (
        "xy",
        ["U+FFFE (non-character)", "U+001F (control character)"],
    )


# ---------------------------------------------------------------------------------------------
# cost


def test_heavy_libraries_are_imported_only_when_writing() -> None:
    code = (
        "import sys, jobgen, jobgen.render.docx\n"
        "md = jobgen.generate(setting='inpatient', education='associate', environ={})\n"
        "print(sorted(m for m in ('docx', 'markdown_it', 'lxml') if m in sys.modules))\n"
        "jobgen.generate(setting='inpatient', education='associate', fmt='docx', environ={})\n"
        "print(sorted(m for m in ('docx', 'markdown_it', 'lxml') if m in sys.modules))\n"
    )
    assert run_python(code).splitlines() == ["[]", "['docx', 'lxml', 'markdown_it']"]


def test_styles_are_found_by_name_not_by_localised_id(tmp_path: Path) -> None:
    """German Word stores Heading 1 as styleId "berschrift1" with the name "heading 1"."""
    document = docx.Document(str(default_reference_path()))
    heading = document.styles["Heading 1"].element
    heading.set(qn("w:styleId"), "berschrift1")
    path = tmp_path / "german.docx"
    document.save(str(path))
    result = build_docx(POSTING, META, reference=path)
    assert result.warnings == ()
    first = read(result.data).paragraphs[0]
    assert first._p.pPr.pStyle.val == "berschrift1"
    assert first.style.name == "Heading 1"


def test_docs_show_the_word_document_picture() -> None:
    page = (ROOT / "docs" / "docx.md").read_text(encoding="utf-8")
    assert "# Word documents" in page
    assert "](../examples/posting-docx-page1.png)" in page
    assert "--reference-docx" in page
    png = ROOT / "examples" / "posting-docx-page1.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_default_reference_holds_only_the_styles_a_posting_uses(output: bytes) -> None:
    document = docx.Document(str(default_reference_path()))
    names = {style.name for style in document.styles}
    assert names == {
        "Normal",
        *(f"Heading {level}" for level in range(1, 7)),
        *(f"Heading {level} Char" for level in range(1, 7)),
        "List Bullet",
        "List Number",
        "Quote",
        "Quote Char",
        "Hyperlink",
        "Default Paragraph Font",
        "Normal Table",
        "No List",
    }
    with zipfile.ZipFile(io.BytesIO(output)) as package:
        assert package.testzip() is None
        assert package.getinfo("word/styles.xml").file_size < 20_000
    assert len(output) < 12_000
