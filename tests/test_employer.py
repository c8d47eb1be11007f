"""Employer options: precedence of sources, strict validation, messages that say what to fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jobgen.employer import FIELDS, PLACEHOLDER_EMPLOYER, load_options
from jobgen.errors import JobgenError, UsageError, ValidationError


def write(tmp_path: Path, text: str, name: str = "employer.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file_use_a_marked_placeholder(guide):
    o = load_options(guide, setting="inpatient", education="associate", environ={})
    assert o.setting == "inpatient-facilities"
    assert o.education == "associates-degree"
    assert o.employer.name == PLACEHOLDER_EMPLOYER and o.employer.is_placeholder
    assert o.title == "Mental Health Technician"
    assert o.employment_type == "full-time" and o.workplace == "onsite"


def test_sources_in_precedence_order(guide, tmp_path):
    f = write(
        tmp_path,
        "setting: outpatient\neducation: hs\nemployer:\n  name: File Co\n"
        "salary: {min: 10, max: 20, period: hour}\nschedule: Days\n",
    )
    env = {
        "JOBGEN_EMPLOYER_NAME": "Env Co",
        "JOBGEN_SALARY_MIN": "12",
        "JOBGEN_SCHEDULE": "Evenings",
    }
    o = load_options(
        guide,
        employer_file=f,
        environ=env,
        assignments=["salary.min=15", "employer.name=Set Co"],
        setting="inpatient",
    )
    assert o.employer.name == "Set Co"  # --set beats env beats file
    assert o.salary.min == Decimal("15")
    assert o.salary.max == Decimal("20")  # only in the file
    assert o.schedule == "Evenings"  # env beats file
    assert o.setting == "inpatient-facilities"  # --setting beats the file
    assert o.education == "high-school-diploma-or-equivalent"


def test_dotted_and_nested_keys_are_the_same(guide, tmp_path):
    a = load_options(
        guide,
        employer_file=write(
            tmp_path, "setting: sud\neducation: ba\nlocation.city: Reno\n", "a.yaml"
        ),
        environ={},
    )
    b = load_options(
        guide,
        employer_file=write(
            tmp_path, "setting: sud\neducation: ba\nlocation: {city: Reno}\n", "b.yaml"
        ),
        environ={},
    )
    assert a.location == b.location and a.location.city == "Reno"


def test_yaml_values_are_read_as_written(guide, tmp_path):
    f = write(
        tmp_path,
        "setting: inpatient\neducation: hs\nemployer: {name: NO}\n"
        "location: {postal_code: 012345}\nrequisition_id: 2024-05-01\n",
    )
    o = load_options(guide, employer_file=f, environ={})
    assert o.employer.name == "NO"
    assert o.location.postal_code == "012345"
    assert o.requisition_id == "2024-05-01"


def test_unknown_key_names_file_line_and_suggestion(guide, tmp_path):
    f = write(tmp_path, "setting: inpatient\neducation: hs\nsalary:\n  minimum: 18\n")
    with pytest.raises(ValidationError) as info:
        load_options(guide, employer_file=f, environ={})
    message = str(info.value)
    assert f"{f}:4" in message
    assert "unknown field 'salary.minimum'" in message
    assert "Did you mean 'salary.min'" in message


def test_bad_setting_in_a_file_is_a_validation_error_with_the_line(guide, tmp_path):
    f = write(tmp_path, "education: hs\nsetting: hospice\n")
    with pytest.raises(ValidationError) as info:
        load_options(guide, employer_file=f, environ={})
    assert not isinstance(info.value, UsageError)
    assert f"{f}:2" in str(info.value) and "inpatient-facilities" in str(info.value)


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("salary.min=abc", "salary.min: 'abc' is not a number"),
        ("salary.min=-5", "is negative"),
        ("workplace=moon", "Allowed: onsite, hybrid, remote"),
        ("employment_type=fulltme", "Did you mean 'full-time'"),
        ("apply.url=javascript:alert(1)", "only http:// and https:// links"),
        ("employer.website=ftp://x.example", "only http:// and https://"),
        ("apply.email=not-an-email", "is not an email address"),
        ("date_posted=2026-02-30", "is not a real date"),
        ("experience_months=lots", "whole number of months"),
        ("salary.currency=dollars", "3-letter ISO 4217"),
        ("employer.name=A\x00B", "control character U+0000"),
        ("employer.name=A\u202eB", "bidirectional override"),
    ],
)
def test_bad_values_are_refused_with_the_field_and_what_is_allowed(guide, assignment, expected):
    with pytest.raises(UsageError) as info:
        load_options(
            guide,
            setting="inpatient",
            education="hs",
            environ={},
            assignments=[assignment, "salary.period=hour"],
        )
    assert expected in str(info.value)
    assert assignment.split("=")[0] in str(info.value)


def test_reversed_pay_range_and_missing_period(guide):
    with pytest.raises(JobgenError, match="less than salary.min"):
        load_options(
            guide,
            setting="in",
            education="hs",
            environ={},
            assignments=["salary.min=30", "salary.max=20", "salary.period=hour"],
        )
    with pytest.raises(JobgenError, match="salary.period: is needed"):
        load_options(guide, setting="in", education="hs", environ={}, assignments=["salary.min=30"])


def test_valid_through_before_date_posted(guide):
    with pytest.raises(JobgenError, match="before date_posted"):
        load_options(
            guide,
            setting="in",
            education="hs",
            environ={},
            assignments=["date_posted=2026-05-01", "valid_through=2026-04-01"],
        )


def test_lists_from_strings_and_yaml(guide, tmp_path):
    o = load_options(
        guide,
        setting="in",
        education="hs",
        environ={},
        assignments=["benefits=Dental; Vision ;;401(k)"],
    )
    assert o.benefits == ("Dental", "Vision", "401(k)")
    f = write(
        tmp_path, "setting: in\neducation: hs\nbenefits:\n  - Paid time off\n  - Tuition aid\n"
    )
    assert load_options(guide, employer_file=f, environ={}).benefits == (
        "Paid time off",
        "Tuition aid",
    )


def test_date_posted_comes_from_source_date_epoch(guide):
    o = load_options(guide, setting="in", education="hs", environ={"SOURCE_DATE_EPOCH": "0"})
    assert o.date_posted == dt.date(1970, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the employer file is empty"),
        ("- a\n- b\n", "holds a list"),
        ("just text\n", "holds a single value"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a: [\n", "employer.yaml:2"),
    ],
)
def test_malformed_files(guide, tmp_path, text, expected):
    with pytest.raises(ValidationError, match=expected.replace("(", r"\(")):
        load_options(
            guide, employer_file=write(tmp_path, text), environ={}, setting="in", education="hs"
        )


def test_missing_and_binary_and_cp1252_files(guide, tmp_path):
    with pytest.raises(ValidationError, match="no such employer file"):
        load_options(guide, employer_file=tmp_path / "nope.yaml", environ={})
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01\x02")
    with pytest.raises(ValidationError, match="binary"):
        load_options(guide, employer_file=tmp_path / "bin.yaml", environ={})
    (tmp_path / "cp.yaml").write_bytes("employer: {name: Caf\xe9}\n".encode("cp1252"))
    with pytest.raises(ValidationError, match="not UTF-8 text.*line 1"):
        load_options(guide, employer_file=tmp_path / "cp.yaml", environ={})


def test_every_field_has_help_and_an_environment_variable():
    for spec in FIELDS:
        assert spec.help
        assert spec.env.startswith("JOBGEN_") and "." not in spec.env
