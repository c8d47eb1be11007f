"""Guide + EmployerOptions → Posting. Pure: no I/O, no clock, no environment.

All tailoring happens here and is driven by guide data: the setting's tailoring (environment,
focus sentences, duties, schedule note) and the education level's (summary, required and preferred
lines, skill wording). A guide without a tailoring layer falls back to its own text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from .employer import DEFAULT_EEO, EmployerOptions, Salary
from .guide import Choice, EducationTailoring, Guide, SettingTailoring

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
    if not salary.is_set:
        return ""
    per = f" per {salary.period}" if salary.period else ""
    low, high = salary.min, salary.max
    if low is not None and high is not None and low != high:
        amounts = (
            f"{format_amount(low, salary.currency, salary.period)}–"
            f"{format_amount(high, salary.currency, salary.period)}"
        )
    elif low is not None and high is not None:
        amounts = format_amount(low, salary.currency, salary.period)
    elif low is not None:
        amounts = f"From {format_amount(low, salary.currency, salary.period)}"
    else:
        assert high is not None
        amounts = f"Up to {format_amount(high, salary.currency, salary.period)}"
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


def _guide_entries(
    guide: Guide, setting: str, education: str
) -> tuple[tuple[Entry, ...], tuple[Entry, ...], tuple[Entry, ...]]:
    """Responsibilities, skills and growth paths for a setting and education level: the same
    for every employer, so made once per guide and pair (and the same text objects each time,
    which the Markdown renderer's escaping cache recognises)."""
    cache: dict[tuple[str, str], tuple[tuple[Entry, ...], ...]] = guide.__dict__.setdefault(
        "_entries_cache", {}
    )
    found = cache.get((setting, education))
    if found is None:
        t = guide.tailoring
        st = t.settings.get(setting, SettingTailoring())
        et = t.education.get(education, EducationTailoring())
        found = (
            tuple(
                Entry(
                    item.name,
                    _join(
                        t.responsibilities.get(item.slug, item.description),
                        st.focus.get(item.slug, ""),
                    ),
                )
                for item in guide.responsibilities
            ),
            tuple(
                Entry(
                    item.name,
                    _sentence(
                        et.skills.get(item.slug) or t.skills.get(item.slug) or item.description
                    ),
                )
                for item in guide.skills
            ),
            tuple(
                Entry(item.name, _sentence(t.growth.get(item.slug, item.description)))
                for item in guide.growth
            ),
        )
        cache[(setting, education)] = found
    return found[0], found[1], found[2]


def compose(guide: Guide, options: EmployerOptions, *, today: dt.date | None = None) -> Posting:
    """Build the posting for one employer. ``today`` is unused by the text; kept for callers."""
    del today
    t = guide.tailoring
    setting = next(c for c in guide.setting_choices() if c.slug == options.setting)
    education = next(c for c in guide.education_choices() if c.slug == options.education)
    st = t.settings.get(setting.slug, SettingTailoring())
    et = t.education.get(education.slug, EducationTailoring())
    occupation = guide.occupation
    setting_label = st.label or _lower_name(setting.name)
    education_label = et.label or education.name

    employer = options.employer.name
    location = options.location.display()
    workplace = options.workplace
    where = ""
    if workplace == "remote":
        where = " (remote)" if not location else f" (remote, {location})"
    elif location:
        where = f" in {location}"

    kind = EMPLOYMENT_LABELS[options.employment_type]
    if options.employment_type == "internship":
        hiring = f"{employer} offers {_article(options.title)} {options.title} internship{where}."
    else:
        phrase = kind.lower()
        hiring = f"{employer} is hiring {_article(phrase)} {phrase} {options.title}{where}."
    if t.summary or st.summary:
        about = _join(t.summary, st.summary or setting.description)
    else:  # an untailored guide: its introduction says what the job is; the setting has a section
        about = _join(_opening(guide.introduction) or setting.description)
    summary = (hiring + " " + about,)

    responsibilities, skills, growth = _guide_entries(guide, setting.slug, education.slug)
    duties = st.duties + options.extra_responsibilities

    required = list(et.required or (_sentence(education.name),))
    preferred = list(et.preferred)
    if options.experience_months:
        required.append(_experience(options.experience_months, occupation))
    cert_default = {
        "required": f"{occupation} certification where your state requires it.",
        "preferred": f"{occupation} certification.",
    }
    if options.certification in ("required", "preferred"):
        line = t.certification.get(options.certification, cert_default[options.certification])
        (required if options.certification == "required" else preferred).append(line)
    required.extend(_sentence(q) for q in options.extra_qualifications)
    intro = et.summary or education.description
    if options.experience_months == 0:
        intro = _join(intro, "No previous experience is required")
    note = t.note if options.certification != "none" else ""

    pay = format_pay(options.salary)
    header = tuple(
        p
        for p in (
            employer,
            location + (f" ({WORKPLACE_LABELS[workplace]})" if workplace != "onsite" else "")
            if location
            else (WORKPLACE_LABELS[workplace] if workplace != "onsite" else ""),
            kind,
            options.schedule,
            pay,
        )
        if p
    )
    schedule = tuple(
        p
        for p in (
            _sentence(options.schedule) if options.schedule else "",
            _sentence(st.schedule) if st.schedule else "",
        )
        if p
    )
    return Posting(
        guide_slug=guide.slug,
        occupation=occupation,
        title=options.title,
        employer_name=employer,
        employer_about=options.employer.about,
        employer_website=options.employer.website,
        setting=setting,
        setting_label=setting_label,
        education=education,
        education_label=education_label,
        credential=et.credential,
        header=header,
        summary=summary,
        responsibilities=responsibilities,
        setting_duties_heading=f"In our {setting_label}" if st.label else f"In {setting.name}",
        setting_duties=tuple(_sentence(d) for d in duties),
        qualifications_intro=_sentence(intro),
        required=tuple(required),
        preferred=tuple(preferred),
        qualifications_note=note,
        skills=skills,
        environment=st.environment
        or _join(f"This role is in {_lower_name(setting.name)}", setting.description),
        schedule=schedule,
        pay=pay,
        benefits=options.benefits,
        growth=growth,
        apply_url=options.apply.url,
        apply_email=options.apply.email,
        eeo_statement=options.eeo_statement or DEFAULT_EEO.format(employer=employer),
        options=options,
    )
