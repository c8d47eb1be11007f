"""A lint run's result, as JSON (:meth:`LintReport.to_dict`) and as text (:func:`format_report`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .facts import SEVERITIES, Finding, Severity
from .gender import GenderCoding
from .text import Readability


@dataclass(frozen=True)
class LintReport:
    findings: tuple[Finding, ...]
    gender_coding: GenderCoding
    readability: Readability | None  # None when the rule is off or the text cannot be scored
    word_count: int

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    def to_dict(self) -> dict[str, Any]:
        """``{"findings", "gender_coding", "readability", "word_count"}``, ordered as documented."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "gender_coding": self.gender_coding.to_dict(),
            "readability": self.readability.to_dict() if self.readability else None,
            "word_count": self.word_count,
        }


def format_report(report: LintReport, source: str = "-") -> str:
    """The human-readable report: one ``source:line: severity: message [rule]`` per finding,
    then the readability scores, the word count and the totals. The gender-coding balance is
    in :meth:`LintReport.to_dict` only: a masculine verdict is a finding, anything else is not
    news to a reader."""
    out = []
    for f in report.findings:
        where = f"{source}:{f.line}" if f.line is not None else source
        out.append(f"{where}: {f.severity}: {f.message} [{f.rule}]")
    if report.readability is not None:
        r = report.readability
        out.append(
            f"readability: Flesch–Kincaid grade {r.flesch_kincaid_grade:g} (limit "
            f"{r.max_grade:g}), Flesch reading ease {r.flesch_reading_ease:g}"
        )
    out.append(f"words: {report.word_count:,}")
    counts = [report.count(s) for s in SEVERITIES]
    out.append(
        f"{counts[0]} error{'s' * (counts[0] != 1)}, {counts[1]} warning{'s' * (counts[1] != 1)}, "
        f"{counts[2]} info"
    )
    return "\n".join(out) + "\n"
