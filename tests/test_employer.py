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


# --------------------------------------------------------------------------- issue 18


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("employer: {name: A}\nemployer.name: B\n", "'employer: {name: ...}'", "'employer.name'"),
        ("salary.min: 10\nsalary:\n  min: 12\n", "'salary.min'", "'salary: {min: ...}'"),
        ('{"employer": {"name": "A"}, "employer.name": "B"}', "'employer: {name: ...}'", ""),
    ],
)
def test_a_field_given_twice_in_two_spellings_is_an_error_naming_both(
    guide, tmp_path, text, first, second
):
    """Issue 18 item 7: never last one wins, whatever the spelling (YAML and JSON files)."""
    f = write(tmp_path, "setting: inpatient\neducation: hs\n", "base.yaml")
    f = write(tmp_path, text, "employer.json" if text.startswith("{") else "employer.yaml")
    with pytest.raises(ValidationError, match="is given twice") as info:
        load_options(guide, employer_file=f, setting="inpatient", education="hs", environ={})
    assert first in info.value.message and second in info.value.message
    assert str(f) in (info.value.source or "")


@pytest.mark.parametrize("suffix", [".jsonl", ".yaml"])
def test_batch_rows_with_a_field_twice_fail_naming_both_spellings(tmp_path, suffix):
    """Issue 18 item 7, batch rows: JSON Lines and YAML rows are held to the same rule."""
    from jobgen.batch import run_batch

    row = {"setting": "inpatient", "education": "hs", "salary": {"min": "10"}, "salary.min": "12"}
    rows = tmp_path / f"rows{suffix}"
    if suffix == ".jsonl":
        import json

        rows.write_text(json.dumps(row) + "\n", encoding="utf-8")
    else:
        rows.write_text(
            "- setting: inpatient\n  education: hs\n  salary: {min: 10}\n  salary.min: 12\n",
            encoding="utf-8",
        )
    result = run_batch(rows, out_dir=tmp_path / "out", environ={})
    assert result.failed == 1 and result.ok == 0
    error = result.postings[0].error or ""
    assert "salary.min is given twice" in error and "'salary: {min: ...}'" in error


@pytest.mark.parametrize("amount", ["-0", "-0.00", "-0.0"])
def test_minus_zero_pay_is_refused(guide, amount):
    """Issue 18 item 11: no "$-0.00 per hour"."""
    with pytest.raises(UsageError, match="is negative; pay must be 0 or more"):
        load_options(
            guide,
            setting="inpatient",
            education="hs",
            assignments=[f"salary.min={amount}", "salary.period=hour"],
            environ={},
        )


@pytest.mark.parametrize("amount", ["1.005", "18.499", "0.001"])
def test_pay_with_more_than_two_decimals_is_refused_not_rounded(guide, amount):
    """Issue 18 item 11: 1.005 used to become $1.00 without a word."""
    with pytest.raises(UsageError, match="more than 2 decimal places") as info:
        load_options(
            guide,
            setting="inpatient",
            education="hs",
            assignments=[f"salary.min={amount}", "salary.period=hour"],
            environ={},
        )
    assert info.value.message.startswith("salary.min: ")


def test_pay_with_trailing_zeros_is_fine(guide):
    o = load_options(
        guide,
        setting="inpatient",
        education="hs",
        assignments=["salary.min=18.500", "salary.max=20", "salary.period=hour"],
        environ={},
    )
    assert o.salary.min == Decimal("18.50") and o.salary.max == Decimal("20")


@pytest.mark.parametrize("text", ["20k-30k", "$20,000 - $30,000", "18 to 22", "20k–30k"])
def test_a_pay_range_in_one_field_says_to_split_min_and_max(guide, text):
    """Issue 18 item 17: "20k-30k" as a salary says to split min and max."""
    with pytest.raises(UsageError) as info:
        load_options(
            guide,
            setting="inpatient",
            education="hs",
            assignments=[f"salary.min={text}", "salary.period=year"],
            environ={},
        )
    assert "is a range" in info.value.message
    assert "salary.min" in (info.value.hint or "") and "salary.max" in (info.value.hint or "")


def test_a_misspelt_environment_variable_is_warned_with_the_closest_field(runner):
    """Issue 18 item 11: JOBGEN_SALARY_MN was ignored without a word."""
    from jobgen.cli import cli
    from jobgen.employer import env_warnings

    assert env_warnings({"JOBGEN_SALARY_MN": "18", "JOBGEN_DEBUG": "1", "HOME": "/"}) == [
        "the environment variable JOBGEN_SALARY_MN is not used; did you mean JOBGEN_SALARY_MIN "
        "(the field salary.min)?"
    ]
    assert env_warnings({"JOBGEN_SALARY_MIN": "18", "JOBGEN_SERVE_PORT": "8000"}) == []
    result = runner.invoke(
        cli, ["render", "-s", "inpatient", "-E", "hs"], env={"JOBGEN_SALARY_MN": "18"}
    )
    assert result.exit_code == 0
    assert "warning: the environment variable JOBGEN_SALARY_MN is not used" in result.stderr
    assert "JOBGEN_SALARY_MIN" in result.stderr


def test_set_with_an_empty_value_clears_the_files_value(guide, tmp_path):
    """Issue 18 item 18: --set salary.min= clears a file's value."""
    f = write(
        tmp_path,
        "setting: inpatient\neducation: hs\nsalary: {min: 18, max: 22, period: hour}\n"
        "schedule: Nights\n",
    )
    o = load_options(guide, employer_file=f, assignments=["salary.min=", "schedule="], environ={})
    assert o.salary.min is None and o.salary.max == Decimal("22") and o.schedule == ""
    o = load_options(guide, employer_file=f, environ={"JOBGEN_SCHEDULE": ""})
    assert o.schedule == "Nights"  # an empty variable is not set, as before


@pytest.mark.parametrize(
    ("text", "meaning", "line"),
    [
        ("setting: inpatient\nschedule: Nights: 7p-7a\n", "put the whole value in quotes", 2),
        ("setting: inpatient\nsalary:\n\tmin: 18\n", "never tabs", 3),
    ],
)
def test_yaml_syntax_errors_say_what_they_usually_mean_and_show_the_line(
    runner, tmp_path, text, meaning, line
):
    """Issue 18 item 17: tabs and "mapping values are not allowed here" explained."""
    from jobgen.cli import cli

    f = write(tmp_path, text)
    result = runner.invoke(cli, ["render", "-e", str(f)])
    assert result.exit_code == 1
    assert f"{f}:{line}: " in result.stderr and meaning in result.stderr
    shown = text.split("\n")[line - 1].replace("\t", "\\t")
    assert f"line {line}: {shown}" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_files_get_the_save_as_utf8_hint(guide, tmp_path, encoding):
    """Issue 18 item 17: UTF-16 input was called binary."""
    f = tmp_path / "employer.yaml"
    f.write_bytes("setting: inpatient\neducation: hs\n".encode(encoding))
    with pytest.raises(ValidationError, match="is UTF-16 text") as info:
        load_options(guide, employer_file=f, environ={})
    assert "save the file as UTF-8" in (info.value.hint or "")


def test_a_utf16_csv_without_a_byte_order_mark_gets_the_hint(tmp_path):
    from jobgen.batch import run_batch

    rows = tmp_path / "rows.csv"
    rows.write_bytes("setting,education\ninpatient,hs\n".encode("utf-16-le"))
    with pytest.raises(ValidationError, match="is UTF-16 text") as info:
        run_batch(rows, out_dir=tmp_path / "out", environ={})
    assert "save the file as UTF-8" in (info.value.hint or "")


def test_every_unknown_csv_column_is_reported_at_once_with_its_closest_field(tmp_path):
    """Issue 18 item 17: unknown columns were reported one at a time, City with no hint."""
    from jobgen.batch import run_batch

    rows = tmp_path / "rows.csv"
    rows.write_text("setting,education,City,Postal Code,salary.mn\ninpatient,hs,A,1,2\n")
    with pytest.raises(ValidationError) as info:
        run_batch(rows, out_dir=tmp_path / "out", environ={})
    message = info.value.message
    assert message.startswith("unknown columns in the header row: ")
    assert "'City' (column 3, did you mean 'location.city'?)" in message
    assert "'Postal Code' (column 4, did you mean 'location.postal_code'?)" in message
    assert "'salary.mn' (column 5, did you mean 'salary.min'?)" in message
    assert not (tmp_path / "out").exists()


def test_valid_through_without_date_posted_is_checked_against_the_default_date(guide):
    with pytest.raises(UsageError, match="is before date_posted 2026-11-27"):
        load_options(
            guide,
            setting="inpatient",
            education="hs",
            assignments=["valid_through=2026-11-01"],
            environ={"SOURCE_DATE_EPOCH": "1795737600"},
        )
