"""Thresholds and rule selection for one lint run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import _validate as v
from ..errors import UsageError
from .registry import RULES


@dataclass(frozen=True)
class LintConfig:
    """Thresholds and rule selection.

    ``today`` (for expiry, and for undated postings' pay laws) defaults to today's UTC date, or
    the date of ``SOURCE_DATE_EPOCH`` when set, as for ``date_posted``.
    """

    max_grade: float = 12.0
    min_words: int = 300
    max_words: int = 700
    max_required: int = 8
    today: dt.date | None = None
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for option, ids in (("--disable", self.disable), ("--enable", self.enable)):
            for rule_id in sorted(ids):
                if rule_id not in RULES:
                    raise UsageError(
                        f"{option}: unknown rule {rule_id!r}.{v.did_you_mean(rule_id, RULES)} "
                        f"Rules: {', '.join(RULES)}"
                    )
        both = sorted(self.disable & self.enable)
        if both:
            raise UsageError(f"rule {both[0]!r} is both enabled and disabled; choose one")
        if self.max_grade <= 0:
            raise UsageError(f"--max-grade must be above 0, not {self.max_grade:g}")
        if self.min_words < 0 or self.max_words < self.min_words:
            raise UsageError(
                f"word limits must satisfy 0 <= min ({self.min_words}) <= max ({self.max_words})"
            )
        if self.max_required < 1:
            raise UsageError(
                f"the required-lines limit must be at least 1, not {self.max_required}"
            )

    def active_rules(self) -> tuple[str, ...]:
        """Ids of the rules that run, in registry order."""
        return tuple(
            r.id
            for r in RULES.values()
            if (r.default_enabled or r.id in self.enable) and r.id not in self.disable
        )
