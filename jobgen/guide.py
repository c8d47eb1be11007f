"""The guide model: an occupation's content, faithfully, plus an optional tailoring layer.

A guide file is YAML (see ``jobgen/guides/mental-health-technician.yaml``)::

    format: jobgen-guide/1
    slug, occupation, title
    introduction: {heading, text}
    sections: [{kind, heading, intro, items: [{name, description}], paragraphs}]
    notes: [text], conclusion: text, faq: [{question, answer}]
    tailoring: {...}        # optional; written by hand for the built-in guide

Section kinds: responsibilities, skills, settings, growth, education, steps, other.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _validate as v
from ._yaml import load_yaml_file
from .errors import GuideError, UsageError, ValidationError

FORMAT = "jobgen-guide/1"
SECTION_KINDS = ("responsibilities", "skills", "settings", "growth", "education", "steps", "other")
MAX_SECTION_ITEMS = 500
"""Most items a guide section may list: real guides have a few dozen at most."""
BUILTIN_GUIDES = ("mental-health-technician",)


@dataclass(frozen=True)
class Item:
    """A ``Label: description`` entry of a guide section."""

    name: str
    description: str

    @property
    def slug(self) -> str:
        return v.slugify(self.name)


@dataclass(frozen=True)
class Section:
    """A headed section of the guide: its kind, intro, ``Label: description`` items, paragraphs."""

    kind: str
    heading: str
    intro: str = ""
    items: tuple[Item, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class FaqEntry:
    """One question of the guide's FAQ and its answer."""

    question: str
    answer: str


WHEN_KEYS = (
    "setting",
    "education",
    "experience",
    "certification",
    "schedule",
    "workplace",
    "employment_type",
)
"""The employer's answers a tailoring text may depend on (see :class:`Variant`)."""


@dataclass(frozen=True)
class Variant:
    """One wording of a tailoring text and the answers it is for: ``when`` maps a key of
    :data:`WHEN_KEYS` to the values it matches (any of them); an empty ``when`` always matches."""

    text: str
    when: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def matches(self, facts: Mapping[str, str]) -> bool:
        return all(facts.get(key) in values for key, values in self.when.items())


Text = tuple[Variant, ...]
"""A tailoring text: its wordings in order; the first that matches the answers is printed."""


def pick(text: Text, facts: Mapping[str, str]) -> str:
    """The wording of ``text`` for these answers (``""`` when none matches)."""
    return next((v.text for v in text if v.matches(facts)), "")


def pick_all(items: Text, facts: Mapping[str, str]) -> tuple[str, ...]:
    """The entries of a list whose ``when`` matches these answers, in order."""
    return tuple(v.text for v in items if v.text and v.matches(facts))


@dataclass(frozen=True)
class Duty:
    """A responsibility as one setting words it: its lead-in (empty: the guide's name) and text."""

    name: str
    text: str


@dataclass(frozen=True)
class SettingTailoring:
    """How postings for one work setting read: who is served, environment, hours, duties."""

    aliases: tuple[str, ...] = ()
    label: str = ""
    people: str = ""
    summary: Text = ()
    environment: Text = ()
    schedule: Text = ()
    responsibilities: Mapping[str, Duty] = field(default_factory=dict)
    duties: tuple[str, ...] = ()


@dataclass(frozen=True)
class EducationTailoring:
    """How postings for one education level read: summary, qualifications, skills, growth."""

    aliases: tuple[str, ...] = ()
    label: str = ""
    credential: str = ""
    summary: Text = ()
    intro: Text = ()
    required: Text = ()
    preferred: Text = ()
    skills: Mapping[str, Text | None] = field(default_factory=dict)
    growth: Mapping[str, str | None] = field(default_factory=dict)
    growth_lead: str = ""
    duties: Text = ()


@dataclass(frozen=True)
class Tailoring:
    """The guide's optional tailoring layer: guide-wide texts, then per setting and per education
    level. A text given as ``None`` (YAML ``null``) keeps that skill or growth path out of
    postings. ``{people}`` in any text is the setting's word for the people served (``people``),
    ``{person}`` its singular."""

    people: str = ""
    summary: Text = ()
    responsibilities: Mapping[str, str] = field(default_factory=dict)
    skills: Mapping[str, str | None] = field(default_factory=dict)
    growth: Mapping[str, str | None] = field(default_factory=dict)
    certification: Mapping[str, str] = field(default_factory=dict)
    note: Text = ()
    settings: Mapping[str, SettingTailoring] = field(default_factory=dict)
    education: Mapping[str, EducationTailoring] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """A setting or education level as the CLI offers it."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Guide:
    """An occupation's career guide, validated; see the module docstring for the file."""

    slug: str
    occupation: str
    title: str
    introduction_heading: str
    introduction: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()
    conclusion: str = ""
    faq: tuple[FaqEntry, ...] = ()
    tailoring: Tailoring = field(default_factory=Tailoring)
    source: str = ""

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def items(self, kind: str) -> tuple[Item, ...]:
        section = self.section(kind)
        return section.items if section else ()

    @property
    def responsibilities(self) -> tuple[Item, ...]:
        return self.items("responsibilities")

    @property
    def skills(self) -> tuple[Item, ...]:
        return self.items("skills")

    @property
    def settings(self) -> tuple[Item, ...]:
        return self.items("settings")

    @property
    def education(self) -> tuple[Item, ...]:
        return self.items("education")

    @property
    def growth(self) -> tuple[Item, ...]:
        return self.items("growth")

    @property
    def steps(self) -> tuple[Item, ...]:
        return self.items("steps")

    def setting_choices(self) -> tuple[Choice, ...]:
        return self._choices("settings")

    def education_choices(self) -> tuple[Choice, ...]:
        return self._choices("education")

    def _choices(self, kind: str) -> tuple[Choice, ...]:
        # computed once per guide: every posting resolves its setting and education level
        cache: dict[str, tuple[Choice, ...]] = self.__dict__.setdefault("_choice_cache", {})
        found = cache.get(kind)
        if found is None:
            if kind == "settings":
                found = tuple(
                    Choice(i.slug, i.name, self._setting_t(i.slug).aliases, i.description)
                    for i in self.settings
                )
            else:
                found = tuple(
                    Choice(i.slug, i.name, self._education_t(i.slug).aliases, i.description)
                    for i in self.education
                )
            cache[kind] = found
        return found

    def _setting_t(self, slug: str) -> SettingTailoring:
        return self.tailoring.settings.get(slug, SettingTailoring())

    def _education_t(self, slug: str) -> EducationTailoring:
        return self.tailoring.education.get(slug, EducationTailoring())

    def resolve_setting(self, text: str, *, source: str = "--setting") -> Choice:
        return resolve_choice(text, self.setting_choices(), "setting", source=source)

    def resolve_education(self, text: str, *, source: str = "--education") -> Choice:
        return resolve_choice(text, self.education_choices(), "education level", source=source)


def _norm(text: str) -> str:
    return v.slugify(text)


@functools.lru_cache(maxsize=32)
def _choice_keys(choices: tuple[Choice, ...]) -> dict[str, Choice]:
    """Every name a choice answers to (slug, name, aliases) → the choice; read-only."""
    keys: dict[str, Choice] = {}
    for c in choices:
        for key in (c.slug, _norm(c.name), *c.aliases):
            keys.setdefault(key, c)
    return keys


def clear_caches() -> None:
    """Forget the guides loaded before (for tests that rewrite a guide file in place)."""
    _load_builtin.cache_clear()
    _load_path.cache_clear()


def resolve_choice(
    text: str, choices: tuple[Choice, ...], what: str, *, source: str, usage: bool = True
) -> Choice:
    """Find a choice by slug, alias, name or unique prefix, case-insensitively.

    A miss raises an error listing every valid choice and the closest one; it is a
    :class:`UsageError` (exit 2) when the text came from a flag, a :class:`ValidationError`
    when it came from a file.
    """
    wanted = _norm(text)
    keys = _choice_keys(choices)
    if wanted in keys:
        return keys[wanted]
    if wanted:
        hits = {c.slug: c for key, c in keys.items() if key.startswith(wanted)}
        if len(hits) == 1:
            return next(iter(hits.values()))
    listing = "; ".join(
        c.slug + (f" (also: {', '.join(c.aliases)})" if c.aliases else "") for c in choices
    )
    best = v.closest(wanted, keys)
    if wanted and best is None:
        prefix_hits = sorted({c.slug for key, c in keys.items() if key.startswith(wanted)})
        ambiguous = f" {text!r} could mean {' or '.join(prefix_hits)}." if prefix_hits else ""
    else:
        ambiguous = ""
    hint = f" Did you mean {keys[best].slug!r}?" if best else ""
    error = UsageError if usage else ValidationError
    raise error(
        f"unknown {what} {text!r}.{ambiguous}{hint} Valid {what}s: {listing}", source=source
    )


# --------------------------------------------------------------------------- loading

_TOP_KEYS = (
    "format",
    "slug",
    "occupation",
    "title",
    "introduction",
    "sections",
    "notes",
    "conclusion",
    "faq",
    "tailoring",
)


def _str(value: Any, where: str, name: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        # YAML 1.1 reads NO as false, 012345 as a number and 2024-05-01 as a date
        guessed = value is not None and not isinstance(value, str | list | dict)
        raise GuideError(
            f"{name} must be {'non-empty ' if required else ''}text"
            + (f", not {value!r} (YAML read it as a {type(value).__name__})" if guessed else ""),
            source=where,
            hint="put the value in quotes" if guessed else None,
        )
    if problem := v.text_problem(value, multiline=True):
        raise GuideError(f"{name} {problem[0]}", source=where, hint=problem[1])
    return value.strip()


def _strs(value: Any, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GuideError(f"{name} must be a list of text", source=where)
    return tuple(_str(x, where, f"{name}[{i}]") for i, x in enumerate(value, 1))


def _mapping(value: Any, where: str, name: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise GuideError(f"{name} must be a mapping", source=where)
    return value


def _section(raw: Any, src: str, index: int) -> Section:
    name = f"sections[{index}]"
    m = _mapping(raw, src, name)
    try:
        v.check_keys(m, ("kind", "heading", "intro", "items", "paragraphs"), source=src)
    except ValidationError as exc:
        raise GuideError(exc.message, source=exc.source) from None
    at = v.where(src, m, "kind")
    kind = _str(m.get("kind"), at, f"{name}.kind")
    if kind not in SECTION_KINDS:
        raise GuideError(
            f"{name}.kind {kind!r} is not one of {', '.join(SECTION_KINDS)}", source=at
        )
    raw_items = m.get("items") or []
    if isinstance(raw_items, list) and len(raw_items) > MAX_SECTION_ITEMS:
        raise GuideError(
            f"{name} has {len(raw_items):,} items; a section may have up to "
            f"{MAX_SECTION_ITEMS:,} (no occupation has more)",
            source=v.where(src, m, "items"),
        )
    items = []
    seen: set[str] = set()
    for j, it in enumerate(raw_items, 1):
        im = _mapping(it, v.where(src, m, "items"), f"{name}.items[{j}]")
        iw = v.where(src, im, "name")
        item = Item(
            _str(im.get("name"), iw, f"{name}.items[{j}].name"),
            _str(im.get("description"), iw, f"{name}.items[{j}].description"),
        )
        if item.slug in seen:
            raise GuideError(f"{name} has two items named like {item.slug!r}", source=at)
        seen.add(item.slug)
        items.append(item)
    return Section(
        kind=kind,
        heading=_str(m.get("heading"), at, f"{name}.heading"),
        intro=_str(m.get("intro"), at, f"{name}.intro", required=False),
        items=tuple(items),
        paragraphs=_strs(m.get("paragraphs"), at, f"{name}.paragraphs"),
    )


_TAILORING_KEYS = (
    "people",
    "summary",
    "responsibilities",
    "skills",
    "growth",
    "certification",
    "note",
    "settings",
    "education",
)
_SETTING_KEYS = (
    "aliases",
    "label",
    "people",
    "summary",
    "environment",
    "schedule",
    "responsibilities",
    "duties",
)
_EDUCATION_KEYS = (
    "aliases",
    "label",
    "credential",
    "summary",
    "intro",
    "required",
    "preferred",
    "skills",
    "growth",
    "growth_lead",
    "duties",
)


def when_values(key: str, slugs: Mapping[str, set[str]]) -> tuple[str, ...]:
    """The values a ``when`` key may take: the guide's slugs, or the employer field's choices."""
    from .employer_fields import CERTIFICATION, EMPLOYMENT_TYPES, WORKPLACES  # it imports guide

    closed = {
        "experience": ("none", "required", "unstated"),
        "certification": CERTIFICATION,
        "schedule": ("given", "absent"),
        "workplace": WORKPLACES,
        "employment_type": EMPLOYMENT_TYPES,
    }
    kind = {"setting": "settings", "education": "education"}.get(key)
    return tuple(sorted(slugs[kind])) if kind else closed[key]


class _Reader:
    """Reads one guide's tailoring layer, knowing the guide's item slugs for cross-checks."""

    def __init__(self, src: str, slugs: Mapping[str, set[str]]) -> None:
        self.src = src
        self.slugs = slugs

    def text(self, value: Any, at: str, name: str) -> Text:
        """TEXT or VARIANTS (a list of ``{when, text}``) → :data:`Text`."""
        if value is None:
            return ()
        if not isinstance(value, list):
            return (Variant(_str(value, at, name, required=False)),)
        variants = []
        for i, entry in enumerate(value, 1):
            vm = _mapping(entry, at, f"{name}[{i}]")
            va = v.where(self.src, vm, "text") if vm else at
            v.check_keys(vm, ("when", "text"), source=va, prefix=f"{name}[{i}].")
            when = self.when(vm.get("when"), va, f"{name}[{i}].when")
            text = _str(vm.get("text"), va, f"{name}[{i}].text", required=False)
            variants.append(Variant(text, when))
        return tuple(variants)

    def items(self, value: Any, at: str, name: str) -> Text:
        """A list whose entries are TEXT or ``{when, text}`` (printed when the answers match)."""
        if value is None:
            return ()
        if not isinstance(value, list):
            raise GuideError(f"{name} must be a list", source=at)
        entries: list[Variant] = []
        for i, entry in enumerate(value, 1):
            if isinstance(entry, dict):
                entries.extend(self.text([entry], at, f"{name}[{i}]"))
            else:
                entries.append(Variant(_str(entry, at, f"{name}[{i}]")))
        return tuple(entries)

    def when(self, value: Any, at: str, name: str) -> dict[str, frozenset[str]]:
        m = _mapping(value, at, name)
        v.check_keys(m, WHEN_KEYS, source=at, prefix=f"{name}.")
        when: dict[str, frozenset[str]] = {}
        for key, raw in m.items():
            allowed = when_values(key, self.slugs)
            values = _strs(raw if isinstance(raw, list) else [raw], at, f"{name}.{key}")
            for value_ in values:
                if value_ not in allowed:
                    raise GuideError(
                        f"{name}.{key}: {value_!r} is not one of {', '.join(allowed)}."
                        f"{v.did_you_mean(value_, allowed)}",
                        source=at,
                    )
            when[key] = frozenset(values)
        return when

    def item_key(self, kind: str, key: str, at: str, name: str) -> str:
        known = self.slugs[kind]
        if key not in known:
            raise GuideError(
                f"{name}.{key}: the guide has no {kind} item with this slug."
                f"{v.did_you_mean(key, known)} Slugs: {', '.join(sorted(known)) or '(none)'}",
                source=at,
            )
        return key

    def texts(
        self, value: Any, at: str, name: str, kind: str, *, nullable: bool
    ) -> dict[str, str | None]:
        """``{item-slug: TEXT}`` (``null`` allowed when ``nullable``: the item is left out)."""
        sub = _mapping(value, at, name)
        found: dict[str, str | None] = {}
        for key, x in sub.items():
            kat = v.where(self.src, sub, key)
            self.item_key(kind, key, kat, name)
            found[key] = None if x is None and nullable else _str(x, kat, f"{name}.{key}")
        return found

    def variant_texts(self, value: Any, at: str, name: str, kind: str) -> dict[str, Text | None]:
        """``{item-slug: TEXT|VARIANTS|null}`` (``null``: the item is left out)."""
        sub = _mapping(value, at, name)
        found: dict[str, Text | None] = {}
        for key, x in sub.items():
            kat = v.where(self.src, sub, key)
            self.item_key(kind, key, kat, name)
            found[key] = None if x is None else self.text(x, kat, f"{name}.{key}")
        return found

    def setting(self, slug: str, raw: Any, at: str) -> SettingTailoring:
        name = f"tailoring.settings.{slug}"
        sm = _mapping(raw, at, name)
        v.check_keys(sm, _SETTING_KEYS, source=at, prefix=f"{name}.")
        duties: dict[str, Duty] = {}
        rm = _mapping(sm.get("responsibilities"), at, f"{name}.responsibilities")
        for key, x in rm.items():
            kat = v.where(self.src, rm, key)
            self.item_key("responsibilities", key, kat, f"{name}.responsibilities")
            if isinstance(x, dict):
                v.check_keys(x, ("name", "text"), source=kat, prefix=f"{name}.{key}.")
                duties[key] = Duty(
                    _str(x.get("name"), kat, f"{name}.{key}.name", required=False),
                    _str(x.get("text"), kat, f"{name}.{key}.text"),
                )
            else:
                duties[key] = Duty("", _str(x, kat, f"{name}.responsibilities.{key}"))
        return SettingTailoring(
            aliases=tuple(_norm(a) for a in _strs(sm.get("aliases"), at, f"{name}.aliases")),
            label=_str(sm.get("label"), at, f"{name}.label", required=False),
            people=_str(sm.get("people"), at, f"{name}.people", required=False),
            summary=self.text(sm.get("summary"), at, f"{name}.summary"),
            environment=self.text(sm.get("environment"), at, f"{name}.environment"),
            schedule=self.text(sm.get("schedule"), at, f"{name}.schedule"),
            responsibilities=duties,
            duties=_strs(sm.get("duties"), at, f"{name}.duties"),
        )

    def education(self, slug: str, raw: Any, at: str) -> EducationTailoring:
        name = f"tailoring.education.{slug}"
        em = _mapping(raw, at, name)
        v.check_keys(em, _EDUCATION_KEYS, source=at, prefix=f"{name}.")
        lead = _str(em.get("growth_lead"), at, f"{name}.growth_lead", required=False)
        if lead:
            self.item_key("growth", lead, at, f"{name}.growth_lead")
        return EducationTailoring(
            aliases=tuple(_norm(a) for a in _strs(em.get("aliases"), at, f"{name}.aliases")),
            label=_str(em.get("label"), at, f"{name}.label", required=False),
            credential=_str(em.get("credential"), at, f"{name}.credential", required=False),
            summary=self.text(em.get("summary"), at, f"{name}.summary"),
            intro=self.text(em.get("intro"), at, f"{name}.intro"),
            required=self.items(em.get("required"), at, f"{name}.required"),
            preferred=self.items(em.get("preferred"), at, f"{name}.preferred"),
            skills=self.variant_texts(em.get("skills"), at, f"{name}.skills", "skills"),
            growth=self.texts(em.get("growth"), at, f"{name}.growth", "growth", nullable=True),
            growth_lead=lead,
            duties=self.items(em.get("duties"), at, f"{name}.duties"),
        )


def _tailoring(raw: Any, src: str, slugs: Mapping[str, set[str]]) -> Tailoring:
    m = _mapping(raw, src, "tailoring")
    v.check_keys(m, _TAILORING_KEYS, source=src, prefix="tailoring.")
    read = _Reader(src, slugs)

    def at(key: str) -> str:
        return v.where(src, m, key)

    per_kind: dict[str, dict[str, Any]] = {}
    for kind, what in (("settings", "setting"), ("education", "education pathway")):
        sub = _mapping(m.get(kind), at(kind), f"tailoring.{kind}")
        for slug in sub:
            known = slugs[kind]
            if slug not in known:
                raise GuideError(
                    f"tailoring.{kind}.{slug}: no such {what} in the guide."
                    f"{v.did_you_mean(slug, known)} Slugs: {', '.join(sorted(known))}",
                    source=v.where(src, sub, slug),
                )
        per_kind[kind] = dict(sub)
    settings_raw = m.get("settings")
    education_raw = m.get("education")
    certification = _mapping(m.get("certification"), at("certification"), "certification")
    v.check_keys(
        certification,
        ("required", "preferred"),
        source=at("certification"),
        prefix="tailoring.certification.",
    )
    responsibilities = read.texts(
        m.get("responsibilities"),
        at("responsibilities"),
        "tailoring.responsibilities",
        "responsibilities",
        nullable=False,
    )
    return Tailoring(
        people=_str(m.get("people"), at("people"), "tailoring.people", required=False),
        summary=read.text(m.get("summary"), at("summary"), "tailoring.summary"),
        responsibilities={k: x for k, x in responsibilities.items() if x is not None},
        skills=read.texts(
            m.get("skills"), at("skills"), "tailoring.skills", "skills", nullable=True
        ),
        growth=read.texts(
            m.get("growth"), at("growth"), "tailoring.growth", "growth", nullable=True
        ),
        certification={
            k: _str(x, at("certification"), f"tailoring.certification.{k}")
            for k, x in certification.items()
        },
        note=read.text(m.get("note"), at("note"), "tailoring.note"),
        settings={
            slug: read.setting(slug, raw_, v.where(src, settings_raw, slug))
            for slug, raw_ in per_kind["settings"].items()
        },
        education={
            slug: read.education(slug, raw_, v.where(src, education_raw, slug))
            for slug, raw_ in per_kind["education"].items()
        },
    )


def _check_sections(sections: tuple[Section, ...], source: str) -> None:
    """A guide has exactly one responsibilities, settings and education section, each with items."""
    for kind in ("responsibilities", "settings", "education"):
        found = [s for s in sections if s.kind == kind]
        if not found or not found[0].items:
            raise GuideError(
                f"the guide needs a {kind!r} section with at least one item", source=source
            )
        if len(found) > 1:
            raise GuideError(f"the guide has more than one {kind!r} section", source=source)


def _faq(raw: Any, source: str) -> tuple[FaqEntry, ...]:
    faq = []
    for i, entry in enumerate(raw or [], 1):
        fm = _mapping(entry, source, f"faq[{i}]")
        fw = v.where(source, fm, "question")
        faq.append(
            FaqEntry(
                _str(fm.get("question"), fw, f"faq[{i}].question"),
                _str(fm.get("answer"), fw, f"faq[{i}].answer"),
            )
        )
    return tuple(faq)


def guide_from_data(data: Any, source: str) -> Guide:
    """Validate parsed guide data (from YAML, or from the importer) into a :class:`Guide`."""
    if not isinstance(data, dict):
        raise GuideError(
            f"a guide file must be a mapping with the keys {', '.join(_TOP_KEYS)}", source=source
        )
    try:
        v.check_keys(data, _TOP_KEYS, source=source)
        fmt = data.get("format")
        if fmt != FORMAT:
            raise GuideError(
                f"format must be {FORMAT!r} (found {fmt!r})", source=v.where(source, data, "format")
            )
        intro = _mapping(data.get("introduction"), source, "introduction")
        sections = tuple(
            _section(s, source, i) for i, s in enumerate(data.get("sections") or [], 1)
        )
        _check_sections(sections, source)
        slugs = {
            kind: {i.slug for s in sections if s.kind == kind for i in s.items}
            for kind in ("responsibilities", "skills", "settings", "growth", "education")
        }
        occupation = _str(data.get("occupation"), v.where(source, data, "occupation"), "occupation")
        return Guide(
            slug=_str(data.get("slug"), source, "slug", required=False) or v.slugify(occupation),
            occupation=occupation,
            title=_str(data.get("title"), source, "title", required=False) or occupation,
            introduction_heading=_str(intro.get("heading"), source, "introduction", required=False),
            introduction=_str(intro.get("text"), source, "introduction.text", required=False),
            sections=sections,
            notes=_strs(data.get("notes"), source, "notes"),
            conclusion=_str(data.get("conclusion"), source, "conclusion", required=False),
            faq=_faq(data.get("faq"), source),
            tailoring=_tailoring(data.get("tailoring"), source, slugs),
            source=source,
        )
    except GuideError:
        raise
    except ValidationError as exc:
        raise GuideError(exc.message, source=exc.source, hint=exc.hint) from None


GUIDES_DIR = Path(__file__).resolve().parent / "guides"


def _builtin_path(name: str) -> Path:
    return GUIDES_DIR / f"{name}.yaml"


@functools.lru_cache(maxsize=8)
def _load_builtin(slug: str, mtime: float) -> Guide:
    data = load_yaml_file(_builtin_path(slug), what="guide file")
    return guide_from_data(data, f"built-in guide {slug}")


@functools.lru_cache(maxsize=16)
def _load_path(path: str, mtime: float) -> Guide:
    if Path(path).suffix.lower() == ".txt":
        from .guide_import import import_guide_file  # guide_import builds on this module

        return guide_from_data(import_guide_file(path), path)
    return guide_from_data(load_yaml_file(Path(path), what="guide file"), path)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long to be a file, say: let the reader report it
        return True


def load_guide(name_or_path: str | Path | None = None) -> Guide:
    """Load a built-in guide by name (default: the Mental Health Technician) or a guide file.

    A ``.txt`` path is a guide text, imported on the fly (see :mod:`jobgen.guide_import`).
    """
    name = str(name_or_path) if name_or_path is not None else BUILTIN_GUIDES[0]
    candidate = Path(name)
    if candidate.suffix.lower() in (".yaml", ".yml", ".txt") or _exists(candidate):
        try:
            mtime = candidate.stat().st_mtime
        except OSError:
            mtime = 0.0
        return _load_path(str(candidate), mtime)
    builtin = {g: g for g in BUILTIN_GUIDES}
    hits = [g for g in BUILTIN_GUIDES if g.startswith(v.slugify(name))] if name else []
    slug = builtin.get(v.slugify(name)) or (hits[0] if len(hits) == 1 else None)
    if slug is None:
        raise UsageError(
            f"no built-in guide or guide file named {name!r}.{v.did_you_mean(name, BUILTIN_GUIDES)}"
            f" Built-in guides: {', '.join(BUILTIN_GUIDES)};"
            " or give the path of a guide .yaml file",
            source="--guide",
        )
    try:
        mtime = _builtin_path(slug).stat().st_mtime
    except OSError:
        mtime = 0.0
    return _load_builtin(slug, mtime)


def describe_guide(guide: Guide) -> dict[str, Any]:
    """A guide's shape, JSON-ready: sections with their counts, choices, tailoring coverage."""

    def choices(items: tuple[Choice, ...]) -> list[dict[str, Any]]:
        return [{"slug": c.slug, "name": c.name, "aliases": list(c.aliases)} for c in items]

    return {
        "slug": guide.slug,
        "occupation": guide.occupation,
        "title": guide.title,
        "source": guide.source,
        "sections": [
            {
                "kind": s.kind,
                "heading": s.heading,
                "items": len(s.items),
                "paragraphs": len(s.paragraphs),
            }
            for s in guide.sections
        ],
        "notes": len(guide.notes),
        "conclusion": bool(guide.conclusion),
        "faq": len(guide.faq),
        "settings": choices(guide.setting_choices()),
        "education": choices(guide.education_choices()),
        "tailoring": {
            "settings": sorted(guide.tailoring.settings),
            "education": sorted(guide.tailoring.education),
        },
    }
