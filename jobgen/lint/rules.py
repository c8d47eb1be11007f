"""The rules about the posting as a job ad: pay, completeness, dates, length, requirements,
reading ease and gender-coded wording. Each takes the :class:`Facts` and yields findings; the
table in :mod:`jobgen.lint.registry` names them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .context import PayLaw, pay_law_for
from .document import Document, count_words, parse
from .facts import Facts, Finding
from .gender import MASCULINE_VERDICTS, word_summary
from .text import Unscored


def check_gender(facts: Facts) -> Iterator[Finding]:
    g = facts.gender
    if g.verdict in MASCULINE_VERDICTS:
        yield Finding(
            "gender-coded",
            "warning",
            f"{g.verdict} wording: {len(g.masculine)} masculine-coded word(s) "
            f"({word_summary(g.masculine)}) against {len(g.feminine)} feminine-coded; "
            "Gaucher, Friesen & Kay (2011) found such wording makes a job less appealing to "
            "women. Prefer communal words (e.g. 'guide' for 'lead', 'careful' for 'decisive').",
            g.masculine[0].line,
        )


def applicable_law(facts: Facts) -> PayLaw | None:
    ctx = facts.context
    law = pay_law_for(ctx.region, ctx.country)
    if law is None:
        return None
    posted = ctx.date_posted or facts.today
    return law if posted >= law.effective else None


def check_pay_transparency(facts: Facts) -> Iterator[Finding]:
    law = applicable_law(facts)
    ctx = facts.context
    if law is None or ctx.has_pay_range:
        return
    fix = (
        "state a pay range such as '$45,000 – $55,000 per year' (or pass --region to correct "
        "the detected location)"
        if ctx.inferred
        else "set salary.min and salary.max"
    )
    dated = (
        f"dated {ctx.date_posted.isoformat()}"
        if ctx.date_posted
        else f"undated and so judged as of {facts.today.isoformat()}"
    )
    yield Finding(
        "pay-transparency",
        "error",
        f"{law.name} requires a pay range in job postings ({law.law}, {law.citation}; in force "
        f"since {law.effective.isoformat()} for {law.employers}); this posting, {dated}, has "
        f"none: {fix}.",
        ctx.region_line,
    )


def check_pay_range(facts: Facts) -> Iterator[Finding]:
    if facts.context.has_pay_range:
        return
    if "pay-transparency" in facts.active and applicable_law(facts) is not None:
        return  # reported as an error already
    yield Finding(
        "pay-range",
        "warning",
        "no pay range is stated; applicants look for one, and several US states require it "
        "(set salary.min and salary.max).",
    )


def check_readability(facts: Facts) -> Iterator[Finding]:
    r = facts.readability
    if isinstance(r, Unscored):
        yield Finding(
            "readability",
            "warning" if r.hard else "info",
            f"no readability scores: {r.reason}.",
        )
    elif r is not None and r.flesch_kincaid_grade > r.max_grade:
        yield Finding(
            "readability",
            "warning",
            f"Flesch–Kincaid grade {r.flesch_kincaid_grade:g} is above {r.max_grade:g} (reading "
            f"ease {r.flesch_reading_ease:g}); shorter sentences and plainer words reach more "
            "applicants.",
        )


def check_completeness(facts: Facts) -> Iterator[Finding]:
    ctx = facts.context
    missing: list[tuple[str, str]] = []
    if not (ctx.title or "").strip():
        missing.append(
            ("title", "a first line or '# heading' naming the job" if ctx.inferred else "title")
        )
    title_words = count_words(ctx.title or "")
    if facts.doc.word_count - title_words <= 0:
        missing.append(("description", "the posting text"))
    if not ctx.inferred:
        if not (ctx.employer_name or "").strip():
            missing.append(("hiringOrganization.name", "employer.name"))
        if ctx.date_posted is None:
            missing.append(("datePosted", "date_posted"))
        # the same rules as -f jsonld: Google wants addressCountry in every jobLocation, and a
        # remote posting names the country applicants may live in
        if ctx.workplace != "remote" and not (ctx.locality or ctx.region):
            missing.append(("jobLocation", "location.city or location.region"))
        if not ctx.country:
            prop = (
                "applicantLocationRequirements"
                if ctx.workplace == "remote"
                else "jobLocation.address.addressCountry"
            )
            missing.append((prop, "location.country"))
    for prop, where in missing:
        yield Finding(
            "completeness-required",
            "error",
            f"Google's required JobPosting property {prop} is missing (set {where}); "
            "Google for Jobs does not show postings without it.",
        )


def check_expired(facts: Facts) -> Iterator[Finding]:
    ctx = facts.context
    if ctx.valid_through is None:
        return
    if ctx.valid_through < facts.today:
        yield Finding(
            "expired",
            "error",
            f"the posting expired: valid_through {ctx.valid_through.isoformat()} is before "
            f"{facts.today.isoformat()}; set a later valid_through or take the posting down.",
        )
    if ctx.date_posted is not None and ctx.valid_through < ctx.date_posted:
        yield Finding(
            "expired",
            "error",
            f"valid_through {ctx.valid_through.isoformat()} is before date_posted "
            f"{ctx.date_posted.isoformat()}.",
        )


def check_length(facts: Facts) -> Iterator[Finding]:
    n, cfg = facts.doc.word_count, facts.config
    if n < cfg.min_words:
        yield Finding(
            "length",
            "warning",
            f"the posting has {n:,} words, under {cfg.min_words:,}: too short to tell applicants "
            "what the job is, where, for what pay and how to apply.",
        )
    elif n > cfg.max_words:
        yield Finding(
            "length",
            "warning",
            f"the posting has {n:,} words, over {cfg.max_words:,}: most job-board guidance puts "
            "an effective posting at 300–700 words; keep what an applicant needs to decide.",
        )


REQUIRED_HEADING = re.compile(
    r"\b(?:required|requirements?|must[- ]haves?|minimum qualifications|basic qualifications|"
    r"qualifications|what you(?:'|’)?ll need|what you need)\b",
    re.IGNORECASE,
)
NOT_REQUIRED_HEADING = re.compile(r"\b(?:prefer\w*|nice[- ]to[- ]have|bonus|desired|plus)\b", re.I)


def required_sections(text: str) -> list[tuple[int, str, int]]:
    """``(heading line, heading, number of list items)`` for each required-qualifications list."""
    return sections_of(parse(text))


def sections_of(doc: Document) -> list[tuple[int, str, int]]:
    sections: list[tuple[int, str, int]] = []
    current: list[Any] | None = None
    for block in doc.blocks():
        line = block[0]
        if line.kind == "heading":
            if current is not None:
                sections.append((current[0], current[1], current[2]))
            wanted = REQUIRED_HEADING.search(line.text) and not NOT_REQUIRED_HEADING.search(
                line.text
            )
            current = [line.number, line.text, 0] if wanted else None
        elif line.kind == "item" and current is not None:
            current[2] += 1
    if current is not None:
        sections.append((current[0], current[1], current[2]))
    return [s for s in sections if s[2] > 0]


def check_requirements(facts: Facts) -> Iterator[Finding]:
    limit = facts.config.max_required
    for number, heading, count in sections_of(facts.doc):
        if count > limit:
            yield Finding(
                "too-many-requirements",
                "warning",
                f"{count} required qualifications under '{heading}' (limit {limit}): long lists "
                "put off qualified people who meet most but not all of them; move the rest to "
                "preferred.",
                number,
            )
