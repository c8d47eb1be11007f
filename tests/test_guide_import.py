"""The guide importer: structure, robustness, equality with the built-in guide, errors."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jobgen import _voice
from jobgen._validate import slugify
from jobgen._yaml import parse_yaml
from jobgen.cli import cli
from jobgen.compose import _lower_name, compose
from jobgen.employer import load_options
from jobgen.errors import GuideError, ValidationError
from jobgen.guide import Guide, guide_from_data, load_guide
from jobgen.guide_import import (
    _kind_of,
    dump_guide_yaml,
    guide_warnings,
    import_guide_file,
    import_guide_text,
    without_facility,
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
    imported = import_guide_text(guide_text, "mht.txt", tailoring=False)
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
    assert sorted(guide.tailoring.settings) == sorted(c.slug for c in guide.setting_choices())
    assert sorted(guide.tailoring.education) == sorted(c.slug for c in guide.education_choices())


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
        for other in pharmacy_guide.settings:
            if other != setting:
                assert other.description not in md
        required = _section(md, "## Qualifications").split("### Required\n", 1)[1]
        assert f"- {education.name}." not in required  # a requirement, not a bare heading
        assert "- **Filling Prescriptions:** Count, measure and label medications" in md
        summary = _section(md, "## Position summary")
        assert "You will keep pharmacies running safely and smoothly." in summary
        assert "guide" not in summary


@pytest.mark.parametrize("phrase", MHT_PHRASES)
def test_no_pharmacy_variant_leaks_the_mht_guide(
    pharmacy_variants: dict[tuple[str, str], str], phrase: str
) -> None:
    for md in pharmacy_variants.values():
        assert phrase.lower() not in md.lower()


def test_mht_guide_without_its_tailoring_is_tailored_from_its_own_text(guide_text: str) -> None:
    untailored = guide_from_data(import_guide_text(guide_text, "mht.txt", tailoring=False), "mht")
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
    data = import_guide_text(text, "welder.txt", tailoring=False)
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


# --------------------------------------------------------------------------- posting voice

DATA = Path(__file__).parent / "data"
CNA = DATA / "certified-nursing-assistant.txt"
DENTAL = DATA / "dental-assistant.txt"
AIDE = DATA / "home-health-aide.txt"
PT_AIDE = DATA / "physical-therapy-aide.txt"
"""Two guides written for these tests: CNA in the built-in guide's shape, dental assistant with
reworded headings ("About the Job", "What You'll Do", "Requirements", "Where They Work",
"Training Options", "Moving Up", "Getting Started", "Final Thoughts")."""

CAREER_ADVICE = (
    "a career as",
    "this guide",
    "if you're considering",
    "if you’re considering",
    "you can embark",
    "embark on",
    "rewarding path",
    "one of the fastest ways",
    "one of the quickest ways",
)
OTHER_EMPLOYERS = ("employers", "many nursing homes", "most employers", "some employers")


@pytest.fixture(scope="module")
def cna() -> dict[str, Any]:
    return import_guide_file(CNA)


@pytest.fixture(scope="module")
def dental() -> dict[str, Any]:
    return import_guide_file(DENTAL)


@pytest.mark.parametrize(
    ("verb", "base"),
    [
        ("assist", "assist"),
        ("helps", "help"),
        ("monitors", "monitor"),
        ("carries", "carry"),
        ("watches", "watch"),
        ("passes", "pass"),
        ("uses", "use"),
        ("focuses", "focus"),
        ("has", "have"),
        ("does", "do"),
    ],
)
def test_base_form(verb: str, base: str) -> None:
    assert _voice.base_form(verb) == base


@pytest.mark.parametrize(
    ("gerund", "base"),
    [("taking", "take"), ("helping", "help"), ("getting", "get"), ("preparing", "prepare")],
)
def test_from_gerund(gerund: str, base: str) -> None:
    assert _voice.from_gerund(gerund) == base


CNA_VOICE = _voice.Voice.for_guide(
    "Certified Nursing Assistant", "Certified nursing assistants (CNAs) help patients."
)


@pytest.mark.parametrize(
    ("guide_says", "posting_says"),
    [
        ("CNAs help patients bathe and dress.", "Help {people} bathe and dress."),
        ("They take and record vital signs.", "Take and record vital signs."),
        ("A CNA serves meals, helps patients eat and records intake.", None),
        ("Nursing assistants monitor each patient.", "Monitor each {person}."),
        ("Certified nursing assistants carry supplies.", "Carry supplies."),
        ("The CNA carries supplies.", "Carry supplies."),
        ("They also answer call lights.", "Answer call lights."),
        ("They closely observe patients.", "Closely observe {people}."),
        ("CNAs must wear gloves.", "Wear gloves."),
        ("CNAs may work nights.", "You may work nights."),
        ("The nursing assistant is responsible for linens.", "Take responsibility for linens."),
        (
            "Because they see patients often, CNAs are the first to notice changes.",
            "Because you see {people} often, you are the first to notice changes.",
        ),
        ("Patients may be frightened.", "Your {people} may be frightened."),
    ],
)
def test_duties_are_rewritten_in_the_imperative(guide_says: str, posting_says: str | None) -> None:
    expected = posting_says or "Serve meals, help {people} eat and record intake."
    assert CNA_VOICE.duty(guide_says) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "A career as a CNA is one of the fastest ways to begin working in health care.",
        "If you’re considering this rewarding path, this guide explains what CNAs do.",
        "With a short program, you can embark on a career in health care.",
        "Many nursing homes and hospitals pay for a new hire’s training.",
        "Most employers check the registry.",
        "Some employers prefer certified candidates.",
        "Two-year programs add clinical practice, which hospitals often prefer.",
    ],
)
def test_career_advice_and_other_employers_are_left_out(sentence: str) -> None:
    assert CNA_VOICE.duty(sentence) == ""
    assert CNA_VOICE.statement(sentence) == ""


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("What You'll Do", "responsibilities"),
        ("What You Will Do", "responsibilities"),
        ("Duties", "responsibilities"),
        ("Responsibilities", "responsibilities"),
        ("A Typical Day", "responsibilities"),
        ("Requirements", "skills"),
        ("Qualifications", "skills"),
        ("Skills", "skills"),
        ("Where They Work", "settings"),
        ("Work Settings", "settings"),
        ("Work Environment", "settings"),
        ("Training", "education"),
        ("Training Options", "education"),
        ("Education", "education"),
        ("Education Requirements", "education"),
        ("Career Path", "growth"),
        ("Advancement", "growth"),
        ("Moving Up", "growth"),
        ("Growth", "growth"),
        ("Getting Started", "steps"),
        ("Final Thoughts", "conclusion"),
    ],
)
def test_common_heading_wordings_map_to_kinds(heading: str, kind: str) -> None:
    assert _kind_of(heading) == kind


@pytest.mark.parametrize("heading", ["About the Job", "About the Role", "Introduction"])
def test_about_the_job_is_the_introduction(heading: str) -> None:
    text = DENTAL.read_text(encoding="utf-8").replace("About the Job", heading, 1)
    data = import_guide_text(text, "d.txt", tailoring=False)
    assert data["introduction"]["heading"] == heading
    assert data["introduction"]["text"].startswith("If you’re considering")


def test_reworded_headings_keep_every_section(dental: dict[str, Any]) -> None:
    shape = [(s["kind"], s["heading"], len(s.get("items", []))) for s in dental["sections"]]
    assert shape == [
        ("responsibilities", "What You'll Do", 6),
        ("skills", "Requirements", 5),
        ("settings", "Where They Work", 3),
        ("education", "Training Options", 3),
        ("growth", "Moving Up", 4),
        ("steps", "Getting Started", 4),
    ]
    assert dental["introduction"]["heading"] == "About the Job"
    assert dental["conclusion"].startswith("A career as a dental assistant")
    assert len(dental["notes"]) == 1 and len(dental["faq"]) == 2
    assert guide_warnings(guide_from_data(dental, "dental")) == ()


def test_the_cna_guide_imports_whole(cna: dict[str, Any]) -> None:
    shape = [(s["kind"], len(s.get("items", []))) for s in cna["sections"]]
    assert shape == [
        ("responsibilities", 6),
        ("skills", 5),
        ("settings", 4),
        ("growth", 4),
        ("education", 3),
        ("steps", 5),
    ]
    assert len(cna["faq"]) == 4 and len(cna["notes"]) == 1
    assert guide_warnings(guide_from_data(cna, "cna")) == ()


UNPLACED = "Life on the Floor\n\nMornings start with report from the night nurse.\n"


def _with_section(path: Path, block: str, before: str = "Notes:\n") -> str:
    return path.read_text(encoding="utf-8").replace(before, block + before, 1)


def test_an_unplaced_section_is_a_warning_naming_it() -> None:
    data = import_guide_text(_with_section(CNA, UNPLACED), "cna.txt")
    assert data["sections"][-1] == {
        "kind": "other",
        "heading": "Life on the Floor",
        "paragraphs": ["Mornings start with report from the night nurse."],
    }
    (warning,) = guide_warnings(guide_from_data(data, "cna.txt"))
    assert "'Life on the Floor' was not placed" in warning
    assert "postings will lack its 1 paragraph" in warning


def test_a_second_section_of_a_kind_is_a_warning_naming_both() -> None:
    block = "More Duties\n\nSometimes:\nDriving: CNAs drive residents to appointments.\n"
    data = import_guide_text(_with_section(CNA, block), "cna.txt")
    (warning,) = guide_warnings(guide_from_data(data, "cna.txt"))
    assert "'More Duties' repeats the responsibilities section 'Role and Responsibilities'" in (
        warning
    )
    assert "its 1 item will appear in no posting" in warning


def test_missing_skills_and_growth_are_warnings() -> None:
    text = "\n".join(
        b
        for b in _blocks(CNA.read_text(encoding="utf-8"))
        if not b.startswith(("Skills and Qualifications", "Career Growth"))
    )
    data = import_guide_text(text, "cna.txt")
    warnings = guide_warnings(guide_from_data(data, "cna.txt"))
    assert len(warnings) == 2
    assert "no skills section" in warnings[0] and "'Skills that matter'" in warnings[0]
    assert "no growth section" in warnings[1] and "'Where this role can lead'" in warnings[1]


def test_guide_import_warns_on_stderr_and_exits_0(runner: Any, tmp_path: Path) -> None:
    source = tmp_path / "cna.txt"
    source.write_text(_with_section(CNA, UNPLACED), encoding="utf-8")
    result = runner.invoke(cli, ["guide", "import", str(source), "-o", str(tmp_path / "c.yaml")])
    assert result.exit_code == 0, result.output
    assert "warning: section 'Life on the Floor' was not placed" in result.stderr
    assert "draft" in result.stderr
    to_stdout = runner.invoke(cli, ["guide", "import", str(source)])
    assert to_stdout.exit_code == 0
    assert "warning: section 'Life on the Floor'" in to_stdout.stderr
    assert "warning" not in to_stdout.stdout


def test_guide_validate_strict_fails_on_an_unplaced_section(runner: Any, tmp_path: Path) -> None:
    source = tmp_path / "cna.txt"
    source.write_text(_with_section(CNA, UNPLACED), encoding="utf-8")
    relaxed = runner.invoke(cli, ["guide", "validate", str(source)])
    assert relaxed.exit_code == 0
    assert "warning: section 'Life on the Floor' was not placed" in relaxed.stderr
    strict = runner.invoke(cli, ["guide", "validate", "--strict", str(source)])
    assert strict.exit_code == 1
    assert "'Life on the Floor'" in strict.stderr
    clean = runner.invoke(cli, ["guide", "validate", "--strict", str(DENTAL)])
    assert clean.exit_code == 0, clean.output
    assert "warning" not in clean.stderr


# --------------------------------------------------------------------------- the draft layer


def _texts(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [t for x in data.values() for t in _texts(x)]
    if isinstance(data, list):
        return [t for x in data for t in _texts(x)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("path", [CNA, DENTAL, PHARMACY])
def test_the_draft_layer_is_marked_for_review(path: Path) -> None:
    document = dump_guide_yaml(import_guide_file(path))
    before, _, _after = document.partition("\ntailoring:\n")
    comment = before.splitlines()[-3:]
    assert comment[0].startswith("# DRAFT tailoring layer, written by `jobgen guide import`")
    assert "Review and edit it before publishing postings" in comment[1]
    assert yaml.safe_load(document) == import_guide_file(path)


@pytest.mark.parametrize(
    "path", [CNA, DENTAL, PHARMACY, ROOT / "tests/data/mental-health-technician.txt"]
)
def test_the_draft_layer_speaks_as_a_posting(path: Path) -> None:
    data = import_guide_file(path)
    t = data["tailoring"]
    plural = data["occupation"].split()[-1].lower() + "s"
    for duty in t["responsibilities"].values():
        for sentence in _voice.split_sentences(duty):
            first = sentence.split()[0].lower()
            assert first not in ("they", plural, "cnas", "technicians"), sentence
            assert not sentence.lower().startswith(data["occupation"].lower()), sentence
    for text in _texts(t):
        low = text.lower()
        for phrase in CAREER_ADVICE + OTHER_EMPLOYERS:
            assert phrase not in low, (phrase, text)
        assert not re.match(r"^(?:they|these professionals)\b", low), text


def test_cna_draft_layer(cna: dict[str, Any]) -> None:
    t = cna["tailoring"]
    assert t["people"] == "patients"
    assert t["summary"].startswith("You will give hands-on, everyday care to {people}")
    assert t["responsibilities"]["helping-with-personal-care"].startswith(
        "Help {people} bathe, dress, use the toilet"
    )
    assert t["responsibilities"]["measuring-vital-signs"].startswith(
        "Take and record temperature, pulse"
    )
    assert t["responsibilities"]["assisting-with-meals-and-fluids"] == (
        "Serve meals, help {people} eat and drink, and record how much each person eats and "
        "drinks during the day."
    )
    assert (
        "Take responsibility for reporting these changes"
        in (t["responsibilities"]["observing-and-reporting-changes"])
    )
    assert t["skills"]["education-and-training"] is None  # the requirements say it
    assert t["growth"]["staffing-agency-owner"] is None  # starting a business is no job path
    assert t["growth"]["registered-nurse"] == (
        "With an associate’s or bachelor’s degree in nursing, you can become a registered nurse."
    )
    settings = t["settings"]
    assert settings["nursing-homes-and-long-term-care-facilities"]["label"] == "nursing home"
    assert settings["nursing-homes-and-long-term-care-facilities"]["people"] == "residents"
    assert settings["home-health-agencies"]["people"] == "clients"
    assert "people" not in settings["hospitals"]
    hospital = settings["hospitals"]
    assert hospital["summary"] == ""  # the text says nothing more than "a hospital"
    assert hospital["environment"] == (
        "You work on medical, surgical and rehabilitation units alongside nurses. The pace is fast."
    )
    assert hospital["schedule"] == [  # the employer's own hours replace these
        {"when": {"schedule": "given"}, "text": ""},
        {"text": "Shifts cover nights, weekends and holidays."},
    ]
    # duty emphasis drawn from the setting's own text, nothing invented
    assert hospital["duties"] == [
        "Help {people} move after surgery.",
        "Prepare rooms for new admissions.",
    ]
    visits = settings["home-health-agencies"]
    assert "observing-and-reporting-changes" not in visits["responsibilities"]
    # personal care and meals are guide duties already: only the new entry is kept
    assert visits["duties"] == ["Help with light housekeeping."]
    assert settings["assisted-living-communities"]["duties"] == [
        "Help with medication reminders and mobility.",
        "Take part in social activities.",
    ]
    education = t["education"]
    assert education["state-approved-cna-training-programs"]["required"] == [
        "Completion of a state-approved CNA training program."
    ]
    assert education["high-school-health-science-programs"]["required"] == [
        "Completion of a high school health science program."
    ]
    assert education["employer-sponsored-training"]["summary"] == (
        "This position includes employer-sponsored training."
    )


def test_requirements_read_as_requirements(dental: dict[str, Any], guide_text: str) -> None:
    edu = dental["tailoring"]["education"]
    assert edu["dental-assisting-certificate-program"]["required"] == [
        "Completion of a dental assisting certificate program."
    ]
    assert edu["dental-assisting-certificate-program"]["preferred"] == [
        "Coursework in dental anatomy, radiography and infection control.",
        "A completed clinical externship.",
    ]
    assert edu["associate-degree-in-dental-assisting"]["required"] == [
        "Associate degree in dental assisting."
    ]
    mht = import_guide_text(guide_text, "mht.txt")["tailoring"]["education"]
    assert mht["high-school-diploma-or-equivalent"]["required"] == ["High school diploma or GED."]
    assert mht["associates-degree"]["required"] == [
        "Associate’s degree in mental health technology, human services, or a related field."
    ]
    assert mht["bachelors-degree"]["required"] == [
        "Bachelor’s degree in psychology, social work, counseling, or a related field."
    ]
    assert mht["high-school-diploma-or-equivalent"]["summary"] == (
        "This position provides on-the-job training and the opportunity to gain valuable "
        "experience in the field."
    )


def test_a_guide_without_settings_text_still_imports() -> None:
    text = (
        "Welder Job Description\n"
        "Responsibilities\n"
        "Reading Blueprints: Welders read drawings to plan each weld.\n"
        "Work Settings\n"
        "Shipyards: Large outdoor yards.\n"
        "Education\n"
        "Vocational Certificate: A one-year program in welding technology.\n"
    )
    data = import_guide_text(text, "welder.txt")
    t = data["tailoring"]
    assert t["responsibilities"] == {"reading-blueprints": "Read drawings to plan each weld."}
    assert t["settings"]["shipyards"]["label"] == "shipyard"
    assert t["education"]["vocational-certificate"]["required"] == [
        "Completion of a vocational certificate."
    ]
    guide_from_data(data, "welder.txt")


# --------------------------------------------------------------------------- imported postings

FULL_EMPLOYER: dict[str, Any] = {
    "employer": {"name": "Lakeside Health", "about": "Lakeside Health runs care services."},
    "location": {"city": "Toledo", "region": "OH", "country": "US"},
    "employment_type": "full-time",
    "schedule": "Monday to Friday, 8 a.m. to 4:30 p.m.",
    "salary": {"min": 19.5, "max": 24, "currency": "USD", "period": "hour"},
    "certification": "required",
    "experience_months": 12,
    "benefits": ["Medical, dental and vision insurance"],
    "apply": {"url": "https://lakeside.example/careers"},
}
"""Every answer a recruiter gives, so each posting has every section."""


def _postings(path: Path) -> tuple[Guide, dict[tuple[str, str], str]]:
    import jobgen

    guide = jobgen.load_guide(path)
    out = {}
    for s, e in itertools.product(guide.setting_choices(), guide.education_choices()):
        values = {**FULL_EMPLOYER, "title": guide.occupation}
        options = jobgen.load_options(
            guide, values=values, setting=s.slug, education=e.slug, environ={}
        )
        md = jobgen.render.render(jobgen.compose.compose(guide, options), "md").decode("utf-8")
        out[(s.slug, e.slug)] = md.replace("\\", "")
    return guide, out


@pytest.fixture(
    scope="module",
    params=[CNA, DENTAL, PHARMACY, AIDE, PT_AIDE],
    ids=["cna", "dental", "pharmacy", "home-health-aide", "pt-aide"],
)
def imported(request: pytest.FixtureRequest) -> tuple[Guide, dict[tuple[str, str], str]]:
    return _postings(request.param)


def _bullets(md: str, heading: str) -> list[str]:
    """The text of each bullet under a ``##`` heading (its ``###`` subsections included), with
    any bold lead-in removed."""
    body = md.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line[2:] for line in body.splitlines() if line.startswith("- ")]
    return [re.sub(r"^\*\*[^*]+:\*\* ", "", line) for line in lines]


def test_every_imported_variant_renders_and_differs(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    guide, postings = imported
    assert len(postings) == len(guide.settings) * len(guide.education)
    assert len(set(postings.values())) == len(postings)
    for md in postings.values():
        assert "{" not in md and "}" not in md  # every {people} filled in
        for section in ("## Position summary", "## What you will do", "## Qualifications"):
            assert section in md
        for section in ("## Skills that matter", "## Work environment", "## Where this role"):
            assert section in md


def test_imported_duties_are_in_posting_voice(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    guide, postings = imported
    words = guide.occupation.lower().split()
    plurals = {" ".join(words[i:]) + "s" for i in range(len(words))} | {"cnas", "they"}
    for md in postings.values():
        for duty in _bullets(md, "## What you will do"):
            for sentence in _voice.split_sentences(duty):
                low = sentence.lower()
                assert not any(low.startswith(p + " ") for p in plurals), sentence
                assert not low.startswith(("a cna ", "the cna ", "a dental assistant ")), sentence


def test_imported_requirements_read_as_requirements(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    guide, postings = imported
    starts = ("Completion of", "High school diploma", "Associate", "Bachelor", "Willingness to")
    for (_setting, education), md in postings.items():
        required = _bullets(md, "## Qualifications")
        name = next(e.name for e in guide.education if e.slug == education)
        assert f"{name}." not in required
        assert required[0].startswith(starts), required[0]
        assert any(line.startswith("At least 1 year of experience") for line in required)


def test_imported_postings_carry_no_career_advice_or_other_employers(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    _guide, postings = imported
    for md in postings.values():
        body = md.split("## Equal opportunity", 1)[0].lower()
        for phrase in CAREER_ADVICE:
            assert phrase not in body, phrase
        assert not re.search(r"\bemployers\b|many nursing homes|some employers", body)
        assert "start their own" not in body and "consulting business" not in body
        assert "education and training:" not in body  # said once, under Qualifications


def test_imported_postings_use_each_settings_word_for_the_people_served() -> None:
    _guide, postings = _postings(CNA)
    home = postings[
        ("nursing-homes-and-long-term-care-facilities", "state-approved-cna-training-programs")
    ]
    assert "Help residents bathe, dress" in home
    visits = postings[("home-health-agencies", "state-approved-cna-training-programs")]
    assert "Help clients bathe, dress" in visits
    assert "You will visit clients in their own homes." in visits
    hospital = postings[("hospitals", "state-approved-cna-training-programs")]
    assert "Help patients bathe, dress" in hospital
    assert "### In our hospital" in hospital
    assert "- Prepare rooms for new admissions." in hospital
    # the employer's schedule replaces the setting's hours
    assert "Shifts cover nights, weekends and holidays" not in hospital


REWORDED = {
    "Introduction to Certified Nursing Assistant Careers": "About the Role",
    "Role and Responsibilities": "What You'll Do",
    "Skills and Qualifications": "Requirements",
    "Work Environment and Settings": "Where They Work",
    "Career Growth and Opportunities": "Moving Up",
    "Education and Training\n": "Training Options\n",
    "Step-by-Step Guide to Becoming a Certified Nursing Assistant": "Getting Started",
}


def test_the_cna_guide_with_reworded_headings_keeps_every_section(cna: dict[str, Any]) -> None:
    text = CNA.read_text(encoding="utf-8")
    for old, new in REWORDED.items():
        assert old in text
        text = text.replace(old, new, 1)
    reworded = import_guide_text(text, "reworded.txt")
    assert [s["kind"] for s in reworded["sections"]] == [s["kind"] for s in cna["sections"]]
    assert [s["items"] for s in reworded["sections"]] == [s["items"] for s in cna["sections"]]
    assert reworded["tailoring"] == cna["tailoring"]
    assert guide_warnings(guide_from_data(reworded, "reworded.txt")) == ()


# --------------------------------------------------------------------------- postings read whole


def _body(md: str) -> str:
    """What the guide's tailoring wrote: the posting without the employer's own answers."""
    body = md.split("## Position summary\n", 1)[1].split("## Equal opportunity", 1)[0]
    return body.split("## Compensation and benefits", 1)[0] + body.split("## Where this", 1)[-1]


@pytest.mark.parametrize("path", [CNA, DENTAL, PHARMACY, AIDE, PT_AIDE], ids=lambda p: p.stem)
def test_a_settings_duty_is_written_whole_never_base_plus_setting_sentence(path: Path) -> None:
    t = import_guide_file(path)["tailoring"]
    for setting in t["settings"].values():
        for slug, duty in setting.get("responsibilities", {}).items():
            text = duty["text"] if isinstance(duty, dict) else duty
            base = t["responsibilities"][slug]
            # a setting sentence appended to the guide's duty would add a sentence
            sentences = _voice.split_sentences
            assert len(sentences(text)) <= len(sentences(base)), (slug, text)


def test_a_settings_duties_say_only_what_the_responsibilities_do_not() -> None:
    _guide, postings = _postings(CNA)
    visits = postings[("home-health-agencies", "state-approved-cna-training-programs")]
    assert "Report to a supervising nurse" not in visits  # the reporting duty says it
    assert _bullets(visits, "## What you will do")[-1] == "Help with light housekeeping."
    assert "personal care, light housekeeping" not in visits


def test_one_word_for_the_people_served_in_every_posting(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    guide, postings = imported
    words = ("patient", "resident", "client", "customer")
    for (setting, _education), md in postings.items():
        st = guide.tailoring.settings[setting]
        own = (st.people or guide.tailoring.people or "patients")[:-1]
        text = re.sub(
            r"\b(?:are|be|stay|remain) patient\b|customer service", "", _body(md), flags=re.I
        )
        for word in words:
            if word != own:
                found = re.search(rf"\b{word}s?\b|\b{word}[’']s\b", text, re.IGNORECASE)
                assert found is None, (setting, word, found and text[found.start() - 60 :][:120])


def test_person_is_the_singular_of_the_settings_word() -> None:
    _guide, postings = _postings(CNA)
    visits = postings[("home-health-agencies", "state-approved-cna-training-programs")]
    assert "Small changes in a client’s condition matter" in visits
    assert "documenting them in the client’s chart" in visits
    home = postings[
        ("nursing-homes-and-long-term-care-facilities", "state-approved-cna-training-programs")
    ]
    assert "Small changes in a resident’s condition matter" in home


def test_without_facility_drops_what_only_a_facility_has() -> None:
    assert (
        without_facility(
            "Change bed linens, restock supplies, answer call lights promptly and follow "
            "infection-control procedures."
        )
        == "Change bed linens, restock supplies and follow infection-control procedures."
    )
    assert without_facility("Give reports to nurses at every change of shift.") == (
        "Give reports to nurses."
    )
    assert without_facility("Answer call lights. Wash your hands.") == "Wash your hands."
    assert without_facility("Help clients bathe.") == "Help clients bathe."


@pytest.mark.parametrize(
    ("path", "home", "facility"),
    [
        (CNA, "home-health-agencies", "hospitals"),
        (AIDE, "home-health-care-agencies", "assisted-living-facilities"),
        (AIDE, "hospice-programs", "group-homes"),
    ],
)
def test_a_setting_in_peoples_own_homes_names_no_facility_things(
    path: Path, home: str, facility: str
) -> None:
    _guide, postings = _postings(path)
    for (setting, _education), md in postings.items():
        body = _body(md).lower()
        if setting == home:
            for thing in ("call light", "change of shift", "in facilities"):
                assert thing not in body, (setting, thing)
    in_home = next(md for (s, _e), md in postings.items() if s == home)
    elsewhere = next(md for (s, _e), md in postings.items() if s == facility)
    assert "call lights" in elsewhere  # the guide's duty, whole, where it applies
    assert "follow infection-control" in in_home  # the rest of that duty stays


def test_growth_paths_name_one_role_each_addressed_to_you(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    _guide, postings = imported
    for md in postings.values():
        for path in _bullets(md, "## Where this role can lead"):
            found = re.search(r"\bbecome (?!an? |the )(?:[a-z-]+ ){0,3}[a-z]+s\b", path)
            assert found is None, path
    _guide, cna = _postings(CNA)
    md = next(iter(cna.values()))
    assert (
        "With experience, you can become a restorative aide, a medication aide (where the state "
        "allows it), or a CNA in hospice, memory care or rehabilitation units."
    ) in md
    _guide, aide = _postings(AIDE)
    md = next(iter(aide.values()))
    assert "you can become a care coordinator, who schedules visits and matches aides" in md
    assert "become a certified nursing assistant (CNA), who works in hospitals" in md


def test_a_setting_summary_only_when_the_text_says_something(
    imported: tuple[Guide, dict[tuple[str, str], str]],
) -> None:
    guide, postings = imported
    for (setting, _education), md in postings.items():
        summary = md.split("## Position summary\n", 1)[1].split("\n## ", 1)[0]
        assert "You will work in our" not in summary
        item = next(i for i in guide.settings if i.slug == setting)
        assert item.description not in summary  # never the guide's own third-person text
    _guide, cna = _postings(CNA)
    visits = cna[("home-health-agencies", "state-approved-cna-training-programs")]
    assert "You will visit clients in their own homes." in visits


def test_the_people_served_stay_they_after_being_named() -> None:
    t = import_guide_file(AIDE)["tailoring"]
    assert "so they can live safely at home" in t["summary"]
    assert "the care you gave" in t["responsibilities"]["reporting-to-the-nurse"]


def test_a_facility_setting_drops_the_in_facilities_qualifier_and_plural_levels_take_no_a() -> None:
    _guide, postings = _postings(AIDE)
    for (setting, education), md in postings.items():
        assert "in facilities" not in md, setting
        assert "Completion of a community college courses" not in md, education
    assisted = postings[("assisted-living-facilities", "community-college-courses")]
    assert "answer call lights promptly, and follow infection-control steps" in assisted
    assert "- Completion of community college courses." in assisted


def test_a_clinic_hospital_and_home_guide_reads_as_written() -> None:
    t = import_guide_file(PT_AIDE)["tailoring"]
    # "their" is the therapists' here, not the reader's
    assert "so that physical therapists can spend their time with {people}" in t["summary"]
    settings = t["settings"]
    assert settings["outpatient-clinics"]["schedule"][1] == {
        "text": "Clinics are usually open early mornings and evenings."
    }
    assert settings["hospitals"]["duties"] == [
        "Help {people} who are recovering from strokes and surgery.",
        "Move {people} between their rooms and the therapy gym.",  # not a list of things
    ]
    home = settings["home-health"]
    assert home["label"] == "home health team"  # "In our home health team"
    assert home["responsibilities"]["clerical-work"] == (
        "Answer phones, schedule appointments and file insurance forms."  # no front desk
    )


@pytest.mark.parametrize(
    ("guide_says", "posting_says"),
    [
        ("Update patient charts and records.", "Update {person} charts and records."),
        ("Check the patient’s chart.", "Check the {person}’s chart."),
        ("A client may call.", "A {person} may call."),
        ("Stay patient and kind.", "Stay patient and kind."),  # the quality, not the person
        ("Keep a friendly, patient manner.", "Keep a friendly, patient manner."),
    ],
)
def test_one_of_the_people_served_becomes_person(guide_says: str, posting_says: str) -> None:
    assert CNA_VOICE.people_word(guide_says) == posting_says


def test_a_setting_sentence_does_not_repeat_the_duties_it_lists() -> None:
    t = import_guide_file(CNA)["tailoring"]
    home = t["settings"]["nursing-homes-and-long-term-care-facilities"]
    # "help with bathing, dressing and meals" is what the duties already say
    assert home["environment"] == (
        "You care for the same {people} day after day and get to know each {person}’s routines "
        "and preferences."
    )


def test_a_duty_named_for_facility_rooms_says_the_home_in_peoples_homes() -> None:
    _guide, postings = _postings(CNA)
    visits = postings[("home-health-agencies", "state-approved-cna-training-programs")]
    assert "**Keeping the Home Safe and Clean:** Change bed linens, restock supplies and" in visits
    hospital = postings[("hospitals", "state-approved-cna-training-programs")]
    assert "**Keeping Rooms Safe and Clean:**" in hospital
