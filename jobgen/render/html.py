"""A standalone, accessible HTML5 page made from the posting's Markdown, with its JSON-LD.

The Markdown (from the same template as every other format) is parsed by markdown-it-py's
CommonMark preset with raw HTML disabled, so every piece of user text is escaped; links pass only
when they are http(s) or mailto, checked both when parsing (``validateLink``) and again when
rendering. The schema.org ``JobPosting`` is embedded in ``<script type="application/ld+json">``
with ``<``, ``>`` and ``&`` written as JSON escapes, so no value can close the script element.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..compose import Posting
from ..errors import ValidationError
from ._commonmark import is_safe_href, parser
from .jsonld import dumps, posting_jsonld

if TYPE_CHECKING:
    from markdown_it.renderer import RendererHTML

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


@functools.cache
def _renderer() -> RendererHTML:
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

    class SafeLinkRenderer(RendererHTML):
        """markdown-it's HTML renderer, refusing any link or image that is not http(s)/mailto,
        and making images links (no ``<img>``: the page loads nothing from elsewhere).

        The parser already refuses them (``validateLink``); this second check keeps a bad URL
        out of the page even if a token stream bypassed it. A refused link keeps its text.
        """

        def link_open(
            self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
        ) -> str:
            href = tokens[idx].attrGet("href")
            safe = isinstance(href, str) and is_safe_href(href)
            env.setdefault("jobgen_links", []).append(safe)
            return self.renderToken(tokens, idx, options, env) if safe else ""

        def link_close(
            self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
        ) -> str:
            safe = env.get("jobgen_links", [True]).pop()
            return self.renderToken(tokens, idx, options, env) if safe else ""

        def image(
            self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
        ) -> str:
            # a posting page fetches nothing from elsewhere (an image could track its
            # readers): an image becomes a link to it, named by its alt text
            src = tokens[idx].attrGet("src")
            text = self.renderInlineAsText(tokens[idx].children, options, env)
            if isinstance(src, str) and is_safe_href(src):
                href = html.escape(src, quote=True)
                return f'<a href="{href}">{html.escape(text or src, quote=False)}</a>'
            return html.escape(text)

    return SafeLinkRenderer()


def markdown_to_html(markdown: str) -> str:
    """The body HTML for ``markdown``: CommonMark, raw HTML off, safe links only."""
    md = parser()
    tokens = md.parse(markdown)
    return str(_renderer().render(tokens, md.options, {}))


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
