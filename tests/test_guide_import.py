"""The guide importer: structure, robustness, equality with the built-in guide, errors."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jobgen._validate import slugify
from jobgen._yaml import parse_yaml
from jobgen.compose import _lower_name, compose
from jobgen.employer import load_options
from jobgen.errors import GuideError, ValidationError
from jobgen.guide import Guide, guide_from_data, load_guide
from jobgen.guide_import import (
    _kind_of,
    dump_guide_yaml,
    import_guide_file,
    import_guide_text,
)
from jobgen.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parent.parent
MHT_YAML = ROOT / "jobgen" / "guides" / "mental-health-technician.yaml"
PHARMACY = Path(__file__).parent / "data" / "pharmacy-technician.txt"

MHT_PHRASES = (
    "mental health",
    "Mental Health",
    "Assisting with Daily Care",
    "Monitoring Patient Progress",
    "Implementing Therapeutic Activities",
    "Providing Emotional Support",
    "Collaborating with the Treatment Team",
    "psychiatric",
    "Inpatient Facilities",
)


def _content_part() -> tuple[str, dict[str, Any]]:
    """The built-in guide file minus its hand-written tailoring layer: (text, data)."""
    text = MHT_YAML.read_text(encoding="utf-8")
    data = parse_yaml(text, str(MHT_YAML))
    data.pop("tailoring")
    content_text = text[: text.index("\ntailoring:")]
    content_text = "\n".join(line for line in content_text.splitlines() if not line.startswith("#"))
    return content_text + "\n", data


def _ordered(data: Any) -> str:
    """JSON keeping key order, so comparisons also check the order of keys."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


# --------------------------------------------------------------------------- the built-in guide


def test_builtin_guide_content_equals_import_of_the_guide_text(guide_text: str) -> None:
    content_text, content = _content_part()
    imported = import_guide_text(guide_text, "mht.txt")
    assert imported == content
    assert _ordered(imported) == _ordered(content)
    # and the YAML dump reproduces the built-in file's content part byte for byte
    assert dump_guide_yaml(imported) == content_text


def test_builtin_guide_structure(guide_text: str) -> None:
    data = import_guide_text(guide_text, "mht.txt")
    assert data["occupation"] == "Mental Health Technician"
    assert data["slug"] == "mental-health-technician"
    assert [(s["kind"], len(s["items"])) for s in data["sections"]] == [
        ("responsibilities", 5),
        ("skills", 5),
        ("settings", 4),
        ("growth", 4),
        ("education", 4),
        ("steps", 6),
    ]
    # "Education and Training" is both an item of the skills section and the education heading
    skills = data["sections"][1]
    assert "Education and Training" in [i["name"] for i in skills["items"]]
    assert data["sections"][4]["heading"] == "Education and Training"
    assert data["notes"][0].startswith("The specific requirements")
    assert len(data["faq"]) == 5


# --------------------------------------------------------------------------- a second occupation


@pytest.fixture(scope="module")
def pharmacy() -> dict[str, Any]:
    return import_guide_file(PHARMACY)


def test_pharmacy_guide_imports_with_its_own_shape(pharmacy: dict[str, Any]) -> None:
    assert pharmacy["occupation"] == "Pharmacy Technician"
    assert pharmacy["slug"] == "pharmacy-technician"
    assert pharmacy["introduction"]["heading"] == "Introduction to Pharmacy Technician Careers"
    shape = [(s["kind"], s["heading"], len(s.get("items", []))) for s in pharmacy["sections"]]
    assert shape == [
        ("responsibilities", "Duties and Responsibilities", 6),
        ("skills", "Key Skills and Qualities", 4),
        ("settings", "Where Pharmacy Technicians Work", 3),
        ("other", "Salary and Job Outlook", 0),
        ("growth", "Career Advancement", 3),
        ("education", "Education and Certification", 3),
        ("steps", "How to Become a Pharmacy Technician", 5),
    ]
    other = pharmacy["sections"][3]
    assert list(other) == ["kind", "heading", "paragraphs"]
    assert len(other["paragraphs"]) == 2
    assert other["paragraphs"][0].startswith("Pay depends on the region")
    assert pharmacy["notes"] == [
        "Registration, licensing and certification rules for pharmacy technicians differ from "
        "state to state. Check with your state board of pharmacy before you apply."
    ]
    assert pharmacy["faq"][0]["question"] == "What does a pharmacy technician do?"
    assert len(pharmacy["faq"]) == 4
    assert pharmacy["conclusion"].startswith("A career as a pharmacy technician")


def test_pharmacy_guide_has_nothing_of_the_mht_guide(pharmacy: dict[str, Any]) -> None:
    dumped = dump_guide_yaml(pharmacy)
    for phrase in MHT_PHRASES:
        assert phrase.lower() not in dumped.lower(), phrase


def test_pharmacy_guide_choices(pharmacy: dict[str, Any]) -> None:
    guide = guide_from_data(pharmacy, "pharmacy.yaml")
    assert [c.slug for c in guide.setting_choices()] == [
        "retail-pharmacies",
        "hospital-pharmacies",
        "mail-order-and-specialty-pharmacies",
    ]
    assert [c.slug for c in guide.education_choices()] == [
        "high-school-diploma-with-on-the-job-training",
        "pharmacy-technician-certificate-program",
        "associate-degree-in-pharmacy-technology",
    ]
    assert guide.resolve_setting("hosp").slug == "hospital-pharmacies"
    assert guide.tailoring.settings == {}


def test_dumped_yaml_is_accepted_by_load_guide(pharmacy: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "pharmacy-technician.yaml"
    path.write_text(dump_guide_yaml(pharmacy), encoding="utf-8")
    guide = load_guide(path)
    assert guide.occupation == "Pharmacy Technician"
    assert len(guide.responsibilities) == 6
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == pharmacy


def test_load_guide_imports_a_text_file_on_the_fly() -> None:
    guide = load_guide(PHARMACY)
    assert guide.slug == "pharmacy-technician"
    assert guide.education[0].name == "High School Diploma with On-the-Job Training"


# --------------------------------------------------------------------------- postings from it


def _section(md: str, heading: str) -> str:
    return md.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0].strip()


@pytest.fixture(scope="module")
def pharmacy_guide() -> Guide:
    return load_guide(PHARMACY)


@pytest.fixture(scope="module")
def pharmacy_variants(pharmacy_guide: Guide) -> dict[tuple[str, str], str]:
    out = {}
    for s, e in itertools.product(pharmacy_guide.settings, pharmacy_guide.education):
        options = load_options(pharmacy_guide, setting=s.slug, education=e.slug, environ={})
        out[(s.slug, e.slug)] = render_markdown(compose(pharmacy_guide, options)).replace("\\", "")
    return out


def test_every_pharmacy_variant_renders_its_own_content(
    pharmacy_guide: Guide, pharmacy_variants: dict[tuple[str, str], str]
) -> None:
    assert len(pharmacy_variants) == 9
    assert len(set(pharmacy_variants.values())) == 9
    for setting, education in itertools.product(pharmacy_guide.settings, pharmacy_guide.education):
        md = pharmacy_variants[(setting.slug, education.slug)]
        assert md.startswith("# Pharmacy Technician\n")
        environment = _section(md, "## Work environment")
        assert setting.description in environment
        assert environment.startswith(f"This role is in {setting.name.lower()}.")
        qualifications = _section(md, "## Qualifications")
        assert qualifications.startswith(education.description)
        required = qualifications.split("### Required\n", 1)[1].split("###", 1)[0]
        assert f"- {education.name}." in required
        for other in pharmacy_guide.settings:
            if other != setting:
                assert other.description not in md
        for other in pharmacy_guide.education:
            if other != education:
                assert other.description not in md and other.name not in required
        for item in pharmacy_guide.responsibilities:
            assert f"- **{item.name}:** {item.description}" in md
        summary = _section(md, "## Position summary")
        assert "Pharmacy technicians keep pharmacies running safely and smoothly." in summary
        assert setting.description not in summary  # it has its own section
        assert "guide" not in summary


@pytest.mark.parametrize("phrase", MHT_PHRASES)
def test_no_pharmacy_variant_leaks_the_mht_guide(
    pharmacy_variants: dict[tuple[str, str], str], phrase: str
) -> None:
    for md in pharmacy_variants.values():
        assert phrase.lower() not in md.lower()


def test_mht_guide_without_its_tailoring_is_tailored_from_its_own_text(guide_text: str) -> None:
    untailored = guide_from_data(import_guide_text(guide_text, "mht.txt"), "mht.txt")
    options = load_options(untailored, setting="inpatient-f", education="bach", environ={})
    md = render_markdown(compose(untailored, options)).replace("\\", "")
    assert _section(md, "## Work environment").startswith(
        "This role is in inpatient facilities. These include psychiatric hospitals"
    )
    summary = _section(md, "## Position summary")
    assert "These dedicated professionals provide essential support" in summary
    assert "comprehensive guide" not in summary
    assert "- Bachelor’s Degree." in _section(md, "## Qualifications")


def test_setting_names_keep_their_acronyms() -> None:
    assert _lower_name("VA Hospitals and Mail-Order Pharmacies") == (
        "VA hospitals and mail-order pharmacies"
    )


# --------------------------------------------------------------------------- meaning, not position


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Role and Responsibilities", "responsibilities"),
        ("Duties", "responsibilities"),
        ("What a Pharmacy Technician Does Day-to-Day", "responsibilities"),
        ("Skills and Qualifications", "skills"),
        ("Skills Needed for the Role", "skills"),
        ("Work Environment and Settings", "settings"),
        ("Where Paramedics Work", "settings"),
        ("Career Growth and Opportunities", "growth"),
        ("Career Paths and Advancement", "growth"),
        ("Education and Training", "education"),
        ("Degree Options", "education"),
        ("Step-by-Step Guide to Becoming a Mental Health Technician", "steps"),
        ("How to Become a Welder", "steps"),
        ("Notes", "notes"),
        ("Conclusion", "conclusion"),
        ("Summary", "conclusion"),
        ("FAQ", "faq"),
        ("Frequently Asked Questions", "faq"),
        ("Salary and Job Outlook", "other"),
    ],
)
def test_headings_map_to_kinds_by_keywords(heading: str, kind: str) -> None:
    assert _kind_of(heading) == kind


def _blocks(text: str) -> list[str]:
    """Split the MHT text into its heading blocks (title first)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if i + 1 < len(lines) and lines[i + 1] == ""]
    return ["\n".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def test_sections_are_found_in_any_order(guide_text: str) -> None:
    title, intro, role, skills, settings_, growth, education, *rest = _blocks(guide_text)
    assert settings_.startswith("Work Environment and Settings")
    reordered = [title, intro, settings_, education, role, growth, skills, *rest]
    data = import_guide_text("\n".join(reordered), "reordered.txt")
    assert [s["kind"] for s in data["sections"]] == [
        "settings",
        "education",
        "responsibilities",
        "growth",
        "skills",
        "steps",
    ]
    original = import_guide_text(guide_text, "mht.txt")
    assert sorted(map(_ordered, data["sections"])) == sorted(map(_ordered, original["sections"]))


def test_a_repeated_kind_and_an_unknown_heading_are_kept_as_other(guide_text: str) -> None:
    extra = (
        "\nAdditional Duties\n\nSometimes the job also includes:\n"
        "Driving Patients: Technicians may drive patients to appointments.\n"
        "Licensing Around the World\n\nRules differ between countries.\n"
    )
    text = guide_text.replace("Notes:\n", extra.lstrip("\n") + "Notes:\n")
    data = import_guide_text(text, "extra.txt")
    tail = data["sections"][-2:]
    assert tail == [
        {
            "kind": "other",
            "heading": "Additional Duties",
            "intro": "Sometimes the job also includes:",
            "items": [
                {
                    "name": "Driving Patients",
                    "description": "Technicians may drive patients to appointments.",
                }
            ],
        },
        {
            "kind": "other",
            "heading": "Licensing Around the World",
            "paragraphs": ["Rules differ between countries."],
        },
    ]


# --------------------------------------------------------------------------- robustness


def test_windows_line_endings_and_a_bom_parse_the_same(guide_text: str) -> None:
    original = import_guide_text(guide_text, "a.txt")
    assert import_guide_text("\ufeff" + guide_text.replace("\n", "\r\n"), "b.txt") == original
    assert import_guide_text(guide_text.replace("\n", "\r"), "c.txt") == original


def test_extra_and_missing_blank_lines_parse_the_same(guide_text: str) -> None:
    original = import_guide_text(guide_text, "a.txt")
    no_blanks = "\n".join(line for line in guide_text.splitlines() if line.strip())
    assert import_guide_text(no_blanks, "b.txt") == original
    spacious = "\n\n\n" + "\n  \n\t\n".join(guide_text.splitlines()) + "\n\n\n"
    assert import_guide_text(spacious, "c.txt") == original


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_blank_line_layout_parses_the_same(guide_text: str, data: st.DataObject) -> None:
    lines = [line for line in guide_text.splitlines() if line.strip()]
    gaps = data.draw(st.lists(st.integers(0, 3), min_size=len(lines), max_size=len(lines)))
    pad = data.draw(st.sampled_from(["", " ", "\t", "  "]))
    text = "".join(line + pad + "\n" * (1 + gap) for line, gap in zip(lines, gaps, strict=True))
    assert import_guide_text(text, "x.txt") == import_guide_text(guide_text, "mht.txt")


def test_curly_and_straight_quotes_parse_the_same(guide_text: str) -> None:
    curly = import_guide_text(guide_text, "curly.txt")
    straight_text = guide_text.replace("’", "'").replace("“", '"').replace("”", '"')
    straight = import_guide_text(straight_text, "straight.txt")
    assert _ordered(straight) == _ordered(curly).replace("’", "'")
    slugs = [[slugify(i["name"]) for i in s["items"]] for s in straight["sections"]]
    assert slugs == [[slugify(i["name"]) for i in s["items"]] for s in curly["sections"]]
    assert "associates-degree" in slugs[4]


def test_quotes_around_sentence_ends_are_not_headings(guide_text: str) -> None:
    quoted = guide_text.replace(
        "Notes:\n",
        "Notes:\n\nSome call the unit “home.”\nOthers ask: 'why here?'\n",
    )
    data = import_guide_text(quoted, "q.txt")
    assert data["notes"][:2] == ["Some call the unit “home.”", "Others ask: 'why here?'"]
    assert [s["kind"] for s in data["sections"]][-1] == "steps"


@pytest.mark.parametrize(
    "prefix", ["📝 Note:", "⚠️ Note:", "Note:", "NOTE:", "ℹ️  Note :", "* Note:", "👉🏽 Note:"]
)
def test_emoji_and_symbols_before_note_parse_the_same(guide_text: str, prefix: str) -> None:
    text = guide_text.replace("📝 Note:", prefix)
    assert import_guide_text(text, "n.txt") == import_guide_text(guide_text, "mht.txt")


def test_notes_outside_a_notes_section_are_collected(guide_text: str) -> None:
    text = guide_text.replace(
        "Skills and Qualifications\n",
        "💡 Note: Some programs include a supervised practicum.\nSkills and Qualifications\n",
    )
    data = import_guide_text(text, "n.txt")
    assert data["notes"][0] == "Some programs include a supervised practicum."
    assert len(data["sections"][0]["items"]) == 5


def test_bullets_numbers_and_emoji_before_items_and_headings_are_dropped(guide_text: str) -> None:
    lines = guide_text.splitlines()
    out = []
    for line in lines:
        if line.startswith(("Research and Explore:", "Educational Pathway:")):
            line = "1. " + line
        elif line.startswith(("Inpatient Facilities:", "Outpatient Clinics:")):
            line = "• " + line
        elif line.startswith("Empathy and Compassion:"):
            line = "✅ " + line
        elif line in ("Role and Responsibilities", "Skills and Qualifications"):
            line = "2. " + line
        out.append(line)
    assert import_guide_text("\n".join(out), "b.txt") == import_guide_text(guide_text, "m.txt")


def test_faq_without_plus_lines(guide_text: str) -> None:
    text = guide_text.replace("\n+\n", "\n")
    assert import_guide_text(text, "f.txt")["faq"] == import_guide_text(guide_text, "m.txt")["faq"]


def test_guide_without_intro_heading_notes_conclusion_or_faq() -> None:
    text = (
        "Welder Job Description\n"
        "Welders join metal parts for buildings, ships and machines.\n"
        "Responsibilities\n"
        "Reading Blueprints: Welders read drawings to plan each weld.\n"
        "Work Settings\n"
        "Shipyards: Large outdoor yards building and repairing ships.\n"
        "Education\n"
        "Vocational Certificate: A one-year program in welding technology.\n"
    )
    data = import_guide_text(text, "welder.txt")
    assert data == {
        "format": "jobgen-guide/1",
        "slug": "welder",
        "occupation": "Welder",
        "title": "Welder Job Description",
        "introduction": {"text": "Welders join metal parts for buildings, ships and machines."},
        "sections": [
            {
                "kind": "responsibilities",
                "heading": "Responsibilities",
                "items": [
                    {
                        "name": "Reading Blueprints",
                        "description": "Welders read drawings to plan each weld.",
                    }
                ],
            },
            {
                "kind": "settings",
                "heading": "Work Settings",
                "items": [
                    {
                        "name": "Shipyards",
                        "description": "Large outdoor yards building and repairing ships.",
                    }
                ],
            },
            {
                "kind": "education",
                "heading": "Education",
                "items": [
                    {
                        "name": "Vocational Certificate",
                        "description": "A one-year program in welding technology.",
                    }
                ],
            },
        ],
    }


# --------------------------------------------------------------------------- YAML output


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(
                whitelist_categories=("L", "N", "P", "Zs"), blacklist_characters="\x85\u2028\u2029"
            ),
            min_size=1,
            max_size=300,
        ).map(lambda s: " ".join(s.split()) or "x"),
        min_size=1,
        max_size=5,
    )
)
def test_dump_round_trips_any_text(texts: list[str]) -> None:
    data = {"format": "jobgen-guide/1", "notes": texts, "conclusion": "\n\n".join(texts)}
    assert yaml.safe_load(dump_guide_yaml(data)) == data


def test_dump_is_deterministic(pharmacy: dict[str, Any]) -> None:
    assert dump_guide_yaml(pharmacy) == dump_guide_yaml(import_guide_file(PHARMACY))


# --------------------------------------------------------------------------- not a guide


def _error(text: str) -> GuideError:
    with pytest.raises(GuideError) as info:
        import_guide_text(text, "in.txt")
    return info.value


def test_empty_text_fails_at_line_1() -> None:
    err = _error("\n  \n")
    assert err.source == "in.txt:1"
    assert "title line" in err.message


def test_yaml_is_not_a_guide_text() -> None:
    err = _error(MHT_YAML.read_text(encoding="utf-8"))
    assert err.source == "in.txt:1"
    assert "expected the guide's title line" in err.message
    assert "found 'format: jobgen-guide/1'" in err.message


def test_prose_without_sections_says_what_was_expected_and_where_it_stopped() -> None:
    text = "Shopping List\n\nWe need apples and pears.\nAlso some bread, please.\n"
    err = _error(text)
    assert err.source == "in.txt:4"
    assert "expected a section about responsibilities" in err.message
    assert "'Role and Responsibilities'" in err.message
    assert "parsing stopped at line 4" in err.message


def test_missing_settings_section_names_the_headings_found(guide_text: str) -> None:
    blocks = _blocks(guide_text)
    text = "\n".join(b for b in blocks if not b.startswith("Work Environment"))
    err = _error(text)
    assert "expected a section about settings" in err.message
    assert "'Role and Responsibilities' (line 6, responsibilities)" in err.message


def test_section_without_items_fails_at_its_heading(guide_text: str) -> None:
    lines = guide_text.splitlines()
    kept = [
        line for line in lines if not line.startswith(("Inpatient", "Outpatient", "Community M"))
    ]
    kept = [line for line in kept if not line.startswith("Substance Abuse Treatment Facilities:")]
    err = _error("\n".join(kept))
    heading_line = kept.index("Work Environment and Settings") + 1
    assert err.source == f"in.txt:{heading_line}"
    assert "has no 'Label: description' lines" in err.message


def test_faq_question_without_answer(guide_text: str) -> None:
    text = guide_text.rstrip("\n") + "\nIs there a question without an answer?\n+\n"
    err = _error(text)
    assert err.source == f"in.txt:{len(guide_text.splitlines()) + 1}"
    assert "has no answer" in err.message


def test_plus_line_outside_the_faq(guide_text: str) -> None:
    lines = guide_text.splitlines()
    at = lines.index("Skills and Qualifications")
    lines.insert(at, "+")
    err = _error("\n".join(lines))
    assert err.source == f"in.txt:{at + 1}"
    assert "'+' line belongs in the FAQ" in err.message


def test_duplicate_item_names_fail_at_the_second(guide_text: str) -> None:
    lines = guide_text.splitlines()
    at = lines.index("Skills and Qualifications")
    lines.insert(at, "Providing emotional support: Again.")
    err = _error("\n".join(lines))
    assert err.source == f"in.txt:{at + 1}"
    assert "repeats the item on line" in err.message


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        load_guide(tmp_path / "missing.txt")
    assert str(info.value) == f"{tmp_path / 'missing.txt'}: no such guide text"
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01")
    with pytest.raises(ValidationError, match="binary"):
        import_guide_file(binary)
