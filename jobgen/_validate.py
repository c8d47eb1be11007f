"""Small helpers shared by the strict loaders: key checks, suggestions, slugs."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ValidationError

_APOSTROPHES = re.compile(r"['’]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

_PROBLEM = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
"""Every character a document cannot hold or should not show: control characters (tab and line
feed are judged apart), lone surrogates, the non-characters U+FFFE/U+FFFF (XML, and so DOCX and
HTML, cannot hold them) and the bidirectional embeddings, overrides and isolates, which reorder
what a reader sees ("Trojan Source"). The marks U+200E/U+200F are allowed: right-to-left text
needs them."""


def text_problem(value: str, *, multiline: bool = False) -> tuple[str, str] | None:
    """Why ``value`` cannot go into a document, as ``(problem, hint)``; ``None`` when it can.

    Refused: control characters (tab and, in ``multiline`` text, line breaks are fine), lone
    surrogates (broken text, which no file encoding can hold) and bidirectional overrides.
    """
    if not multiline and ("\n" in value.strip() or "\t" in value):
        what = "a line break" if "\n" in value.strip() else "a tab"
        return (f"contains {what}; this field is a single line", "put it on one line")
    found = _PROBLEM.search(value.replace("\t", " ").replace("\n", " ") if multiline else value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return (
            f"contains a lone surrogate U+{code:04X}, which is not a character "
            "(the text was damaged by a wrong encoding)",
            "retype or re-copy the text",
        )
    if code in (0xFFFE, 0xFFFF):
        return (
            f"contains the non-character U+{code:04X}, which documents cannot hold",
            "remove it (it is often a byte-order mark read the wrong way round)",
        )
    if code >= 0x202A:
        return (
            "contains a bidirectional override character (U+202A-U+202E, U+2066-U+2069), "
            "which can disguise text",
            "remove it; right-to-left text needs only the marks U+200E/U+200F",
        )
    return (
        f"contains the control character U+{code:04X}, which documents cannot hold",
        "remove it (it is often pasted in from another program)",
    )


def shorten(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters for an error message, with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


@functools.lru_cache(maxsize=4096)  # the guide's names are slugged for every posting
def slugify(text: str) -> str:
    """``"Associate’s Degree"`` → ``"associates-degree"``; ASCII letters, digits and hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.lower())
    return _NOT_SLUG.sub("-", text).strip("-")


def closest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word`` (difflib's ratio of at least ``cutoff``), if any."""
    import difflib  # only when there is a mistake to explain

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = closest(word, candidates)
    return f" Did you mean {match!r}?" if match else ""


def line_of(mapping: Any, key: str) -> int | None:
    lines = getattr(mapping, "lines", None)
    return lines.get(key) if isinstance(lines, dict) else None


def where(source: str, mapping: Any = None, key: str | None = None) -> str:
    """``"file.yaml:12"`` when the line of ``key`` in ``mapping`` is known, else ``"file.yaml"``."""
    line = line_of(mapping, key) if key is not None and mapping is not None else None
    return f"{source}:{line}" if line else source


def check_keys(
    mapping: Mapping[str, Any], allowed: Iterable[str], *, source: str, prefix: str = ""
) -> None:
    """Refuse keys not in ``allowed``, suggesting the closest allowed one."""
    allowed = list(allowed)
    for key in mapping:
        if key not in allowed:
            name = shorten(f"{prefix}{key}")
            raise ValidationError(
                f"unknown field {name!r}.{did_you_mean(key, allowed)} "
                f"Allowed here: {', '.join(prefix + a for a in allowed)}",
                source=where(source, mapping, key),
            )


def require_str(mapping: Mapping[str, Any], key: str, *, source: str, prefix: str = "") -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{prefix}{key} must be non-empty text", source=where(source, mapping, key)
        )
    return value.strip()
