"""DOCX: the posting's Markdown written as a real Word document.

The Markdown that jobgen's template renders is parsed with markdown-it-py and written with
python-docx onto a *reference document*: jobgen's own ``templates/reference.docx`` or an
employer's, as with pandoc's ``--reference-doc``. The reference gives the styles (fonts, colours,
spacing), page setup, header and footer; its body text is not copied. The mapping:

=====================  =========================================================================
Markdown               Word
=====================  =========================================================================
``#`` … ``######``     paragraph styles Heading 1 … Heading 6 (4–6 fall back to Heading 3)
paragraph              the reference's default paragraph style (Normal)
``-`` list             List Bullet, with a real numbering definition; nesting = numbering level
``1.`` list            List Number, numbering restarting at the list's first number
``**bold**``, ``*i*``  bold and italic runs
``[text](url)``        ``w:hyperlink`` with an external relationship, Hyperlink character style
=====================  =========================================================================

A reference that lacks one of the styles jobgen writes with gets that style's definition from
jobgen's default reference, and a warning naming the style. Characters XML cannot hold (NUL,
vertical tab, form feed, lone surrogates, U+FFFE/U+FFFF) are removed with a warning naming where
they were. Identical inputs give identical bytes: the zip is rewritten with fixed timestamps and
member order, and the core properties are set from :class:`DocumentMeta` alone.

python-docx and markdown-it-py are imported inside the functions that need them, so importing this
module costs nothing on paths that never write a document.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ..errors import UsageError, ValidationError

if TYPE_CHECKING:
    from docx.document import Document
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from ..compose import Posting

__all__ = [
    "REQUIRED_STYLES",
    "DocumentMeta",
    "DocxResult",
    "DocxWarning",
    "build_docx",
    "default_reference_path",
    "meta_for_posting",
    "normalize_zip",
    "render_docx",
    "strip_xml_invalid",
]

#: The styles jobgen writes with, as (style type, name). A reference document without one of
#: them gets the definition from jobgen's default reference, with a warning.
REQUIRED_STYLES: tuple[tuple[str, str], ...] = (
    ("paragraph", "Normal"),
    ("paragraph", "Heading 1"),
    ("paragraph", "Heading 2"),
    ("paragraph", "Heading 3"),
    ("paragraph", "List Bullet"),
    ("paragraph", "List Number"),
    ("character", "Hyperlink"),
)
#: Used when the reference has them; otherwise Heading 3 (for 4–6) or Normal (for Quote).
OPTIONAL_STYLES: tuple[tuple[str, str], ...] = (
    ("paragraph", "Heading 4"),
    ("paragraph", "Heading 5"),
    ("paragraph", "Heading 6"),
    ("paragraph", "Quote"),
)
REFERENCE_NAME = "reference.docx"
LINK_SCHEMES = ("http:", "https:", "mailto:")
LAST_MODIFIED_BY = "jobgen"
LEVEL_INDENT = 360  # twips (1/4 inch) per list level
_BULLETS = ("•", "◦", "▪")
_NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core-property strings
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
"""Largest --reference-docx accepted, on disk."""
MAX_REFERENCE_UNPACKED = 100 * 1024 * 1024
"""Largest total size of a reference's parts once unzipped (refuses "zip bombs")."""

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Relationships of the document part that only body content uses; once the reference's body is
# emptied, the unreferenced ones are dropped so its images and links do not ride along.
_BODY_ONLY_RELTYPES = (
    "/image",
    "/hyperlink",
    "/chart",
    "/diagramData",
    "/diagramLayout",
    "/diagramQuickStyle",
    "/diagramColors",
    "/diagramDrawing",
    "/oleObject",
    "/package",
    "/video",
    "/audio",
    "/media",
    "/comments",
    "/commentsExtended",
    "/commentsIds",
    "/commentsExtensible",
    "/people",
)

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHAR_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed"}
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CANNOT_HOLD = "a Word document cannot hold these characters"
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


class DocxWarning(UserWarning):
    """Something jobgen changed or filled in while writing a DOCX (the message says what)."""


@dataclass(frozen=True, kw_only=True)
class DocumentMeta:
    """The core properties of a DOCX. ``created`` is also its modified time and zip timestamp;
    a naive datetime is taken as UTC."""

    title: str
    subject: str = ""
    author: str = ""
    company: str = ""
    keywords: tuple[str, ...] = ()
    created: datetime


@dataclass(frozen=True)
class DocxResult:
    data: bytes
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# public entry points


def render_docx(markdown: str, meta: DocumentMeta, *, reference: Path | None = None) -> bytes:
    """The DOCX bytes of ``markdown``; warnings are issued as :class:`DocxWarning`.

    ``reference`` is a .docx whose styles, page setup, header and footer brand the output;
    jobgen's default reference is used when it is ``None``.
    """
    result = build_docx(markdown, meta, reference=reference)
    for message in result.warnings:
        warnings.warn(message, DocxWarning, stacklevel=2)
    return result.data


def build_docx(markdown: str, meta: DocumentMeta, *, reference: Path | None = None) -> DocxResult:
    """Like :func:`render_docx`, returning the warnings instead of issuing them."""
    import docx

    ref = _reference(reference)
    messages = list(ref.warnings)
    text, found = _clean_markdown(markdown)
    messages += found
    meta = _clean_meta(meta, messages)

    document = docx.Document(io.BytesIO(ref.package))
    _Writer(document, ref).write(_parser().parse(text))
    _set_properties(document, meta)
    buffer = io.BytesIO()
    document.save(buffer)
    return DocxResult(normalize_zip(buffer.getvalue(), meta.created), tuple(messages))


def default_reference_path() -> Path:
    """jobgen's own reference document (``templates/reference.docx``)."""
    from .._resources import template_path

    return template_path(REFERENCE_NAME)


def meta_for_posting(posting: Posting) -> DocumentMeta:
    """The document properties of a posting: its title, the employer as author and company,
    and ``date_posted`` (which already follows ``SOURCE_DATE_EPOCH``) as the creation time."""
    from ..compose import EMPLOYMENT_LABELS

    options = posting.options
    employer = "" if posting.is_placeholder else posting.employer_name
    subject = f"Job posting: {posting.title}" + (f" at {employer}" if employer else "")
    keywords = (
        posting.occupation,
        posting.setting.name,
        posting.education.name,
        EMPLOYMENT_LABELS.get(options.employment_type, ""),
        options.location.display(),
    )
    return DocumentMeta(
        title=posting.title,
        subject=subject,
        author=employer,
        company=employer,
        keywords=tuple(dict.fromkeys(k for k in keywords if k)),
        created=datetime.combine(options.date_posted, datetime.min.time(), tzinfo=UTC),
    )


def strip_xml_invalid(text: str) -> tuple[str, list[str]]:
    """``text`` without the characters XML cannot hold, and a description of each one removed
    (``"U+000B (vertical tab)"``)."""
    removed = [_describe(match.group()) for match in _XML_INVALID.finditer(text)]
    return (_XML_INVALID.sub("", text) if removed else text), removed


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip package with fixed member order, timestamps and attributes, so identical
    content gives identical bytes. ``[Content_Types].xml`` and ``_rels/.rels`` come first, as
    Office writes them; the rest are sorted by name."""
    stamp = _zip_time(when)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(
            source.namelist(),
            key=lambda name: (name != "[Content_Types].xml", name != "_rels/.rels", name),
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# text hygiene


def _describe(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    elif code < 0x20:
        name = _CHAR_NAMES.get(code, "control character")
    else:
        name = "non-character"
    return f"U+{code:04X} ({name})"


def _clean_markdown(markdown: str) -> tuple[str, list[str]]:
    if not _XML_INVALID.search(markdown):
        return markdown, []
    messages: list[str] = []
    lines = markdown.split("\n")
    section = ""
    for number, line in enumerate(lines, start=1):
        heading = _HEADING_LINE.match(line)
        clean, removed = strip_xml_invalid(line)
        if heading:
            section = _MARKDOWN_ESCAPE.sub(r"\1", _XML_INVALID.sub("", heading.group(1))).strip()
        if removed:
            lines[number - 1] = clean
            where = f"line {number} of the posting" + (f' under "{section}"' if section else "")
            messages.append(f"removed {', '.join(removed)} from {where}: {_CANNOT_HOLD}")
    return "\n".join(lines), messages


def _clean_meta(meta: DocumentMeta, messages: list[str]) -> DocumentMeta:
    def clean(value: str, field: str) -> str:
        text, removed = strip_xml_invalid(value)
        if removed:
            messages.append(
                f"removed {', '.join(removed)} from the document {field}: {_CANNOT_HOLD}"
            )
        return text

    return DocumentMeta(
        title=clean(meta.title, "title"),
        subject=clean(meta.subject, "subject"),
        author=clean(meta.author, "author"),
        company=clean(meta.company, "company"),
        keywords=tuple(clean(k, "keywords") for k in meta.keywords),
        created=meta.created,
    )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = _utc(moment)
    if stamp.year < 1980:  # the zip format starts in 1980 and ends in 2107
        return (1980, 1, 1, 0, 0, 0)
    if stamp.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def _truncate(text: str, limit: int = _CORE_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# the reference document: loaded, emptied and completed once per process (per path and mtime)


@dataclass(frozen=True)
class _StyleIds:
    normal: str
    headings: tuple[str, ...]  # Heading 1 … Heading 6
    list_bullet: str
    list_number: str
    hyperlink: str
    quote: str | None


@dataclass(frozen=True)
class _Reference:
    package: bytes  # body emptied, missing styles added, numbering part present
    styles: _StyleIds
    warnings: tuple[str, ...]
    first_abstract_id: int
    first_num_id: int


def _reference(path: Path | None) -> _Reference:
    target = default_reference_path() if path is None else path
    try:
        stat = target.stat()
    except OSError as exc:
        raise UsageError(
            f"cannot read the reference document: {exc.strerror or exc}",
            source=str(target),
            hint="--reference-docx takes an existing Word .docx file",
        ) from None
    if not target.is_file():
        raise UsageError(
            "the reference document is not a file",
            source=str(target),
            hint="--reference-docx takes an existing Word .docx file",
        )
    if stat.st_size > MAX_REFERENCE_BYTES:
        raise ValidationError(
            f"the reference document is {stat.st_size:,} bytes; jobgen reads reference "
            f"documents of up to {MAX_REFERENCE_BYTES:,} bytes",
            source=str(target),
        )
    return _load_reference(str(target), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_reference(path: str, mtime_ns: int, size: int) -> _Reference:
    import docx

    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("it is not a zip package, which every .docx is")
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > MAX_REFERENCE_UNPACKED:
            raise ValueError(
                f"it unpacks to {unpacked:,} bytes; the limit is {MAX_REFERENCE_UNPACKED:,}"
            )
        document = docx.Document(path)
    except Exception as exc:  # python-docx raises many kinds on a broken or foreign file
        reason = str(exc).strip() or type(exc).__name__
        raise ValidationError(
            f"not a readable Word document ({reason})",
            source=path,
            hint="save the reference from Word or LibreOffice as a .docx (Word Document), "
            "not .doc, .dotx or .docm",
        ) from None
    messages: list[str] = []
    _empty_body(document)
    _drop_thumbnail(document)
    styles = _resolve_styles(document, source=path, messages=messages)
    numbering = _numbering_element(document)
    abstract_ids = [int(a.get(_w("abstractNumId"), "0")) for a in numbering.iter(_w("abstractNum"))]
    num_ids = [int(n.get(_w("numId"), "0")) for n in numbering.iter(_w("num"))]
    buffer = io.BytesIO()
    document.save(buffer)
    return _Reference(
        package=buffer.getvalue(),
        styles=styles,
        warnings=tuple(messages),
        first_abstract_id=max(abstract_ids, default=-1) + 1,
        first_num_id=max(num_ids, default=0) + 1,
    )


def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


def _empty_body(document: Document) -> None:
    """Remove the reference's body content but keep its final section (page setup, header and
    footer), then drop the relationships only that content used."""
    body = document.element.body
    sections = body.findall(_w("sectPr"))
    keep = sections[-1] if sections else None
    for child in list(body):
        if child is not keep:
            body.remove(child)
    part = document.part
    used = {
        value
        for element in part.element.iter()
        for name, value in element.attrib.items()
        if name.startswith(f"{{{_R_NS}}}")
    }
    for rid, rel in list(part.rels.items()):
        if rid not in used and rel.reltype.endswith(_BODY_ONLY_RELTYPES):
            del part.rels[rid]


def _drop_thumbnail(document: Document) -> None:
    """The reference's preview image would show its own content, not the posting."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


class _StyleTable:
    """Style ids of a styles part by (type, normalised name), then by (type, normalised id)."""

    def __init__(self, styles_element: Any) -> None:
        self.element = styles_element
        self.by_key: dict[tuple[str, str], str] = {}
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        entries = []
        for style in styles_element.findall(_w("style")):
            style_id = style.get(_w("styleId"))
            if not style_id:
                continue
            kind = style.get(_w("type"), "paragraph")
            name_element = style.find(_w("name"))
            name = name_element.get(_w("val"), style_id) if name_element is not None else style_id
            entries.append((kind, name, style_id))
            self.by_id.setdefault(style_id, style)
            default = style.get(_w("default"), "") in ("1", "true", "on")
            if kind == "paragraph" and default and self.default_paragraph is None:
                self.default_paragraph = style_id
        for kind, name, style_id in entries:
            self.by_key.setdefault((kind, _norm(name)), style_id)
        for kind, _name, style_id in entries:
            self.by_key.setdefault((kind, _norm(style_id)), style_id)

    def find(self, kind: str, name: str) -> str | None:
        if kind == "paragraph" and _norm(name) == "normal" and self.default_paragraph:
            return self.default_paragraph
        return self.by_key.get((kind, _norm(name)))

    def name_of(self, style_id: str) -> tuple[str, str] | None:
        style = self.by_id.get(style_id)
        if style is None:
            return None
        name_element = style.find(_w("name"))
        name = name_element.get(_w("val"), style_id) if name_element is not None else style_id
        return style.get(_w("type"), "paragraph"), name


@functools.cache
def _default_styles() -> _StyleTable:
    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(default_reference_path()) as package:
        return _StyleTable(parse_xml(package.read("word/styles.xml")))


def _resolve_styles(document: Document, *, source: str, messages: list[str]) -> _StyleIds:
    table = _StyleTable(document.styles.element)
    found: dict[str, str] = {}
    for kind, name in REQUIRED_STYLES:
        style_id = table.find(kind, name)
        if style_id is None:
            style_id = _copy_default_style(table, kind, name)
            messages.append(
                f"{source}: the reference document has no {kind} style {name!r}; using jobgen's "
                f"default {name!r} style (add a style named {name!r} to brand it)"
            )
        found[name] = style_id
    optional = {name: table.find(kind, name) for kind, name in OPTIONAL_STYLES}
    headings = [found["Heading 1"], found["Heading 2"], found["Heading 3"]]
    headings += [optional[f"Heading {level}"] or found["Heading 3"] for level in (4, 5, 6)]
    return _StyleIds(
        normal=found["Normal"],
        headings=tuple(headings),
        list_bullet=found["List Bullet"],
        list_number=found["List Number"],
        hyperlink=found["Hyperlink"],
        quote=optional["Quote"],
    )


def _copy_default_style(table: _StyleTable, kind: str, name: str) -> str:
    """Copy the style ``name`` from jobgen's default reference into ``table``; its base styles
    come along when the target lacks them. Returns the new style id."""
    defaults = _default_styles()
    source_id = defaults.find(kind, name)
    if source_id is None:  # pragma: no cover - the default reference holds every required style
        raise ValidationError(f"jobgen's default reference document has no style {name!r}")
    style = copy.deepcopy(defaults.by_id[source_id])
    style_id = source_id
    while style_id in table.by_id:
        style_id += "Jobgen"
    style.set(_w("styleId"), style_id)
    style.attrib.pop(_w("default"), None)
    for child in list(style):
        if child.tag == _w("rsid"):
            style.remove(child)
    paragraph_properties = style.find(_w("pPr"))
    if paragraph_properties is not None:
        # numbering ids of the default reference mean nothing in another document
        for numbering in paragraph_properties.findall(_w("numPr")):
            paragraph_properties.remove(numbering)
    for tag in ("basedOn", "next", "link"):
        element = style.find(_w(tag))
        if element is None:
            continue
        related = defaults.name_of(element.get(_w("val"), ""))
        target_id = table.find(*related) if related else None
        if target_id is None and related is not None and tag == "basedOn":
            target_id = _copy_default_style(table, *related)
        if target_id is None:
            style.remove(element)
        else:
            element.set(_w("val"), target_id)
    table.element.append(style)
    table.by_id[style_id] = style
    table.by_key[(kind, _norm(name))] = style_id
    return style_id


def _numbering_element(document: Document) -> Any:
    """The numbering part's root element, creating the part when the reference has none."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.parser import parse_xml
    from docx.parts.numbering import NumberingPart

    part = document.part
    try:
        numbering: Any = part.part_related_by(RT.NUMBERING)
        return numbering.element
    except KeyError:
        element = parse_xml(f'<w:numbering xmlns:w="{_W_NS}"/>')
        partname = part.package.next_partname("/word/numbering%d.xml")
        part.relate_to(
            NumberingPart(partname, CT.WML_NUMBERING, element, part.package), RT.NUMBERING
        )
        return element


# --------------------------------------------------------------------------------------------
# Markdown tokens → Word


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


@dataclass
class _List:
    ordered: bool
    level: int
    num_id: int
    item_open: bool = False  # the current item's first paragraph is still to come


class _Writer:
    def __init__(self, document: Document, reference: _Reference) -> None:
        self.part = document.part
        self.body = document.element.body
        self.styles = reference.styles
        self.numbering = _numbering_element(document)
        self.next_abstract_id = reference.first_abstract_id
        self.next_num_id = reference.first_num_id
        self.abstract_ids: dict[bool, int] = {}
        self.lists: list[_List] = []
        self.quote_depth = 0

    def write(self, tokens: list[Token]) -> None:
        heading = 0
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading = int(token.tag[1:])
            elif kind == "heading_close":
                heading = 0
            elif kind == "inline":
                paragraph = self._heading(heading) if heading else self._paragraph()
                self._inline(paragraph, token.children or [])
            elif kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                start = int(token.attrGet("start") or 1) if ordered else 1
                level = min(len(self.lists), 8)
                self.lists.append(_List(ordered, level, self._new_num(ordered, level, start)))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.lists[-1].item_open = True
            elif kind == "list_item_close":
                self.lists[-1].item_open = False
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in ("fence", "code_block"):
                self._text_run(self._paragraph(), token.content.rstrip("\n"))
            elif kind == "hr":
                self._rule()

    # paragraphs

    def _heading(self, level: int) -> Any:
        paragraph = self.body.add_p()
        paragraph.get_or_add_pPr().style = self.styles.headings[min(level, 6) - 1]
        return paragraph

    def _paragraph(self) -> Any:
        from docx.shared import Twips

        paragraph = self.body.add_p()
        if self.lists:
            current = self.lists[-1]
            properties = paragraph.get_or_add_pPr()
            properties.style = (
                self.styles.list_number if current.ordered else self.styles.list_bullet
            )
            numbering = properties.get_or_add_numPr()
            if current.item_open:
                numbering.get_or_add_ilvl().val = current.level
                numbering.get_or_add_numId().val = current.num_id
                current.item_open = False
            else:  # a later paragraph of the same item: no marker, aligned with the item text
                numbering.get_or_add_ilvl().val = 0
                numbering.get_or_add_numId().val = 0
                properties.ind_left = Twips(LEVEL_INDENT * (current.level + 1))
                properties.first_line_indent = Twips(0)
        elif self.quote_depth:
            properties = paragraph.get_or_add_pPr()
            if self.styles.quote:
                properties.style = self.styles.quote
            properties.ind_left = Twips(2 * LEVEL_INDENT * self.quote_depth)
        return paragraph

    def _rule(self) -> None:
        from docx.oxml import OxmlElement

        properties = self.body.add_p().get_or_add_pPr()
        border = OxmlElement("w:pBdr")
        border.append(
            OxmlElement(
                "w:bottom",
                {_w("val"): "single", _w("sz"): "6", _w("space"): "1", _w("color"): "auto"},
            )
        )
        properties.append(border)

    # runs

    def _inline(self, paragraph: Any, children: list[Token]) -> None:
        from docx.oxml import OxmlElement

        bold = italic = 0
        container = paragraph
        pending: list[str] = []

        def flush() -> None:
            text = "".join(pending)
            pending.clear()
            if text:
                self._text_run(
                    container,
                    text,
                    bold=bold > 0,
                    italic=italic > 0,
                    link=container is not paragraph,
                )

        for child in children:
            kind = child.type
            if kind in ("text", "code_inline", "html_inline"):
                pending.append(child.content)
            elif kind == "softbreak":
                pending.append(" ")
            elif kind == "hardbreak":
                pending.append("\n")
            elif kind == "image":
                pending.append(child.content)
            elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
                flush()
                step = 1 if kind.endswith("_open") else -1
                if kind.startswith("strong"):
                    bold += step
                else:
                    italic += step
            elif kind == "link_open":
                flush()
                href = str(child.attrGet("href") or "")
                if href.lower().startswith(LINK_SCHEMES):
                    rid = self.part.relate_to(href, _hyperlink_reltype(), is_external=True)
                    container = OxmlElement("w:hyperlink", {f"{{{_R_NS}}}id": rid})
                    container.set(_w("history"), "1")
                    paragraph.append(container)
            elif kind == "link_close":
                flush()
                container = paragraph
        flush()

    def _text_run(
        self,
        parent: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
    ) -> None:
        from docx.oxml import OxmlElement

        run = OxmlElement("w:r")
        if bold or italic or link:
            properties = OxmlElement("w:rPr")
            if link:
                properties.append(OxmlElement("w:rStyle", {_w("val"): self.styles.hyperlink}))
            if bold:
                properties.append(OxmlElement("w:b"))
            if italic:
                properties.append(OxmlElement("w:i"))
            run.append(properties)
        parent.append(run)
        run.text = text  # python-docx turns "\n" into w:br and "\t" into w:tab

    # numbering

    def _new_num(self, ordered: bool, level: int, start: int) -> int:
        """A new w:num for one list; an ordered list's level restarts at its first number."""
        from docx.oxml.parser import parse_xml

        abstract_id = self.abstract_ids.get(ordered)
        if abstract_id is None:
            abstract_id = self.abstract_ids[ordered] = self.next_abstract_id
            self.next_abstract_id += 1
            anchor = self.numbering.find(_w("num"))
            if anchor is None:
                anchor = self.numbering.find(_w("numIdMacAtCleanup"))
            element = parse_xml(_abstract_num_xml(abstract_id, ordered))
            if anchor is None:
                self.numbering.append(element)
            else:
                anchor.addprevious(element)
        num_id = self.next_num_id
        self.next_num_id += 1
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if ordered
            else ""
        )
        num = parse_xml(
            f'<w:num xmlns:w="{_W_NS}" w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
        cleanup = self.numbering.find(_w("numIdMacAtCleanup"))
        if cleanup is None:
            self.numbering.append(num)
        else:
            cleanup.addprevious(num)
        return num_id


@functools.cache
def _hyperlink_reltype() -> str:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return str(RT.HYPERLINK)


def _abstract_num_xml(abstract_id: int, ordered: bool) -> str:
    levels = []
    for level in range(9):
        if ordered:
            number_format = _NUMBER_FORMATS[level % len(_NUMBER_FORMATS)]
            text = f"%{level + 1}."
        else:
            number_format, text = "bullet", _BULLETS[level % len(_BULLETS)]
        indent = LEVEL_INDENT * (level + 1)
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="{LEVEL_INDENT}"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum xmlns:w="{_W_NS}" w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{0x4A0B0000 + abstract_id:08X}"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


# --------------------------------------------------------------------------------------------
# document properties


def _set_properties(document: Document, meta: DocumentMeta) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    properties = document.core_properties
    element = properties._element  # start empty: nothing of the reference's properties remains
    for child in list(element):
        element.remove(child)
    moment = _utc(meta.created)
    properties.title = _truncate(meta.title)
    properties.subject = _truncate(meta.subject)
    properties.author = _truncate(meta.author)
    properties.keywords = _truncate(", ".join(k for k in meta.keywords if k))
    properties.last_modified_by = LAST_MODIFIED_BY
    properties.revision = 1
    properties.created = moment
    properties.modified = moment

    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            del package.rels[rid]
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><Application>jobgen</Application><Company>{escape(meta.company)}'
        "</Company></Properties>"
    )
    part = Part(
        PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, app.encode("utf-8"), package
    )
    package.relate_to(part, RT.EXTENDED_PROPERTIES)
