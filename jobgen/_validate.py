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


@functools.lru_cache(maxsize=4096)  # the guide's names are slugged for every posting
def slugify(text: str) -> str:
    """``"Associate’s Degree"`` → ``"associates-degree"``; ASCII letters, digits and hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.lower())
    return _NOT_SLUG.sub("-", text).strip("-")


def closest(word: str, candidates: Iterable[str]) -> str | None:
    import difflib  # only when there is a mistake to explain

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
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
            name = f"{prefix}{key}"
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
