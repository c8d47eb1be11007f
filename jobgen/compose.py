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

from ._memo import keep
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
_EEO_BEFORE, _, _EEO_AFTER = DEFAULT_EEO.partition("{employer}")
"""DEFAULT_EEO around its one field: an f-string of these is ``DEFAULT_EEO.format(employer=...)``
without parsing the template for every posting (a test keeps the two equal)."""
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


def _guide_entries(
    guide: Guide, setting: str, education: str
) -> tuple[tuple[Entry, ...], tuple[Entry, ...], tuple[Entry, ...]]:
    """Responsibilities, skills and growth paths for a setting and education level."""
    t = guide.tailoring
    st = t.settings.get(setting, SettingTailoring())
    et = t.education.get(education, EducationTailoring())
    responsibilities = tuple(
        Entry(
            item.name,
            _join(t.responsibilities.get(item.slug, item.description), st.focus.get(item.slug, "")),
        )
        for item in guide.responsibilities
    )
    skills = tuple(
        Entry(
            item.name,
            _sentence(et.skills.get(item.slug) or t.skills.get(item.slug) or item.description),
        )
        for item in guide.skills
    )
    growth = tuple(
        Entry(item.name, _sentence(t.growth.get(item.slug, item.description)))
        for item in guide.growth
    )
    return responsibilities, skills, growth


class _Pair:
    """What a posting takes from the guide alone for one setting and education level: the same
    for every employer, so made once per guide and pair (see :func:`_pair`), and the same text
    objects each time (which the Markdown renderer's escaping cache recognises)."""

    __slots__ = (
        "about",
        "certification",
        "credential",
        "duties",
        "duties_heading",
        "education",
        "education_label",
        "environment",
        "growth",
        "intro",
        "intro_no_experience",
        "preferred",
        "required",
        "responsibilities",
        "schedule",
        "setting",
        "setting_label",
        "skills",
    )
    setting: Choice
    education: Choice
    setting_label: str
    education_label: str
    credential: str
    about: str
    responsibilities: tuple[Entry, ...]
    skills: tuple[Entry, ...]
    growth: tuple[Entry, ...]
    duties_heading: str
    duties: tuple[str, ...]
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    intro: str
    intro_no_experience: str
    environment: str
    schedule: tuple[str, ...]
    certification: dict[str, str]

    def __init__(self, guide: Guide, setting_slug: str, education_slug: str) -> None:
        t = guide.tailoring
        setting = next(c for c in guide.setting_choices() if c.slug == setting_slug)
        education = next(c for c in guide.education_choices() if c.slug == education_slug)
        st = t.settings.get(setting.slug, SettingTailoring())
        et = t.education.get(education.slug, EducationTailoring())
        self.setting = setting
        self.education = education
        self.setting_label = st.label or _lower_name(setting.name)
        self.education_label = et.label or education.name
        self.credential = et.credential
        if t.summary or st.summary:
            self.about = _join(t.summary, st.summary or setting.description)
        else:  # an untailored guide: its introduction says what the job is; the setting has one
            self.about = _join(_opening(guide.introduction) or setting.description)
        self.responsibilities, self.skills, self.growth = _guide_entries(
            guide, setting.slug, education.slug
        )
        self.duties_heading = f"In our {self.setting_label}" if st.label else f"In {setting.name}"
        self.duties = tuple(_sentence(d) for d in st.duties)
        self.required = et.required or (_sentence(education.name),)
        self.preferred = et.preferred
        intro = et.summary or education.description
        self.intro = _sentence(intro)
        self.intro_no_experience = _sentence(_join(intro, "No previous experience is required"))
        self.environment = st.environment or _join(
            f"This role is in {_lower_name(setting.name)}", setting.description
        )
        schedule = _sentence(st.schedule)
        self.schedule = (schedule,) if schedule else ()
        occupation = guide.occupation
        self.certification = {  # the line a posting adds when certification is asked for
            "required": t.certification.get(
                "required", f"{occupation} certification where your state requires it."
            ),
            "preferred": t.certification.get("preferred", f"{occupation} certification."),
        }


_PAIRS: dict[int, tuple[Guide, dict[tuple[str, str], _Pair]]] = {}
"""Per guide (by identity): its :class:`_Pair` for each setting and education level used. An
entry holds its guide, so the guide's id cannot be reused by another object while the entry
lives; two guides never share an entry, however alike. A guide has finitely many pairs (only a
valid pair is stored), and at most :data:`_PAIRS_GUIDES` guides are kept: then it starts afresh."""
_PAIRS_GUIDES = 8


def _pair(guide: Guide, setting: str, education: str) -> _Pair:
    entry = _PAIRS.get(id(guide))
    if entry is None or entry[0] is not guide:
        entry = keep(_PAIRS, id(guide), (guide, {}), _PAIRS_GUIDES)
    pairs = entry[1]
    found = pairs.get((setting, education))
    if found is None:
        found = pairs[(setting, education)] = _Pair(guide, setting, education)
    return found


_PAY: dict[int, tuple[Salary, str]] = {}
"""Pay lines made before, by the identity of the (frozen) :class:`Salary` they were made from:
a batch's options share one Salary object per distinct pay (see jobgen.employer). An entry
holds its Salary, so the id cannot be reused while the entry lives. Bounded: starts afresh."""
_PAY_MAX = 1024


def clear_caches() -> None:
    """Forget what was composed before (for tests and measurements)."""
    _PAIRS.clear()
    _PAY.clear()


def compose(guide: Guide, options: EmployerOptions, *, today: dt.date | None = None) -> Posting:
    """Build the posting for one employer. ``today`` is unused by the text; kept for callers."""
    del today
    pair = _pair(guide, options.setting, options.education)
    occupation = guide.occupation

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
    summary = (hiring + " " + pair.about,)

    required = list(pair.required)
    preferred = list(pair.preferred)
    experience = options.experience_months
    if experience:
        required.append(_experience(experience, occupation))
    certification = options.certification
    line = pair.certification.get(certification)
    if line is not None:
        (required if certification == "required" else preferred).append(line)
    note = guide.tailoring.note if certification != "none" else ""
    if options.extra_qualifications:
        required.extend(_sentence(q) for q in options.extra_qualifications)

    salary = options.salary
    known = _PAY.get(id(salary))
    if known is not None and known[0] is salary:
        pay = known[1]
    else:
        pay = keep(_PAY, id(salary), (salary, format_pay(salary)), _PAY_MAX)[1]
    if location:
        place = location + (f" ({WORKPLACE_LABELS[workplace]})" if workplace != "onsite" else "")
    else:
        place = WORKPLACE_LABELS[workplace] if workplace != "onsite" else ""
    header = tuple(filter(None, (employer, place, kind, options.schedule, pay)))  # the non-empty
    own = _sentence(options.schedule) if options.schedule else ""
    schedule = (own, *pair.schedule) if own else pair.schedule
    duties = pair.duties
    if options.extra_responsibilities:
        duties += tuple(_sentence(d) for d in options.extra_responsibilities)
    return Posting(
        guide_slug=guide.slug,
        occupation=occupation,
        title=options.title,
        employer_name=employer,
        employer_about=options.employer.about,
        employer_website=options.employer.website,
        setting=pair.setting,
        setting_label=pair.setting_label,
        education=pair.education,
        education_label=pair.education_label,
        credential=pair.credential,
        header=header,
        summary=summary,
        responsibilities=pair.responsibilities,
        setting_duties_heading=pair.duties_heading,
        setting_duties=duties,
        qualifications_intro=pair.intro_no_experience if experience == 0 else pair.intro,
        required=tuple(required),
        preferred=tuple(preferred),
        qualifications_note=note,
        skills=pair.skills,
        environment=pair.environment,
        schedule=schedule,
        pay=pay,
        benefits=options.benefits,
        growth=pair.growth,
        apply_url=options.apply.url,
        apply_email=options.apply.email,
        eeo_statement=options.eeo_statement or f"{_EEO_BEFORE}{employer}{_EEO_AFTER}",
        options=options,
    )
