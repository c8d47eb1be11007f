"""Renderers: each turns a Posting (or the Markdown rendered from it) into bytes.

Imports are lazy so that ``-f md`` never loads python-docx or markdown-it-py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..compose import Posting

FORMATS: dict[str, str] = {
    "md": "Markdown (the template's output)",
    "docx": "Word document (styles from --reference-docx)",
    "html": "HTML page (standalone, accessible, JSON-LD embedded)",
    "jsonld": "schema.org JobPosting JSON-LD (Google for Jobs)",
    "json": "JSON of the composed posting (for pipelines)",
}
"""Format name → description; renderers register here as they are available."""

EXTENSIONS: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".jsonld": "jsonld",
    ".json": "json",
}
BINARY_FORMATS: frozenset[str] = frozenset({"docx"})


def format_for_path(path: str) -> str:
    """The format an output file name asks for: ``posting.docx`` → ``docx``; no extension → md."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return "md"
    if suffix not in EXTENSIONS:
        known = ", ".join(f"{ext} ({fmt})" for ext, fmt in EXTENSIONS.items())
        raise UsageError(
            f"cannot tell the format from the extension {suffix!r}; use -f FORMAT, "
            f"or one of these extensions: {known}",
            source="--output",
        )
    return EXTENSIONS[suffix]


def check_format(name: str) -> str:
    fmt = name.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(
            f"unknown format {name!r}; choose one of {', '.join(FORMATS)}", source="--format"
        )
    return fmt


@dataclass(frozen=True)
class Rendered:
    """One rendered document, with the Markdown it was made from and any warnings."""

    posting: Posting
    fmt: str
    data: bytes
    markdown: str | None  # None for -f json, which does not go through the template
    warnings: tuple[str, ...] = ()


def render_document(
    posting: Posting,
    fmt: str = "md",
    *,
    template: Path | None = None,
    reference_docx: Path | None = None,
    markdown: str | None = None,
) -> Rendered:
    """Render ``posting`` in ``fmt`` (see :data:`FORMATS`); warnings are returned, not issued.

    ``markdown`` is the posting already rendered through the template, to render it once for
    several formats; ``reference_docx`` brands DOCX output (styles, page setup, header, footer).
    """
    fmt = check_format(fmt)
    if fmt == "json":
        from .json import render_json

        return Rendered(posting, fmt, render_json(posting), None)
    if markdown is None:
        from .markdown import render_markdown

        markdown = render_markdown(posting, template=template)
    if fmt == "docx":
        from .docx import build_docx, meta_for_posting

        result = build_docx(markdown, meta_for_posting(posting), reference=reference_docx)
        return Rendered(posting, fmt, result.data, markdown, result.warnings)
    if fmt == "html":
        from .html import render_html
        from .jsonld import MissingForGoogle

        try:
            return Rendered(posting, fmt, render_html(markdown, posting), markdown)
        except MissingForGoogle as exc:  # a page all the same, without the structured data
            page = render_html(markdown, posting, structured_data=False)
            note = (
                f"the page has no JSON-LD, so Google for Jobs will not list it: {exc.source}: "
                f"{exc.message}" + (f" ({exc.hint})" if exc.hint else "")
            )
            return Rendered(posting, fmt, page, markdown, (note,))
    if fmt == "jsonld":
        from .jsonld import render_jsonld

        return Rendered(posting, fmt, render_jsonld(posting, markdown), markdown)
    return Rendered(posting, fmt, markdown.encode("utf-8"), markdown)


def render(
    posting: Posting,
    fmt: str = "md",
    *,
    template: Path | None = None,
    reference_docx: Path | None = None,
) -> bytes:
    """Render ``posting`` in ``fmt`` (see :data:`FORMATS`) to bytes.

    ``reference_docx`` brands DOCX output (styles, page setup, header and footer); DOCX warnings
    are issued as :class:`jobgen.render.docx.DocxWarning` (:func:`render_document` returns them).
    """
    document = render_document(posting, fmt, template=template, reference_docx=reference_docx)
    if document.warnings:
        import warnings

        from .docx import DocxWarning

        category = DocxWarning if fmt == "docx" else UserWarning
        for message in document.warnings:
            warnings.warn(message, category, stacklevel=2)
    return document.data
