"""Posting quality checks: what a reviewer would flag before a posting is published.

:func:`lint_text` checks any posting text, Markdown or plain. A :class:`LintContext` carries the
structured facts known when a posting was composed (region, salary, dates, employer); for a bare
text, :func:`infer_context` reads what it can from the text itself (see its docstring). Each rule
has an id (``gender-coded``, ``pay-transparency``, ``placeholder``...), and each finding a
severity, a message and, where there is one, the line it is about. :meth:`LintReport.to_dict` is
the JSON shape the CLI prints with ``--json`` and batch manifests record.

The package: :mod:`.registry` (the rule table), :mod:`.rules` and :mod:`.wording` (the rules),
:mod:`.document` (Markdown → lines), :mod:`.text` (sentences, readability), :mod:`.gender` and
:mod:`.wordlists` (the packaged word lists), :mod:`.context` (facts beyond the words, pay laws),
:mod:`.run` (entry points) and :mod:`.report` (the report and its text form).
"""

from __future__ import annotations

from .config import LintConfig
from .context import (
    US_STATES,
    LintContext,
    PayLaw,
    infer_context,
    pay_law_for,
    pay_transparency_laws,
)
from .facts import SEVERITIES, Finding, Severity
from .gender import (
    FEMININE_VERDICTS,
    MASCULINE_VERDICTS,
    CodedWord,
    GenderCoding,
    gender_coding,
    gender_verdict,
    gender_word_lists,
)
from .registry import RULES, Rule
from .report import LintReport, format_report
from .rules import required_sections
from .run import (
    context_from_posting,
    lint_composed,
    lint_file,
    lint_posting,
    lint_rendered,
    lint_text,
    readability,
)
from .text import Readability

__all__ = [
    "FEMININE_VERDICTS",
    "MASCULINE_VERDICTS",
    "RULES",
    "SEVERITIES",
    "US_STATES",
    "CodedWord",
    "Finding",
    "GenderCoding",
    "LintConfig",
    "LintContext",
    "LintReport",
    "PayLaw",
    "Readability",
    "Rule",
    "Severity",
    "context_from_posting",
    "format_report",
    "gender_coding",
    "gender_verdict",
    "gender_word_lists",
    "infer_context",
    "lint_composed",
    "lint_file",
    "lint_posting",
    "lint_rendered",
    "lint_text",
    "pay_law_for",
    "pay_transparency_laws",
    "readability",
    "required_sections",
]
