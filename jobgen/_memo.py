"""Bounded caches: a batch repeats most of its values row after row, so jobgen remembers what it
made from them in plain dicts that start afresh when full (no eviction bookkeeping per hit)."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
T = TypeVar("T")


def keep(cache: dict[K, T], key: K, value: T, limit: int) -> T:
    """``cache[key] = value`` in a cache of at most ``limit`` entries (it starts afresh when
    full); returns ``value``."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value
