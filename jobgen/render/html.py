"""A standalone, accessible HTML5 page made from the posting's Markdown, with its JSON-LD.

The Markdown (from the same template as every other format) is parsed once into
:mod:`jobgen.render.tokens`' blocks (CommonMark, raw HTML disabled), so every piece of user text is
escaped; links pass only when they are http(s) or mailto, checked both when parsing and again when
writing; an image becomes a link to it (a posting page fetches nothing). The schema.org
``JobPosting`` is embedded in ``<script type="application/ld+json">`` with ``<``, ``>`` and ``&``
written as JSON escapes, so no value can close the script element.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..compose import Posting
from ..errors import ValidationError
from .jsonld import dumps, posting_jsonld
from .tokens import (
    Block,
    Break,
    Code,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
    is_safe_href,
    parse,
)

LANG = "en"

STYLESHEET = """\
:root { color-scheme: light; }
body {
  margin: 0;
  background: #f4f5f7;
  color: #1f2328;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
  font-size: 1.0625rem;
  line-height: 1.6;
}
main {
  box-sizing: border-box;
  max-width: 48rem;
  margin: 2rem auto;
  padding: 2.5rem 3rem;
  background: #fff;
  border: 1px solid #d0d7de;
  border-radius: 8px;
}
h1, h2, h3 { line-height: 1.25; color: #0d1b2a; }
h1 { font-size: 2rem; margin: 0 0 0.5rem; }
h1 + p { margin-top: 0; color: #3d4650; }
h2 {
  font-size: 1.375rem;
  margin: 2.25rem 0 0.75rem;
  padding-bottom: 0.3rem;
  border-bottom: 1px solid #d0d7de;
}
h3 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0 0 1rem; }
ul, ol { margin: 0 0 1rem; padding-left: 1.5rem; }
li { margin: 0.35rem 0; }
li::marker { color: #57606a; }
a { color: #0a58ca; text-underline-offset: 2px; overflow-wrap: anywhere; }
a:hover { color: #083f91; }
nav { max-width: 48rem; margin: 1.25rem auto 0; padding: 0 0.5rem; font-size: 0.95rem; }
a:focus-visible { outline: 3px solid #0a58ca; outline-offset: 2px; border-radius: 2px; }
@media (max-width: 40rem) {
  main { margin: 0; padding: 1.25rem; border: 0; border-radius: 0; }
}
@media print {
  nav { display: none; }
  body { background: #fff; color: #000; font-size: 11pt; }
  main { max-width: none; margin: 0; padding: 0; border: 0; }
  h1, h2, h3 { color: #000; break-after: avoid; }
  h2 { border-bottom-color: #999; }
  li, p { break-inside: avoid; }
  a { color: #000; }
}
"""
"""The page's inline stylesheet: readable on screens, plain black on white when printed."""


def script_json(data: dict[str, Any]) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>``, ``&`` become ``\\u003c`` and so on.

    These escapes are valid JSON, so a JSON parser reads back exactly the original values.
    """
    return dumps(data).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_MARKS = (("link", "a"), ("italic", "em"), ("bold", "strong"), ("code", "code"))
"""Inline marks in the order they open when they start together (links outermost)."""


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


def _open_tag(mark: str, run: Run) -> str:
    if mark == "link":
        return f'<a href="{_escape(run.link or "")}">'
    return f"<{dict(_MARKS)[mark]}>"


def _marks(run: Run) -> list[str]:
    return [name for name, _tag in _MARKS if getattr(run, name)]


def inline_html(inlines: Sequence[Inline]) -> str:
    """Runs and breaks as HTML: marks nest as they were written, only safe links become ``<a>``."""
    out: list[str] = []
    stack: list[tuple[str, str | None]] = []  # open marks, innermost last; (mark, link target)

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            mark, _ = stack.pop()
            out.append(f"</{dict(_MARKS)[mark]}>")

    for item in inlines:
        if isinstance(item, Break):
            out.append("<br />\n" if item.hard else "\n")
            continue
        if item.link is not None and not is_safe_href(item.link):
            item = replace(item, link=None)  # a stream built by other code: keep the words
        wanted = _marks(item)
        keep = 0
        for mark, target in stack:
            if mark not in wanted or (mark == "link" and target != item.link):
                break
            keep += 1
        close_to(keep)
        for mark in wanted:
            if all(mark != open_mark for open_mark, _ in stack):
                out.append(_open_tag(mark, item))
                stack.append((mark, item.link if mark == "link" else None))
        out.append(_escape(item.text))
    close_to(0)
    return "".join(out)


def _blocks_html(blocks: Sequence[Block], *, tight: bool = False) -> str:
    """Blocks as HTML, written as markdown-it-py's own renderer writes them; in a tight list
    item (``tight``) paragraphs lose their ``<p>``."""
    out: list[str] = []
    after_bare_text = False
    for block in blocks:
        lead = "\n" if after_bare_text and not isinstance(block, Code) else ""
        after_bare_text = False
        match block:
            case Paragraph(inlines) if tight:
                out.append(inline_html(inlines))
                after_bare_text = True
            case Paragraph(inlines):
                out.append(f"<p>{inline_html(inlines)}</p>\n")
            case Heading(level, inlines):
                out.append(f"{lead}<h{level}>{inline_html(inlines)}</h{level}>\n")
            case ListBlock(ordered, start, list_tight, items):
                tag = "ol" if ordered else "ul"
                attributes = f' start="{start}"' if ordered and start != 1 else ""
                out.append(f"{lead}<{tag}{attributes}>\n")
                out += (_item_html(item.blocks, list_tight) for item in items)
                out.append(f"</{tag}>\n")
            case Quote(inner):
                out.append(f"{lead}<blockquote>\n{_blocks_html(inner)}</blockquote>\n")
            case Code(text, info):
                language = f' class="language-{_escape(info.split()[0])}"' if info else ""
                out.append(f"<pre><code{language}>{_escape(text)}\n</code></pre>\n")
            case Rule():
                out.append(f"{lead}<hr />\n")
    return "".join(out)


def _item_html(blocks: Sequence[Block], tight: bool) -> str:
    if not blocks:
        return "<li></li>\n"
    first_is_text = tight and isinstance(blocks[0], Paragraph)
    return f"<li>{'' if first_is_text else chr(10)}{_blocks_html(blocks, tight=tight)}</li>\n"


def markdown_to_html(markdown: str) -> str:
    """The body HTML for ``markdown``: CommonMark, raw HTML off, safe links only; images are
    links to them."""
    return _blocks_html(parse(markdown))


def _check_links(posting: Posting) -> None:
    for field, value in (
        ("apply.url", posting.apply_url),
        ("employer.website", posting.employer_website),
    ):
        if value and not value.strip().lower().startswith(("http://", "https://")):
            raise ValidationError(
                f"{value!r} is refused: only http:// and https:// links are allowed",
                source=field,
            )


def nav_html(links: Sequence[tuple[str, str]]) -> str:
    """A small navigation bar of relative links (used by the gallery's pages)."""
    if not links:
        return ""
    items = " · ".join(
        f'<a href="{html.escape(href, quote=True)}">{html.escape(text, quote=False)}</a>'
        for text, href in links
    )
    return f'<nav aria-label="Gallery">{items}</nav>\n'


def render_html(
    markdown: str,
    posting: Posting,
    *,
    structured_data: bool = True,
    nav: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A complete HTML5 page for ``posting`` whose body is ``markdown`` rendered to HTML.

    With ``structured_data`` (the default) the schema.org ``JobPosting`` is embedded, and a
    posting that cannot fill Google's required properties raises :class:`ValidationError`
    naming the employer field to set; pass ``False`` for a draft page without it. ``nav`` is a
    list of ``(text, relative href)`` shown above the posting.
    """
    _check_links(posting)
    script = ""
    if structured_data:
        data = posting_jsonld(posting, markdown)
        script = f'<script type="application/ld+json">\n{script_json(data)}\n</script>\n'
    title = posting.title
    if not posting.is_placeholder:
        title = f"{title} – {posting.employer_name}"
    summary = " ".join(posting.summary)
    description = (
        f'<meta name="description" content="{html.escape(summary, quote=True)}">\n'
        if summary
        else ""
    )
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{LANG}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title, quote=False)}</title>\n"
        f"{description}"
        f"<style>\n{STYLESHEET}</style>\n"
        f"{script}"
        "</head>\n"
        "<body>\n"
        f"{nav_html(nav)}"
        "<main>\n"
        "<article>\n"
        f"{markdown_to_html(markdown)}"
        "</article>\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
    return page.encode("utf-8")
