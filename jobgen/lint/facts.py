"""What a rule is given (:class:`Facts`) and what it reports (:class:`Finding`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .text import Readability, Sentence, Unscored

if TYPE_CHECKING:
    from .config import LintConfig
    from .context import LintContext
    from .document import Document
    from .gender import GenderCoding

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem: which rule found it, how bad it is, what to do, and where (1-based line)."""

    rule: str
    severity: Severity
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
        }


@dataclass(frozen=True)
class Facts:
    """Everything known about one posting, computed once and shared by the rules."""

    doc: Document
    context: LintContext
    config: LintConfig
    today: dt.date
    gender: GenderCoding
    sentences: tuple[Sentence, ...]
    readability: Readability | Unscored | None  # None: the readability rule is off
    active: tuple[str, ...]
