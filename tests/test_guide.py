"""The built-in guide holds the guide text faithfully, and choices resolve as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.errors import GuideError, UsageError
from jobgen.guide import MAX_SECTION_ITEMS, guide_from_data, load_guide


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("kind", "count"),
    [
        ("responsibilities", 5),
        ("skills", 5),
        ("settings", 4),
        ("growth", 4),
        ("education", 4),
        ("steps", 6),
    ],
)
def test_every_item_matches_the_guide_text(guide, guide_text, kind, count):
    items = guide.items(kind)
    assert len(items) == count
    lines = _lines(guide_text)
    for item in items:
        assert f"{item.name}: {item.description}" in lines, item.name
    section = guide.section(kind)
    assert section is not None
    assert section.heading in lines
    assert section.intro in lines


def test_title_introduction_note_conclusion_and_faq(guide, guide_text):
    lines = _lines(guide_text)
    assert guide.title == lines[0] == "Mental Health Technician Job Description"
    assert guide.introduction_heading in lines and guide.introduction in lines
    assert len(guide.notes) == 1
    assert any(line.endswith("Note: " + guide.notes[0]) for line in lines)
    assert guide.conclusion in lines
    assert len(guide.faq) == 5
    for entry in guide.faq:
        i = lines.index(entry.question)
        assert lines[i + 1] == "+"
        assert lines[i + 2] == entry.answer


def test_tailoring_covers_every_setting_and_education_level(guide):
    t = guide.tailoring
    assert set(t.settings) == {i.slug for i in guide.settings}
    assert set(t.education) == {i.slug for i in guide.education}
    for st in t.settings.values():
        assert st.environment and st.schedule and st.duties and st.people
        # every duty is written whole for the setting, not the guide's sentence plus one
        assert set(st.responsibilities) == {r.slug for r in guide.responsibilities}
    for et in t.education.values():
        assert et.required and et.credential and et.summary and et.intro and et.growth_lead


def test_setting_tailoring_reflects_the_guide_statements(guide):
    s = guide.tailoring.settings

    def said(slug: str) -> str:
        st = s[slug]
        texts = [v.text for v in (*st.summary, *st.environment, *st.schedule)]
        return " ".join(texts + [d.text for d in st.responsibilities.values()])

    assert "24 hours a day" in said("inpatient-facilities")
    assert "therapy sessions" in said("outpatient-clinics")
    community = said("community-mental-health-centers")
    for phrase in ("counseling", "support groups", "crisis intervention", "services"):
        assert phrase in community
    assert "co-occurring" in said("substance-abuse-treatment-facilities")
    assert "addiction" in said("substance-abuse-treatment-facilities")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("inpatient", "inpatient-facilities"),
        ("INPATIENT", "inpatient-facilities"),
        ("inpatient-facilities", "inpatient-facilities"),
        ("Inpatient Facilities", "inpatient-facilities"),
        ("out", "outpatient-clinics"),
        ("cmhc", "community-mental-health-centers"),
        ("sud", "substance-abuse-treatment-facilities"),
        ("subst", "substance-abuse-treatment-facilities"),
    ],
)
def test_settings_resolve_by_slug_alias_name_or_prefix(guide, text, slug):
    assert guide.resolve_setting(text).slug == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("associate", "associates-degree"),
        ("Associate’s Degree", "associates-degree"),
        ("hs", "high-school-diploma-or-equivalent"),
        ("ged", "high-school-diploma-or-equivalent"),
        ("bachelor", "bachelors-degree"),
        ("certificate", "mental-health-technician-training-programs"),
        ("training", "mental-health-technician-training-programs"),
    ],
)
def test_education_resolves(guide, text, slug):
    assert guide.resolve_education(text).slug == slug


def test_a_miss_names_every_choice_and_the_closest(guide):
    with pytest.raises(UsageError) as info:
        guide.resolve_setting("inpatent")
    message = str(info.value)
    assert "Did you mean 'inpatient-facilities'" in message
    for slug in (
        "inpatient-facilities",
        "outpatient-clinics",
        "community-mental-health-centers",
        "substance-abuse-treatment-facilities",
    ):
        assert slug in message


def test_unknown_builtin_guide_is_a_usage_error():
    with pytest.raises(UsageError, match="mental-health-technician"):
        load_guide("pharmacist")


def test_guide_data_is_validated_strictly():
    with pytest.raises(GuideError, match="format must be"):
        guide_from_data({"format": "x"}, "g.yaml")
    with pytest.raises(GuideError, match="unknown field 'sectons'.*Did you mean 'sections'"):
        guide_from_data({"format": "jobgen-guide/1", "sectons": []}, "g.yaml")
    with pytest.raises(GuideError, match="needs a 'responsibilities' section"):
        guide_from_data({"format": "jobgen-guide/1", "occupation": "X", "sections": []}, "g.yaml")


def _guide_with_settings(count: int) -> dict:
    import yaml

    path = Path(__file__).resolve().parent.parent / "jobgen/guides/mental-health-technician.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section in data["sections"]:
        if section["kind"] == "settings":
            extra = [{"name": f"Setting {i}", "description": "A place."} for i in range(count)]
            section["items"] = section["items"] + extra
    return data


def test_a_section_may_list_up_to_500_items():
    """Issue 18, item 4: a guide with more items than any occupation has is refused, with the
    limit; up to the limit loads (and checking for repeated names is linear)."""
    settings = next(s for s in _guide_with_settings(0)["sections"] if s["kind"] == "settings")
    fill = MAX_SECTION_ITEMS - len(settings["items"])
    guide = guide_from_data(_guide_with_settings(fill), "g.yaml")
    assert len(next(s for s in guide.sections if s.kind == "settings").items) == 500
    with pytest.raises(GuideError, match=r"has 20,\d+ items; a section may have up to 500"):
        guide_from_data(_guide_with_settings(20_000), "g.yaml")


def test_two_items_named_alike_are_refused():
    data = _guide_with_settings(2)
    settings = next(s for s in data["sections"] if s["kind"] == "settings")
    settings["items"][-1]["name"] = "Setting 0"
    with pytest.raises(GuideError, match="two items named like 'setting-0'"):
        guide_from_data(data, "g.yaml")
