"""Running the rules: on a text, a composed posting, what `jobgen render` would write, a file."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..employer import today as employer_today
from ..errors import UsageError
from .config import LintConfig
from .context import LintContext, context_of
from .document import Document, parse
from .facts import SEVERITIES, Facts, Finding
from .gender import coding_of
from .registry import RULES
from .report import LintReport
from .text import Readability, Sentence, Unscored, measure, sentences

if TYPE_CHECKING:
    from ..compose import Posting

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _order(finding: Finding) -> tuple[int, int, int]:
    """Line (document-wide first), severity, rule; a stable sort keeps each rule's own order."""
    line = finding.line if finding.line is not None else 0
    return (line, _SEVERITY_RANK[finding.severity], list(RULES).index(finding.rule))


def lint_text(
    text: str, *, context: LintContext | None = None, config: LintConfig | None = None
) -> LintReport:
    """Check one posting. Without ``context``, facts are inferred from the text.

    Findings are ordered by line (document-wide ones first), then severity, then rule.
    """
    return _lint(parse(text), context, config)


def _lint(doc: Document, context: LintContext | None, config: LintConfig | None) -> LintReport:
    config = config if config is not None else LintConfig()
    active = config.active_rules()
    found = tuple(sentences(doc))
    facts = Facts(
        doc=doc,
        context=context if context is not None else context_of(doc),
        config=config,
        today=config.today or employer_today(),
        gender=coding_of(doc),
        sentences=found,
        readability=_measure(found, config.max_grade) if "readability" in active else None,
        active=active,
    )
    findings = [f for rule_id in active for f in RULES[rule_id].check(facts)]
    findings.sort(key=_order)
    scores = facts.readability if isinstance(facts.readability, Readability) else None
    return LintReport(tuple(findings), facts.gender, scores, doc.word_count)


def _measure(found: tuple[Sentence, ...], max_grade: float) -> Readability | Unscored:
    return measure([s.text for s in found], max_grade)


def readability(text: str, *, max_grade: float = 12.0) -> Readability | None:
    """Flesch–Kincaid grade and Flesch reading ease of a posting; None when it cannot be scored
    (too short, fragments, or no sentence breaks: see :func:`jobgen.lint.text.measure`)."""
    result = _measure(tuple(sentences(parse(text))), max_grade)
    return result if isinstance(result, Readability) else None


def context_from_posting(posting: Posting) -> LintContext:
    """The facts a composed posting carries (its employer options), for :func:`lint_text`."""
    o = posting.options
    return LintContext(
        title=posting.title,
        employer_name=None if o.employer.is_placeholder else o.employer.name,
        locality=o.location.city or None,
        region=o.location.region or None,
        country=o.location.country or None,
        workplace=o.workplace,
        salary_min=o.salary.min,
        salary_max=o.salary.max,
        date_posted=o.date_posted,
        valid_through=o.valid_through,
    )


def lint_composed(
    posting: Posting,
    *,
    markdown: str | None = None,
    template: Path | None = None,
    config: LintConfig | None = None,
) -> LintReport:
    """Lint a composed posting with the facts its options carry.

    ``markdown`` is the posting already rendered; without it the posting is rendered here (with
    ``template`` when given).
    """
    if markdown is None:
        from ..render.markdown import render_markdown

        markdown = render_markdown(posting, template=template)
    return lint_text(markdown, context=context_from_posting(posting), config=config)


def lint_posting(
    posting: Posting,
    *,
    markdown: str | None = None,
    template: Path | None = None,
    config: LintConfig | None = None,
) -> dict[str, Any]:
    """:func:`lint_composed` as a JSON-ready dict (:meth:`LintReport.to_dict`), for manifests."""
    return lint_composed(posting, markdown=markdown, template=template, config=config).to_dict()


def lint_rendered(
    *,
    template: Path | None = None,
    config: LintConfig | None = None,
    **sources: Any,
) -> LintReport:
    """Compose and render the Markdown posting as ``jobgen render`` would, then lint it.

    ``sources`` are :func:`jobgen.load_posting`'s keyword arguments (guide, employer_file, ...).
    """
    from .. import load_posting

    return lint_composed(load_posting(**sources), template=template, config=config)


def lint_file(
    path: str | Path,
    *,
    stdin: BinaryIO | None = None,
    region: str | None = None,
    date_posted: dt.date | None = None,
    config: LintConfig | None = None,
) -> LintReport:
    """Lint a rendered posting file (Markdown or plain text); ``"-"`` reads ``stdin``.

    The facts come from the text (:func:`infer_context`); ``region`` and ``date_posted``
    override what it shows.
    """
    from .._yaml import read_stream, read_text

    if str(path) == "-":
        if stdin is None:
            raise UsageError("'-' reads the posting from standard input, and none was given")
        text = read_stream(stdin, "<stdin>", what="posting")
    else:
        text = read_text(Path(path), what="posting")
    doc = parse(text)
    context = context_of(doc)
    if region is not None:
        context = replace(context, region=region, region_line=None)
    if date_posted is not None:
        context = replace(context, date_posted=date_posted)
    return _lint(doc, context, config)
