"""Renderers: each turns a Posting (or the Markdown rendered from it) into bytes.

Imports are lazy so that ``-f md`` never loads python-docx or markdown-it-py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..compose import Posting

FORMATS: dict[str, str] = {
    "md": "Markdown (the template's output)",
}
"""Format name → description; renderers register here as they are available."""

EXTENSIONS: dict[str, str] = {".md": "md", ".markdown": "md"}
BINARY_FORMATS: frozenset[str] = frozenset()


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


def render(
    posting: Posting,
    fmt: str = "md",
    *,
    template: Path | None = None,
    reference_docx: Path | None = None,
) -> bytes:
    """Render ``posting`` in ``fmt`` (see :data:`FORMATS`) to bytes."""
    fmt = check_format(fmt)
    from .markdown import render_markdown

    markdown = render_markdown(posting, template=template)
    del reference_docx
    return markdown.encode("utf-8")
