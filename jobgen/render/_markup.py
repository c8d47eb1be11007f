"""The Markdown helpers every template uses: escaping (``finalize``), links and dates.
:mod:`jobgen.render.markdown` re-exports them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .._memo import keep


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([-+=>|~]|\d+(?=[.)]))", re.MULTILINE)


# Text that escape_markdown would return unchanged: one line, none of the characters it escapes,
# and no list, quote or heading marker (or leading blank) at its start. Most values are like this.
_PLAIN = re.compile(r"(?![\s\-+=>|~]|\d+[.)])[^\\`*_\[\]<>#&\n]*")


def escape_markdown(text: str) -> str:
    """Backslash-escape what CommonMark would read as markup, so text prints literally."""
    if _PLAIN.fullmatch(text):  # nothing to escape: skip the substitutions
        return text
    return _escape(text)


def _escape(text: str) -> str:
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


_ESCAPED: dict[str, str] = {}
"""escape_markdown's results: most values are the guide's own sentences, printed again and
again (a bounded cache: it starts afresh when full)."""
_ESCAPED_MAX = 4096


def _finalize(value: Any) -> str:
    """Every value a template prints passes through here (Jinja2's ``finalize``)."""
    if type(value) is str:  # most values: plain text, mostly escaped before
        escaped = _ESCAPED.get(value)
        if escaped is not None:
            return escaped
    elif value is None:
        return ""
    elif isinstance(value, Markdown):
        return value
    text = str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        escaped = keep(_ESCAPED, text, escape_markdown(text), _ESCAPED_MAX)
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
