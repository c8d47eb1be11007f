"""DOCX: the posting's Markdown written as a real Word document.

The Markdown that jobgen's template renders is parsed once (:mod:`jobgen.render.tokens`) and
written onto a
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
they were. Identical inputs give identical bytes: the zip (written by :mod:`zipfile`) has fixed
timestamps, attributes and member order, and the core properties are set from
:class:`DocumentMeta` alone.

The work is split three ways: :mod:`.reference` reads, checks and prepares the reference once
per process (per path and modification time), cut around the places a posting fills in (the
body, list definitions, hyperlink relationships, document properties); :mod:`.body` writes the
posting's blocks (:mod:`jobgen.render.tokens`) as WordprocessingML text with the style ids
resolved at load time; :mod:`.package` writes the zip. About 2 ms a posting, most of it
markdown-it-py's parsing, where python-docx per paragraph took about 25 ms. The output is the
XML python-docx wrote (tests/test_docx*.py read it back with python-docx, pandoc and LibreOffice).

python-docx, lxml and markdown-it-py are imported inside the functions that need them, so
importing this module costs nothing on paths that never write a document.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..tokens import parse
from .body import BodyWriter
from .package import DocumentMeta, app_xml, core_xml, normalize_zip, write_zip, zip_time
from .reference import REQUIRED_STYLES, default_reference_path, load_reference

if TYPE_CHECKING:
    from ...compose import Posting

__all__ = [
    "REQUIRED_STYLES",
    "DocumentMeta",
    "DocxResult",
    "DocxWarning",
    "build_docx",
    "default_reference_path",
    "load_reference",
    "meta_for_posting",
    "normalize_zip",
    "render_docx",
    "strip_xml_invalid",
]

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHAR_NAMES = {0x00: "NUL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed"}
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CANNOT_HOLD = "a Word document cannot hold these characters"
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


class DocxWarning(UserWarning):
    """Something jobgen changed or filled in while writing a DOCX (the message says what)."""


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
    ref = load_reference(reference)
    messages = list(ref.warnings)
    text, found = _clean_markdown(markdown)
    messages += found
    meta = _clean_meta(meta, messages)
    writer = BodyWriter(ref.context)
    writer.write(parse(text))
    parts = {
        "document": ref.document_head + "".join(writer.out) + ref.document_tail,
        "numbering": ref.numbering_head
        + "".join(writer.abstracts)
        + ref.numbering_middle
        + "".join(writer.nums)
        + ref.numbering_tail,
        "rels": ref.rels_head + "".join(writer.rels) + ref.rels_tail,
        "core": core_xml(meta),
        "app": app_xml(meta),
    }
    members = ((m.name, parts[m.slot].encode("utf-8") if m.slot else m.data) for m in ref.members)
    return DocxResult(write_zip(members, zip_time(meta.created)), tuple(messages))


def meta_for_posting(posting: Posting) -> DocumentMeta:
    """The document properties of a posting: its title, the employer as author and company,
    and ``date_posted`` (which already follows ``SOURCE_DATE_EPOCH``) as the creation time."""
    from ...compose import EMPLOYMENT_LABELS

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
