"""The one CommonMark parser the HTML and JSON-LD renderers share.

markdown-it-py's "commonmark" preset with raw HTML disabled, so a template (or a value that slipped
through unescaped) cannot inject tags; and only http(s) and mailto link targets are accepted.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def is_safe_href(url: str) -> bool:
    """True for an http(s) or mailto URL; everything else (javascript:, data:, relative) is not."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@functools.cache
def parser() -> MarkdownIt:
    """A CommonMark parser (html off) whose link validation admits only http(s) and mailto."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    # markdown-it leaves a link whose target fails validateLink as literal text
    md.validateLink = is_safe_href  # type: ignore[method-assign]
    return md
