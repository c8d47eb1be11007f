"""schema.org JobPosting JSON-LD: every required and recommended property, for an on-site and a
remote posting; errors that name the employer field to set; the description's restricted HTML."""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser

import pytest

from jobgen import load_options
from jobgen.compose import compose
from jobgen.errors import ValidationError
from jobgen.render import render
from jobgen.render.jsonld import (
    DESCRIPTION_TAGS,
    description_html,
    posting_jsonld,
    render_jsonld,
)

ONSITE = {
    "title": "Mental Health Technician, Nights",
    "setting": "inpatient",
    "education": "associate",
    "employer": {"name": "Riverside Behavioral Health", "website": "https://riverside.example"},
    "location": {"city": "Denver", "region": "CO", "postal_code": "80204", "country": "US"},
    "workplace": "onsite",
    "employment_type": "full-time",
    "salary": {"min": "21.50", "max": "28", "currency": "USD", "period": "hour"},
    "experience_months": "6",
    "apply": {"url": "https://riverside.example/jobs/118", "email": "jobs@riverside.example"},
    "date_posted": "2026-11-28",
    "valid_through": "2027-01-15",
    "requisition_id": "RBH-118",
}

REMOTE = {
    "setting": "outpatient",
    "education": "bachelor",
    "employer": {"name": "Telecare Counseling"},
    "location": {"region": "WA", "country": "US"},
    "workplace": "remote",
    "employment_type": "contract",
    "salary": {"min": "52000", "max": "61000", "period": "year"},
    "experience_months": "24",
    "apply": {"email": "hr@telecare.example"},
    "date_posted": "2026-12-01",
}


def make(guide, values):
    return compose(guide, load_options(guide, values=values, environ={}))


def test_onsite_posting_has_every_required_and_recommended_property(guide):
    data = posting_jsonld(make(guide, ONSITE))
    description = data.pop("description")
    assert data == {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": "Mental Health Technician, Nights",
        "identifier": {
            "@type": "PropertyValue",
            "name": "Riverside Behavioral Health",
            "value": "RBH-118",
        },
        "datePosted": "2026-11-28",
        "validThrough": "2027-01-15",
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Riverside Behavioral Health",
            "sameAs": "https://riverside.example",
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Denver",
                "addressRegion": "CO",
                "postalCode": "80204",
                "addressCountry": "US",
            },
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": 21.5,
                "maxValue": 28,
                "unitText": "HOUR",
            },
        },
        "educationRequirements": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "associate degree",
        },
        "experienceRequirements": {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": 6,
        },
        "directApply": True,
    }
    assert description.startswith("<p>Riverside Behavioral Health · Denver, CO · Full-time")
    assert "<li>Associate's degree in mental health technology" in description
    assert "jobLocationType" not in data and "applicantLocationRequirements" not in data


def test_remote_posting_has_telecommute_and_applicant_location(guide):
    data = posting_jsonld(make(guide, REMOTE))
    assert "jobLocation" not in data
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {
        "@type": "State",
        "name": "WA",
        "containedInPlace": {"@type": "Country", "name": "US"},
    }
    assert data["title"] == "Mental Health Technician"
    assert data["datePosted"] == "2026-12-01"
    assert "validThrough" not in data  # not given: left out, not invented
    assert data["employmentType"] == "CONTRACTOR"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Telecare Counseling"}
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 52000,
        "maxValue": 61000,
        "unitText": "YEAR",
    }
    assert data["baseSalary"]["currency"] == "USD"
    assert data["educationRequirements"]["credentialCategory"] == "bachelor degree"
    assert data["experienceRequirements"]["monthsOfExperience"] == 24
    assert "identifier" not in data  # no requisition_id
    assert "directApply" not in data  # email only: no apply URL
    assert "to work remotely from WA" in data["description"]


def test_remote_with_only_a_country_requires_that_country(guide):
    values = {**REMOTE, "location": {"country": "CA"}}
    data = posting_jsonld(make(guide, values))
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "CA"}


def test_hybrid_posting_has_a_job_location_and_is_not_telecommute(guide):
    data = posting_jsonld(make(guide, {**ONSITE, "workplace": "hybrid"}))
    assert data["jobLocation"]["address"]["addressLocality"] == "Denver"
    assert "jobLocationType" not in data and "applicantLocationRequirements" not in data


@pytest.mark.parametrize(
    ("employment_type", "expected"),
    [
        ("full-time", "FULL_TIME"),
        ("part-time", "PART_TIME"),
        ("per-diem", "PER_DIEM"),
        ("contract", "CONTRACTOR"),
        ("temporary", "TEMPORARY"),
        ("internship", "INTERN"),
    ],
)
def test_employment_types(guide, employment_type, expected):
    data = posting_jsonld(make(guide, {**ONSITE, "employment_type": employment_type}))
    assert data["employmentType"] == expected


@pytest.mark.parametrize(
    ("education", "category"),
    [
        ("high-school", "high school"),
        ("associate", "associate degree"),
        ("bachelor", "bachelor degree"),
        ("training-program", "postsecondary certificate"),
    ],
)
def test_education_requirements_follow_the_guide_credential(guide, education, category):
    posting = make(guide, {**ONSITE, "education": education})
    assert posting.credential == category
    assert posting_jsonld(posting)["educationRequirements"] == {
        "@type": "EducationalOccupationalCredential",
        "credentialCategory": category,
    }


@pytest.mark.parametrize(
    ("salary", "value"),
    [
        ({"min": "18", "period": "hour"}, {"minValue": 18, "unitText": "HOUR"}),
        ({"max": "950.50", "period": "week"}, {"maxValue": 950.5, "unitText": "WEEK"}),
        (
            {"min": "3000", "max": "3000", "period": "month", "currency": "CAD"},
            {"minValue": 3000, "maxValue": 3000, "unitText": "MONTH"},
        ),
        (
            {"min": "150", "max": "180", "period": "day"},
            {"minValue": 150, "maxValue": 180, "unitText": "DAY"},
        ),
    ],
)
def test_base_salary_variants(guide, salary, value):
    data = posting_jsonld(make(guide, {**ONSITE, "salary": salary}))
    assert data["baseSalary"]["value"] == {"@type": "QuantitativeValue", **value}
    assert data["baseSalary"]["currency"] == salary.get("currency", "USD")


def test_optional_properties_are_left_out_when_there_is_no_data(guide):
    values = {
        "setting": "community",
        "education": "hs",
        "employer": {"name": "Harbor"},
        "location": {"city": "Tacoma", "country": "US"},
    }
    data = posting_jsonld(make(guide, values))
    for key in (
        "baseSalary",
        "identifier",
        "validThrough",
        "experienceRequirements",
        "directApply",
    ):
        assert key not in data
    assert "sameAs" not in data["hiringOrganization"]
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Tacoma",
        "addressCountry": "US",
    }


def test_no_experience_required_is_zero_months(guide):
    data = posting_jsonld(make(guide, {**ONSITE, "experience_months": "0"}))
    assert data["experienceRequirements"]["monthsOfExperience"] == 0


# ----------------------------------------------------------------------------- errors


def test_placeholder_employer_is_an_error_naming_employer_name(guide):
    values = {k: v for k, v in ONSITE.items() if k != "employer"}
    posting = make(guide, values)
    assert posting.is_placeholder
    with pytest.raises(ValidationError) as exc:
        posting_jsonld(posting)
    assert exc.value.source == "employer.name"
    assert "hiringOrganization.name" in exc.value.message
    assert "--set employer.name=" in (exc.value.hint or "")


@pytest.mark.parametrize("workplace", ["onsite", "hybrid"])
def test_on_site_without_location_names_the_location_fields(guide, workplace):
    values = {k: v for k, v in ONSITE.items() if k != "location"} | {"workplace": workplace}
    with pytest.raises(ValidationError) as exc:
        posting_jsonld(make(guide, values))
    message = exc.value.format()
    assert "location.city (or location.region) and location.country are not set" in message
    assert "jobLocation" in message
    assert "workplace: remote" in message  # the way out for a fully remote job


def test_on_site_without_country_names_location_country(guide):
    values = {**ONSITE, "location": {"city": "Denver", "region": "CO"}}
    with pytest.raises(ValidationError, match=r"location\.country is not set"):
        posting_jsonld(make(guide, values))


@pytest.mark.parametrize("location", [None, {"region": "WA"}, {"city": "Seattle"}])
def test_remote_without_a_country_names_location_country(guide, location):
    values = {k: v for k, v in REMOTE.items() if k != "location"}
    if location:
        values["location"] = location
    with pytest.raises(ValidationError) as exc:
        posting_jsonld(make(guide, values))
    assert exc.value.source == "location.country"
    assert "applicantLocationRequirements" in exc.value.message


def test_a_non_web_url_put_into_a_posting_by_code_is_refused(guide):
    posting = make(guide, ONSITE)
    bad = dataclasses.replace(posting, apply_url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="only http:// and https://") as exc:
        posting_jsonld(bad)
    assert exc.value.source == "apply.url"
    bad_site = dataclasses.replace(posting, employer_website="javascript:alert(1)")
    with pytest.raises(ValidationError) as exc2:
        posting_jsonld(bad_site)
    assert exc2.value.source == "employer.website"


# ----------------------------------------------------------------------------- description


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        assert attrs == [], f"<{tag}> has attributes {attrs}"

    def handle_data(self, data):
        self.text.append(data)


def test_description_uses_only_p_ul_li_br(guide):
    description = posting_jsonld(make(guide, ONSITE))["description"]
    collector = TagCollector()
    collector.feed(description)
    assert set(collector.tags) == {"p", "ul", "li"}
    assert set(DESCRIPTION_TAGS) == {"p", "ul", "li", "br"}  # what Google accepts there
    text = "".join(collector.text)
    # headings survive as plain paragraphs, bold lead-ins as plain text; the title is not repeated
    assert "<p>What you will do</p>" in description
    assert "<li>Assisting with Daily Care: Help patients" in description
    assert "Nights" not in text.split("\n")[0]  # the title is in "title", not repeated here
    assert (
        "Apply online at https://riverside.example/jobs/118 or email jobs@riverside.example."
        in text
    )


def test_description_html_maps_markdown_onto_the_allowed_tags():
    markdown = (
        "# Title\n\n## Heading\n\nSome *emphasis*, **bold** and [a link](https://x.example).\n\n"
        "1. first\n2. second\n\nline one  \nline two\n\n```\ncode <b>\n```\n\n"
        "Text with <b>raw</b> & entities &amp; [bad](javascript:alert(1))\n"
    )
    assert description_html(markdown) == (
        "<p>Heading</p>\n"
        "<p>Some emphasis, bold and a link.</p>\n"
        "<ul>\n<li>first</li>\n<li>second</li>\n</ul>\n"
        "<p>line one<br>line two</p>\n"
        "<p>code &lt;b&gt;</p>\n"
        "<p>Text with &lt;b&gt;raw&lt;/b&gt; &amp; entities &amp; [bad](javascript:alert(1))</p>"
    )


def test_description_escapes_employer_text(guide):
    name = "<script>alert(1)</script> *Acme*"
    data = posting_jsonld(make(guide, {**ONSITE, "employer": {"name": name}}))
    assert data["hiringOrganization"]["name"] == name
    assert "<script>" not in data["description"]
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; *Acme* in Denver, CO, is hiring"
        in data["description"]
    )


def test_description_follows_a_users_template(guide, tmp_path):
    template = tmp_path / "t.md.j2"
    template.write_text("# {{ posting.title }}\n\nWe are {{ posting.employer_name }}.\n")
    out = render(make(guide, ONSITE), "jsonld", template=template)
    assert json.loads(out)["description"] == "<p>We are Riverside Behavioral Health.</p>"


# ----------------------------------------------------------------------------- bytes


def test_render_jsonld_bytes_are_json_utf8_and_deterministic(guide):
    posting = make(guide, ONSITE)
    out = render(posting, "jsonld")
    assert out == render_jsonld(posting) == render(posting, "jsonld")
    assert out.endswith(b"}\n")
    assert "$21.50–$28.00".encode() in out  # non-ASCII written as is, not \u2013
    assert out.startswith(b'{\n  "@context": "https://schema.org/",\n  "@type": "JobPosting",\n')
    assert json.loads(out) == posting_jsonld(posting)
