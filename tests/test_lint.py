"""Unit tests of jobgen.lint: each rule with positive and negative cases, the report shape."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from importlib import resources

import pytest

import jobgen
from jobgen import lint
from jobgen.compose import Posting
from jobgen.errors import UsageError
from jobgen.lint import LintConfig, LintContext, gender_verdict, infer_context, lint_text

TODAY = dt.date(2026, 3, 2)
CONFIG = LintConfig(today=TODAY)

# A complete posting: every required fact, a pay range, plain sentences, 300+ words.
DAY = (
    "On a usual day you check in with each patient, help with meals and care, and write short "
    "notes for the nurse. You walk with patients to groups and keep the unit calm and safe. "
)
WEEK = (
    "Each morning starts with a short meeting where the nurse shares the plan for the day. "
    "You then check that every room is safe and that each patient has what they need. "
    "After breakfast you help run a group on coping skills or daily living. "
    "At lunch you sit with patients, help them choose a meal and note how much they eat. "
    "In the afternoon there is time for art, music, a walk outside or a quiet game. "
    "You write down changes in mood or sleep and tell the nurse about anything new. "
    "Before you leave, you share what happened on your shift with the next team. "
    "New staff shadow an experienced technician for their first two weeks on the unit. "
    "We teach safe ways to calm a person in distress before you work alone. "
    "Our team includes nurses, a psychiatrist, two social workers and six technicians. "
    "Most patients stay with us for one to two weeks before they go home. "
    "Families visit in the evening, and you help make those visits go well. "
)
CLOSING = (
    "We read every application and reply within five working days. "
    "If you have questions about the role, write to the hiring manager before you apply. "
)


def posting(
    *,
    location: str = "Denver, CO",
    pay: str | None = "$19.50–$26.00 per hour",
    required: int = 5,
    extra: str = "",
) -> str:
    lines = [
        "# Mental Health Technician",
        "",
        f"**Riverside Health · {location} · Full-time**",
        "",
        "## Position summary",
        "",
        "Riverside Health is hiring a full-time mental health technician. " + DAY + WEEK,
        "",
        "## What you will do",
        "",
        "- Help patients with meals, rest and daily care.",
        "- Write clear notes about mood and sleep.",
        "- Run small art and music groups.",
        "",
        "## Qualifications",
        "",
        "### Required",
        "",
        *[f"- Requirement number {i + 1} for this job." for i in range(required)],
        "",
        "### Preferred",
        "",
        "- A year of work in a hospital.",
        "",
        "## Compensation and benefits",
        "",
        f"**Pay:** {pay}" if pay else "Pay is shared at the interview.",
        "",
        "## How to apply",
        "",
        "Apply online at [riverside.example/jobs](https://riverside.example/jobs). " + CLOSING,
        extra,
    ]
    return "\n".join(lines) + "\n"


def context(**changes: object) -> LintContext:
    base = LintContext(
        title="Mental Health Technician",
        employer_name="Riverside Health",
        locality="Denver",
        region="CO",
        country="US",
        workplace="onsite",
        salary_min=Decimal("19.50"),
        salary_max=Decimal("26.00"),
        date_posted=dt.date(2026, 3, 1),
        valid_through=dt.date(2026, 4, 30),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def rules_of(report: lint.LintReport) -> list[str]:
    return [f.rule for f in report.findings]


def test_complete_posting_has_no_findings_above_info() -> None:
    report = lint_text(posting(), context=context(), config=CONFIG)
    assert [f for f in report.findings if f.severity != "info"] == []
    assert 300 <= report.word_count <= 1500
    assert not report.has_errors


def test_complete_posting_as_a_bare_text_passes_too() -> None:
    report = lint_text(posting(), config=CONFIG)
    assert not report.has_errors, report.findings


# --------------------------------------------------------------------------- gender-coded

MASCULINE_TEXT = (
    "We want an aggressive, ambitious and competitive self-reliant leader.\n"
    "You are decisive, driven and fearless, and you dominate every challenge.\n"
)


def test_masculine_text_gets_a_masculine_verdict_listing_the_words() -> None:
    report = lint_text(MASCULINE_TEXT, config=CONFIG)
    coding = report.gender_coding
    assert coding.verdict == "strongly masculine-coded"
    assert coding.to_dict()["masculine"] == [
        "aggressive", "ambitious", "competitive", "self-reliant", "leader",
        "decisive", "driven", "fearless", "dominate", "challenge",
    ]  # fmt: skip
    assert coding.to_dict()["feminine"] == []
    [finding] = [f for f in report.findings if f.rule == "gender-coded"]
    assert finding.severity == "warning"
    assert finding.line == 1
    assert "aggressive" in finding.message and "Gaucher" in finding.message


def test_slightly_masculine_text_is_masculine_coded_not_strongly() -> None:
    report = lint_text("You will lead a competitive team and support patients.", config=CONFIG)
    assert report.gender_coding.verdict == "masculine-coded"
    assert "gender-coded" in rules_of(report)


def test_feminine_balance_is_in_the_json_not_a_finding() -> None:
    text = "We support patients with compassion, warmth and understanding, together as a kind team."
    report = lint_text(text, config=CONFIG)
    assert report.gender_coding.verdict == "strongly feminine-coded"
    assert "gender-coded" not in rules_of(report)
    assert report.to_dict()["gender_coding"]["feminine"][:2] == ["support", "compassion"]


def test_headings_and_bold_labels_are_not_counted() -> None:
    text = "# Lead Technician\n\n## Where this role can lead\n\nYou help patients eat and rest.\n"
    assert lint.gender_coding(text).masculine == ()
    label = "- **Lead Technician:** With experience, supervise other technicians.\n"
    assert lint.gender_coding(label).masculine == ()


@pytest.mark.parametrize(
    "text",
    [
        "You will give people with mental health challenges the care they need.",
        "Help them build independence, and keep their surroundings safe.",
        "Experience with aggressive patients and challenging behaviors helps.",
        "It can lead to a license as a therapist.",
        "Support clinicians during individual and group therapy sessions.",
    ],
)
def test_words_about_the_people_served_are_not_counted(text: str) -> None:
    assert lint.gender_coding(text).masculine == ()


def test_coded_words_about_the_job_still_count() -> None:
    coding = lint.gender_coding("You will lead groups and face new challenges as an individual.")
    assert [w.word for w in coding.masculine] == ["lead", "challenges", "individual"]


def test_neutral_and_empty_text_have_no_gender_finding() -> None:
    neutral = lint_text("You will lead groups and support patients.", config=CONFIG)
    assert neutral.gender_coding.verdict == "neutral"
    assert "gender-coded" not in rules_of(neutral)
    empty = lint_text("You will help patients eat and rest.", config=CONFIG)
    assert empty.gender_coding.verdict == "empty"
    assert "gender-coded" not in rules_of(empty)


@pytest.mark.parametrize(
    ("masculine", "feminine", "verdict"),
    [
        (0, 0, "empty"),
        (2, 2, "neutral"),
        (0, 3, "feminine-coded"),
        (0, 4, "strongly feminine-coded"),
        (3, 0, "masculine-coded"),
        (4, 0, "strongly masculine-coded"),
        (5, 2, "masculine-coded"),
        (9, 5, "strongly masculine-coded"),
    ],
)
def test_verdict_follows_gender_decoder(masculine: int, feminine: int, verdict: str) -> None:
    assert gender_verdict(masculine, feminine) == verdict


def test_hyphenated_and_stemmed_words() -> None:
    coding = lint.gender_coding("A self-confident co-operative well-being dominant person.")
    assert [w.word for w in coding.masculine] == ["self-confident", "dominant"]  # once each
    assert [w.word for w in coding.feminine] == ["co-operative"]


def test_markup_and_urls_do_not_hide_or_invent_words() -> None:
    text = "**Aggressive** goals, [lead](https://example.com/support) the *analysis*. https://compete.example"
    coding = lint.gender_coding(text)
    assert [w.word for w in coding.masculine] == ["aggressive", "lead", "analysis"]
    assert coding.feminine == ()


def test_word_lists_are_packaged_data_crediting_the_paper() -> None:
    lists = lint.gender_word_lists()
    assert len(lists.masculine) == 52 and len(lists.feminine) == 50
    assert "lead" in lists.masculine and "support" in lists.feminine
    raw = resources.files("jobgen").joinpath("data", "gender_words.yaml").read_text("utf-8")
    assert "Gaucher" in raw and "gender-decoder" in raw


# --------------------------------------------------------------------------- pay-transparency


def test_colorado_posting_without_pay_range_is_an_error() -> None:
    report = lint_text(posting(pay=None), context=context(salary_min=None, salary_max=None),
                       config=CONFIG)  # fmt: skip
    [finding] = [f for f in report.findings if f.rule == "pay-transparency"]
    assert finding.severity == "error"
    assert "Colorado" in finding.message and "8-5-201" in finding.message
    assert "salary.min and salary.max" in finding.message
    assert report.has_errors


def test_pay_range_present_passes() -> None:
    report = lint_text(posting(), context=context(), config=CONFIG)
    assert "pay-transparency" not in rules_of(report)


def test_only_a_minimum_is_not_a_range() -> None:
    report = lint_text(posting(), context=context(salary_max=None), config=CONFIG)
    assert "pay-transparency" in rules_of(report)


@pytest.mark.parametrize("region", ["CO", "Colorado", "colorado", " co ", "COLORADO"])
def test_region_accepts_names_and_postal_codes(region: str) -> None:
    law = lint.pay_law_for(region)
    assert law is not None and law.code == "CO"


@pytest.mark.parametrize(
    ("region", "code"),
    [("D.C.", "DC"), ("District of Columbia", "DC"), ("Washington, DC", "DC"),
     ("Washington", "WA"), ("new york", "NY"), ("Hawai'i", "HI")],
)  # fmt: skip
def test_region_spellings(region: str, code: str) -> None:
    law = lint.pay_law_for(region, "US")
    assert law is not None and law.code == code


def test_regions_without_a_law_or_outside_the_us() -> None:
    assert lint.pay_law_for("Texas") is None
    assert lint.pay_law_for("TX") is None
    assert lint.pay_law_for(None) is None
    assert lint.pay_law_for("CA", "Canada") is None
    assert lint.pay_law_for("California", "United States") is not None
    ctx = context(region="TX", salary_min=None, salary_max=None)
    assert "pay-transparency" not in rules_of(
        lint_text(posting(pay=None), context=ctx, config=CONFIG)
    )


def test_all_twelve_jurisdictions_with_citations_and_dates() -> None:
    laws = {law.code: law for law in lint.pay_transparency_laws()}
    assert set(laws) == {"CO", "CA", "WA", "NY", "HI", "DC", "MD", "IL", "MN", "NJ", "VT", "MA"}
    assert laws["CO"].effective == dt.date(2021, 1, 1)
    assert laws["MA"].effective == dt.date(2025, 10, 29)
    assert all(law.citation and law.law and law.employers for law in laws.values())


def test_date_posted_before_the_law_is_not_bound() -> None:
    unpaid = {"salary_min": None, "salary_max": None, "region": "Massachusetts"}
    before = context(**unpaid, date_posted=dt.date(2025, 10, 28))
    on = context(**unpaid, date_posted=dt.date(2025, 10, 29))
    assert "pay-transparency" not in rules_of(lint_text(posting(pay=None), context=before,
                                                        config=CONFIG))  # fmt: skip
    assert "pay-transparency" in rules_of(lint_text(posting(pay=None), context=on, config=CONFIG))


def test_undated_posting_is_judged_as_of_today() -> None:
    ctx = context(region="MA", salary_min=None, salary_max=None, date_posted=None)
    early = lint_text(posting(pay=None), context=ctx, config=LintConfig(today=dt.date(2025, 1, 1)))
    late = lint_text(posting(pay=None), context=ctx, config=LintConfig(today=dt.date(2025, 11, 1)))
    assert "pay-transparency" not in rules_of(early)
    assert "pay-transparency" in rules_of(late)


def test_bare_text_detects_city_state_line_and_pay_range() -> None:
    report = lint_text(posting(pay=None), config=CONFIG)
    [finding] = [f for f in report.findings if f.rule == "pay-transparency"]
    assert finding.line == 3  # the "Denver, CO" header line
    assert "state a pay range" in finding.message
    assert "pay-transparency" not in rules_of(lint_text(posting(), config=CONFIG))
    austin = lint_text(posting(location="Austin, TX", pay=None), config=CONFIG)
    assert "pay-transparency" not in rules_of(austin)


def test_infer_context_reads_the_text() -> None:
    text = (
        "# Night Technician\n\nLocation: Seattle, Washington (remote)\n\n"
        "Posted: 2026-02-01\n\nPay: $45k to $55k a year.\n\n"
        "Applications close on March 31, 2026.\n"
    )
    ctx = infer_context(text)
    assert ctx.title == "Night Technician"
    assert (ctx.region, ctx.workplace, ctx.region_line) == ("WA", "remote", 3)
    assert (ctx.salary_min, ctx.salary_max) == (Decimal(45000), Decimal(55000))
    assert ctx.date_posted == dt.date(2026, 2, 1)
    assert ctx.valid_through == dt.date(2026, 3, 31)
    assert ctx.inferred and ctx.employer_name is None


def test_infer_context_prefers_a_location_label_and_reads_a_fixed_rate() -> None:
    text = "Dr. Smith, MD will train you.\n\nLocation: Austin, TX\n\nPay: $21.00 per hour\n"
    ctx = infer_context(text)
    assert ctx.region == "TX"
    assert ctx.salary_min == ctx.salary_max == Decimal("21.00")


def test_region_option_overrides_the_inferred_region() -> None:
    text = posting(location="Remote", pay=None)
    assert "pay-transparency" not in rules_of(lint_text(text, config=CONFIG))
    ctx = replace(infer_context(text), region="colorado")
    assert "pay-transparency" in rules_of(lint_text(text, context=ctx, config=CONFIG))


# --------------------------------------------------------------------------- readability

HARD = (
    "Notwithstanding institutional considerations, the incumbent administers comprehensive "
    "psychotherapeutic interventions, documenting multidimensional behavioral observations "
    "systematically, and coordinates interdisciplinary collaboration across organizational "
    "boundaries while maintaining unwavering regulatory compliance and confidentiality.\n"
)


def test_hard_text_is_above_the_grade_limit() -> None:
    report = lint_text(HARD, config=CONFIG)
    assert report.readability is not None
    assert report.readability.flesch_kincaid_grade > 12
    [finding] = [f for f in report.findings if f.rule == "readability"]
    assert finding.severity == "warning" and "above 12" in finding.message


def test_plain_text_is_below_and_the_limit_is_configurable() -> None:
    plain = lint_text(posting(), context=context(), config=CONFIG)
    assert plain.readability is not None and plain.readability.flesch_kincaid_grade <= 12
    assert plain.readability.flesch_reading_ease > 50
    assert "readability" not in rules_of(plain)
    lenient = lint_text(HARD, config=LintConfig(today=TODAY, max_grade=40))
    assert "readability" not in rules_of(lenient)
    assert lenient.readability is not None and lenient.readability.max_grade == 40


def test_readability_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    """textstat would fetch NLTK's CMUdict for "en"; jobgen's syllable counting stays local."""
    nltk = pytest.importorskip("nltk")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network download attempted")

    monkeypatch.setattr(nltk, "download", refuse)
    result = lint.readability("A short and easy sentence for everyone to read today, again.")
    assert result is not None and result.flesch_kincaid_grade < 8


def test_readability_off_means_no_numbers() -> None:
    report = lint_text(HARD, config=LintConfig(today=TODAY, disable=frozenset({"readability"})))
    assert report.readability is None
    assert report.to_dict()["readability"] is None


# --------------------------------------------------------------------------- completeness


def test_missing_required_fields_are_errors_naming_the_field() -> None:
    ctx = context(employer_name="", date_posted=None, locality=None, region=None, title=" ")
    report = lint_text(posting(), context=ctx, config=CONFIG)
    messages = [f.message for f in report.findings if f.rule == "completeness-required"]
    assert len(messages) == 4
    assert any("property title" in m for m in messages)
    assert any("hiringOrganization.name" in m and "employer.name" in m for m in messages)
    assert any("datePosted" in m for m in messages)
    assert any("jobLocation" in m for m in messages)


def test_remote_job_needs_no_location() -> None:
    ctx = context(locality=None, region=None, workplace="remote")
    assert "completeness-required" not in rules_of(lint_text(posting(), context=ctx, config=CONFIG))


@pytest.mark.parametrize(
    ("workplace", "prop"),
    [("onsite", "jobLocation.address.addressCountry"), ("remote", "applicantLocationRequirements")],
)
def test_the_country_is_required_as_for_json_ld(workplace: str, prop: str) -> None:
    ctx = context(country=None, workplace=workplace)
    report = lint_text(posting(), context=ctx, config=CONFIG)
    messages = [f.message for f in report.findings if f.rule == "completeness-required"]
    assert len(messages) == 1
    assert prop in messages[0] and "location.country" in messages[0]


def test_bare_text_only_checks_title_and_description() -> None:
    assert "completeness-required" not in rules_of(lint_text(posting(), config=CONFIG))
    empty = lint_text("", config=CONFIG)
    messages = [f.message for f in empty.findings if f.rule == "completeness-required"]
    assert len(messages) == 2
    assert "title" in messages[0] and "description" in messages[1]
    title_only = lint_text("# Technician\n", config=CONFIG)
    assert [f.message for f in title_only.findings if "description" in f.message]


def test_expired_posting() -> None:
    expired = context(valid_through=TODAY - dt.timedelta(days=1))
    report = lint_text(posting(), context=expired, config=CONFIG)
    [finding] = [f for f in report.findings if f.rule == "expired"]
    assert finding.severity == "error" and "2026-03-01" in finding.message
    for ok in (TODAY, TODAY + dt.timedelta(days=30), None):
        report = lint_text(posting(), context=context(valid_through=ok), config=CONFIG)
        assert "expired" not in rules_of(report)


def test_valid_through_before_date_posted() -> None:
    ctx = context(date_posted=dt.date(2026, 5, 1), valid_through=dt.date(2026, 4, 1))
    config = LintConfig(today=dt.date(2026, 1, 1))
    [finding] = [f for f in lint_text(posting(), context=ctx, config=config).findings
                 if f.rule == "expired"]  # fmt: skip
    assert "before date_posted" in finding.message


def test_expired_inferred_from_text() -> None:
    text = posting(extra="\nApplications close on January 31, 2026.")
    assert "expired" in rules_of(lint_text(text, config=CONFIG))
    assert "expired" not in rules_of(lint_text(text, config=LintConfig(today=dt.date(2026, 1, 31))))


def test_length_limits() -> None:
    short = lint_text("# Technician\n\nHelp patients.\n", config=CONFIG)
    [finding] = [f for f in short.findings if f.rule == "length"]
    assert finding.severity == "warning" and "under 300" in finding.message
    long = lint_text(posting(extra=DAY * 15), context=context(), config=CONFIG)
    assert long.word_count > 700
    assert any(f.rule == "length" and "over 700" in f.message for f in long.findings)
    ok = lint_text(posting(), context=context(), config=CONFIG)
    assert "length" not in rules_of(ok)
    custom = LintConfig(today=TODAY, min_words=10, max_words=20)
    assert "length" not in rules_of(lint_text("word " * 15, config=custom))


def test_too_many_requirements() -> None:
    report = lint_text(posting(required=9), context=context(), config=CONFIG)
    [finding] = [f for f in report.findings if f.rule == "too-many-requirements"]
    assert finding.severity == "warning" and finding.line == 17  # the "### Required" heading
    assert "9 required" in finding.message
    assert "too-many-requirements" not in rules_of(
        lint_text(posting(required=8), context=context(), config=CONFIG)
    )
    lenient = LintConfig(today=TODAY, max_required=10)
    assert "too-many-requirements" not in rules_of(
        lint_text(posting(required=9), context=context(), config=lenient)
    )


def test_requirements_in_plain_text_and_preferred_lists() -> None:
    items = "".join(f"- Item {i}\n" for i in range(9))
    assert lint.required_sections(f"Requirements:\n{items}") == [(1, "Requirements", 9)]
    assert lint.required_sections(f"Preferred qualifications:\n{items}") == []
    assert lint.required_sections(f"## Nice to have\n\n{items}") == []


# --------------------------------------------------------------------------- config and report


def test_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match=r"unknown rule 'gender'.*'gender-coded'"):
        LintConfig(disable=frozenset({"gender"}))
    with pytest.raises(UsageError, match="both enabled and disabled"):
        LintConfig(disable=frozenset({"length"}), enable=frozenset({"length"}))
    with pytest.raises(UsageError, match="max-grade"):
        LintConfig(max_grade=0)


def test_disable_and_enable() -> None:
    assert "pay-range" not in LintConfig().active_rules()
    text = "# Technician\n\nAustin, TX\n\nHelp patients.\n"
    base = lint_text(text, config=CONFIG)
    assert "length" in rules_of(base) and "pay-range" not in rules_of(base)
    quiet = lint_text(text, config=replace(CONFIG, disable=frozenset({"length"})))
    assert "length" not in rules_of(quiet)
    loud = lint_text(text, config=replace(CONFIG, enable=frozenset({"pay-range"})))
    assert "pay-range" in rules_of(loud)
    # pay-range stays quiet where pay-transparency already reports the law
    co = lint_text(posting(pay=None), config=replace(CONFIG, enable=frozenset({"pay-range"})))
    assert "pay-transparency" in rules_of(co) and "pay-range" not in rules_of(co)


def test_report_dict_shape_and_order() -> None:
    text = MASCULINE_TEXT + "\nDenver, CO\n"
    data = lint_text(text, config=CONFIG).to_dict()
    assert list(data) == ["findings", "gender_coding", "readability", "word_count"]
    assert list(data["gender_coding"]) == ["verdict", "masculine", "feminine"]
    assert list(data["readability"]) == ["flesch_kincaid_grade", "flesch_reading_ease", "max_grade"]
    for finding in data["findings"]:
        assert list(finding) == ["rule", "severity", "message", "line"]
    lines = [f["line"] or 0 for f in data["findings"]]
    assert lines == sorted(lines)
    assert json.loads(json.dumps(data)) == data
    assert data == lint_text(text, config=CONFIG).to_dict()  # deterministic


# --------------------------------------------------------------------------- composed postings

RIVERSIDE = {
    "setting": "inpatient",
    "education": "associate",
    "employer": {"name": "Riverside Behavioral Health"},
    "location": {"city": "Denver", "region": "CO", "country": "US"},
    "date_posted": "2026-11-28",
}


def compose(**changes: object) -> Posting:
    guide = jobgen.load_guide()
    values = {**RIVERSIDE, **changes}
    return jobgen.compose.compose(guide, jobgen.load_options(guide, values=values, environ={}))


def test_context_from_posting() -> None:
    ctx = lint.context_from_posting(compose(salary={"min": 21.5, "max": 28, "period": "hour"}))
    assert (ctx.title, ctx.employer_name) == (
        "Mental Health Technician",
        "Riverside Behavioral Health",
    )
    assert (ctx.locality, ctx.region, ctx.country, ctx.workplace) == (
        "Denver",
        "CO",
        "US",
        "onsite",
    )
    assert (ctx.salary_min, ctx.salary_max) == (Decimal("21.5"), Decimal("28"))
    assert ctx.date_posted == dt.date(2026, 11, 28) and not ctx.inferred


def test_lint_posting_for_batch_manifests() -> None:
    unpaid = lint.lint_posting(compose(), config=CONFIG)
    assert [f["rule"] for f in unpaid["findings"] if f["severity"] == "error"] == [
        "pay-transparency"
    ]
    assert json.loads(json.dumps(unpaid)) == unpaid
    paid = compose(salary={"min": 21.5, "max": 28, "period": "hour"})
    data = lint.lint_posting(paid, config=CONFIG)
    assert not [f for f in data["findings"] if f["severity"] == "error"]
    markdown = jobgen.render.render(paid, "md").decode()
    assert lint.lint_posting(paid, markdown=markdown, config=CONFIG) == data


def test_placeholder_employer_counts_as_missing() -> None:
    guide = jobgen.load_guide()
    values = {"setting": "inpatient", "education": "associate", "date_posted": "2026-11-28"}
    posting = jobgen.compose.compose(guide, jobgen.load_options(guide, values=values, environ={}))
    report = lint_text(
        jobgen.render.render(posting, "md").decode(), context=lint.context_from_posting(posting),
        config=CONFIG,
    )  # fmt: skip
    messages = [f.message for f in report.findings if f.rule == "completeness-required"]
    assert any("employer.name" in m for m in messages)
    assert any("jobLocation" in m for m in messages)


def test_today_defaults_to_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context(valid_through=dt.date(2026, 11, 27))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795824000")  # 2026-11-28
    assert "expired" in rules_of(lint_text(posting(), context=ctx))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")  # 2026-11-26
    assert "expired" not in rules_of(lint_text(posting(), context=ctx))


def test_format_report() -> None:
    report = lint_text(MASCULINE_TEXT, config=CONFIG)
    text = lint.format_report(report, "ad.md")
    assert "ad.md:1: warning: strongly masculine-coded wording" in text
    assert "[gender-coded]" in text
    assert "(aggressive, ambitious, competitive" in text
    assert "gender coding" not in text  # the balance is in --json only
    assert text.rstrip().endswith("0 errors, 2 warnings, 0 info")


def test_word_count_ignores_markup_code_and_front_matter() -> None:
    text = (
        "---\ntitle: x y z\n---\n# One two\n\n```\nskipped words here\n```\n"
        "- three [four](http://a.b/c)\n"
    )
    assert lint_text(text, config=CONFIG).word_count == 4
