"""The caches that make a batch row cheap give exactly what computing afresh gives.

jobgen.employer remembers parsed field values, resolved settings and education levels, and the
employer, location and pay objects; jobgen.compose remembers what a posting takes from the guide
alone for each setting and education level, and pay lines. Here every row's EmployerOptions and
Posting are compared with the same row computed with every cache cleared before each step (and
merged by the general path, through flatten): equal, and equal in repr too, since equal amounts
can print differently (Decimal 1.0 and 1, -0 and 0). Errors must come back with the same type,
message, place and hint every time. (Speed is measured in benchmarks/, never asserted here.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
import itertools
import random
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import employer_values  # the property tests' hostile field values

from jobgen.employer import (
    DEFAULT_EEO,
    EmployerOptions,
    Location,
    OptionLayer,
    Salary,
    merge_layers,
    merge_values,
    options_from_merged,
)
from jobgen.errors import JobgenError
from jobgen.guide import Guide, guide_from_data, load_guide
from jobgen.guide_import import import_guide_file

ROOT = Path(__file__).resolve().parent.parent
PHARMACY = Path(__file__).parent / "data" / "pharmacy-technician.txt"
DAY = dt.date(2026, 11, 28)

employer_module = importlib.import_module("jobgen.employer")
compose_module = importlib.import_module("jobgen.compose")
guide_module = importlib.import_module("jobgen.guide")
compose = compose_module.compose


def _benchmark_module() -> ModuleType:
    """benchmarks/run.py (not a package), for its ``make_row``: the rows the figures use."""
    name = "jobgen_benchmarks_run"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "run.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up while being made
        spec.loader.exec_module(module)
    return sys.modules[name]


make_row: Callable[[int], dict[str, str]] = _benchmark_module().make_row


def clear_caches() -> None:
    guide_module.clear_caches()
    compose_module.clear_caches()


def _error(exc: JobgenError) -> tuple[Any, ...]:
    return ("error", type(exc).__name__, exc.message, exc.source, exc.hint)


def _result(step: str, value: Any) -> tuple[Any, ...]:
    return (step, value, repr(value))


def fresh(guide: Guide, base: Mapping[str, Any], values: Mapping[str, Any], source: str) -> list:
    """The row computed with no cache: cleared before each step, merged through flatten()."""
    out: list[Any] = []
    try:
        clear_caches()
        merged = merge_layers([OptionLayer(source, values)], base)
        out.append(_result("merged", list(merged.items())))
        clear_caches()
        options = options_from_merged(guide, merged, default_date=DAY)
        out.append(_result("options", options))
        clear_caches()
        out.append(_result("posting", compose(guide, options)))
    except JobgenError as exc:
        out.append(_error(exc))
    finally:
        clear_caches()
    return out


def cached(guide: Guide, base: Mapping[str, Any], values: Mapping[str, Any], source: str) -> list:
    """The row as a batch computes it: merge_values, then the caches as they are."""
    out: list[Any] = []
    try:
        merged = merge_values(base, values, source)
        out.append(_result("merged", list(merged.items())))
        options = options_from_merged(guide, merged, default_date=DAY)
        out.append(_result("options", options))
        out.append(_result("posting", compose(guide, options)))
    except JobgenError as exc:
        out.append(_error(exc))
    return out


@pytest.fixture(scope="module")
def pharmacy() -> Guide:
    return load_guide(PHARMACY)


def _bases() -> dict[str, dict[str, Any]]:
    """Defaults a batch merges once: none, and a file, the environment and --set together."""
    return {
        "none": merge_layers([]),
        "layers": merge_layers(
            [
                OptionLayer(
                    "employer.yaml", {"employer": {"name": "Acme"}, "salary": {"period": "hour"}}
                ),
                OptionLayer(
                    "environment", {"salary.min": "17"}, where={"salary.min": "JOBGEN_SALARY_MIN"}
                ),
                OptionLayer(
                    "--set", {"schedule": "Nights", "certification": "preferred"}, usage=True
                ),
            ]
        ),
    }


ODD_VALUES: list[Any] = [
    "", " ", "  padded  ", "18", "18.00", "1.0", "-0", "-0.00", "0", "1e3", "52,000", "$18.50",
    "0.001", "999999999", "lots", "2026-02-30", "2026-12-31", "2027-01-15", "hour", "Hourly",
    "PRN", "on site", "remote", "rem", "full", "https://a.example/x", "ftp://a.example",
    "mailto:jobs@b.example", "a@b", "in", "inpatient", "out", "inpatent", "assoc", "high school",
    "a;b; ;c", "USD", "usd", "eur", "NZD", "XYZ", "600", "601", "x\ty", "e\u0301", "\u202e",
    "Night  shift", "{employer}", ["x", " y"], [], 5, 3.5, True, None, {"a": 1},
    Decimal("12.5"), Decimal("-0"), dt.date(2026, 1, 2),
]  # fmt: skip


def _varied_rows(count: int, seed: int, guide: Guide) -> list[dict[str, Any]]:
    """Benchmark rows with the guide's settings and education levels, most with one to three
    fields changed to an odd value (many are errors); the same odd values come back in many
    rows, as they would in a real batch."""
    rnd = random.Random(seed)
    keys = [f.key for f in employer_module.FIELDS]
    settings = [c.slug for c in guide.setting_choices()]
    levels = [c.slug for c in guide.education_choices()]
    rows = []
    for _ in range(count):
        row: dict[str, Any] = make_row(rnd.randrange(48))
        row["setting"] = rnd.choice(settings)
        row["education"] = rnd.choice(levels)
        for _ in range(rnd.randrange(4)):
            key = rnd.choice(keys)
            if rnd.random() < 0.2:
                row.pop(key, None)
            else:
                row[key] = rnd.choice(ODD_VALUES)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- equality


@pytest.mark.parametrize("base_name", ["none", "layers"])
def test_benchmark_rows_give_what_they_give_without_caches(guide: Guide, base_name: str) -> None:
    base = _bases()[base_name]
    rows = [make_row(i) for i in range(200)]
    expected = [fresh(guide, base, row, f"in.csv row {i}") for i, row in enumerate(rows)]
    clear_caches()
    for _ in range(2):  # the second time, every value is already remembered
        got = [cached(guide, base, row, f"in.csv row {i}") for i, row in enumerate(rows)]
        assert got == expected
    assert all(outcome[-1][0] == "posting" for outcome in expected)  # all of them valid


@pytest.mark.parametrize("base_name", ["none", "layers"])
def test_rows_with_odd_values_and_errors_give_what_they_give_without_caches(
    guide: Guide, pharmacy: Guide, base_name: str
) -> None:
    base = _bases()[base_name]
    for g in (guide, pharmacy):
        rows = _varied_rows(700, seed=len(base_name), guide=g)
        expected = [fresh(g, base, row, f"in.csv row {i}") for i, row in enumerate(rows)]
        clear_caches()
        got = [cached(g, base, row, f"in.csv row {i}") for i, row in enumerate(rows)]
        assert got == expected
        kinds = {outcome[-1][0] for outcome in expected}
        assert kinds == {"posting", "error"}  # both kinds were compared


PLAIN = {"setting": "inpatient", "education": "associate", "employer.name": "Riverside"}
RETAIL = {
    "setting": "retail",
    "education": "pharmacy-technician-certificate",
    "employer.name": "Corner Rx",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(employer_values, min_size=1, max_size=6))
def test_hostile_rows_give_what_they_give_without_caches(rows: list[dict[str, Any]]) -> None:
    guide = load_guide()
    base = merge_layers([])
    full = [{**PLAIN, **row} for row in rows]
    expected = [fresh(guide, base, row, f"rows.yaml row {i}") for i, row in enumerate(full)]
    clear_caches()
    for _ in range(2):
        got = [cached(guide, base, row, f"rows.yaml row {i}") for i, row in enumerate(full)]
        assert got == expected


@pytest.mark.parametrize(
    "row",
    [
        {**PLAIN, "salary": {"min": "18", "period": "hour"}},  # a group: flattened
        {**PLAIN, " title ": "Night Technician"},  # a key with spaces
        {**PLAIN, "titel": "Night Technician"},  # an unknown key
        {**PLAIN, "salary": "18"},  # a group that is not a mapping
        {**PLAIN, 7: "seven"},  # a key that is not text
        {**PLAIN, "title": None, "schedule": ""},  # unset values
    ],
)
def test_rows_off_the_usual_shape_take_the_general_merge(guide: Guide, row: dict[Any, Any]) -> None:
    base = _bases()["layers"]
    expected = fresh(guide, base, row, "rows.yaml row 3")
    assert cached(guide, base, row, "rows.yaml row 3") == expected
    assert cached(guide, base, row, "rows.yaml row 3") == expected


# --------------------------------------------------------------------------- errors


def _options(guide: Guide, values: Mapping[str, Any], source: str) -> tuple[Any, ...]:
    try:
        merged = merge_values(merge_layers([]), values, source)
        return _result("options", options_from_merged(guide, merged, default_date=DAY))
    except JobgenError as exc:
        return _error(exc)


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        ({"salary.min": "lots", "salary.period": "hour"}, {"salary.min": "18", "salary.period": "hour"}),
        ({"salary.min": "30", "salary.max": "20", "salary.period": "hour"}, {"salary.min": "20", "salary.max": "30", "salary.period": "hour"}),
        ({"salary.min": "18"}, {"salary.min": "18", "salary.period": "hour"}),
        ({"salary.currency": "dollars"}, {"salary.currency": "usd"}),
        ({"date_posted": "2026-02-30"}, {"date_posted": "2026-02-28"}),
        ({"date_posted": "2026-12-01", "valid_through": "2026-11-01"}, {"date_posted": "2026-10-01", "valid_through": "2026-11-01"}),
        ({"workplace": "moon"}, {"workplace": "remote"}),
        ({"experience_months": "601"}, {"experience_months": "60"}),
        ({"apply.url": "ftp://a.example"}, {"apply.url": "https://a.example"}),
        ({"apply.email": "jobs"}, {"apply.email": "jobs@a.example"}),
        ({"benefits": "ok;bad\u202e"}, {"benefits": "ok;fine"}),
        ({"schedule": "two\tcolumns"}, {"schedule": "two columns"}),
        ({"setting": "inpatent"}, {"setting": "in"}),
        ({"education": "phd"}, {"education": "assoc"}),
    ],
)  # fmt: skip
def test_an_error_comes_back_the_same_each_time_and_is_never_remembered(
    guide: Guide, bad: dict[str, str], good: dict[str, str]
) -> None:
    clear_caches()
    bad_row, good_row = {**PLAIN, **bad}, {**PLAIN, **good}
    first = _options(guide, bad_row, "in.csv row 7 (line 8)")
    assert first[0] == "error"
    assert first[3] == "in.csv row 7 (line 8)"  # it names the row it is in
    assert _options(guide, bad_row, "in.csv row 7 (line 8)") == first  # the same, twice
    assert _options(guide, good_row, "in.csv row 8 (line 9)")[0] == "options"
    later = _options(guide, bad_row, "in.csv row 9 (line 10)")
    assert later == (*first[:3], "in.csv row 9 (line 10)", first[4])  # named anew, else the same
    clear_caches()
    assert _options(guide, bad_row, "in.csv row 9 (line 10)") == later


def test_a_text_refused_in_one_field_is_still_taken_where_it_is_allowed(guide: Guide) -> None:
    assert _options(guide, {**PLAIN, "salary.min": "lots", "salary.period": "hour"}, "r1")[0] == (
        "error"
    )
    options = _options(guide, {**PLAIN, "title": "lots", "schedule": "lots"}, "r2")[1]
    assert (options.title, options.schedule) == ("lots", "lots")
    assert _options(guide, {**PLAIN, "salary.max": "lots", "salary.period": "hour"}, "r3")[0] == (
        "error"
    )


def test_a_missing_setting_is_reported_as_without_caches(guide: Guide) -> None:
    row = {"education": "associate"}
    expected = fresh(guide, merge_layers([]), row, "r1")
    assert expected[-1][0] == "error"
    assert cached(guide, merge_layers([]), row, "r1") == expected
    assert cached(guide, merge_layers([]), row, "r1") == expected


# --------------------------------------------------------------------------- bounds


def _case_variants(word: str) -> list[str]:
    return ["".join(p) for p in itertools.product(*((c.lower(), c.upper()) for c in word))]


def test_the_caches_stay_bounded_and_right_past_their_limits(guide: Guide) -> None:
    limit = guide_module._RESOLVED_MAX
    settings_texts = [
        f"{' ' * a}{word}{' ' * b}"
        for word in _case_variants("inpatient")
        for a, b in ((0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2), (3, 0), (2, 1), (1, 2))
    ]
    rows = [
        {
            "setting": settings_texts[i],
            "education": "associate",
            "employer.name": f"Employer {i}",
            "location.city": f"City {i}",
            "salary.min": f"{18 + i / 100:.2f}",
            "salary.period": "hour",
            "schedule": f"Shift {i}",
        }
        for i in range(limit + 300)
    ]
    assert len(settings_texts) > limit
    base = merge_layers([])
    expected = [fresh(guide, base, row, f"r{i}") for i, row in enumerate(rows)]
    clear_caches()
    got = [cached(guide, base, row, f"r{i}") for i, row in enumerate(rows)]
    assert got == expected
    assert 0 < len(guide_module._RESOLVED) <= guide_module._RESOLVED_MAX
    assert 0 < len(compose_module._PAY) <= compose_module._PAY_MAX
    # what was remembered before the caches started afresh is found again, the same
    assert [cached(guide, base, row, f"r{i}") for i, row in enumerate(rows[:50])] == expected[:50]


def test_compose_keeps_at_most_a_few_guides_and_each_its_own(pharmacy: Guide) -> None:
    options = _options(pharmacy, {**RETAIL, "certification": "preferred"}, "r1")[1]
    clear_caches()
    guides = [
        dataclasses.replace(pharmacy, occupation=f"Technician {i}")
        for i in range(compose_module._PAIRS_GUIDES + 4)
    ]
    expected = [fresh_compose(g, options) for g in guides]
    for _ in range(2):
        got = [compose(g, options) for g in guides]
        assert got == expected
        assert [repr(p) for p in got] == [repr(p) for p in expected]
        assert 0 < len(compose_module._PAIRS) <= compose_module._PAIRS_GUIDES
    assert [p.preferred[-1] for p in got] == [
        f"Technician {i} certification." for i in range(len(guides))
    ]


def fresh_compose(guide: Guide, options: EmployerOptions) -> Any:
    clear_caches()
    try:
        return compose(guide, options)
    finally:
        clear_caches()


# --------------------------------------------------------------------------- two guides


def test_two_guides_never_share_what_compose_remembers(guide: Guide, pharmacy: Guide) -> None:
    clear_caches()
    retail = _options(pharmacy, {**RETAIL, "certification": "required"}, "r")[1]
    mht = _options(guide, PLAIN, "r")[1]
    # same slugs and shape as the pharmacy guide, other text; and an equal copy made anew
    aide = dataclasses.replace(pharmacy, occupation="Pharmacy Aide", title="Pharmacy Aide")
    copy = guide_from_data(import_guide_file(PHARMACY), str(PHARMACY))
    assert copy == pharmacy and copy is not pharmacy
    cases = [(pharmacy, retail), (aide, retail), (guide, mht), (copy, retail), (pharmacy, retail)]
    expected = [fresh_compose(g, o) for g, o in cases]
    got = [compose(g, o) for g, o in cases]
    assert got == expected
    assert [repr(p) for p in got] == [repr(p) for p in expected]
    assert got[0].required[-1] == "Pharmacy Technician certification where your state requires it."
    assert got[1].required[-1] == "Pharmacy Aide certification where your state requires it."
    assert got[0].responsibilities is got[4].responsibilities  # remembered for the same guide
    assert got[0].responsibilities is not got[3].responsibilities  # not shared with the copy
    assert got[0].responsibilities == got[3].responsibilities


def test_a_guide_gone_and_a_new_one_made_never_see_its_entries(pharmacy: Guide) -> None:
    retail = _options(pharmacy, {**RETAIL, "certification": "preferred"}, "r")[1]
    for i in range(30):  # new guides, each dropped after use: ids may come back, entries must not
        other = dataclasses.replace(pharmacy, occupation=f"Technician {i}")
        posting = compose(other, retail)
        assert posting.preferred[-1] == f"Technician {i} certification."
        assert posting == fresh_compose(other, retail)
        del other, posting


# --------------------------------------------------------------------------- the rewrites


def _old_display(location: Location) -> str:
    return ", ".join(p for p in (location.city, location.region) if p) or location.country


def test_location_display_is_what_it_was() -> None:
    parts = ["", "Denver", "CO", "US"]
    for city, region, country in itertools.product(parts, repeat=3):
        location = Location(city=city, region=region, country=country)
        assert location.display() == _old_display(location)


def test_the_default_eeo_statement_is_the_template_filled_in() -> None:
    before, after = compose_module._EEO_BEFORE, compose_module._EEO_AFTER
    assert "{" not in before + after and "}" not in before + after  # one field, no escapes
    for name in ("Riverside", "[Employer name]", "{employer}", "A {b} & C", "Ünïcode Co"):
        assert f"{before}{name}{after}" == DEFAULT_EEO.format(employer=name)
        options = EmployerOptions(setting="inpatient-facilities", education="associates-degree")
        options = dataclasses.replace(
            options, employer=dataclasses.replace(options.employer, name=name)
        )
        assert compose(load_guide(), options).eeo_statement == DEFAULT_EEO.format(employer=name)


def _old_format_pay(salary: Salary) -> str:
    fmt = compose_module.format_amount
    if not salary.is_set:
        return ""
    per = f" per {salary.period}" if salary.period else ""
    low, high = salary.min, salary.max
    if low is not None and high is not None and low != high:
        amounts = f"{fmt(low, salary.currency, salary.period)}–{fmt(high, salary.currency, salary.period)}"
    elif low is not None and high is not None:
        amounts = fmt(low, salary.currency, salary.period)
    elif low is not None:
        amounts = f"From {fmt(low, salary.currency, salary.period)}"
    else:
        assert high is not None
        amounts = f"Up to {fmt(high, salary.currency, salary.period)}"
    return amounts + per


def test_the_pay_line_is_what_it_was() -> None:
    amounts = [None, Decimal("0"), Decimal("-0"), Decimal("1.0"), Decimal("1"), Decimal("18.5")]
    amounts += [Decimal("52000"), Decimal("52000.00")]
    for low, high, currency, period in itertools.product(
        amounts, amounts, ("USD", "EUR", "XYZ"), ("", "hour", "year")
    ):
        salary = Salary(min=low, max=high, currency=currency, period=period)
        assert compose_module.format_pay(salary) == _old_format_pay(salary)


def test_the_same_text_resolves_in_each_guide_to_its_own_choice(
    guide: Guide, pharmacy: Guide
) -> None:
    clear_caches()
    row = {"setting": "in", "education": "high school"}
    mht_level, rx_level = (
        "high-school-diploma-or-equivalent",
        "high-school-diploma-with-on-the-job-training",
    )
    for _ in range(2):
        assert _options(guide, row, "r")[1].education == mht_level
        rx = _options(pharmacy, {**row, "setting": "retail"}, "r")[1]
        assert rx.education == rx_level
        assert _options(pharmacy, row, "r") == fresh(pharmacy, merge_layers([]), row, "r")[-1]
