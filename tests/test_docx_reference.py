"""Reference documents that try something: links and external targets that must not reach a
posting, zips that lie about their sizes, and packages saved by other programs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from test_docx import META, POSTING, employer_reference, read

from jobgen.render.docx import build_docx

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
