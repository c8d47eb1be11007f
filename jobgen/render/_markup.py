"""The Markdown helpers every template uses: escaping (``finalize``), links and dates.
:mod:`jobgen.render.markdown` re-exports them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([-+=>|~]|\d+(?=[.)]))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Backslash-escape what CommonMark would read as markup, so text prints literally."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)

    def line_start(m: re.Match[str]) -> str:
        mark = m.group(2)
        if mark.isdigit():  # "1." starts a list: escape the dot after the number
            return f"{m.group(1)}{mark}\\"
        return f"{m.group(1)}\\{mark}"

    text = _LINE_START.sub(line_start, text)
    # leading spaces would make an indented code block
    return "\n".join(line.lstrip(" \t") for line in text.split("\n"))


class Escaper:
    """Jinja2's ``finalize`` for every template: ``None`` prints nothing, :class:`Markdown`
    prints as it is, anything else is escaped by :func:`escape_markdown`. It remembers what it
    escaped, keyed by the text: most values a
    template prints are the guide's own sentences, printed again in posting after posting
    (the cache starts afresh when it holds ``max_kept`` texts). Owned by
    :class:`jobgen.render.markdown.Templates`; ``benchmarks/run.py`` measures its effect
    (``max_kept=0``: nothing kept)."""

    def __init__(self, max_kept: int = 4096) -> None:
        self.max_kept = max_kept
        self._escaped: dict[str, str] = {}

    def finalize(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Markdown):
            return value
        text = str(value)
        escaped = self._escaped.get(text)
        if escaped is None:
            escaped = escape_markdown(text)
            if len(self._escaped) >= self.max_kept:
                self._escaped.clear()
            if self.max_kept:
                self._escaped[text] = escaped
        return escaped


def md_link(text: str, url: str) -> Markdown:
    """``[text](<url>)``; the URL was validated as http(s) or mailto where it came in."""
    safe_url = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return Markdown(f"[{escape_markdown(text)}](<{safe_url}>)")


def long_date(value: dt.date) -> str:
    """``2026-12-31`` → ``December 31, 2026`` (the same on every platform)."""
    return f"{value.strftime('%B')} {value.day}, {value.year}"


GLOBALS: dict[str, Any] = {"md_link": md_link}
"""The functions every template may call, besides Jinja2's own."""
FILTERS: dict[str, Any] = {"long_date": long_date}
"""jobgen's filters, besides Jinja2's own."""
