"""The posting's Markdown parsed once into a small tree of typed blocks that every writer walks.

The DOCX, HTML and JSON-LD ``description`` writers all start from :func:`parse`; none of them
looks at markdown-it-py's own token list. The parser is markdown-it-py's CommonMark preset with
raw HTML disabled (``<b>`` stays visible text), and a link whose target is not http(s) or mailto
stays literal text (``[x](javascript:…)``), so no writer ever sees such a target.

A posting is a tuple of blocks::

    Heading(level, inlines)          # "#" … "######"
    Paragraph(inlines)
    ListBlock(ordered, start, tight, items)   # items: tuple of ListItem(blocks)
    Quote(blocks)                    # "> …"
    Code(text, info)                 # fenced or indented code
    Rule()                           # "---"

(a heading and a paragraph also carry ``line``, their 1-based source line, which equality
ignores: lint's messages name it) and the text of a heading or paragraph is a tuple of inlines::

    Run(text, bold=False, italic=False, code=False, link=None)   # link: the http(s)/mailto URL
    Break(hard)                      # a line break: hard ("  \\n" or "\\\\\\n"), or soft (a
                                     # newline in the source, which most writers show as a space)

Adjacent text with the same marks is one :class:`Run`; an image becomes a link to it, named by
its description (no writer fetches anything). Writers use ``match``::

    for block in parse(markdown):
        match block:
            case Heading(level, inlines): ...
            case ListBlock(items=items): ...

:func:`plain_text` gives the words of a list of inlines, for writers that drop the marks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "SAFE_SCHEMES",
    "Block",
    "Break",
    "Code",
    "Heading",
    "Inline",
    "ListBlock",
    "ListItem",
    "Paragraph",
    "Quote",
    "Rule",
    "Run",
    "is_safe_href",
    "parse",
    "plain_text",
]

SAFE_SCHEMES = ("http://", "https://", "mailto:")
"""The only link targets a posting may carry, in any format."""


@dataclass(frozen=True, slots=True)
class Run:
    """Text with one set of marks. ``link`` is the target when the text is a link's."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Break:
    """A line break inside a paragraph: ``hard`` ends the line; a soft one is a source newline."""

    hard: bool


Inline: TypeAlias = Run | Break


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 … 6
    inlines: tuple[Inline, ...]
    line: int = field(default=0, compare=False)  # 1-based source line, for messages (lint)


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int = field(default=0, compare=False)  # 1-based source line of its first line


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet list, or an ordered one starting at ``start``. ``tight``: no blank lines between
    items (HTML then writes an item's paragraphs without ``<p>``)."""

    ordered: bool
    start: int
    tight: bool
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """A code block's text (without its final newline) and a fence's info string."""

    text: str
    info: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break (``---``)."""


Block: TypeAlias = Heading | Paragraph | ListBlock | Quote | Code | Rule


def is_safe_href(url: str) -> bool:
    """True for an http(s) or mailto URL; everything else (javascript:, data:, relative) is not."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    # markdown-it leaves a link whose target fails validateLink as literal text
    md.validateLink = is_safe_href  # type: ignore[method-assign]
    return md


def parse(markdown: str) -> tuple[Block, ...]:
    """The blocks of ``markdown`` (CommonMark, raw HTML off, only http(s)/mailto links)."""
    return _Reader(_parser().parse(markdown)).blocks(None)


def plain_text(inlines: Sequence[Inline], *, soft: str = " ", hard: str = "\n") -> str:
    """The words of ``inlines`` without marks; breaks become ``soft`` and ``hard``."""
    return "".join(
        item.text if isinstance(item, Run) else (hard if item.hard else soft) for item in inlines
    )


class _Reader:
    """markdown-it-py's flat token list → nested blocks, in one pass."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def blocks(self, close: str | None) -> tuple[Block, ...]:
        """Blocks up to the token ``close`` (consumed), or to the end."""
        out: list[Block] = []
        tokens = self.tokens
        while self.index < len(tokens):
            token = tokens[self.index]
            self.index += 1
            kind = token.type
            if kind == close:
                break
            block = self._block(token)
            if block is not None:
                out.append(block)
        return tuple(out)

    def _block(self, token: Token) -> Block | None:
        kind = token.type
        if kind == "heading_open":
            return Heading(int(token.tag[1:]), self._inline_then("heading_close"), _line(token))
        if kind == "paragraph_open":
            return Paragraph(self._inline_then("paragraph_close"), _line(token))
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(token)
        if kind == "blockquote_open":
            return Quote(self.blocks("blockquote_close"))
        if kind in ("fence", "code_block"):
            return Code(token.content.rstrip("\n"), token.info.strip())
        if kind == "hr":
            return Rule()
        return None  # html_block cannot occur (html is off); nothing else is a block

    def _inline_then(self, close: str) -> tuple[Inline, ...]:
        tokens = self.tokens
        inlines: tuple[Inline, ...] = ()
        while self.index < len(tokens):
            token = tokens[self.index]
            self.index += 1
            if token.type == "inline":
                inlines = _inlines(token.children or ())
            elif token.type == close:
                break
        return inlines

    def _list(self, opening: Token) -> ListBlock:
        ordered = opening.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        tokens = self.tokens
        items: list[ListItem] = []
        tight = True
        while self.index < len(tokens):
            token = tokens[self.index]
            self.index += 1
            if token.type == close:
                break
            if token.type == "list_item_open":
                following = tokens[self.index] if self.index < len(tokens) else None
                if following is not None and following.type == "paragraph_open":
                    tight = tight and following.hidden
                items.append(ListItem(self.blocks("list_item_close")))
        start = int(opening.attrGet("start") or 1) if ordered else 1
        return ListBlock(ordered, start, tight, tuple(items))


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _inlines(children: Sequence[Token]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    pending: list[str] = []
    bold = italic = 0
    link: str | None = None

    def flush(code: bool = False) -> None:
        text = "".join(pending)
        pending.clear()
        if text:
            out.append(Run(text, bold > 0, italic > 0, code, link))

    for child in children:
        kind = child.type
        if kind == "text":
            pending.append(child.content)
        elif kind == "code_inline":
            flush()
            pending.append(child.content)
            flush(code=True)
        elif kind == "image":  # a link to it, named by its description: never a fetch
            src = str(child.attrGet("src") or "")
            text = plain_text(_inlines(child.children or ())) or src
            if link is None and is_safe_href(src):
                flush()
                out.append(Run(text, bold > 0, italic > 0, False, src))
            else:
                pending.append(text)
        elif kind in ("softbreak", "hardbreak"):
            flush()
            out.append(Break(kind == "hardbreak"))
        else:
            flush()
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = str(child.attrGet("href") or "")
            elif kind == "link_close":
                link = None
    flush()
    return tuple(out)
