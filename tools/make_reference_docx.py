"""Build jobgen's default reference document, ``templates/reference.docx``.

It starts from python-docx's own default template and adjusts it: Calibri throughout (LibreOffice
substitutes the metric-compatible Carlito), navy/blue headings with modest spacing, a Hyperlink
character style, List Bullet and List Number, US Letter with 1-inch margins. Only the styles a
posting uses are kept (``KEEP``, with the styles they are based on or linked to): python-docx's
template carries 165 styles, most of them table styles, 349 KB of ``styles.xml`` that every
posting would copy. The body holds one sample paragraph per style so someone opening the file
sees what each style looks like; jobgen never copies a reference's body into a posting.

Run from the repository root:  python3 tools/make_reference_docx.py [-o templates/reference.docx]
The output is byte-for-byte reproducible (fixed zip timestamps and core properties).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from jobgen.render.docx import normalize_zip

FONT = "Calibri"
NAVY = RGBColor(0x1F, 0x38, 0x64)
BLUE = RGBColor(0x2E, 0x74, 0xB5)
LINK = RGBColor(0x05, 0x63, 0xC1)
TEXT = RGBColor(0x26, 0x26, 0x26)
EPOCH = datetime(1980, 1, 1)

KEEP = frozenset(
    {
        "Normal",
        *(f"heading {level}" for level in range(1, 7)),
        "List Bullet",
        "List Number",
        "Quote",
        "Hyperlink",
        "Default Paragraph Font",
        "Normal Table",
        "No List",
    }
)
"""The styles a posting is written with (jobgen.render.docx.reference.REQUIRED_STYLES and
OPTIONAL_STYLES) and the defaults Word expects every styles part to have."""

SAMPLES = (
    ("Heading 1", "Job title (Heading 1)"),
    ("Normal", "Employer · location · schedule · pay: the Normal style holds body text."),
    ("Heading 2", "Section heading (Heading 2)"),
    ("Normal", "Paragraphs use Normal. Change its font here to change the whole posting."),
    ("Heading 3", "Sub-section heading (Heading 3)"),
    ("List Bullet", "List Bullet: a bullet list item"),
    ("List Number", "List Number: a numbered list item"),
)


def set_fonts(properties: Any, font: str | None) -> None:
    """Replace a w:rPr's fonts (theme fonts included) with ``font``, or remove them (``None``)
    so the style inherits Normal's font."""
    for existing in properties.findall(qn("w:rFonts")):
        properties.remove(existing)
    if font is not None:
        fonts = OxmlElement("w:rFonts")
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), font)
        properties.insert(0, fonts)


def set_color(style: Any, color: RGBColor) -> None:
    style.font.color.rgb = color  # also removes the theme colour, which would win in Word
    element = style.element.rPr.find(qn("w:color"))
    for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
        element.attrib.pop(qn(attribute), None)


def bottom_border(style: Any, color: str) -> None:
    properties = style.element.get_or_add_pPr()
    for existing in properties.findall(qn("w:pBdr")):
        properties.remove(existing)
    border = OxmlElement("w:pBdr")
    border.append(
        OxmlElement(
            "w:bottom",
            {qn("w:val"): "single", qn("w:sz"): "8", qn("w:space"): "4", qn("w:color"): color},
        )
    )
    properties.insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"
    )


def trim_styles(document: Any) -> None:
    """Keep the styles in :data:`KEEP` and those they are based on or linked to; drop the
    latent-style table (Word's defaults apply without it)."""
    styles = document.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = {
        style_id
        for style_id, style in by_id.items()
        if style.find(qn("w:name")).get(qn("w:val")) in KEEP
    }
    pending = list(keep)
    while pending:
        style = by_id[pending.pop()]
        for tag in ("w:basedOn", "w:link"):
            element = style.find(qn(tag))
            target = element.get(qn("w:val")) if element is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                pending.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    for style_id in keep:
        element = by_id[style_id].find(qn("w:next"))
        if element is not None and element.get(qn("w:val")) not in keep:
            by_id[style_id].remove(element)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)


def build() -> bytes:
    document = docx.Document()
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del document.part.rels[rid]

    # theme: the body ("minor") font is Cambria in python-docx's template
    for rel in document.part.rels.values():
        if rel.reltype == RT.THEME:
            theme = rel.target_part
            head, _, tail = theme.blob.partition(b"<a:minorFont>")
            tail = tail.replace(
                b'<a:latin typeface="Cambria"/>', b'<a:latin typeface="Calibri"/>', 1
            )
            theme._blob = head + b"<a:minorFont>" + tail

    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), FONT)

    normal = styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), FONT)
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    for name, size, color, before, after in (
        ("Heading 1", 22, NAVY, 0, 10),
        ("Heading 2", 14, BLUE, 16, 4),
        ("Heading 3", 12, NAVY, 10, 3),
        ("Heading 4", 11, NAVY, 8, 2),
    ):
        style = styles[name]
        set_fonts(style.element.get_or_add_rPr(), None)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        set_color(style, color)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    bottom_border(styles["Heading 1"], "2E74B5")
    for name in ("Heading 5", "Heading 6"):
        set_fonts(styles[name].element.get_or_add_rPr(), None)

    for name in ("List Bullet", "List Number"):
        style = styles[name]
        properties = style.element.get_or_add_pPr()
        for spacing in properties.findall(qn("w:contextualSpacing")):
            properties.remove(spacing)
        style.paragraph_format.space_after = Pt(3)

    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.base_style = styles["Default Paragraph Font"]
    link.font.color.rgb = LINK
    link.font.underline = True
    link.priority = 99
    link.unhide_when_used = True
    # Word's built-in Hyperlink style, not a custom one of the same name
    link.element.attrib.pop(qn("w:customStyle"), None)

    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = section.footer_distance = Inches(0.5)

    trim_styles(document)
    for style_name, text in SAMPLES:
        document.add_paragraph(text, style=style_name)

    properties = document.core_properties
    for child in list(properties._element):
        properties._element.remove(child)
    properties.title = "jobgen reference document"
    properties.author = "jobgen"
    properties.last_modified_by = "jobgen"
    properties.revision = 1
    properties.created = properties.modified = EPOCH

    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), EPOCH)


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=root / "templates" / "reference.docx")
    args = parser.parse_args()
    args.output.write_bytes(build())
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
