"""Reference documents that try something: links and external targets that must not reach a
posting, zips that lie about their sizes, and packages saved by other programs."""

from __future__ import annotations

import io
import struct
import subprocess
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from conftest import require_program
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from test_docx import META, POSTING, employer_reference, read

from jobgen.cli import cli
from jobgen.errors import ValidationError
from jobgen.render.docx import build_docx, default_reference_path
from jobgen.render.docx import reference as docx_reference

HOSTILE = {
    "javascript:alert(1)": "link",
    "file:///etc/passwd": "link",
    "http://tracker.example/pixel.png": "image",
    "http://attacker.example/template.dotm": "attached template",
}
KEPT_LINK = "https://acme.example/careers"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def hyperlink(part: Any, target: str, text: str) -> Any:
    rid = part.relate_to(target, RT.HYPERLINK, is_external=True)
    return parse_xml(
        f'<w:hyperlink xmlns:w="{W}" xmlns:r="{R}" r:id="{rid}"><w:r><w:t>{text}</w:t></w:r>'
        "</w:hyperlink>"
    )


def hostile_reference(tmp_path: Path) -> Path:
    """A branded reference whose header links to javascript:, file: and a real site, shows an
    external image (a tracking pixel), and whose settings attach a remote template."""
    reference = employer_reference(tmp_path)  # header text and an embedded logo
    document = docx.Document(str(reference))
    header = document.sections[0].header
    paragraph = header.paragraphs[0]._p
    for target, text in (
        ("javascript:alert(1)", "Click"),
        ("file:///etc/passwd", "Local"),
        (KEPT_LINK, "Careers"),
    ):
        paragraph.append(hyperlink(header.part, target, text))
    # the embedded logo's picture, turned into a linked (external) one
    blip = next(header.part.element.iter(qn("a:blip")))
    pixel = header.part.relate_to("http://tracker.example/pixel.png", RT.IMAGE, is_external=True)
    run = blip.getparent()
    while run.tag != qn("w:r"):
        run = run.getparent()
    linked = parse_xml(run.xml.replace(f'r:embed="{blip.get(qn("r:embed"))}"', f'r:link="{pixel}"'))
    paragraph.append(linked)
    settings = document.part._settings_part
    template = settings.relate_to(
        "http://attacker.example/template.dotm",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
        is_external=True,
    )
    settings.element.insert(
        0, parse_xml(f'<w:attachedTemplate xmlns:w="{W}" xmlns:r="{R}" r:id="{template}"/>')
    )
    path = tmp_path / "hostile.docx"
    document.save(str(path))
    return path


def external_targets(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        found = []
        for name in package.namelist():
            if name.endswith(".rels"):
                text = package.read(name).decode()
                found += [
                    target for target, mode in _relationships(text) if mode.lower() == "external"
                ]
        return found


def _relationships(text: str) -> list[tuple[str, str]]:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(text)
    return [(r.get("Target", ""), r.get("TargetMode", "")) for r in root]


def test_hostile_reference_targets_are_dropped_with_a_warning_each(tmp_path: Path) -> None:
    reference = hostile_reference(tmp_path)
    before = external_targets(reference.read_bytes())
    assert set(HOSTILE) | {KEPT_LINK} <= set(before)  # the reference really carries them

    result = build_docx(POSTING, META, reference=reference)
    after = external_targets(result.data)
    assert not set(HOSTILE) & set(after)
    assert set(after) == {KEPT_LINK, "https://acme.example/jobs/123", "mailto:jobs@acme.example"}
    for target, kind in HOSTILE.items():
        (message,) = [w for w in result.warnings if repr(target) in w]
        assert kind in message and str(reference) in message
    assert len(result.warnings) == len(HOSTILE)

    document = read(result.data)
    header = document.sections[0].header
    # the refused links keep their words, the allowed one stays a link, the pixel is gone
    assert header.paragraphs[0].text == "ACME HEALTH LETTERHEADClickLocalCareers"
    links = [
        header.part.rels[h.get(qn("r:id"))].target_ref
        for h in header.part.element.iter(qn("w:hyperlink"))
    ]
    assert links == [KEPT_LINK]
    assert not [b for b in header.part.element.iter(qn("a:blip")) if b.get(qn("r:link"))]
    assert len(list(header.part.element.iter(qn("a:blip")))) == 1  # the embedded logo stays
    assert document.settings.element.find(qn("w:attachedTemplate")) is None


# ---------------------------------------------------------------------------------------------
# zips that lie


def lying_zip(path: Path, real_size: int, declared_size: int) -> Path:
    """jobgen's reference plus a member of ``real_size`` zero bytes whose local and central
    headers declare ``declared_size``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(default_reference_path()) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/padding.bin", bytes(real_size))
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_start = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_start : name_start + 16] == b"word/padding.bin":
                struct.pack_into("<L", data, start + offset, declared_size)
            start += 4
    path.write_bytes(bytes(data))
    return path


def test_a_zip_that_understates_its_sizes_is_refused_without_inflating_it(
    tmp_path: Path,
) -> None:
    reference = lying_zip(tmp_path / "liar.docx", real_size=150_000_000, declared_size=40_000)
    assert reference.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            build_docx(POSTING, META, reference=reference)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "not a readable Word document (a damaged zip package" in str(caught.value)
    assert str(reference) in str(caught.value)
    assert peak < 20_000_000  # far from the 150 MB it hides


def test_declared_sizes_over_the_limit_are_refused_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = lying_zip(tmp_path / "big.docx", real_size=3_000_000, declared_size=3_000_000)
    with zipfile.ZipFile(reference) as package:
        declared = sum(info.file_size for info in package.infolist())
    monkeypatch.setattr(docx_reference, "MAX_REFERENCE_UNPACKED", declared - 1)
    with pytest.raises(ValidationError) as caught:
        build_docx(POSTING, META, reference=reference)
    assert f"it unpacks to {declared:,} bytes; the limit is {declared - 1:,}" in str(caught.value)


def test_duplicate_member_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.docx"
    with zipfile.ZipFile(default_reference_path()) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/Styles.xml", b"<x/>")  # part names ignore case
    with pytest.raises(ValidationError, match="two members named 'word/Styles.xml'"):
        build_docx(POSTING, META, reference=path)


def test_a_broken_reference_stops_a_batch_once_before_any_row(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = lying_zip(tmp_path / "liar.docx", real_size=2_000_000, declared_size=40_000)
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "setting,education,employer.name\n"
        + "".join(f"inpatient,associate,Acme {n}\n" for n in range(20))
    )
    reads = []
    real = docx_reference.read_members
    monkeypatch.setattr(
        docx_reference, "read_members", lambda *a, **k: reads.append(a) or real(*a, **k)
    )
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["batch", str(rows), "-d", str(out), "-f", "md,docx", "--reference-docx", str(reference)],
    )
    assert result.exit_code == 1, result.output
    assert "not a readable Word document" in result.stderr
    assert str(reference) in result.stderr
    assert len(reads) == 1
    assert not out.exists() or not [p for p in out.iterdir() if p.suffix in (".md", ".docx")]


# ---------------------------------------------------------------------------------------------
# packages saved by other programs


def unique_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    assert len({n.lower() for n in names}) == len(names), names
    return names


def with_core_reltype(source: Path, target: Path, reltype: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "_rels/.rels":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                    b"core-properties",
                    reltype.encode(),
                )
            new.writestr(info, data)
    return target


def test_jobgen_and_word_references_give_unique_part_names(tmp_path: Path) -> None:
    word = tmp_path / "word.docx"
    docx.Document().save(str(word))  # python-docx's template, saved by Word
    for reference in (None, word, employer_reference(tmp_path)):
        unique_names(build_docx(POSTING, META, reference=reference).data)


def test_a_core_properties_relationship_spelt_otherwise_is_not_doubled(tmp_path: Path) -> None:
    """A producer's own spelling of the core-properties relationship type used to make python-docx
    add a second docProps/core.xml beside the reference's."""
    reference = with_core_reltype(
        default_reference_path(),
        tmp_path / "odd.docx",
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/"
        "core-properties",
    )
    data = build_docx(POSTING, META, reference=reference).data
    assert unique_names(data).count("docProps/core.xml") == 1
    assert read(data).core_properties.title == META.title


@pytest.mark.external
def test_a_reference_saved_by_libreoffice(tmp_path: Path) -> None:
    soffice = require_program("soffice", "libreoffice")
    source = employer_reference(tmp_path)
    out_dir = tmp_path / "saved"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    saved = out_dir / source.name
    with zipfile.ZipFile(saved) as package:
        assert "docProps/core.xml" in package.namelist()
    result = build_docx(POSTING, META, reference=saved)
    names = unique_names(result.data)
    assert "docProps/custom.xml" not in names  # nothing of the reference's properties stays
    document = read(result.data)
    assert document.core_properties.title == META.title
    assert document.sections[0].header.paragraphs[0].text == "ACME HEALTH LETTERHEAD"
    assert document.paragraphs[0].text == "Mental Health Technician"
