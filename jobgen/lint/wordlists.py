"""Packaged word lists: loading them, and matching their phrases in a text.

``jobgen/data/gender_words.yaml`` holds the gender-coded stems; ``jobgen/data/wording.yaml`` the
stigmatizing terms with their person-first replacements and the hype or jargon phrases, each with
its sources.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .._yaml import parse_yaml
from ..errors import ValidationError


def load_data(name: str) -> Mapping[str, Any]:
    """A YAML mapping from ``jobgen/data``."""
    source = f"jobgen/data/{name}"
    text = resources.files("jobgen").joinpath("data", name).read_text(encoding="utf-8")
    data = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise ValidationError("expected a mapping", source=source)
    return data


def string_list(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    """``data[key]`` as lower-case strings; an error naming the key otherwise."""
    words = data.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValidationError(f"{key} must be a list of words", source=source)
    return tuple(w.lower() for w in words)


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for whole-word phrases: a space also matches a comma or a
    line break, a hyphen also a space, and a trailing ``*`` any word ending."""
    alternatives = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = []
        for word in phrase.split():
            star = word.endswith("*")
            parts = [re.escape(p) for p in word.rstrip("*").split("-")]
            words.append(r"[-\s]".join(parts) + (r"[\w'’]*" if star else ""))
        alternatives.append(r"[\s,;:]+".join(words))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Wording:
    """Phrases to replace, with the suggestion and the names that contain them but are fine."""

    pattern: re.Pattern[str]
    use: str
    allowed: re.Pattern[str] | None
    keys: tuple[str, ...]  # one word of each phrase: no key in a text, no match

    def finditer(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        """The matches in ``text`` (``lowered`` is ``text.lower()``, for the quick check)."""
        if any(key in lowered for key in self.keys):
            yield from self.pattern.finditer(text)


def _key(phrase: str) -> str:
    """The longest run of letters in a phrase: every match of the phrase contains it."""
    runs: list[str] = re.findall(r"[^\W\d_]+", phrase.lower())
    return max(runs, key=len)


def _wording(entry: Any, key: str, source: str) -> Wording:
    if not isinstance(entry, dict) or not isinstance(entry.get("use"), str):
        raise ValidationError(f"each entry of {key} needs find: [...] and use: text", source=source)
    find = string_list(entry, "find", source)
    allowed = string_list(entry, "except", source)
    if not find:
        raise ValidationError(f"an entry of {key} has nothing to find", source=source)
    return Wording(
        phrase_pattern(find),
        entry["use"],
        phrase_pattern(allowed) if allowed else None,
        tuple(sorted({_key(phrase) for phrase in find})),
    )


@functools.cache
def wording_lists() -> dict[str, tuple[Wording, ...]]:
    """``{"person_first": ..., "jargon": ...}`` from jobgen/data/wording.yaml."""
    source = "jobgen/data/wording.yaml"
    data = load_data("wording.yaml")
    out: dict[str, tuple[Wording, ...]] = {}
    for key in ("person_first", "jargon"):
        entries = data.get(key)
        if not isinstance(entries, list):
            raise ValidationError(f"expected a list under {key!r}", source=source)
        out[key] = tuple(_wording(entry, key, source) for entry in entries)
    return out
