"""Packaging: the zip a DOCX is, its document-properties parts, and the XML escaping every part
uses. Identical input gives identical bytes: fixed member order, timestamps and attributes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LAST_MODIFIED_BY = "jobgen"
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core-property strings


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag (``w("p")``)."""
    return f"{{{W_NS}}}{tag}"


def xml_text(text: str) -> str:
    """Escape for XML character data, as lxml does."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """Escape for a double-quoted XML attribute, as lxml does."""
    return (
        xml_text(text)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


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
class Member:
    """A zip member of the output: fixed bytes (``data``), or a part filled in per document
    (``slot`` names which)."""

    name: str
    slot: str = ""
    data: bytes = b""


def package_order(name: str) -> tuple[bool, bool, str]:
    """``[Content_Types].xml`` and ``_rels/.rels`` first, as Office writes them; then by name."""
    return (name != "[Content_Types].xml", name != "_rels/.rels", name)


def write_zip(members: Iterable[tuple[str, bytes]], stamp: tuple[int, ...]) -> bytes:
    """A zip of ``(name, data)`` members in the order given, deflated, every member with the
    timestamp ``stamp`` and no file attributes: identical members give identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, data)
    return out.getvalue()


_CHUNK = 64 * 1024


def read_members(path: str, *, limit: int) -> list[tuple[str, bytes]]:
    """Every file member of the zip at ``path``, in archive order.

    Headers declaring more than ``limit`` bytes are refused before anything is inflated. Members
    are then inflated 64 KiB at a time and the bytes actually inflated are counted against
    ``limit``, so a zip whose headers understate its sizes stops at its CRC check (zipfile
    stops inflating a member at its declared size) or at ``limit``, never after inflating what
    it hides. Raises :class:`ValueError` saying what is wrong: not a zip, two members with one
    name (part names ignore case), more than ``limit`` bytes, a damaged member.
    """
    if not zipfile.is_zipfile(path):
        raise ValueError("it is not a zip package, which every .docx is")
    members: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > limit:  # honest headers: refused before inflating anything
                raise ValueError(f"it unpacks to {declared:,} bytes; the limit is {limit:,}")
            for info in archive.infolist():
                key = info.filename.lower()
                if key in seen:
                    raise ValueError(f"it holds two members named {info.filename!r}")
                seen.add(key)
                if info.is_dir():
                    continue
                chunks = []
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise ValueError(f"it unpacks to more than {limit:,} bytes (the limit)")
                        chunks.append(chunk)
                members.append((info.filename, b"".join(chunks)))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ValueError(f"a damaged zip package: {exc}") from None
    return members


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip package with fixed member order (:func:`package_order`), timestamps and
    attributes, so identical content gives identical bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = sorted(source.namelist(), key=package_order)
        return write_zip(((name, source.read(name)) for name in names), zip_time(when))


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = utc(moment)
    if stamp.year < 1980:  # the zip format starts in 1980 and ends in 2107
        return (1980, 1, 1, 0, 0, 0)
    if stamp.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def _truncate(text: str, limit: int = _CORE_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_CORE_OPEN = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)


def core_xml(meta: DocumentMeta) -> str:
    """``docProps/core.xml``: title, subject, author, keywords, revision 1, created = modified."""
    moment = utc(meta.created).strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = ", ".join(k for k in meta.keywords if k)
    return (
        f"{_CORE_OPEN}<dc:title>{xml_text(_truncate(meta.title))}</dc:title>"
        f"<dc:subject>{xml_text(_truncate(meta.subject))}</dc:subject>"
        f"<dc:creator>{xml_text(_truncate(meta.author))}</dc:creator>"
        f"<cp:keywords>{xml_text(_truncate(keywords))}</cp:keywords>"
        f"<cp:lastModifiedBy>{LAST_MODIFIED_BY}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml(meta: DocumentMeta) -> str:
    """``docProps/app.xml``: jobgen as the application, the employer as the company."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><Application>jobgen</Application><Company>{xml_text(meta.company)}'
        "</Company></Properties>"
    )
