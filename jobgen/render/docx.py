"""DOCX: the posting's Markdown written as a real Word document.

The Markdown that jobgen's template renders is parsed with markdown-it-py and written onto a
*reference document*: jobgen's own ``templates/reference.docx`` or an employer's, as with pandoc's
``--reference-doc``. The reference gives the styles (fonts, colours, spacing), page setup, header
and footer; its body text is not copied. The mapping:

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
they were. Identical inputs give identical bytes: the zip has fixed timestamps, attributes and
member order, and the core properties are set from :class:`DocumentMeta` alone.

Speed: python-docx reads, empties and completes the reference once per process (per path and
modification time); the result is saved once, cut around the places a posting fills in (the
body, list definitions, hyperlink relationships, document properties), and its other parts are
deflated once. Each posting is then WordprocessingML written as text, with the style ids resolved
at load time, and a zip written directly: about 2 ms a posting, most of it markdown-it-py's
parsing, where python-docx per paragraph took about 25 ms. The output is the XML python-docx wrote
(tests/test_docx*.py read it back with python-docx, pandoc and LibreOffice).

python-docx, lxml and markdown-it-py are imported inside the functions that need them, so
importing this module costs nothing on paths that never write a document.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
_EXTERNAL_ATTR = 0o600 << 16  # what zipfile records for a member written from bytes
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
    ref = _reference(reference)
    messages = list(ref.warnings)
    text, found = _clean_markdown(markdown)
    messages += found
    meta = _clean_meta(meta, messages)
    writer = _BodyWriter(ref)
    writer.write(_parser().parse(text))
    parts = {
        "document": ref.document_head + "".join(writer.out) + ref.document_tail,
        "numbering": ref.numbering_head
        + "".join(writer.abstracts)
        + ref.numbering_middle
        + "".join(writer.nums)
        + ref.numbering_tail,
        "rels": ref.rels_head + "".join(writer.rels) + ref.rels_tail,
        "core": _core_xml(meta),
        "app": _app_xml(meta),
    }
    return DocxResult(_write_zip(ref.members, parts, _zip_time(meta.created)), tuple(messages))


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
class _Member:
    """A zip member of the output: deflated once when it never changes (``data`` holds the
    compressed bytes), or filled in per document (``slot`` names which part)."""

    name: str
    slot: str = ""
    data: bytes = b""
    crc: int = 0
    size: int = 0


@dataclass(frozen=True)
class _Reference:
    """A reference document prepared once for many postings: the body emptied, missing styles
    added, a numbering part present, and every part that does not change between postings
    already serialized and compressed. A posting fills in the body, its list definitions, its
    hyperlink relationships and the document properties (see :func:`build_docx`)."""

    styles: _StyleIds
    warnings: tuple[str, ...]
    first_abstract_id: int
    first_num_id: int
    members: tuple[_Member, ...]  # in output order
    document_head: str  # document.xml up to the body's content
    document_tail: str  # the final section properties and the closing tags
    numbering_head: str  # numbering.xml up to where list definitions (w:abstractNum) go
    numbering_middle: str  # the reference's own lists, up to where list instances (w:num) go
    numbering_tail: str
    rels_head: str  # the document's relationships, before hyperlinks are added
    rels_tail: str
    used_rids: frozenset[str]
    w_decl: str  # namespace declarations new body elements need ("" when the root has them)


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
    return _prepare(
        document,
        numbering,
        styles=styles,
        warnings=tuple(messages),
        first_abstract_id=max(abstract_ids, default=-1) + 1,
        first_num_id=max(num_ids, default=0) + 1,
    )


_BODY_MARK = "jobgen:body"
_ABSTRACT_MARK = "jobgen:abstract-numbering"
_NUM_MARK = "jobgen:numbering"


def _prepare(document: Document, numbering: Any, **fields: Any) -> _Reference:
    """Save the cleaned reference once, with markers where each posting's content goes, and cut
    it into the fixed text around those places and the members that never change."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    body = document.element.body
    section = body.find(_w("sectPr"))
    mark = etree.Comment(_BODY_MARK)
    if section is None:
        body.append(mark)
    else:
        section.addprevious(mark)
    # list definitions go before the first list instance, instances before numIdMacAtCleanup
    first_num = numbering.find(_w("num"))
    cleanup = numbering.find(_w("numIdMacAtCleanup"))
    abstract_mark, num_mark = etree.Comment(_ABSTRACT_MARK), etree.Comment(_NUM_MARK)
    anchor = first_num if first_num is not None else cleanup
    if anchor is None:
        numbering.append(abstract_mark)
    else:
        anchor.addprevious(abstract_mark)
    if cleanup is None:
        numbering.append(num_mark)
    else:
        cleanup.addprevious(num_mark)
    placeholder = DocumentMeta(title="", created=datetime(1980, 1, 1))
    _set_properties(document, placeholder)  # the properties parts, relationships, content types

    part = document.part
    names = {
        part.partname.lstrip("/"): "document",
        part.partname.rels_uri.lstrip("/"): "rels",
        part.part_related_by(RT.NUMBERING).partname.lstrip("/"): "numbering",
        "docProps/app.xml": "app",
    }
    for rel in part.package.rels.values():
        if rel.reltype == RT.CORE_PROPERTIES:
            names[rel.target_part.partname.lstrip("/")] = "core"
    buffer = io.BytesIO()
    document.save(buffer)
    texts: dict[str, str] = {}
    members = []
    with zipfile.ZipFile(buffer) as package:
        for name in sorted(
            package.namelist(),
            key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n),
        ):
            slot = names.get(name, "")
            data = package.read(name)
            if slot:
                texts[slot] = data.decode("utf-8")
                members.append(_Member(name, slot=slot))
            else:
                members.append(
                    _Member(name, data=_deflate(data), crc=zlib.crc32(data), size=len(data))
                )
    document_head, document_tail = _cut(texts["document"], f"<!--{_BODY_MARK}-->")
    numbering_head, rest = _cut(texts["numbering"], f"<!--{_ABSTRACT_MARK}-->")
    numbering_middle, numbering_tail = _cut(rest, f"<!--{_NUM_MARK}-->")
    rels_head, rels_tail = _cut(texts["rels"], "</Relationships>")
    root = document.element
    w_decl = (
        ""
        if root.nsmap.get("w") == _W_NS and numbering.nsmap.get("w") == _W_NS
        else (f' xmlns:w="{_W_NS}"')
    )
    if root.nsmap.get("r") != _R_NS:
        w_decl += f' xmlns:r="{_R_NS}"'
    return _Reference(
        members=tuple(members),
        document_head=document_head,
        document_tail=document_tail,
        numbering_head=numbering_head,
        numbering_middle=numbering_middle,
        numbering_tail=numbering_tail,
        rels_head=rels_head,
        rels_tail="</Relationships>" + rels_tail,
        used_rids=frozenset(part.rels),
        w_decl=w_decl,
        **fields,
    )


def _cut(text: str, marker: str) -> tuple[str, str]:
    head, found, tail = text.partition(marker)
    if not found:  # pragma: no cover - the marker was put there a moment ago
        raise ValueError(f"the prepared reference lost its marker {marker!r}")
    return head, tail


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)  # what zipfile writes at level 6
    return compressor.compress(data) + compressor.flush()


def _write_zip(
    members: tuple[_Member, ...], parts: dict[str, str], stamp: tuple[int, ...]
) -> bytes:
    """The package as a zip, written directly: the fixed members were deflated when the reference
    was prepared. The bytes are what :func:`normalize_zip` writes (fixed order, timestamps and
    attributes), so identical postings give identical files."""
    year, month, day, hour, minute, second = stamp
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        if member.slot:
            raw = parts[member.slot].encode("utf-8")
            data, crc, size = _deflate(raw), zlib.crc32(raw), len(raw)
        else:
            data, crc, size = member.data, member.crc, member.size
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        fields = (20, 0, flags, 8, dos_time, dos_date, crc, len(data), size, len(name), 0)
        out += (struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields), name, data)
        directory += (
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                0,
                *fields,
                0,  # comment length
                0,  # disk number
                0,  # internal attributes
                _EXTERNAL_ATTR,
                offset,
            ),
            name,
        )
        offset += 30 + len(name) + len(data)
    central = b"".join(directory)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), offset, 0
    )
    return b"".join(out) + central + end


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


def _text(text: str) -> str:
    """Escape for XML character data, as lxml does."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """Escape for a double-quoted XML attribute, as lxml does."""
    return (
        _text(text)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


_RUN_BREAKS = re.compile(r"([\t\r\n])")
_HYPERLINK_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


class _BodyWriter:
    """Markdown tokens → the body's WordprocessingML, as text.

    Word styles are resolved once per reference (:class:`_StyleIds`), never looked up per
    paragraph. New list definitions go to :attr:`abstracts` and :attr:`nums`, hyperlink
    relationships to :attr:`rels`; the caller puts each into its part.
    """

    def __init__(self, reference: _Reference) -> None:
        self.styles = reference.styles
        self.used_rids = reference.used_rids
        self.p_open = f"<w:p{reference.w_decl}>"
        self.decl = reference.w_decl
        self.next_abstract_id = reference.first_abstract_id
        self.next_num_id = reference.first_num_id
        self.next_rid = 1
        self.abstract_ids: dict[bool, int] = {}
        self.lists: list[_List] = []
        self.quote_depth = 0
        self.out: list[str] = []
        self.abstracts: list[str] = []
        self.nums: list[str] = []
        self.rels: list[str] = []
        self.link_ids: dict[str, str] = {}

    def write(self, tokens: list[Token]) -> None:
        heading = 0
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading = int(token.tag[1:])
            elif kind == "heading_close":
                heading = 0
            elif kind == "inline":
                if heading:
                    style = self.styles.headings[min(heading, 6) - 1]
                    self._open(f'<w:pPr><w:pStyle w:val="{_attr(style)}"/></w:pPr>')
                else:
                    self._open(self._paragraph_properties())
                self._inline(token.children or [])
                self.out.append("</w:p>")
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
                self._open(self._paragraph_properties())
                self._run(token.content.rstrip("\n"))
                self.out.append("</w:p>")
            elif kind == "hr":
                self._open(
                    '<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                    'w:color="auto"/></w:pBdr></w:pPr>'
                )
                self.out.append("</w:p>")

    # paragraphs

    def _open(self, properties: str) -> None:
        self.out += (self.p_open, properties)

    def _paragraph_properties(self) -> str:
        if self.lists:
            current = self.lists[-1]
            style = self.styles.list_number if current.ordered else self.styles.list_bullet
            head = f'<w:pPr><w:pStyle w:val="{_attr(style)}"/>'
            if current.item_open:
                current.item_open = False
                return (
                    f'{head}<w:numPr><w:ilvl w:val="{current.level}"/>'
                    f'<w:numId w:val="{current.num_id}"/></w:numPr></w:pPr>'
                )
            # a later paragraph of the same item: no marker, aligned with the item text
            return (
                f'{head}<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
                f'<w:ind w:left="{LEVEL_INDENT * (current.level + 1)}" w:firstLine="0"/></w:pPr>'
            )
        if self.quote_depth:
            style = f'<w:pStyle w:val="{_attr(self.styles.quote)}"/>' if self.styles.quote else ""
            return f'<w:pPr>{style}<w:ind w:left="{2 * LEVEL_INDENT * self.quote_depth}"/></w:pPr>'
        return ""

    # runs

    def _inline(self, children: list[Token]) -> None:
        bold = italic = 0
        link = False
        pending: list[str] = []

        def flush() -> None:
            text = "".join(pending)
            pending.clear()
            if text:
                self._run(text, bold=bold > 0, italic=italic > 0, link=link)

        for child in children:
            kind = child.type
            if kind in ("text", "code_inline", "html_inline", "image"):
                pending.append(child.content)
            elif kind == "softbreak":
                pending.append(" ")
            elif kind == "hardbreak":
                pending.append("\n")
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
                    rid = self._link(href)
                    self.out.append(f'<w:hyperlink r:id="{rid}" w:history="1">')
                    link = True
            elif kind == "link_close":
                flush()
                if link:
                    self.out.append("</w:hyperlink>")
                    link = False
        flush()

    def _run(
        self, text: str, *, bold: bool = False, italic: bool = False, link: bool = False
    ) -> None:
        """One ``w:r``, as python-docx writes ``run.text``: tabs become ``w:tab``, line breaks
        ``w:br``, and text with outer spaces keeps them (``xml:space="preserve"``)."""
        out = self.out
        properties = ""
        if bold or italic or link:
            properties = (
                "<w:rPr>"
                + (f'<w:rStyle w:val="{_attr(self.styles.hyperlink)}"/>' if link else "")
                + ("<w:b/>" if bold else "")
                + ("<w:i/>" if italic else "")
                + "</w:rPr>"
            )
        if not text:
            out.append(f"<w:r>{properties}</w:r>" if properties else "<w:r/>")
            return
        out += ("<w:r>", properties)
        for piece in (
            _RUN_BREAKS.split(text) if "\t" in text or "\n" in text or "\r" in text else (text,)
        ):
            if piece == "\t":
                out.append("<w:tab/>")
            elif piece in ("\n", "\r"):
                out.append("<w:br/>")
            elif piece:
                space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
                out.append(f"<w:t{space}>{_text(piece)}</w:t>")
        out.append("</w:r>")

    def _link(self, href: str) -> str:
        """The relationship id of a hyperlink target, one per distinct target (python-docx's
        numbering: the lowest free ``rIdN``)."""
        rid = self.link_ids.get(href)
        if rid is None:
            while f"rId{self.next_rid}" in self.used_rids:
                self.next_rid += 1
            rid = self.link_ids[href] = f"rId{self.next_rid}"
            self.next_rid += 1
            self.rels.append(
                f'<Relationship Id="{rid}" Type="{_HYPERLINK_RELTYPE}" Target="{_attr(href)}" '
                'TargetMode="External"/>'
            )
        return rid

    # numbering

    def _new_num(self, ordered: bool, level: int, start: int) -> int:
        """A new w:num for one list; an ordered list's level restarts at its first number."""
        abstract_id = self.abstract_ids.get(ordered)
        if abstract_id is None:
            abstract_id = self.abstract_ids[ordered] = self.next_abstract_id
            self.next_abstract_id += 1
            self.abstracts.append(_abstract_num_xml(abstract_id, ordered, self.decl))
        num_id = self.next_num_id
        self.next_num_id += 1
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if ordered
            else ""
        )
        self.nums.append(
            f'<w:num{self.decl} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
        return num_id


def _abstract_num_xml(abstract_id: int, ordered: bool, decl: str = "") -> str:
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
        f'<w:abstractNum{decl} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{0x4A0B0000 + abstract_id:08X}"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


# --------------------------------------------------------------------------------------------
# document properties


def _set_properties(document: Document, meta: DocumentMeta) -> None:
    """Give the package core and extended properties parts of its own (nothing of the
    reference's properties remains); :func:`build_docx` writes their content per posting."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    properties = document.core_properties
    element = properties._element
    for child in list(element):
        element.remove(child)
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            del package.rels[rid]
    part = Part(
        PackURI("/docProps/app.xml"),
        CT.OFC_EXTENDED_PROPERTIES,
        _app_xml(meta).encode("utf-8"),
        package,
    )
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


_CORE_OPEN = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)


def _core_xml(meta: DocumentMeta) -> str:
    """``docProps/core.xml``: title, subject, author, keywords, revision 1, created = modified."""
    moment = _utc(meta.created).strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = ", ".join(k for k in meta.keywords if k)
    return (
        f"{_CORE_OPEN}<dc:title>{_text(_truncate(meta.title))}</dc:title>"
        f"<dc:subject>{_text(_truncate(meta.subject))}</dc:subject>"
        f"<dc:creator>{_text(_truncate(meta.author))}</dc:creator>"
        f"<cp:keywords>{_text(_truncate(keywords))}</cp:keywords>"
        f"<cp:lastModifiedBy>{LAST_MODIFIED_BY}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app_xml(meta: DocumentMeta) -> str:
    """``docProps/app.xml``: jobgen as the application, the employer as the company."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><Application>jobgen</Application><Company>{_text(meta.company)}'
        "</Company></Properties>"
    )
