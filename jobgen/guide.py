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
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _validate as v
from ._memo import keep
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


@dataclass(frozen=True)
class SettingTailoring:
    """How postings for one work setting read: environment, schedule, emphasised duties."""

    aliases: tuple[str, ...] = ()
    label: str = ""
    summary: str = ""
    environment: str = ""
    schedule: str = ""
    focus: Mapping[str, str] = field(default_factory=dict)
    duties: tuple[str, ...] = ()


@dataclass(frozen=True)
class EducationTailoring:
    """How postings for one education level read: the required and preferred lines."""

    aliases: tuple[str, ...] = ()
    label: str = ""
    credential: str = ""
    summary: str = ""
    required: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    skills: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Tailoring:
    """The guide's optional tailoring layer, per setting and per education level."""

    summary: str = ""
    responsibilities: Mapping[str, str] = field(default_factory=dict)
    skills: Mapping[str, str] = field(default_factory=dict)
    growth: Mapping[str, str] = field(default_factory=dict)
    certification: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
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


_RESOLVED: dict[tuple[str, int], tuple[tuple[Choice, ...], Choice]] = {}
"""Texts resolved before: ``(text, id of the choices)`` → (the choices, the choice found). A
batch names the same few settings and education levels row after row. An entry holds its
choices, so their id cannot be reused while it lives; misses are never kept (their message
names where the text came from). Bounded: it starts afresh when full."""
_RESOLVED_MAX = 4096
_RESOLVED_LONGEST = 200
"""Longer texts are resolved every time (no choice is named that long)."""


def clear_caches() -> None:
    """Forget the texts resolved before (for tests and measurements)."""
    _RESOLVED.clear()


def resolve_choice(
    text: str, choices: tuple[Choice, ...], what: str, *, source: str, usage: bool = True
) -> Choice:
    """Find a choice by slug, alias, name or unique prefix, case-insensitively.

    A miss raises an error listing every valid choice and the closest one; it is a
    :class:`UsageError` (exit 2) when the text came from a flag, a :class:`ValidationError`
    when it came from a file.
    """
    memo = (text, id(choices))
    hit = _RESOLVED.get(memo)
    if hit is not None and hit[0] is choices:
        return hit[1]
    found = _resolve(text, choices, what, source=source, usage=usage)
    if len(text) <= _RESOLVED_LONGEST:
        keep(_RESOLVED, memo, (choices, found), _RESOLVED_MAX)
    return found


def _resolve(
    text: str, choices: tuple[Choice, ...], what: str, *, source: str, usage: bool
) -> Choice:
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


def _tailoring(raw: Any, src: str, guide_settings: set[str], guide_edu: set[str]) -> Tailoring:
    m = _mapping(raw, src, "tailoring")
    v.check_keys(
        m,
        (
            "summary",
            "responsibilities",
            "skills",
            "growth",
            "certification",
            "note",
            "settings",
            "education",
        ),
        source=src,
        prefix="tailoring.",
    )

    def texts(key: str) -> dict[str, str]:
        sub = _mapping(m.get(key), v.where(src, m, key), f"tailoring.{key}")
        return {k: _str(x, v.where(src, sub, k), f"tailoring.{key}.{k}") for k, x in sub.items()}

    settings: dict[str, SettingTailoring] = {}
    for slug, st in _mapping(m.get("settings"), src, "tailoring.settings").items():
        at = v.where(src, m.get("settings"), slug)
        if slug not in guide_settings:
            raise GuideError(
                f"tailoring.settings.{slug}: no such setting in the guide."
                f"{v.did_you_mean(slug, guide_settings)} "
                f"Settings: {', '.join(sorted(guide_settings))}",
                source=at,
            )
        sm = _mapping(st, at, f"tailoring.settings.{slug}")
        fields = ("aliases", "label", "summary", "environment", "schedule", "focus", "duties")
        v.check_keys(sm, fields, source=src, prefix=f"tailoring.settings.{slug}.")
        focus = _mapping(sm.get("focus"), at, "focus")
        settings[slug] = SettingTailoring(
            aliases=tuple(_norm(a) for a in _strs(sm.get("aliases"), at, "aliases")),
            label=_str(sm.get("label"), at, "label", required=False),
            summary=_str(sm.get("summary"), at, "summary", required=False),
            environment=_str(sm.get("environment"), at, "environment", required=False),
            schedule=_str(sm.get("schedule"), at, "schedule", required=False),
            focus={k: _str(x, at, f"focus.{k}") for k, x in focus.items()},
            duties=_strs(sm.get("duties"), at, "duties"),
        )
    education: dict[str, EducationTailoring] = {}
    for slug, et in _mapping(m.get("education"), src, "tailoring.education").items():
        at = v.where(src, m.get("education"), slug)
        if slug not in guide_edu:
            raise GuideError(
                f"tailoring.education.{slug}: no such education pathway in the guide."
                f"{v.did_you_mean(slug, guide_edu)} Pathways: {', '.join(sorted(guide_edu))}",
                source=at,
            )
        em = _mapping(et, at, f"tailoring.education.{slug}")
        fields = ("aliases", "label", "credential", "summary", "required", "preferred", "skills")
        v.check_keys(em, fields, source=src, prefix=f"tailoring.education.{slug}.")
        education[slug] = EducationTailoring(
            aliases=tuple(_norm(a) for a in _strs(em.get("aliases"), at, "aliases")),
            label=_str(em.get("label"), at, "label", required=False),
            credential=_str(em.get("credential"), at, "credential", required=False),
            summary=_str(em.get("summary"), at, "summary", required=False),
            required=_strs(em.get("required"), at, "required"),
            preferred=_strs(em.get("preferred"), at, "preferred"),
            skills={
                k: _str(x, at, f"skills.{k}")
                for k, x in _mapping(em.get("skills"), at, "skills").items()
            },
        )
    return Tailoring(
        summary=_str(m.get("summary"), src, "tailoring.summary", required=False),
        responsibilities=texts("responsibilities"),
        skills=texts("skills"),
        growth=texts("growth"),
        certification=texts("certification"),
        note=_str(m.get("note"), src, "tailoring.note", required=False),
        settings=settings,
        education=education,
    )


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
        for kind in ("responsibilities", "settings", "education"):
            found = [s for s in sections if s.kind == kind]
            if not found or not found[0].items:
                raise GuideError(
                    f"the guide needs a {kind!r} section with at least one item", source=source
                )
            if len(found) > 1:
                raise GuideError(f"the guide has more than one {kind!r} section", source=source)
        settings = {i.slug for s in sections if s.kind == "settings" for i in s.items}
        edu = {i.slug for s in sections if s.kind == "education" for i in s.items}
        faq = []
        for i, entry in enumerate(data.get("faq") or [], 1):
            fm = _mapping(entry, source, f"faq[{i}]")
            fw = v.where(source, fm, "question")
            faq.append(
                FaqEntry(
                    _str(fm.get("question"), fw, f"faq[{i}].question"),
                    _str(fm.get("answer"), fw, f"faq[{i}].answer"),
                )
            )
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
            faq=tuple(faq),
            tailoring=_tailoring(data.get("tailoring"), source, settings, edu),
            source=source,
        )
    except GuideError:
        raise
    except ValidationError as exc:
        raise GuideError(exc.message, source=exc.source, hint=exc.hint) from None


GUIDES_DIR = Path(__file__).resolve().parent / "guides"
CACHE_FORMAT = "jobgen-guide-cache/1"


def _builtin_path(name: str) -> Path:
    return GUIDES_DIR / f"{name}.yaml"


def cache_path(yaml_path: Path) -> Path:
    """Where the parsed form of a built-in guide is kept: ``<name>.cache.json`` beside it."""
    return yaml_path.with_suffix(".cache.json")


def cache_document(yaml_bytes: bytes, data: Any) -> str:
    """The JSON cache of a built-in guide: the parsed YAML, keyed on the YAML's SHA-256."""
    document = {
        "format": CACHE_FORMAT,
        "yaml_sha256": hashlib.sha256(yaml_bytes).hexdigest(),
        "data": data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _cached_data(path: Path) -> Any | None:
    """The built-in guide's data from its JSON cache, or ``None`` when the cache is missing or
    was made from other YAML (then the YAML is parsed: slower, never wrong).

    Parsing the 30 KB guide with PyYAML takes about 20 ms; reading the JSON, well under one.
    ``tools/build_caches.py`` writes the cache and a test keeps it equal to the YAML.
    """
    try:
        yaml_bytes = path.read_bytes()
        cached = json.loads(cache_path(path).read_bytes())
    except (OSError, ValueError):
        return None
    if (
        not isinstance(cached, dict)
        or cached.get("format") != CACHE_FORMAT
        or cached.get("yaml_sha256") != hashlib.sha256(yaml_bytes).hexdigest()
    ):
        return None
    return cached.get("data")


@functools.lru_cache(maxsize=8)
def _load_builtin(slug: str, mtime: float) -> Guide:
    path = _builtin_path(slug)
    data = _cached_data(path)
    if data is None:
        data = load_yaml_file(path, what="guide file")
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
