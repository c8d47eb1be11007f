"""Every built-in variant, rendered with a full employer file, reads as one consistent posting:
nothing contradicts the employer's answers, nothing is said twice, the length suits a job board,
and the education level changes the posting, not just its requirement list (issue: posting
quality). These tests read the Markdown a recruiter would publish."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import jobgen

DATA = Path(__file__).parent / "data"
FULL = yaml.safe_load((DATA / "full-employer.yaml").read_text(encoding="utf-8"))
GUIDE = jobgen.load_guide()
SETTINGS = [c.slug for c in GUIDE.setting_choices()]
LEVELS = [c.slug for c in GUIDE.education_choices()]
VARIANTS = [(s, e) for s in SETTINGS for e in LEVELS]


def posting(setting: str, education: str, **changes: Any) -> str:
    values = {**FULL, "setting": setting, "education": education, **changes}
    return jobgen.generate(values=values, fmt="md").decode()


def prose(markdown: str) -> list[str]:
    """The posting's sentences: headings, the header line and bold lead-ins left out."""
    found = []
    for line in markdown.splitlines():
        if line.startswith("#") or (line.startswith("**") and line.endswith("**")):
            continue
        line = re.sub(r"^\s*[-*]\s+|\*\*[^*]+:\*\*\s*", "", line).strip()
        # a sentence ends at . ! ? before a capital, not inside "8 a.m. to"
        found += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line) if s]
    return found


def words(markdown: str) -> int:
    return len(re.findall(r"\S+", re.sub(r"[#*\-]+ ", " ", markdown)))


@pytest.fixture(scope="module", params=VARIANTS, ids=["--".join(v) for v in VARIANTS])
def variant(request: pytest.FixtureRequest) -> tuple[str, str, str]:
    setting, education = request.param
    return setting, education, posting(setting, education)


def test_no_sentence_is_said_twice(variant: tuple[str, str, str]) -> None:
    repeated = [s for s, n in Counter(prose(variant[2])).items() if n > 1]
    assert repeated == []


def test_length_suits_a_job_board(variant: tuple[str, str, str]) -> None:
    assert 300 <= words(variant[2]) <= 700


def test_nothing_contradicts_required_experience_or_certification(
    variant: tuple[str, str, str],
) -> None:
    text = variant[2].lower()
    for claim in (
        "entry-level",
        "entry level",
        "all you need",
        "no previous experience",
        "no experience",
    ):
        assert claim not in text
    assert "1 year of experience" in text
    assert "see the note below" not in text and "as our state requires" not in text


def test_the_employers_schedule_is_the_only_schedule(variant: tuple[str, str, str]) -> None:
    section = variant[2].split("## Schedule", 1)[1].split("\n## ", 1)[0]
    assert section.strip() == "Monday to Friday, 8 a.m. to 4:30 p.m. No weekends."
    for shift in ("night", "weekend", "holiday", "24 hours", "around the clock", "evening"):
        assert shift not in section.lower().replace("no weekends", "")


def test_job_ad_wording(variant: tuple[str, str, str]) -> None:
    text = variant[2]
    assert "private practice" not in text and "Entrepreneurial" not in text
    assert "substance abuse" not in text.lower()
    assert "struggling with addiction" not in text.lower()
    assert "Our inpatient patients" not in text
    eeo = text.split("## Equal opportunity", 1)[1]
    assert "pregnancy" in eeo and "genetic information" in eeo


def test_one_word_for_the_people_served(variant: tuple[str, str, str]) -> None:
    setting, _, text = variant
    body = text.split("## What you will do", 1)[1].split("## Compensation", 1)[0]
    other = (
        "patient"
        if setting in ("community-mental-health-centers", "substance-abuse-treatment-facilities")
        else "client"
    )
    assert other not in body.lower()


def test_the_education_requirement_is_said_once(variant: tuple[str, str, str]) -> None:
    _, education, text = variant
    required = GUIDE.tailoring.education[education].required[0].text
    assert text.count(required) == 1
    assert "Education and Training" not in text


@pytest.mark.parametrize("setting", ["outpatient-clinics", "community-mental-health-centers"])
def test_people_living_at_home_get_no_hygiene_or_meals(setting: str) -> None:
    text = posting(setting, "associates-degree").lower()
    assert "hygiene" not in text and "meals" not in text


@pytest.mark.parametrize("setting", SETTINGS)
def test_education_changes_the_posting_not_just_the_list(setting: str) -> None:
    high_school = set(prose(posting(setting, "high-school-diploma-or-equivalent")))
    bachelors = set(prose(posting(setting, "bachelors-degree")))
    shared = len(high_school & bachelors) / min(len(high_school), len(bachelors))
    assert shared <= 0.80, sorted(high_school ^ bachelors)


def test_entry_level_only_without_experience_or_certification() -> None:
    entry = posting(
        "inpatient-facilities", "high-school", experience_months=0, certification="none"
    )
    assert "entry-level position" in entry and "No previous experience is required" in entry
    certified = posting("inpatient-facilities", "high-school", experience_months=0)
    assert "entry-level" not in certified and "No previous experience" not in certified


def test_without_a_schedule_the_setting_says_its_usual_hours() -> None:
    text = posting("inpatient-facilities", "associate", schedule="")
    section = text.split("## Schedule", 1)[1].split("\n## ", 1)[0]
    assert "24 hours a day" in section and "nights" in section


def test_a_title_with_a_comma_does_not_swallow_the_place() -> None:
    text = posting("inpatient-facilities", "associate", title="Mental Health Technician, Nights")
    assert (
        "Lakeside Health in Toledo, OH, is hiring a full-time Mental Health Technician, Nights."
        in text
    )
