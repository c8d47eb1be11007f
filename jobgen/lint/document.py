"""A posting (Markdown or plain text) as the lines lint reads: headings, list items and text.

markdown-it-py parses the text into tokens (:func:`_tokens`, the one place that knows the
parser); :func:`parse` walks them into :class:`Line` s, one per source line, with markup, URLs,
code and raw HTML removed. Each line keeps its 1-based source line number, so a finding can say
where it is, and the index of the block (heading, paragraph, list item, table row) it belongs to,
so sentences can run across the lines of one paragraph.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

LineKind = Literal["heading", "item", "text"]


@dataclass(frozen=True)
class Line:
    """One source line of text. ``level`` is a heading's level: 4 for pseudo-headings
    ("Requirements:" alone on a line, a line all in bold)."""

    number: int
    kind: LineKind
    text: str
    level: int = 0
    block: int = 0


@dataclass(frozen=True)
class Markup:
    """Raw HTML the text holds (kept for the placeholder rule: ``<insert employer name>``)."""

    number: int
    html: str


@dataclass(frozen=True)
class Document:
    lines: tuple[Line, ...]  # non-blank lines only
    markup: tuple[Markup, ...] = ()

    @functools.cached_property
    def word_count(self) -> int:
        return sum(count_words(line.text) for line in self.lines)

    @functools.cached_property
    def joined(self) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        """``(text, offsets, line numbers)``: every line in one string, a space between the lines
        of a block and NUL between blocks (so no phrase match runs from one block into the
        next); ``offsets[i]`` is where the line numbered ``numbers[i]`` starts."""
        parts: list[str] = []
        offsets: list[int] = []
        at = 0
        previous: Line | None = None
        for line in self.lines:
            if previous is not None:
                parts.append(" " if line.block == previous.block else "\0")
                at += 1
            offsets.append(at)
            parts.append(line.text)
            at += len(line.text)
            previous = line
        return "".join(parts), tuple(offsets), tuple(line.number for line in self.lines)

    def line_at(self, offset: int) -> int:
        """The number of the line holding ``offset`` of :attr:`joined`'s text."""
        _, offsets, numbers = self.joined
        return numbers[max(0, bisect.bisect_right(offsets, offset) - 1)]

    def blocks(self) -> Iterator[tuple[Line, ...]]:
        """The lines grouped by block, in text order."""
        group: list[Line] = []
        for line in self.lines:
            if group and line.block != group[0].block:
                yield tuple(group)
                group = []
            group.append(line)
        if group:
            yield tuple(group)


def count_words(text: str) -> int:
    """Whitespace-separated tokens holding a letter or digit."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # raw HTML is recognised (so tags and <script> blocks are not read as words); tables are
    # rows of text; an indented paragraph of a plain-text posting is text, not a code block
    return MarkdownIt("commonmark", {"html": True}).enable("table").disable("code")


def _tokens(text: str) -> list[Token]:
    """The block tokens of a Markdown text (the shared token stream can replace this call)."""
    return _parser().parse(text)


_FRONT_MATTER_END = ("---", "...")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_BULLET = re.compile(r"^[•–]\s+")


def _without_front_matter(text: str) -> str:
    """YAML front matter replaced by blank lines, so line numbers still match the file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for end in range(1, len(lines)):
        if lines[end].strip() in _FRONT_MATTER_END:
            return "\n" * end + "\n" + "\n".join(lines[end + 1 :])
    return text


def _child_text(child: Token) -> str:
    """The words an inline token shows: text without URLs, code, an image's description."""
    if child.type == "text":
        return _URL.sub(" ", child.content)
    if child.type == "code_inline":
        return child.content
    if child.type == "image":
        return "".join(c.content for c in child.children or ())
    return ""


def _inline_lines(inline: Token) -> Iterator[tuple[int, str, bool, list[Markup]]]:
    """``(offset, plain text, all bold, raw html)`` for each source line of an inline token."""
    start = inline.map[0] if inline.map else 0
    offset = depth = 0
    parts: list[str] = []
    bold: list[bool] = []  # for each piece of text, whether it is inside ** **
    html: list[Markup] = []
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            yield offset, "".join(parts), bool(bold) and all(bold), html
            offset, parts, bold, html = offset + 1, [], [], []
        elif child.type in ("strong_open", "strong_close"):
            depth += 1 if child.type == "strong_open" else -1
        elif child.type == "html_inline":
            html.append(Markup(start + offset + 1, child.content))
            parts.append(" ")
        elif content := _child_text(child):
            parts.append(content)
            if content.strip():
                bold.append(depth > 0)
    yield offset, "".join(parts), bool(bold) and all(bold), html


def _pseudo_heading(text: str, bold: bool) -> bool:
    return bold or (text.endswith(":") and count_words(text) <= 6)


@dataclass
class _Walk:
    lines: list[Line]
    markup: list[Markup]
    block: int = 0

    def add(self, inline: Token, kind: LineKind, level: int = 0) -> None:
        start = inline.map[0] if inline.map else 0
        self.block += 1
        for offset, raw, bold, html in _inline_lines(inline):
            self.markup.extend(html)
            text = " ".join(raw.split())
            if not text:
                continue
            line_kind, line_level = kind, level
            if kind == "text" and _BULLET.match(text):
                self.block += 1  # a "• item" line of a plain-text posting
                line_kind, text = "item", _BULLET.sub("", text)
            elif kind == "text" and _pseudo_heading(text, bold):
                line_kind, line_level, text = "heading", 4, text.rstrip(":").strip()
            self.lines.append(Line(start + offset + 1, line_kind, text, line_level, self.block))
            if line_kind != kind:
                self.block += 1

    def add_row(self, cells: list[str], number: int) -> None:
        """A table row is one line of text."""
        self.block += 1
        text = " ".join(" ".join(cells).split())
        if text:
            self.lines.append(Line(number, "text", text, 0, self.block))


def parse(text: str) -> Document:
    """Markdown or plain text → typed lines; blank lines, code, HTML and front matter dropped."""
    text = _without_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    walk = _Walk([], [])
    heading_level = 0
    item_starts = False  # the next inline is the first paragraph of a list item
    row: list[str] = []
    row_line = 0
    in_cell = False
    for token in _tokens(text):
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "list_item_open":
            item_starts = True
        elif kind == "html_block":
            walk.markup.append(Markup((token.map[0] if token.map else 0) + 1, token.content))
        elif kind == "tr_open":
            row, row_line = [], (token.map[0] if token.map else 0) + 1
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = kind.endswith("open")
        elif kind == "tr_close":
            walk.add_row(row, row_line)
        elif kind == "inline" and in_cell:
            row.extend(plain for _, plain, _, _ in _inline_lines(token))
        elif kind == "inline":
            if heading_level:
                walk.add(token, "heading", heading_level)
            else:
                walk.add(token, "item" if item_starts else "text")
            item_starts = False
    return Document(tuple(walk.lines), tuple(walk.markup))
