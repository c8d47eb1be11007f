"""The rule table: id, severity, what the rule finds, the function that checks it.

The order here is the order of ``jobgen lint --list-rules`` and breaks ties between findings on
one line. A rule's severity is the most severe level it reports. To add a rule, write a function
``(Facts) -> Iterator[Finding]`` in :mod:`~jobgen.lint.rules` or :mod:`~jobgen.lint.wording`,
add a row here, tests for what it finds and what it leaves alone, and a line in docs/lint.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from . import rules, wording
from .facts import Facts, Finding, Severity

Check = Callable[[Facts], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: Check = field(repr=False)
    default_enabled: bool = True


_TABLE: tuple[Rule, ...] = (
    Rule("gender-coded", "warning",
         "Masculine-coded wording (Gaucher, Friesen & Kay 2011), with the words found.",
         rules.check_gender),
    Rule("pay-transparency", "error",
         "No pay range in a US jurisdiction whose law requires one "
         "(jobgen/data/pay_transparency.yaml).",
         rules.check_pay_transparency),
    Rule("pay-range", "warning", "No pay range at all, where no law requires one.",
         rules.check_pay_range, default_enabled=False),
    Rule("readability", "warning",
         "Flesch–Kincaid grade above --max-grade (default 12); says so when a text cannot be "
         "scored.",
         rules.check_readability),
    Rule("completeness-required", "error",
         "Google's required JobPosting fields: title, description, datePosted, "
         "hiringOrganization name, jobLocation unless remote, and the country.",
         rules.check_completeness),
    Rule("expired", "error", "valid_through before today (or before date_posted).",
         rules.check_expired),
    Rule("length", "warning", "Word count outside 300–700 (configurable).", rules.check_length),
    Rule("too-many-requirements", "warning", "More than 8 required-qualification lines.",
         rules.check_requirements),
    Rule("placeholder", "error",
         "Placeholder text left in: [Employer name], TBD, lorem ipsum, XXX, {{ }}, <insert ...>.",
         wording.check_placeholders),
    Rule("experience-contradiction", "warning",
         "Entry-level, 'no experience' or 'all you need' beside required experience or "
         "certification.",
         wording.check_experience),
    Rule("schedule-contradiction", "warning",
         "A stated schedule (Monday to Friday, no weekends, daytime hours) beside shift words "
         "it rules out (nights, weekends, holidays, 24 hours).",
         wording.check_schedule),
    Rule("repeated-sentence", "warning", "The same sentence said twice.", wording.check_repeated),
    Rule("person-first", "warning",
         "Stigmatizing terms ('substance abuse', 'addict', 'committed suicide'), with the "
         "person-first wording to use (jobgen/data/wording.yaml).",
         wording.check_person_first),
    Rule("jargon", "warning",
         "Hype and jargon ('rockstar', 'ninja', 'self-starter', 'fast-paced environment').",
         wording.check_jargon),
)  # fmt: skip

RULES: dict[str, Rule] = {rule.id: rule for rule in _TABLE}
