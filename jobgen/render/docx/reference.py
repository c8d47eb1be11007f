"""Reference handling: a ``--reference-docx`` (or jobgen's own) read, checked, emptied and
completed once, then cut into the fixed text around the places each posting fills in.

The reference gives the styles (fonts, colours, spacing), page setup, header and footer; its
body is emptied and the relationships only the body used are dropped. A reference that lacks one
of the styles jobgen writes with gets that style's definition from jobgen's default reference,
and a warning naming the style (styles are found by name, so a localised Word's ids work).
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import UsageError, ValidationError
from ..tokens import is_safe_href
from .body import BodyContext, StyleIds
from .package import (
    R_NS,
    W_NS,
    DocumentMeta,
    Member,
    app_xml,
    package_order,
    read_members,
    w,
    write_zip,
)

if TYPE_CHECKING:
    from docx.document import Document

REFERENCE_NAME = "reference.docx"
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
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
"""Largest --reference-docx accepted, on disk."""
MAX_REFERENCE_UNPACKED = 100 * 1024 * 1024
"""Largest total size of a reference's parts once unzipped (refuses "zip bombs")."""

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


@dataclass(frozen=True)
class Reference:
    """A reference document prepared once for many postings: the body emptied, missing styles
    added, a numbering part present, and every part that does not change between postings
    already serialized and compressed. A posting fills in the body, its list definitions, its
    hyperlink relationships and the document properties (see :func:`jobgen.render.docx.build_docx`).
    """

    context: BodyContext
    warnings: tuple[str, ...]
    members: tuple[Member, ...]  # in output order
    document_head: str  # document.xml up to the body's content
    document_tail: str  # the final section properties and the closing tags
    numbering_head: str  # numbering.xml up to where list definitions (w:abstractNum) go
    numbering_middle: str  # the reference's own lists, up to where list instances (w:num) go
    numbering_tail: str
    rels_head: str  # the document's relationships, before hyperlinks are added
    rels_tail: str


def default_reference_path() -> Path:
    """jobgen's own reference document (``templates/reference.docx``)."""
    from ..._resources import template_path

    return template_path(REFERENCE_NAME)


def load_reference(path: Path | None) -> Reference:
    """The reference at ``path`` (jobgen's own when ``None``), prepared once per process for
    each path and modification time. Raises :class:`UsageError` when it cannot be read and
    :class:`ValidationError` when it is not a usable Word document."""
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
def _load_reference(path: str, mtime_ns: int, size: int) -> Reference:
    import docx

    try:
        members = read_members(path, limit=MAX_REFERENCE_UNPACKED)
        # python-docx reads the checked members, never the file itself
        document = docx.Document(io.BytesIO(write_zip(members, (1980, 1, 1, 0, 0, 0))))
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
    _drop_external_targets(document, source=path, messages=messages)
    styles = _resolve_styles(document, source=path, messages=messages)
    numbering = _numbering_element(document)
    abstract_ids = [int(a.get(w("abstractNumId"), "0")) for a in numbering.iter(w("abstractNum"))]
    num_ids = [int(n.get(w("numId"), "0")) for n in numbering.iter(w("num"))]
    return _prepare(
        document,
        numbering,
        styles=styles,
        warnings=tuple(messages),
        first_ids=(max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1),
        source=path,
    )


_BODY_MARK = "jobgen:body"
_ABSTRACT_MARK = "jobgen:abstract-numbering"
_NUM_MARK = "jobgen:numbering"


def _prepare(
    document: Document,
    numbering: Any,
    *,
    styles: StyleIds,
    warnings: tuple[str, ...],
    first_ids: tuple[int, int],
    source: str,
) -> Reference:
    """Save the cleaned reference once, with markers where each posting's content goes, and cut
    it into the fixed text around those places and the members that never change."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    body = document.element.body
    section = body.find(w("sectPr"))
    mark = etree.Comment(_BODY_MARK)
    if section is None:
        body.append(mark)
    else:
        section.addprevious(mark)
    # list definitions go before the first list instance, instances before numIdMacAtCleanup
    first_num = numbering.find(w("num"))
    cleanup = numbering.find(w("numIdMacAtCleanup"))
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
        saved = package.namelist()
        if len({name.lower() for name in saved}) != len(saved):  # pragma: no cover - a safeguard
            raise ValidationError("the prepared document has two parts of one name", source=source)
        for name in sorted(saved, key=package_order):
            slot = names.get(name, "")
            data = package.read(name)
            if slot:
                texts[slot] = data.decode("utf-8")
            members.append(Member(name, slot=slot, data=b"" if slot else data))
    document_head, document_tail = _cut(texts["document"], f"<!--{_BODY_MARK}-->")
    numbering_head, rest = _cut(texts["numbering"], f"<!--{_ABSTRACT_MARK}-->")
    numbering_middle, numbering_tail = _cut(rest, f"<!--{_NUM_MARK}-->")
    rels_head, rels_tail = _cut(texts["rels"], "</Relationships>")
    root = document.element
    w_decl = (
        ""
        if root.nsmap.get("w") == W_NS and numbering.nsmap.get("w") == W_NS
        else (f' xmlns:w="{W_NS}"')
    )
    if root.nsmap.get("r") != R_NS:
        w_decl += f' xmlns:r="{R_NS}"'
    context = BodyContext(
        styles=styles,
        first_abstract_id=first_ids[0],
        first_num_id=first_ids[1],
        used_rids=frozenset(part.rels),
        w_decl=w_decl,
    )
    return Reference(
        context=context,
        warnings=warnings,
        members=tuple(members),
        document_head=document_head,
        document_tail=document_tail,
        numbering_head=numbering_head,
        numbering_middle=numbering_middle,
        numbering_tail=numbering_tail,
        rels_head=rels_head,
        rels_tail="</Relationships>" + rels_tail,
    )


def _cut(text: str, marker: str) -> tuple[str, str]:
    head, found, tail = text.partition(marker)
    if not found:  # pragma: no cover - the marker was put there a moment ago
        raise ValueError(f"the prepared reference lost its marker {marker!r}")
    return head, tail


def _empty_body(document: Document) -> None:
    """Remove the reference's body content but keep its final section (page setup, header and
    footer), then drop the relationships only that content used."""
    body = document.element.body
    sections = body.findall(w("sectPr"))
    keep = sections[-1] if sections else None
    for child in list(body):
        if child is not keep:
            body.remove(child)
    part = document.part
    used = {
        value
        for element in part.element.iter()
        for name, value in element.attrib.items()
        if name.startswith(f"{{{R_NS}}}")
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


_FETCHING_PARENTS = (w("drawing"), w("pict"), w("object"))


def _drop_external_targets(document: Document, *, source: str, messages: list[str]) -> None:
    """Drop every external relationship but http(s)/mailto hyperlinks, with a warning each: a
    ``javascript:`` or ``file:`` link, an external image (a tracking pixel), an attached
    template Word would fetch. The XML that used one loses it: a link keeps its text, an image
    or object goes, ``w:attachedTemplate`` goes."""
    package = document.part.package
    owners: list[tuple[Any, str]] = [(package, "the package")]
    owners += [(part, str(part.partname)) for part in package.iter_parts()]
    for owner, where in owners:
        for rid, rel in list(owner.rels.items()):
            if not rel.is_external:
                continue
            kind = rel.reltype.rsplit("/", 1)[-1]
            target = rel.target_ref
            if kind == "hyperlink" and is_safe_href(target):
                continue
            del owner.rels[rid]
            element = getattr(owner, "element", None) if owner is not package else None
            if element is not None:
                _unlink(element, rid)
            messages.append(f"{source}: {_dropped(kind, target)} in {where}")


def _dropped(kind: str, target: str) -> str:
    if kind == "hyperlink":
        return f"removed the link to {target!r} (only http, https and mailto links are kept)"
    if kind == "image":
        return f"removed the external image {target!r} (a posting fetches nothing)"
    if kind == "attachedTemplate":
        return f"removed the attached template {target!r} (a posting fetches nothing)"
    return f"removed the external {kind} {target!r} (a posting fetches nothing)"


def _unlink(root: Any, rid: str) -> None:
    """Remove what refers to relationship ``rid`` in a part's XML: a hyperlink is unwrapped
    (its runs stay), an attached template removed, a drawing or object holding an image
    removed, and any other reference attribute dropped."""
    prefix = f"{{{R_NS}}}"
    for element in list(root.iter()):
        names = [n for n, v in element.attrib.items() if n.startswith(prefix) and v == rid]
        parent = element.getparent()
        if not names or parent is None:
            continue
        if element.tag == w("hyperlink"):
            index = parent.index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(index + offset, child)
            parent.remove(element)
        elif element.tag == w("attachedTemplate"):
            parent.remove(element)
        elif (container := next(element.iterancestors(*_FETCHING_PARENTS), None)) is not None:
            container.getparent().remove(container)
        else:
            for name in names:
                del element.attrib[name]


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
        for style in styles_element.findall(w("style")):
            style_id = style.get(w("styleId"))
            if not style_id:
                continue
            kind = style.get(w("type"), "paragraph")
            name_element = style.find(w("name"))
            name = name_element.get(w("val"), style_id) if name_element is not None else style_id
            entries.append((kind, name, style_id))
            self.by_id.setdefault(style_id, style)
            default = style.get(w("default"), "") in ("1", "true", "on")
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
        name_element = style.find(w("name"))
        name = name_element.get(w("val"), style_id) if name_element is not None else style_id
        return style.get(w("type"), "paragraph"), name


@functools.cache
def _default_styles() -> _StyleTable:
    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(default_reference_path()) as package:
        return _StyleTable(parse_xml(package.read("word/styles.xml")))


def _resolve_styles(document: Document, *, source: str, messages: list[str]) -> StyleIds:
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
    return StyleIds(
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
    style.set(w("styleId"), style_id)
    style.attrib.pop(w("default"), None)
    for child in list(style):
        if child.tag == w("rsid"):
            style.remove(child)
    paragraph_properties = style.find(w("pPr"))
    if paragraph_properties is not None:
        # numbering ids of the default reference mean nothing in another document
        for numbering in paragraph_properties.findall(w("numPr")):
            paragraph_properties.remove(numbering)
    for tag in ("basedOn", "next", "link"):
        element = style.find(w(tag))
        if element is None:
            continue
        related = defaults.name_of(element.get(w("val"), ""))
        target_id = table.find(*related) if related else None
        if target_id is None and related is not None and tag == "basedOn":
            target_id = _copy_default_style(table, *related)
        if target_id is None:
            style.remove(element)
        else:
            element.set(w("val"), target_id)
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
        element = parse_xml(f'<w:numbering xmlns:w="{W_NS}"/>')
        partname = part.package.next_partname("/word/numbering%d.xml")
        part.relate_to(
            NumberingPart(partname, CT.WML_NUMBERING, element, part.package), RT.NUMBERING
        )
        return element


_PROPERTIES_RELTYPES = ("/metadata/core-properties", "/extended-properties", "/custom-properties")


def _set_properties(document: Document, meta: DocumentMeta) -> None:
    """Give the package core and extended properties parts of its own (nothing of the
    reference's properties remains, custom properties included); :func:`build_docx` writes
    their content per posting.

    The reference's own properties parts are unlinked first, whatever relationship type
    spelling they use: a core-properties part python-docx did not recognise would otherwise be
    saved beside the new one under the same name (two ``docProps/core.xml`` members).
    """
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.lower().endswith(_PROPERTIES_RELTYPES):
            del package.rels[rid]
    element = document.core_properties._element  # a new, empty core-properties part
    for child in list(element):
        element.remove(child)
    part = Part(
        PackURI("/docProps/app.xml"),
        CT.OFC_EXTENDED_PROPERTIES,
        app_xml(meta).encode("utf-8"),
        package,
    )
    package.relate_to(part, RT.EXTENDED_PROPERTIES)
