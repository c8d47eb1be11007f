"""Composition: every setting and education level changes the posting in its own way."""

from __future__ import annotations

import itertools
from decimal import Decimal as D

import pytest

from jobgen.compose import compose, format_pay
from jobgen.employer import Salary, load_options
from jobgen.render.markdown import render_markdown

SETTINGS = (
    "inpatient-facilities",
    "outpatient-clinics",
    "community-mental-health-centers",
    "substance-abuse-treatment-facilities",
)
LEVELS = (
    "high-school-diploma-or-equivalent",
    "associates-degree",
    "bachelors-degree",
    "mental-health-technician-training-programs",
)

SETTING_WORDING = {
    "inpatient-facilities": ["24 hours a day", "shift handoffs", "evenings, nights, weekends"],
    "outpatient-clinics": ["therapy sessions", "live at home", "appointments"],
    "community-mental-health-centers": [
        "support groups",
        "crisis intervention",
        "community resources",
    ],
    "substance-abuse-treatment-facilities": [
        "substance use disorders",
        "co-occurring",
        "withdrawal",
        "relapse",
    ],
}
EDUCATION_REQUIREMENT = {
    "high-school-diploma-or-equivalent": "- High school diploma or GED.",
    "associates-degree": "- Associate's degree in mental health technology, human services",
    "bachelors-degree": "- Bachelor's degree in psychology, social work, counseling",
    "mental-health-technician-training-programs": "- Completion of a mental health technician certificate or diploma program",
}


def posting_md(guide, setting, education, *assignments):
    options = load_options(
        guide, setting=setting, education=education, environ={}, assignments=assignments
    )
    return render_markdown(compose(guide, options))


@pytest.fixture(scope="module")
def all_variants(guide):
    return {(s, e): posting_md(guide, s, e) for s, e in itertools.product(SETTINGS, LEVELS)}


def test_all_sixteen_variants_differ(all_variants):
    assert len(all_variants) == 16
    assert len(set(all_variants.values())) == 16


@pytest.mark.parametrize(("setting", "education"), list(itertools.product(SETTINGS, LEVELS)))
def test_variant_names_responsibilities_skills_and_its_own_tailoring(
    guide, all_variants, setting, education
):
    md = all_variants[(setting, education)]
    duties = md.split("## What you will do", 1)[1].split("###", 1)[0]
    assert duties.count("- **") == len(guide.responsibilities)
    for item in guide.skills:  # every skill but the one the guide keeps out of postings
        shown = guide.tailoring.skills.get(item.slug, "") is not None
        assert (f"- **{item.name}:** " in md) == shown, item.name
    for phrase in SETTING_WORDING[setting]:
        assert phrase in md, phrase
    for other, phrases in SETTING_WORDING.items():
        if other != setting:
            assert not all(p in md for p in phrases)
    required = md.split("### Required", 1)[1].split("###", 1)[0]
    assert EDUCATION_REQUIREMENT[education] in required
    for other, line in EDUCATION_REQUIREMENT.items():
        if other != education:
            assert line not in required


def test_education_changes_requirements_not_just_a_label(all_variants):
    hs = all_variants[("inpatient-facilities", "high-school-diploma-or-equivalent")]
    ba = all_variants[("inpatient-facilities", "bachelors-degree")]
    assert "on-the-job training" in hs and "entry-level" in hs
    assert "entry-level" not in ba
    assert "human behavior and therapeutic approaches" in ba.split("## What you will do")[0]


def test_empty_sections_are_left_out(all_variants):
    md = all_variants[("outpatient-clinics", "associates-degree")]
    for heading in ("## About", "## Compensation and benefits", "## How to apply"):
        assert heading not in md


def test_employer_details_fill_their_sections(guide):
    md = posting_md(
        guide,
        "community",
        "training",
        "employer.name=Harbor CMHC",
        "employer.about=We serve three counties.",
        "location.city=Tacoma",
        "location.region=WA",
        "salary.min=21",
        "salary.max=27.5",
        "salary.period=hour",
        "benefits=Medical;Paid time off",
        "apply.email=jobs@harbor.example",
        "extra_responsibilities=Drive the mobile outreach van",
        "extra_qualifications=Valid driver's license",
        "experience_months=18",
        "certification=preferred",
        "schedule=Monday to Friday, 8:30-5",
    )
    assert md.startswith("# Mental Health Technician\n\n**Harbor CMHC · Tacoma, WA · Full-time")
    assert "## About Harbor CMHC\n\nWe serve three counties." in md
    assert "**Pay:** $21.00–$27.50 per hour" in md
    assert "- Medical\n- Paid time off" in md
    assert "- Drive the mobile outreach van." in md
    assert "- Valid driver's license." in md.split("### Required")[1].split("###")[0]
    assert "At least 18 months of experience" in md
    assert "- Mental health technician certification." in md.split("### Preferred")[1]
    assert "[jobs@harbor.example](<mailto:jobs@harbor.example>)" in md
    assert "Monday to Friday, 8:30-5." in md


def test_remote_and_internship_wording(guide):
    md = posting_md(
        guide,
        "outpatient",
        "ba",
        "employer.name=Tele Co",
        "workplace=remote",
        "employment_type=internship",
        "location.region=Oregon",
    )
    assert (
        "Tele Co offers an internship as a Mental Health Technician to work remotely from Oregon."
        in md
    )
    assert "Oregon (Remote)" in md


@pytest.mark.parametrize(
    ("salary", "text"),
    [
        (Salary(), ""),
        (Salary(min=D("52000"), max=D("61000"), period="year"), "$52,000–$61,000 per year"),
        (Salary(min=D("18"), period="hour"), "From $18.00 per hour"),
        (Salary(max=D("3000"), currency="EUR", period="month"), "Up to €3,000 per month"),
        (Salary(min=D("20"), max=D("20"), currency="CHF", period="hour"), "20.00 CHF per hour"),
    ],
)
def test_pay_formatting(salary, text):
    assert format_pay(salary) == text


def test_every_variant_passes_jobgen_lints_own_readability_limit(all_variants):
    from jobgen.lint import LintConfig, lint_text

    for key, md in all_variants.items():
        report = lint_text(md, config=LintConfig())
        assert "readability" not in {f.rule for f in report.findings}, key
