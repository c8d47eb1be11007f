"""Body writing: the posting's blocks (:mod:`jobgen.render.tokens`) as WordprocessingML text.

Word styles are resolved once per reference (:class:`StyleIds`), never looked up per paragraph;
the XML is written as strings, the way python-docx would serialise the same content, which is
what makes a DOCX cost about 2 ms rather than python-docx's 25 ms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..tokens import (
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
)
from .package import xml_attr, xml_text

LEVEL_INDENT = 360  # twips (1/4 inch) per list level
_BULLETS = ("•", "◦", "▪")
_NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
_RUN_BREAKS = re.compile(r"([\t\r\n])")
HYPERLINK_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_RULE = (
    '<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr></w:pPr>'
)


@dataclass(frozen=True)
class StyleIds:
    """The style ids of the reference that the body uses."""

    normal: str
    headings: tuple[str, ...]  # Heading 1 … Heading 6
    list_bullet: str
    list_number: str
    hyperlink: str
    quote: str | None


@dataclass(frozen=True)
class BodyContext:
    """What the body writer needs to know of the prepared reference."""

    styles: StyleIds
    first_abstract_id: int
    first_num_id: int
    used_rids: frozenset[str]
    w_decl: str  # namespace declarations new body elements need ("" when the root has them)


@dataclass
class _List:
    ordered: bool
    level: int
    num_id: int
    item_open: bool = False  # the current item's first paragraph is still to come


class BodyWriter:
    """Blocks → the body's WordprocessingML, as text.

    The paragraphs go to :attr:`out`; new list definitions to :attr:`abstracts` and
    :attr:`nums`, hyperlink relationships to :attr:`rels`: the caller puts each into its part.
    """

    def __init__(self, context: BodyContext) -> None:
        self.styles = context.styles
        self.used_rids = context.used_rids
        self.p_open = f"<w:p{context.w_decl}>"
        self.decl = context.w_decl
        self.next_abstract_id = context.first_abstract_id
        self.next_num_id = context.first_num_id
        self.next_rid = 1
        self.abstract_ids: dict[bool, int] = {}
        self.lists: list[_List] = []
        self.quote_depth = 0
        self.out: list[str] = []
        self.abstracts: list[str] = []
        self.nums: list[str] = []
        self.rels: list[str] = []
        self.link_ids: dict[str, str] = {}

    def write(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            match block:
                case Heading(level, inlines):
                    style = xml_attr(self.styles.headings[min(level, 6) - 1])
                    self._paragraph(f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>', inlines)
                case Paragraph(inlines):
                    self._paragraph(self._paragraph_properties(), inlines)
                case ListBlock(ordered, start, _tight, items):
                    level = min(len(self.lists), 8)
                    current = _List(ordered, level, self._new_num(ordered, level, start))
                    self.lists.append(current)
                    for item in items:
                        current.item_open = True
                        self.write(item.blocks)
                    self.lists.pop()
                case Quote(inner):
                    self.quote_depth += 1
                    self.write(inner)
                    self.quote_depth -= 1
                case Code(text):
                    self._paragraph(self._paragraph_properties(), (Run(text),))
                case Rule():
                    self.out += (self.p_open, _RULE, "</w:p>")

    # paragraphs

    def _paragraph(self, properties: str, inlines: Sequence[Inline]) -> None:
        self.out += (self.p_open, properties)
        self._inline(inlines)
        self.out.append("</w:p>")

    def _paragraph_properties(self) -> str:
        if self.lists:
            current = self.lists[-1]
            style = self.styles.list_number if current.ordered else self.styles.list_bullet
            head = f'<w:pPr><w:pStyle w:val="{xml_attr(style)}"/>'
            if current.item_open:
                current.item_open = False
                return (
                    f'{head}<w:numPr><w:ilvl w:val="{current.level}"/>'
                    f'<w:numId w:val="{current.num_id}"/></w:numPr></w:pPr>'
                )
            # a later paragraph of the same item: no marker, aligned with the item text
            return (
                f'{head}<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
                f'<w:ind w:left="{LEVEL_INDENT * (current.level + 1)}" w:firstLine="0"/></w:pPr>'
            )
        if self.quote_depth:
            style = (
                f'<w:pStyle w:val="{xml_attr(self.styles.quote)}"/>' if self.styles.quote else ""
            )
            return f'<w:pPr>{style}<w:ind w:left="{2 * LEVEL_INDENT * self.quote_depth}"/></w:pPr>'
        return ""

    # runs

    def _inline(self, inlines: Sequence[Inline]) -> None:
        """Runs with the same marks are one ``w:r`` (a soft break is a space, a hard one a
        ``w:br``); a link's runs sit in one ``w:hyperlink``."""
        pending: list[str] = []
        marks: tuple[bool, bool, str | None] = (False, False, None)
        for item in inlines:
            if isinstance(item, Break):
                pending.append("\n" if item.hard else " ")
                continue
            link = item.link if item.link is not None and is_safe_href(item.link) else None
            wanted = (item.bold, item.italic, link)
            if wanted != marks:
                self._flush(pending, marks)
                if link != marks[2]:
                    if marks[2] is not None:
                        self.out.append("</w:hyperlink>")
                    if link is not None:
                        self.out.append(f'<w:hyperlink r:id="{self._link(link)}" w:history="1">')
                marks = wanted
            pending.append(item.text)
        self._flush(pending, marks)
        if marks[2] is not None:
            self.out.append("</w:hyperlink>")

    def _flush(self, pending: list[str], marks: tuple[bool, bool, str | None]) -> None:
        text = "".join(pending)
        pending.clear()
        if text:
            bold, italic, link = marks
            self._run(text, bold=bold, italic=italic, link=link is not None)

    def _run(
        self, text: str, *, bold: bool = False, italic: bool = False, link: bool = False
    ) -> None:
        """One ``w:r``, as python-docx writes ``run.text``: tabs become ``w:tab``, line breaks
        ``w:br``, and text with outer spaces keeps them (``xml:space="preserve"``)."""
        out = self.out
        properties = ""
        if bold or italic or link:
            properties = (
                "<w:rPr>"
                + (f'<w:rStyle w:val="{xml_attr(self.styles.hyperlink)}"/>' if link else "")
                + ("<w:b/>" if bold else "")
                + ("<w:i/>" if italic else "")
                + "</w:rPr>"
            )
        out += ("<w:r>", properties)
        for piece in _RUN_BREAKS.split(text):
            if piece == "\t":
                out.append("<w:tab/>")
            elif piece in ("\n", "\r"):
                out.append("<w:br/>")
            elif piece:
                space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
                out.append(f"<w:t{space}>{xml_text(piece)}</w:t>")
        out.append("</w:r>")

    def _link(self, href: str) -> str:
        """The relationship id of a hyperlink target, one per distinct target (python-docx's
        numbering: the lowest free ``rIdN``)."""
        rid = self.link_ids.get(href)
        if rid is None:
            while f"rId{self.next_rid}" in self.used_rids:
                self.next_rid += 1
            rid = self.link_ids[href] = f"rId{self.next_rid}"
            self.next_rid += 1
            self.rels.append(
                f'<Relationship Id="{rid}" Type="{HYPERLINK_RELTYPE}" Target="{xml_attr(href)}" '
                'TargetMode="External"/>'
            )
        return rid

    # numbering

    def _new_num(self, ordered: bool, level: int, start: int) -> int:
        """A new w:num for one list; an ordered list's level restarts at its first number."""
        abstract_id = self.abstract_ids.get(ordered)
        if abstract_id is None:
            abstract_id = self.abstract_ids[ordered] = self.next_abstract_id
            self.next_abstract_id += 1
            self.abstracts.append(abstract_num_xml(abstract_id, ordered, self.decl))
        num_id = self.next_num_id
        self.next_num_id += 1
        override = (
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if ordered
            else ""
        )
        self.nums.append(
            f'<w:num{self.decl} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
        )
        return num_id


def abstract_num_xml(abstract_id: int, ordered: bool, decl: str = "") -> str:
    """A nine-level list definition: bullets (•, ◦, ▪) or numbers (1., a., i.)."""
    levels = []
    for level in range(9):
        if ordered:
            number_format = _NUMBER_FORMATS[level % len(_NUMBER_FORMATS)]
            text = f"%{level + 1}."
        else:
            number_format, text = "bullet", _BULLETS[level % len(_BULLETS)]
        indent = LEVEL_INDENT * (level + 1)
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="{LEVEL_INDENT}"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum{decl} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{0x4A0B0000 + abstract_id:08X}"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )
