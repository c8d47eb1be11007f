"""Markdown → text for a terminal: headings, bold, bullets and links, wrapped to the width.

With ``color`` off the result is plain text with no escape codes (for pipes and ``NO_COLOR``).
"""

from __future__ import annotations

from typing import Any

BOLD, UNDERLINE, RESET = "\x1b[1m", "\x1b[4m", "\x1b[0m"
HEADING_COLORS = {1: "\x1b[1;36m", 2: "\x1b[1;34m", 3: "\x1b[1m"}


def _inline(children: list[Any], color: bool) -> str:
    out: list[str] = []
    href = ""
    for tok in children:
        if tok.type == "text" or tok.type == "code_inline":
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "strong_open":
            out.append(BOLD if color else "")
        elif tok.type in ("strong_close", "em_close"):
            out.append(RESET if color else "")
        elif tok.type == "em_open":
            out.append(UNDERLINE if color else "")
        elif tok.type == "link_open":
            href = str(tok.attrs.get("href", ""))
        elif tok.type == "link_close":
            text_so_far = "".join(out)
            shown = href.removeprefix("mailto:")
            if not text_so_far.endswith(shown):
                out.append(f" ({href.removeprefix('mailto:')})")
            href = ""
    return "".join(out)


def _visible_len(text: str) -> int:
    for code in (BOLD, UNDERLINE, RESET, *HEADING_COLORS.values()):
        text = text.replace(code, "")
    return len(text)


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    # wrap on visible text; escape codes are zero-width, so wrap each word by its visible length
    words = text.split(" ")
    lines: list[str] = []
    line, size = first, len(first)
    for word in words:
        w = _visible_len(word)
        if size + w > width and size > len(rest):
            lines.append(line.rstrip())
            line, size = rest, len(rest)
        line += word + " "
        size += w + 1
    lines.append(line.rstrip())
    return lines


def render_terminal(markdown: str, *, color: bool = True, width: int = 80) -> str:
    """Style Markdown for reading in a terminal."""
    from markdown_it import MarkdownIt

    width = max(40, min(width, 100))
    tokens = MarkdownIt("commonmark", {"html": False}).parse(markdown)
    lines: list[str] = []
    depth = 0
    numbers: list[int] = []
    item_marker = ""
    heading = 0
    for tok in tokens:
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = 0
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            numbers.append(0 if tok.type == "ordered_list_open" else -1)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            numbers.pop()
            if depth == 0:
                lines.append("")
        elif tok.type == "list_item_open":
            if numbers[-1] >= 0:
                numbers[-1] += 1
                item_marker = f"{numbers[-1]}. "
            else:
                item_marker = "• "
        elif tok.type == "inline":
            text = _inline(tok.children or [], color)
            if heading:
                if color:
                    lines.append(f"{HEADING_COLORS.get(heading, BOLD)}{text}{RESET}")
                else:
                    lines.append(text.upper() if heading == 1 else text)
                if heading <= 2:
                    lines.append(("═" if heading == 1 else "─") * min(width, len(text)))
                lines.append("")
            elif depth:
                indent = "  " * (depth - 1)
                lines.extend(
                    _wrap(text, width, indent + item_marker, indent + " " * len(item_marker))
                )
                item_marker = ""
            else:
                lines.extend(_wrap(text, width, "", ""))
                lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
