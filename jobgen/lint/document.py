"""A posting (Markdown or plain text) as the lines lint reads: headings, list items and text.

The text is parsed once into the token tree every jobgen writer walks (:mod:`jobgen.render.tokens`,
markdown-it-py's CommonMark with raw HTML shown as text); :func:`parse` walks it into
:class:`Line` s, one per source line, with marks and URLs removed and code blocks left out. Each
line keeps its 1-based source line number, so a finding can say where it is, and the index of the
block (heading, paragraph, list item) it belongs to, so sentences can run across the lines of one
paragraph.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from ..render.tokens import Block, Heading, Inline, ListBlock, Paragraph, Quote, Run
from ..render.tokens import parse as parse_markdown

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
    label: int = 0  # length of a bold lead-in label ("**Lead Technician:** You ..."), a name

    @property
    def body(self) -> str:
        """The text after its lead-in label."""
        return self.text[self.label :]


@dataclass(frozen=True)
class Document:
    lines: tuple[Line, ...]  # non-blank lines only

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


_FRONT_MATTER_END = ("---", "...")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_BULLET = re.compile(r"^[•–]\s+")
_TABLE_BAR = re.compile(r"\s*\|\s*")


def _without_front_matter(text: str) -> str:
    """YAML front matter replaced by blank lines, so line numbers still match the file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for end in range(1, len(lines)):
        if lines[end].strip() in _FRONT_MATTER_END:
            return "\n" * end + "\n" + "\n".join(lines[end + 1 :])
    return text


def _source_lines(inlines: Sequence[Inline]) -> Iterator[tuple[str, bool, str]]:
    """``(plain text, all bold, bold lead-in)`` for each source line of a heading or paragraph;
    the lead-in is the bold text the line starts with."""
    parts: list[str] = []
    bold: list[bool] = []  # for each run with words, whether it is bold
    lead = ""
    for inline in inlines:
        if not isinstance(inline, Run):  # a line break
            yield "".join(parts), bool(bold) and all(bold), lead
            parts, bold, lead = [], [], ""
            continue
        text = _TABLE_BAR.sub(" ", _URL.sub(" ", inline.text))
        parts.append(text)
        if text.strip():
            bold.append(inline.bold)
            if all(bold):
                lead = "".join(parts)
    yield "".join(parts), bool(bold) and all(bold), lead


def _label_length(text: str, lead: str) -> int:
    """How much of ``text`` is a bold label ending in ":" with more text after it."""
    label = " ".join(lead.split())
    if label.endswith(":") and len(label) < len(text) and text.startswith(label):
        return len(label)
    return 0


def _pseudo_heading(text: str, bold: bool) -> bool:
    return bold or (text.endswith(":") and count_words(text) <= 6)


@dataclass
class _Walk:
    lines: list[Line]
    block: int = 0

    def add(self, inlines: Sequence[Inline], first: int, kind: LineKind, level: int = 0) -> None:
        self.block += 1
        for offset, (raw, bold, lead) in enumerate(_source_lines(inlines)):
            text = " ".join(raw.split())
            if not text:
                continue
            line_kind, line_level, label = kind, level, _label_length(text, lead)
            if kind == "text" and _BULLET.match(text):
                self.block += 1  # a "• item" line of a plain-text posting
                line_kind, text = "item", _BULLET.sub("", text)
            elif kind == "text" and _pseudo_heading(text, bold):
                line_kind, line_level, text = "heading", 4, text.rstrip(":").strip()
            number = first + offset
            self.lines.append(Line(number, line_kind, text, line_level, self.block, label))
            if line_kind != kind:
                self.block += 1

    def blocks(self, blocks: Sequence[Block], in_item: bool = False) -> None:
        """Walk blocks; the first paragraph of a list item is the item's text."""
        for index, block in enumerate(blocks):
            if isinstance(block, Heading):
                self.add(block.inlines, block.line, "heading", block.level)
            elif isinstance(block, Paragraph):
                self.add(block.inlines, block.line, "item" if in_item and index == 0 else "text")
            elif isinstance(block, ListBlock):
                for item in block.items:
                    self.blocks(item.blocks, in_item=True)
            elif isinstance(block, Quote):
                self.blocks(block.blocks)
            # code and thematic breaks hold no posting text


def parse(text: str) -> Document:
    """Markdown or plain text → typed lines; blank lines, code and front matter dropped."""
    walk = _Walk([])
    walk.blocks(
        parse_markdown(_without_front_matter(text.replace("\r\n", "\n").replace("\r", "\n")))
    )
    return Document(tuple(walk.lines))
