"""Guide + EmployerOptions → Posting. Pure: no I/O, no clock, no environment.

All tailoring happens here and is driven by guide data (see the tailoring layer in
:mod:`jobgen.guide`): each section is chosen from all the employer's answers at once, so a
posting never says "no experience needed" beside required experience, or the setting's usual
hours beside the employer's own schedule. A guide without a tailoring layer uses its own text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from .employer import DEFAULT_EEO, EmployerOptions, Salary
from .guide import Choice, EducationTailoring, Guide, SettingTailoring, Text, pick, pick_all

EMPLOYMENT_LABELS = {
    "full-time": "Full-time",
    "part-time": "Part-time",
    "per-diem": "Per diem",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
}
WORKPLACE_LABELS = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£", "NZD": "NZ$"}


@dataclass(frozen=True)
class Entry:
    """A list item with a bold lead-in: **name:** text."""

    name: str
    text: str


@dataclass(frozen=True)
class Posting:
    """A composed posting: every section's text, plus the options it was made from."""

    guide_slug: str
    occupation: str
    title: str
    employer_name: str
    employer_about: str
    employer_website: str
    setting: Choice
    setting_label: str
    education: Choice
    education_label: str
    credential: str
    header: tuple[str, ...]
    summary: tuple[str, ...]
    responsibilities: tuple[Entry, ...]
    setting_duties_heading: str
    setting_duties: tuple[str, ...]
    qualifications_intro: str
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    qualifications_note: str
    skills: tuple[Entry, ...]
    environment: str
    schedule: tuple[str, ...]
    pay: str
    benefits: tuple[str, ...]
    growth: tuple[Entry, ...]
    apply_url: str
    apply_email: str
    eeo_statement: str
    options: EmployerOptions

    @property
    def is_placeholder(self) -> bool:
        return self.options.employer.is_placeholder


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


def _join(*parts: str) -> str:
    return " ".join(_sentence(p) for p in parts if p and p.strip())


def format_amount(amount: Decimal, currency: str, period: str) -> str:
    """``18`` → ``$18.00`` for hourly pay, ``52000`` → ``$52,000`` for yearly pay."""
    cents = period in ("hour", "day") or amount != amount.to_integral()
    number = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def format_pay(salary: Salary) -> str:
    low, high = salary.min, salary.max
    if low is None and high is None:
        return ""
    currency, period = salary.currency, salary.period
    per = f" per {period}" if period else ""
    if low is not None and high is not None and low != high:
        amounts = f"{format_amount(low, currency, period)}–{format_amount(high, currency, period)}"
    elif low is not None:  # a range of one amount, or a lowest amount only
        amounts = format_amount(low, currency, period)
        if high is None:
            amounts = "From " + amounts
    else:
        assert high is not None
        amounts = f"Up to {format_amount(high, currency, period)}"
    return amounts + per


def _experience(months: int, occupation: str) -> str:
    if months % 12 == 0:
        years = months // 12
        span = f"{years} year" + ("s" if years != 1 else "")
    else:
        span = f"{months} month" + ("s" if months != 1 else "")
    return f"At least {span} of experience as a {occupation.lower()} or in a related role."


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _lower_name(name: str) -> str:
    """``"Mail-Order and VA Pharmacies"`` → ``"mail-order and VA pharmacies"`` (acronyms kept)."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in name.split())


def _opening(text: str) -> str:
    """The first two sentences of a guide's introduction that are about the work, not the guide."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])", " ".join(text.split()))
    return " ".join([s for s in sentences if s and "guide" not in s.lower()][:2])


def answers(options: EmployerOptions) -> dict[str, str]:
    """The employer's answers as tailoring ``when`` conditions read them (see guide.Variant)."""
    return {
        "setting": options.setting,
        "education": options.education,
        "experience": (
            "unstated"
            if options.experience_months is None
            else "required"
            if options.experience_months
            else "none"
        ),
        "certification": options.certification,
        "schedule": "given" if options.schedule.strip() else "absent",
        "workplace": options.workplace,
        "employment_type": options.employment_type,
    }


class _Words:
    """Picks a guide's tailoring texts for one posting's answers, with ``{people}`` filled in
    and ``{person}`` (one of them: "patient" for "patients")."""

    def __init__(self, people: str, facts: dict[str, str]) -> None:
        self.people = people
        self.facts = facts

    def fill(self, text: str) -> str:
        person = self.people[:-1] if self.people.endswith("s") else self.people
        return text.replace("{people}", self.people).replace("{person}", person)

    def pick(self, text: Text) -> str:
        return self.fill(pick(text, self.facts))


def _responsibilities(guide: Guide, st: SettingTailoring, words: _Words) -> tuple[Entry, ...]:
    t = guide.tailoring
    entries = []
    for item in guide.responsibilities:
        duty = st.responsibilities.get(item.slug)
        if duty is not None:
            entries.append(Entry(duty.name or item.name, _sentence(words.fill(duty.text))))
        else:
            text = t.responsibilities.get(item.slug, item.description)
            entries.append(Entry(item.name, _sentence(words.fill(text))))
    return tuple(entries)


def _skills(guide: Guide, et: EducationTailoring, words: _Words) -> tuple[Entry, ...]:
    entries = []
    for item in guide.skills:
        if item.slug in et.skills:
            own = et.skills[item.slug]
            text = None if own is None else words.pick(own)
        else:
            text = guide.tailoring.skills.get(item.slug, item.description)
        if text:  # None: the guide keeps this skill out of postings
            entries.append(Entry(item.name, _sentence(words.fill(text))))
    return tuple(entries)


def _growth(guide: Guide, et: EducationTailoring, words: _Words) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    for item in guide.growth:
        if item.slug in et.growth:
            text = et.growth[item.slug]
        else:
            text = guide.tailoring.growth.get(item.slug, item.description)
        if text:  # None: not a path a posting offers
            entry = Entry(item.name, _sentence(words.fill(text)))
            entries.insert(0 if item.slug == et.growth_lead else len(entries), entry)
    return tuple(entries)


def _hiring(options: EmployerOptions) -> str:
    """The summary's first sentence. It ends with the title, so a title with a comma
    ("Technician, Nights") never runs into the place."""
    title, employer, location = options.title, options.employer.name, options.location.display()
    if location and options.workplace != "remote":
        employer += f" in {location}" + ("," if "," in location else "")
    remote = ""
    if options.workplace == "remote":
        remote = f" to work remotely from {location}" if location else " to work remotely"
    if options.employment_type == "internship":
        return f"{employer} offers an internship as {_article(title)} {title}{remote}."
    phrase = EMPLOYMENT_LABELS[options.employment_type].lower()
    return f"{employer} is hiring {_article(phrase)} {phrase} {title}{remote}."


def _summary(
    guide: Guide,
    options: EmployerOptions,
    setting: Choice,
    tailored: tuple[SettingTailoring, EducationTailoring],
    words: _Words,
) -> tuple[str, ...]:
    t = guide.tailoring
    st, et = tailored
    if t.summary or st.summary:
        own = words.pick(st.summary) if st.summary else setting.description  # "": none
        about = _join(words.pick(t.summary), own)
    else:  # an untailored guide: its introduction says what the job is; the setting has one
        about = _join(_opening(guide.introduction) or setting.description)
    return tuple(p for p in (_join(_hiring(options), about), words.pick(et.summary)) if p)


def _qualifications(
    guide: Guide,
    options: EmployerOptions,
    education: Choice,
    et: EducationTailoring,
    words: _Words,
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The Qualifications section: its first sentence, the required and the preferred lines."""
    t = guide.tailoring
    required = [words.fill(r) for r in pick_all(et.required, words.facts)]
    required = required or [_sentence(education.name)]
    if options.experience_months:
        required.append(_experience(options.experience_months, guide.occupation))
    preferred = [words.fill(p) for p in pick_all(et.preferred, words.facts)]
    certification = options.certification
    if certification != "none":
        line = t.certification.get(certification, f"{guide.occupation} certification.")
        (required if certification == "required" else preferred).append(words.fill(line))
    required.extend(_sentence(q) for q in options.extra_qualifications)
    intro = words.pick(et.intro) or ("" if et.required else _sentence(education.description))
    return intro, tuple(required), tuple(preferred)


def _header(options: EmployerOptions, pay: str) -> tuple[str, ...]:
    """The line under the title: employer, place, kind of employment, schedule, pay."""
    location, workplace = options.location.display(), options.workplace
    label = WORKPLACE_LABELS[workplace] if workplace != "onsite" else ""
    place = f"{location} ({label})" if location and label else location or label
    kind = EMPLOYMENT_LABELS[options.employment_type]
    return tuple(filter(None, (options.employer.name, place, kind, options.schedule, pay)))


def _duties(
    st: SettingTailoring, et: EducationTailoring, options: EmployerOptions, words: _Words
) -> tuple[str, ...]:
    """The setting's own duties, the education level's, then the employer's."""
    own = (*st.duties, *pick_all(et.duties, words.facts))
    return (
        *(_sentence(words.fill(d)) for d in own),
        *(_sentence(d) for d in options.extra_responsibilities),
    )


def compose(guide: Guide, options: EmployerOptions, *, today: dt.date | None = None) -> Posting:
    """Write the posting for one employer, every section chosen from all the answers at once.

    The employer's own words win: a given schedule replaces the setting's usual hours, and the
    guide's tailoring texts carry variants for experience, certification and the rest (see
    :class:`jobgen.guide.Variant`). ``today`` is unused by the text; kept for callers.
    """
    del today
    t = guide.tailoring
    setting = guide.resolve_setting(options.setting, source="setting")
    education = guide.resolve_education(options.education, source="education")
    st = t.settings.get(setting.slug, SettingTailoring())
    et = t.education.get(education.slug, EducationTailoring())
    words = _Words(st.people or t.people or "patients", answers(options))
    employer = options.employer.name
    intro, required, preferred = _qualifications(guide, options, education, et, words)
    pay = format_pay(options.salary)
    own_schedule = _sentence(options.schedule) if options.schedule.strip() else ""
    label = st.label or _lower_name(setting.name)
    environment = words.pick(st.environment) or _join(
        f"This role is in {_lower_name(setting.name)}", setting.description
    )
    return Posting(
        guide_slug=guide.slug,
        occupation=guide.occupation,
        title=options.title,
        employer_name=employer,
        employer_about=options.employer.about,
        employer_website=options.employer.website,
        setting=setting,
        setting_label=label,
        education=education,
        education_label=et.label or education.name,
        credential=et.credential,
        header=_header(options, pay),
        summary=_summary(guide, options, setting, (st, et), words),
        responsibilities=_responsibilities(guide, st, words),
        setting_duties_heading=f"In our {label}" if st.label else f"In {setting.name}",
        setting_duties=_duties(st, et, options, words),
        qualifications_intro=intro,
        required=required,
        preferred=preferred,
        qualifications_note=words.pick(t.note),
        skills=_skills(guide, et, words),
        environment=environment,
        schedule=tuple(p for p in (own_schedule, _sentence(words.pick(st.schedule))) if p),
        pay=pay,
        benefits=options.benefits,
        growth=_growth(guide, et, words),
        apply_url=options.apply.url,
        apply_email=options.apply.email,
        eeo_statement=options.eeo_statement or DEFAULT_EEO.format(employer=employer),
        options=options,
    )
