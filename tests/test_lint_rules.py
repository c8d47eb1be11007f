"""The wording rules of jobgen lint, each with texts it must flag and texts it must leave alone:
placeholder, experience- and schedule-contradiction, repeated-sentence, person-first, jargon;
and readability on degenerate text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import jobgen
from jobgen import lint
from jobgen.compose import compose
from jobgen.lint import LintConfig, lint_text

ROOT = Path(__file__).resolve().parent.parent
CONFIG = LintConfig(today=dt.date(2026, 11, 28))


def findings(text: str, rule: str) -> list[lint.Finding]:
    return [f for f in lint_text(text, config=CONFIG).findings if f.rule == rule]


# --------------------------------------------------------------------------- placeholder


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# Technician\n\n[Employer name] is hiring in [City].\n", "'[Employer name]', '[City]'"),
        ("Pay: TBD\n", "'TBD'"),
        ("Start date: tba\n", "'tba'"),
        ("Lorem ipsum dolor sit amet, consectetur.\n", "'Lorem ipsum'"),
        ("Pay is $XX,XXX a year.\n", "'$XX'"),
        ("Call XXX for details.\n", "'XXX'"),
        ("Hello {{ employer.name }} team.\n", "'{{'"),
        ("{% if remote %}Remote{% endif %} work.\n", "'{%'"),
        ("Apply at <insert company website>.\n", "'<insert company website>'"),
        ("<Insert employer name>\n", "'<Insert employer name>'"),
        ("Join COMPANY NAME today.\n", "'COMPANY NAME'"),
        ("We escape \\[Employer name\\] as Markdown does.\n", "'[Employer name]'"),
    ],
)
def test_placeholders_are_errors_naming_them(text: str, shown: str) -> None:
    [finding] = findings(text, "placeholder")
    assert finding.severity == "error"
    assert shown in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Apply at [our careers page](https://example.com/jobs).\n",
        "- [ ] a task list box\n- [x] another\n",
        "Sizes S to XXL. Texas, Wexford and Exxon are fine; so is TBDX.\n",
        "Benefits include a 403(b) plan {with a match}.\n",
        "Pay is $45,000 to $55,000.\n",
        "A link jobgen will not follow stays text: [click here](javascript:alert(1)).\n",
    ],
)
def test_real_text_is_not_a_placeholder(text: str) -> None:
    assert findings(text, "placeholder") == []


def test_jobgens_own_placeholder_employer_is_flagged() -> None:
    guide = jobgen.load_guide()
    values = {"setting": "inpatient", "education": "associate", "date_posted": "2026-11-28"}
    posting = compose(guide, jobgen.load_options(guide, values=values, environ={}))
    report = lint.lint_composed(posting, config=CONFIG)
    assert any("[Employer name]" in f.message for f in report.findings if f.rule == "placeholder")


# --------------------------------------------------------------------------- contradictions

ENTRY = """# Mental Health Technician

## Qualifications

This is an entry-level position. A high school diploma or GED is all you need to start.

### Required

- High school diploma or GED.
{required}

### Preferred

{preferred}
"""


def entry(required: str = "", preferred: str = "- A year in a hospital.") -> str:
    return ENTRY.format(required=required, preferred=preferred)


def test_entry_level_beside_required_experience() -> None:
    text = entry("- At least 1 year of experience as a technician.")
    found = findings(text, "experience-contradiction")
    assert [f.line for f in found] == [5, 5]  # "entry-level" and "all you need"
    assert "'entry-level'" in found[0].message and "At least 1 year" in found[0].message
    assert "(line 10)" in found[0].message and found[0].severity == "warning"


def test_no_experience_beside_required_certification() -> None:
    text = (
        "No previous experience is required.\n\n### Required\n\n"
        "- Mental health technician certification, as our state requires.\n"
    )
    [finding] = findings(text, "experience-contradiction")
    assert "'No previous experience'" in finding.message and "certification" in finding.message


def test_required_experience_stated_in_a_sentence() -> None:
    text = "Entry level role. Two years of experience in a hospital are required.\n"
    assert len(findings(text, "experience-contradiction")) == 1


@pytest.mark.parametrize(
    "text",
    [
        entry(),  # nothing required beyond the diploma
        entry(preferred="- At least 1 year of experience.\n- Technician certification."),
        entry("- CPR certification, or willingness to obtain it within 30 days of hire."),
        entry("- A valid driver's license is required."),
        entry("- Completion of a technician certificate program."),
        # experience required, and nothing says entry-level
        "## Required\n\n- At least 1 year of experience as a technician.\n",
    ],
)
def test_no_experience_contradiction(text: str) -> None:
    assert findings(text, "experience-contradiction") == []


DAY_SHIFT = "## Schedule\n\nMonday to Friday, 8 a.m. to 4:30 p.m. No weekends.\n\n"


def test_weekday_schedule_beside_shift_words() -> None:
    text = DAY_SHIFT + (
        "The unit is staffed 24 hours a day, all year. "
        "Shifts can include evenings, nights, weekends and holidays.\n"
    )
    [finding] = findings(text, "schedule-contradiction")
    assert finding.line == 5 and finding.severity == "warning"
    assert "'evenings', 'nights', 'weekends', 'holidays'" in finding.message
    assert "Monday to Friday" in finding.message


@pytest.mark.parametrize(
    "sentence",
    [
        "You may be asked to work weekends.",
        "Expect rotating shifts around the clock.",
        "Some overnight shifts are required.",
    ],
)
def test_other_conflicting_hours(sentence: str) -> None:
    assert findings(DAY_SHIFT + sentence + "\n", "schedule-contradiction")


@pytest.mark.parametrize(
    "text",
    [
        # the setting's hours, not this hire's
        DAY_SHIFT + "The unit is staffed 24 hours a day. Patients need 24-hour care.\n",
        DAY_SHIFT + "You work closely with patients who require 24-hour care and support.\n",
        DAY_SHIFT + "You get weekends and holidays off; no nights.\n",
        DAY_SHIFT + "- Night-shift differential of $3.00 an hour\n",
        # no restricted schedule stated: shift words alone are fine
        "## Schedule\n\nNight shift, 7 p.m. to 7:30 a.m. Shifts include weekends and holidays.\n",
    ],
)
def test_no_schedule_contradiction(text: str) -> None:
    assert findings(text, "schedule-contradiction") == []


# --------------------------------------------------------------------------- repetition


def test_repeated_sentence() -> None:
    text = (
        "# Technician\n\nYou will help patients with daily care. You write notes.\n\n"
        "- You will help patients with daily care!\n"
    )
    [finding] = findings(text, "repeated-sentence")
    assert finding.line == 5 and "repeats line 3" in finding.message


def test_short_or_different_sentences_are_not_repeats() -> None:
    text = "Full-time. Full-time.\n\nYou help patients eat. You help patients rest.\n"
    assert findings(text, "repeated-sentence") == []


# --------------------------------------------------------------------------- person-first


@pytest.mark.parametrize(
    ("text", "term", "suggestion"),
    [
        ("We treat substance abuse.", "substance abuse", '"substance use"'),
        ("It treats substance abuse disorders.", "substance abuse disorders",
         '"substance use disorder"'),
        ("You will work with addicts.", "addicts", "person with a substance use disorder"),
        ("We serve the mentally ill.", "the mentally ill", '"people with mental illness"'),
        ("Patients suffering from depression.", "suffering from", '"living with"'),
        ("People struggling with addiction.", "struggling with addiction", "living with"),
        ("A patient who committed suicide.", "committed suicide", '"died by suicide"'),
        ("Clients must give clean drug screens.", "clean drug screens", '"negative"'),
    ],
)  # fmt: skip
def test_stigmatizing_terms_get_a_person_first_suggestion(
    text: str, term: str, suggestion: str
) -> None:
    [finding] = findings(text, "person-first")
    assert finding.severity == "warning"
    assert f"'{term}'" in finding.message and suggestion in finding.message
    assert "Words Matter" in finding.message


def test_person_first_checks_headings_and_lines_across_a_paragraph() -> None:
    text = "## Our substance abuse program\n\nYou support people struggling\nwith addiction.\n"
    assert [f.line for f in findings(text, "person-first")] == [1, 3]


@pytest.mark.parametrize(
    "text",
    [
        "You support people with a substance use disorder and people in recovery.",
        "Addiction counseling and addiction medicine; people with addiction.",
        "We follow guidance from the Substance Abuse and Mental Health Services Administration.",
        "The National Institute on Drug Abuse funds this program.",
        "Patients attend Alcoholics Anonymous meetings.",
        "People with mental illness and people who died by suicide.",
        "Report suspected child abuse and elder abuse.",
    ],
)
def test_person_first_wording_is_left_alone(text: str) -> None:
    assert findings(text, "person-first") == []


# --------------------------------------------------------------------------- jargon


@pytest.mark.parametrize(
    "phrase",
    ["rockstar", "rock star", "ninja", "guru", "self-starter", "self starter", "crush it",
     "work hard, play hard", "synergy", "fast-paced environment", "wear many hats"],
)  # fmt: skip
def test_jargon(phrase: str) -> None:
    [finding] = findings(f"We want a {phrase} on our team.", "jargon")
    assert f"'{phrase}'" in finding.message and finding.severity == "warning"


@pytest.mark.parametrize(
    "text",
    [
        "You will work hard to keep patients safe on a busy unit.",
        "New starters get two weeks of training before they work alone.",
        "A fast-paced unit with a steady team.",
    ],
)
def test_plain_words_are_not_jargon(text: str) -> None:
    assert findings(text, "jargon") == []


# --------------------------------------------------------------------------- readability


def test_degenerate_text_is_not_scored_and_says_so() -> None:
    """Issue 18: lint on "word. word. …" once reported a Flesch–Kincaid grade of 584,996."""
    report = lint_text("word. " * 5000, config=CONFIG)
    assert report.readability is None
    [finding] = [f for f in report.findings if f.rule == "readability"]
    assert finding.severity == "info" and "fragments" in finding.message
    assert "584" not in lint.format_report(report)


def test_a_wall_of_words_is_a_reading_problem_not_a_grade() -> None:
    report = lint_text("word " * 5000, config=CONFIG)
    assert report.readability is None
    [finding] = [f for f in report.findings if f.rule == "readability"]
    assert finding.severity == "warning" and "break the text into sentences" in finding.message


def test_short_text_is_not_scored_and_grades_are_never_negative() -> None:
    assert lint.readability("Help us.") is None
    easy = lint.readability("Go now. We eat. You run. I sit. We go.")
    assert easy is not None and easy.flesch_kincaid_grade == 0


# --------------------------------------------------------------------------- whole postings

FULL = yaml.safe_load((ROOT / "tests" / "data" / "full-employer.yaml").read_text("utf-8"))
GUIDE = jobgen.load_guide()
VARIANTS = [(s.slug, e.slug) for s in GUIDE.setting_choices() for e in GUIDE.education_choices()]


@pytest.mark.parametrize(("setting", "education"), VARIANTS)
def test_built_in_variants_with_a_full_employer_file_have_no_findings(
    setting: str, education: str
) -> None:
    """Issue 15: every built-in variant, rendered with a full employer file, passes
    `jobgen lint` with no warnings (and no errors)."""
    values = {**FULL, "setting": setting, "education": education}
    posting = compose(GUIDE, jobgen.load_options(GUIDE, values=values, environ={}))
    report = lint.lint_composed(posting, config=CONFIG)
    assert [f for f in report.findings if f.severity != "info"] == []
    assert report.gender_coding.verdict not in lint.MASCULINE_VERDICTS
