"""Read a career guide written like the Mental Health Technician guide into guide data.

The text shape (see ``/work/shared/guides/mental-health-technician.txt``)::

    <Occupation> Job Description                  title line
    Introduction to <Occupation> Careers          heading, then paragraphs
    Role and Responsibilities                     heading
    <intro sentence ending with ':'>
    Label: description                            one line per item
    ...
    Notes:          📝 Note: ...                   notes
    Conclusion:     <paragraphs>
    FAQ:            question / + / answer, repeated

Sections are recognised by what their heading says (:data:`KIND_KEYWORDS`), never by their position
or the number of items; a heading nothing matches is kept as a section of kind ``other``. The result
is the plain dict :func:`jobgen.guide.guide_from_data` accepts, in the key order and layout of the
built-in guide file, so :func:`dump_guide_yaml` reproduces that file's content part exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import _validate as v
from . import _voice
from ._yaml import read_text
from .errors import GuideError
from .guide import FORMAT, Guide, guide_from_data

# Ordered: when a heading matches several kinds, the keyword found earliest in the heading wins,
# and on a tie the kind listed first here.
KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("faq", r"\bfaqs?\b|frequently asked|questions and answers|\bq ?& ?a\b"),
    ("notes", r"\bnotes?\b"),
    ("conclusion", r"\bconclu|\bsummary\b|final thoughts"),
    ("steps", r"\bsteps?\b|\bbecom|\bhow to\b|getting started"),
    (
        "responsibilities",
        r"responsib|\bdut(?:y|ies)\b|\broles?\b|day-to-day|what .+ do\b|\btasks\b"
        r"|typical day|day in the life",
    ),
    ("skills", r"\bskill|qualif|competenc|\babilit|\brequire"),
    ("settings", r"setting|environment|workplace|\bwhere\b|\bemployers\b"),
    ("growth", r"growth|advanc|career path|opportunit|progression|moving up|\bmove up|\bladder"),
    ("education", r"educat|training|degree|school|pathway|certif|licens"),
)
INTRO_KEYWORDS = r"\bintro|\boverview\b|\babout (?:the|this) (?:job|role|position|career|work)\b"
ITEM_KINDS = ("responsibilities", "skills", "settings", "growth", "education", "steps")
REQUIRED_KINDS = {
    "responsibilities": "Role and Responsibilities",
    "settings": "Work Environment and Settings",
    "education": "Education and Training",
}

FOLD_OVER = 80
"""Strings longer than this are written folded (``>-``), as in the built-in guide file."""

_CLOSERS = "\"'’”»)]*_"
_BULLET = re.compile(r"^(?:[-*•●▪◦‣·]\s+|\d{1,2}[.)]\s+)")
_ITEM = re.compile(r"^(?P<name>[^:]{1,80}?)\s*:\s+(?P<desc>\S.*)$")
_NOTE = re.compile(r"^notes?\s*:\s*(?P<text>\S.*)$", re.IGNORECASE)
_JOB_DESCRIPTION = re.compile(
    r"^(?:job description\s*[:–—-]\s*(?P<before>.+)|(?P<after>.+?)[\s:–—-]*job description)$",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- line shapes


def _strip_symbols(text: str) -> str:
    """Drop leading emoji, bullets and markup marks: ``"📝 Note: x"`` → ``"Note: x"``."""
    i = 0
    while i < len(text) and (
        unicodedata.category(text[i]) in ("So", "Sk", "Sm", "Cf", "Mn", "Co", "Cs", "Zs")
        or text[i] in "*#>•·-–—_ \t"
        or text[i + 1 : i + 2] == "\ufe0f"  # a letter-like symbol drawn as emoji, such as ℹ️
    ):
        i += 1
    return text[i:]


def _last_char(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    return stripped[-1:] if stripped else ""


def _item(text: str) -> tuple[str, str] | None:
    """``("Label", "description")`` when the line is a ``Label: description`` item."""
    m = _ITEM.match(_BULLET.sub("", _strip_symbols(text)))
    if m is None:
        return None
    name = m["name"].strip()
    if (
        not name
        or len(name.split()) > 10
        or _last_char(name) in ".!?;,"
        or re.search(r"[.!?] ", name)
        or not (name[0].isupper() or name[0].isdigit() or name[0] in "\"'‘“(")
    ):
        return None
    return name, m["desc"].strip()


def _note(text: str) -> str | None:
    m = _NOTE.match(_strip_symbols(text))
    return m["text"].strip() if m else None


def _heading_shaped(text: str) -> bool:
    """A short line without a sentence's final punctuation and without ``Label: description``."""
    core = _strip_symbols(text)
    if not core or core == "+" or _item(core) is not None or _note(core) is not None:
        return False
    colon = core.endswith(":")
    if colon:
        core = core[:-1].rstrip()
        if len(core.split()) > 5 or "," in core:
            return False
    return (
        bool(core)
        and len(core) <= 100
        and len(core.split()) <= 14
        and ": " not in core
        and _last_char(core) not in ".!?;,:"
    )


def _heading_text(text: str) -> str:
    return _BULLET.sub("", _strip_symbols(text)).rstrip(":").strip()


def _kind_of(heading: str) -> str:
    found: list[tuple[int, int, str]] = []
    for order, (kind, pattern) in enumerate(KIND_KEYWORDS):
        m = re.search(pattern, heading, re.IGNORECASE)
        if m:
            found.append((m.start(), order, kind))
    return min(found)[2] if found else "other"


# --------------------------------------------------------------------------- parsing


@dataclass
class _Line:
    no: int
    text: str


@dataclass
class _Section:
    kind: str
    heading: str
    line: int
    lead: list[str] = field(default_factory=list)
    items: list[tuple[str, str, int]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


@dataclass
class _Question:
    text: str
    line: int
    plus: bool = False
    answer: list[str] = field(default_factory=list)


def _lines(text: str) -> list[_Line]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [_Line(no, " ".join(raw.split())) for no, raw in enumerate(text.split("\n"), 1)]


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = [line for line in _lines(text) if line.text]
        self.last_line = self.lines[-1].no if self.lines else 1
        self.intro_heading = ""
        self.intro: list[str] = []
        self.sections: list[_Section] = []
        self.notes: list[str] = []
        self.conclusion: list[str] = []
        self.faq: list[_Question] = []
        self.target: str | _Section = "introduction"
        self.fresh = True  # no content yet under the current heading

    def fail(self, line: int, message: str) -> GuideError:
        return GuideError(message, source=f"{self.source}:{line}")

    def _is_heading(self, i: int) -> bool:
        """Heading-shaped, and not followed directly by another short unpunctuated line."""
        line = self.lines[i]
        if not _heading_shaped(line.text):
            return False
        if (
            self.fresh
            and line.text.endswith(":")
            and self.target != "introduction"
            and _kind_of(_heading_text(line.text)) not in ("notes", "conclusion", "faq")
        ):
            return False  # "Their primary duties include:" right under a heading is its intro
        if i + 1 == len(self.lines) or self.lines[i + 1].no > line.no + 1:
            return True
        following = self.lines[i + 1].text
        return not _heading_shaped(following) or following.endswith(":")

    def parse(self) -> dict[str, Any]:
        if not self.lines:
            raise self.fail(
                1,
                "expected a guide text starting with a title line such as "
                "'Pharmacy Technician Job Description'; the text is empty",
            )
        title = self.lines[0]
        occupation = self._occupation(title)
        for i in range(1, len(self.lines)):
            self._line(i)
        self._close_faq()
        return self._result(title.text, occupation)

    def _occupation(self, title: _Line) -> str:
        text = _strip_symbols(title.text).rstrip(":").strip()
        m = _JOB_DESCRIPTION.match(text)
        if m is None and not _heading_shaped(title.text):
            raise self.fail(
                title.no,
                "expected the guide's title line, such as 'Pharmacy Technician Job Description' "
                "(a short line without a final period or a 'Label: text' shape); "
                f"found {_cut(text)!r}",
            )
        occupation = (m["before"] or m["after"]).strip(" :–—-") if m else text
        if not v.slugify(occupation):
            raise self.fail(
                title.no,
                "the title line names no occupation; expected '<Occupation> Job Description'",
            )
        return occupation

    def _line(self, i: int) -> None:
        line = self.lines[i]
        if self.target == "faq" and self._faq_line(i):
            return
        if line.text == "+":
            raise self.fail(
                line.no,
                "a '+' line belongs in the FAQ, between a question and its answer; "
                "expected it under a heading such as 'FAQ:'",
            )
        if self._is_heading(i):
            self._heading(line)
            return
        self.fresh = False
        note = _note(line.text)
        if self.target == "notes":
            self.notes.append(note or _strip_symbols(line.text))
        elif note is not None:
            self.notes.append(note)
        elif self.target == "introduction":
            self.intro.append(line.text)
        elif self.target == "conclusion":
            self.conclusion.append(line.text)
        elif isinstance(self.target, _Section):
            section = self.target
            item = _item(line.text)
            if item is not None:
                section.items.append((*item, line.no))
            elif section.items:
                section.after.append(line.text)
            else:
                section.lead.append(line.text)

    def _heading(self, line: _Line) -> None:
        self._close_faq()
        heading = _heading_text(line.text)
        kind = _kind_of(heading)
        self.fresh = True
        if (
            not self.sections
            and not self.intro_heading
            and not self.intro
            and re.search(INTRO_KEYWORDS, heading, re.IGNORECASE)
        ):
            self.intro_heading = heading
            self.target = "introduction"
            return
        if kind in ("notes", "faq") or (kind == "conclusion" and not self.conclusion):
            self.target = kind
            return
        taken = {s.kind for s in self.sections}
        section = _Section(kind if kind not in taken else "other", heading, line.no)
        if section.kind not in ITEM_KINDS:
            section.kind = "other"
        self.sections.append(section)
        self.target = section

    # FAQ: "question", "+", "answer"; a question may also be a line ending with "?" and no "+".
    def _faq_line(self, i: int) -> bool:
        line = self.lines[i]
        current = self.faq[-1] if self.faq else None
        if line.text == "+":
            if current is None or current.plus or current.answer:
                raise self.fail(line.no, "expected a FAQ question on the line before this '+' line")
            current.plus = True
            return True
        if i + 1 < len(self.lines) and self.lines[i + 1].text == "+":
            self._close_faq()
            self.faq.append(_Question(line.text, line.no))
            return True
        if current is not None and current.plus and not current.answer:
            current.answer.append(line.text)
            return True
        if self._is_heading(i):
            return False
        if _last_char(line.text) == "?" and (current is None or current.answer):
            self._close_faq()
            self.faq.append(_Question(line.text, line.no))
            return True
        if current is None:
            raise self.fail(
                line.no,
                "expected a FAQ question: a question line, then a '+' line, then the answer",
            )
        current.answer.append(line.text)
        return True

    def _close_faq(self) -> None:
        if self.faq and not self.faq[-1].answer:
            q = self.faq[-1]
            raise self.fail(
                q.line,
                f"the FAQ question {_cut(q.text)!r} has no answer; "
                "expected a '+' line and then the answer on the lines after it",
            )

    def _result(self, title: str, occupation: str) -> dict[str, Any]:
        for section in self.sections:
            seen: dict[str, int] = {}
            for name, _desc, no in section.items:
                slug = v.slugify(name)
                if slug in seen:
                    raise self.fail(
                        no,
                        f"{name!r} repeats the item on line {seen[slug]} in section "
                        f"{section.heading!r}; each item needs its own name",
                    )
                seen[slug] = no
        for kind, example in REQUIRED_KINDS.items():
            found_section = next((s for s in self.sections if s.kind == kind), None)
            if found_section is None:
                found = "; ".join(f"{s.heading!r} (line {s.line}, {s.kind})" for s in self.sections)
                raise self.fail(
                    self.last_line,
                    f"expected a section about {kind}: a heading such as {example!r} followed by "
                    f"'Label: description' lines; parsing stopped at line {self.last_line} (end of "
                    f"text). Headings found: {found or 'none'}",
                )
            if not found_section.items:
                raise self.fail(
                    found_section.line,
                    f"the section {found_section.heading!r} ({kind}) has no "
                    "'Label: description' lines; "
                    "expected one line per entry, such as 'Hospitals: what the work is like there'",
                )
        data: dict[str, Any] = {
            "format": FORMAT,
            "slug": v.slugify(occupation),
            "occupation": occupation,
            "title": title,
        }
        introduction = {"heading": self.intro_heading, "text": "\n\n".join(self.intro)}
        introduction = {k: x for k, x in introduction.items() if x}
        if introduction:
            data["introduction"] = introduction
        data["sections"] = [_section_data(s) for s in self.sections]
        if self.notes:
            data["notes"] = self.notes
        if self.conclusion:
            data["conclusion"] = "\n\n".join(self.conclusion)
        if self.faq:
            data["faq"] = [{"question": q.text, "answer": "\n\n".join(q.answer)} for q in self.faq]
        return data


def _section_data(section: _Section) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": section.kind, "heading": section.heading}
    paragraphs = list(section.after)
    if section.items:
        if section.lead:
            out["intro"] = " ".join(section.lead)
        out["items"] = [{"name": n, "description": d} for n, d, _no in section.items]
    else:
        paragraphs = section.lead + paragraphs
    if paragraphs:
        out["paragraphs"] = paragraphs
    return out


def _cut(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- public API


def import_guide_text(text: str, source: str, *, tailoring: bool = True) -> dict[str, Any]:
    """Parse a guide text into guide data (the dict :func:`~jobgen.guide.guide_from_data` takes):
    the guide's content faithfully, then (unless ``tailoring`` is false) a draft tailoring layer
    in posting voice (see :func:`draft_tailoring`).

    Raises :class:`~jobgen.errors.GuideError` naming ``source:line`` and what was expected there.
    """
    data = _Parser(text, source).parse()
    guide_from_data(data, source)  # the importer never hands out data the loader would refuse
    if tailoring:
        data["tailoring"] = draft_tailoring(data)
    return data


def import_guide_file(path: str | Path, *, tailoring: bool = True) -> dict[str, Any]:
    """Read a UTF-8 guide text file and parse it with :func:`import_guide_text`."""
    path = Path(path)
    return import_guide_text(read_text(path, what="guide text"), str(path), tailoring=tailoring)


_POSTING_SECTIONS = {
    "skills": ("'Skills and Qualifications' or 'Requirements'", "'Skills that matter'"),
    "growth": ("'Career Advancement' or 'Moving Up'", "'Where this role can lead'"),
}
_KIND_EXAMPLES = "'Responsibilities', 'Skills', 'Work Settings', 'Career Path' or 'Education'"


_NOT_FOR_POSTINGS = re.compile(r"salar|\bpay\b|wages|earnings|outlook", re.IGNORECASE)
"""Sections kept as kind ``other`` on purpose, without a warning: pay and job outlook, which a
posting takes from the employer's answers, not from a guide."""


def guide_warnings(guide: Guide) -> tuple[str, ...]:
    """What postings made from ``guide`` will lack, one sentence each: a section the importer
    could not place (kind ``other``: its heading named no known kind, or repeated a kind; pay and
    outlook sections are left out on purpose), and a missing skills or growth section. The guide
    is still usable; ``guide validate --strict`` treats these as failures."""
    found: list[str] = []
    kinds = {s.kind: s for s in reversed(guide.sections)}
    for section in guide.sections:
        if section.kind != "other" or _NOT_FOR_POSTINGS.search(section.heading):
            continue
        content = _amount(len(section.items), "item") or _amount(
            len(section.paragraphs), "paragraph"
        )
        guess = _kind_of(section.heading)
        if guess in kinds and guess in ITEM_KINDS:
            found.append(
                f"section {section.heading!r} repeats the {guess} section "
                f"{kinds[guess].heading!r}: postings use only that one, so its "
                f"{content or 'text'} will appear in no posting; merge the two sections"
            )
        else:
            found.append(
                f"section {section.heading!r} was not placed (its heading names none of "
                f"responsibilities, skills, settings, growth, education, steps): postings will "
                f"lack its {content or 'text'}; if it holds one of these, rename the heading "
                f"(such as {_KIND_EXAMPLES}) or set its kind in the guide YAML"
            )
    for kind, (example, posting_section) in _POSTING_SECTIONS.items():
        if kind not in kinds:
            found.append(
                f"the guide has no {kind} section (a heading such as {example}): postings "
                f"will have no {posting_section} section"
            )
    return tuple(found)


def _amount(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}" if count else ""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = ">" if len(text) > FOLD_OVER else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_guide_yaml(data: dict[str, Any]) -> str:
    """Guide data as YAML in the built-in file's style: block lists, long text folded (``>-``);
    a tailoring layer comes after a comment saying it is a draft to review."""
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    if "tailoring" in data:
        text = text.replace("\ntailoring:\n", "\n" + DRAFT_COMMENT + "tailoring:\n", 1)
    return text


# --------------------------------------------------------------------------- the draft tailoring

DRAFT_COMMENT = (
    "# DRAFT tailoring layer, written by `jobgen guide import` from the guide's own text in\n"
    "# posting voice. Review and edit it before publishing postings: read a rendered posting\n"
    "# for each setting and education level (jobgen gallery) and fix what reads badly.\n"
)

_SCHEDULE_WORDS = re.compile(
    r"\b(?:shifts?|nights?|weekends?|holidays?|mornings?|evenings?|overnight|around the clock"
    r"|24 hours"
    r"|full[- ]time|part[- ]time|on call|overtime|saturdays?|sundays?)\b",
    re.IGNORECASE,
)
_NOT_A_POSTING_PATH = re.compile(
    r"entrepreneur|private practice|consulting (?:business|work|firm)|\bown (?:[\w-]+ ){0,4}?"
    r"(?:business|practice|agency|company|firm)\b|start(?:ing)? (?:a|an|their|your) (?:[\w-]+ )?"
    r"(?:business|practice|agency|company)|opening (?:a|an|their|your) (?:[\w-]+ ){0,2}?"
    r"(?:practice|business)",
    re.IGNORECASE,
)
"""Growth paths a job posting does not offer: leaving to run one's own business."""
_EDUCATION_SKILL = re.compile(r"educat|training|degree|diploma|certif|licens", re.IGNORECASE)
"""A skill item that restates the requirements (shown under Qualifications already)."""
_MATCH_STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "before",
        "between",
        "by",
        "care",
        "day",
        "during",
        "each",
        "every",
        "for",
        "from",
        "get",
        "give",
        "help",
        "into",
        "is",
        "it",
        "its",
        "make",
        "more",
        "most",
        "of",
        "on",
        "or",
        "other",
        "over",
        "same",
        "such",
        "take",
        "than",
        "that",
        "the",
        "their",
        "them",
        "these",
        "they",
        "this",
        "to",
        "under",
        "up",
        "use",
        "who",
        "will",
        "with",
        "work",
        "you",
        "your",
    ]
)


def _singular(word: str) -> str:
    low = word.lower()
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if low.endswith("s") and not low.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _lower(name: str) -> str:
    """``"State-Approved CNA Training Programs"`` → ``"state-approved CNA training programs"``."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in name.split())


def _setting_label(name: str) -> str:
    """What "In our …" says: ``"Nursing Homes and Long-Term Care Facilities"`` → ``"nursing
    home"``, ``"Mail-Order and Specialty Pharmacies"`` → ``"mail-order and specialty pharmacy"``."""
    first, _, rest = name.partition(" and ")
    words = (first if rest and first.split()[-1].lower().endswith("s") else name).split()
    words[-1] = _singular(words[-1])
    if words[-1].lower() in _FIELDS:  # "In our home health team", not "In our home health"
        words.append("team")
    return _lower(" ".join(words))


_FIELDS = ("health", "care", "service", "support", "therapy", "hospice", "rehabilitation")
"""A setting named by its field rather than a place: "In our" needs a noun after it."""


def _rename(duties: dict[str, Any], slug: str, name: str, default: str) -> None:
    """Give a setting's duty its own name, keeping any text the setting already has for it."""
    text = duties.get(slug, default)
    if isinstance(text, dict):
        text = text["text"]
    duties[slug] = {"name": name, "text": text}


def _list_entries(text: str) -> list[str]:
    """The entries of a list of things ("personal care, light housekeeping and meals"): short,
    without prepositions; ``[]`` when ``text`` is not such a list."""
    entries = re.split(r",\s*(?:and |or )?|\s+(?:and|or)\s+", text.rstrip("."))
    simple = all(
        e and len(e.split()) <= 3 and not re.search(_voice.NOT_A_ROLE, e) and "{" not in e
        for e in entries
    )
    return entries if simple else []


def _article_for(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def _stems(text: str) -> set[str]:
    words = (_voice.from_gerund(_voice.base_form(w)) for w in re.findall(r"[a-z]+", text.lower()))
    return {
        w[:-1] if len(w) > 4 and w.endswith("e") else w  # "bathing" → "bath" meets "bathe"
        for w in words
        if w not in _MATCH_STOP and len(w) > 2 and w not in (*_PEOPLE, "people", "patient")
    }


class _Drafter:
    """Writes the draft tailoring layer for one imported guide."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.sections = {s["kind"]: s for s in data["sections"] if s["kind"] != "other"}
        everything = json_text(data)
        self.voice = _voice.Voice.for_guide(data["occupation"], everything)
        self.occupation = data["occupation"]

    def items(self, kind: str) -> list[dict[str, str]]:
        return list(self.sections.get(kind, {}).get("items", []))

    def build(self) -> dict[str, Any]:
        t: dict[str, Any] = {}
        if self.voice.people:
            t["people"] = self.voice.people
        t["summary"] = self.summary()
        self.duties = {
            v.slugify(i["name"]): self.voice.duty(i["description"]) or _voice.finish(i["name"])
            for i in self.items("responsibilities")
        }
        t["responsibilities"] = self.duties
        self.items_by_slug = {
            v.slugify(i["name"]): i["name"] for i in self.items("responsibilities")
        }
        # skills are written once for every setting: where some setting visits people in their
        # own homes, a skill leaves out facility things ("at every change of shift")
        at_home = any(_AT_HOME.search(i["description"]) for i in self.items("settings"))
        if self.items("skills"):
            t["skills"] = {
                v.slugify(i["name"]): (
                    None
                    if _EDUCATION_SKILL.search(i["name"])
                    else self.skill(i["description"], at_home=at_home) or None
                )
                for i in self.items("skills")
            }
        if self.items("growth"):
            t["growth"] = {
                v.slugify(i["name"]): (
                    None
                    if _NOT_A_POSTING_PATH.search(i["name"] + " " + i["description"])
                    else self.voice.statement(i["description"], modal="can") or None
                )
                for i in self.items("growth")
            }
        certification = self.certification()
        if certification:
            t["certification"] = certification
        t["settings"] = {
            v.slugify(i["name"]): self.setting(i["name"], i["description"])
            for i in self.items("settings")
        }
        t["education"] = {
            v.slugify(i["name"]): self.education(i["name"], i["description"])
            for i in self.items("education")
        }
        return t

    def skill(self, description: str, *, at_home: bool) -> str:
        text = self.voice.statement(description)
        return (without_facility(text) or text) if at_home else text

    def summary(self) -> str:
        text = self.data.get("introduction", {}).get("text", "")
        found = self.voice.sentences(text, imperative=False, modal="will")[:2]
        occupation = self.occupation.lower()
        return " ".join(found) or f"You will work as {_article_for(occupation)} {occupation}."

    def certification(self) -> dict[str, str]:
        text = json_text(self.data)
        if not re.search(r"certif", text, re.IGNORECASE):
            return {}
        credential = re.search(r"\b((?:[A-Z][a-z]+ ){1,4}\([A-Z]{2,6}\)) credential", text)
        if credential:
            name = f"{credential[1]} credential"
            return {"required": f"Current {name}.", "preferred": f"{name}."}
        occupation = self.occupation
        if occupation.lower().startswith("certified "):
            role = _lower(occupation.split(" ", 1)[1])
            return {
                "required": f"Current certification as {_article_for(role)} {role}.",
                "preferred": f"Certification as {_article_for(role)} {role}.",
            }
        return {
            "required": f"Current {_lower(occupation)} certification.",
            "preferred": f"{occupation} certification.",
        }

    # ------------------------------------------------------------------ settings

    def setting(self, name: str, description: str) -> dict[str, Any]:
        label = _setting_label(name)
        out: dict[str, Any] = {"label": label}
        words = {w: len(re.findall(rf"\b{w}\b", description, re.IGNORECASE)) for w in _PEOPLE}
        word = max(_PEOPLE, key=lambda w: (words[w], -_PEOPLE.index(w)))
        if words[word] and self.voice.people and word != self.voice.people:
            out["people"] = word
        place: list[str] = []
        hours: list[str] = []
        duties: dict[str, Any] = {}
        extra: list[str] = []
        for sentence in self.voice.sentences(description, imperative=False):
            sentence = self.we(sentence, name, label)
            # "Chain drugstores and supermarket pharmacies, where you fill …": the list of
            # places only restates the setting; the posting keeps what you do there
            # "You work for agencies that send them to clients' own homes": the employer speaks
            sentence = re.sub(
                r"^You (?:will )?work (?:for|in|at|with) (?:[\w-]+ ){0,3}?(?:agencies|companies|"
                r"organizations|programs|facilities|practices|clinics|centers|employers) (?:that|"
                r"which) ([a-z]+) them\b",
                lambda w: f"We {_voice.base_form(w[1])} you",
                sentence,
            )
            m = re.match(r"^(?P<places>[^.]+?), where you (?P<rest>.+)$", sentence)
            if m and not re.search(r"(?:is|are|you|we|they|works?)", m["places"]):
                sentence = "You " + m["rest"]
            main, *parts = _voice.clauses(sentence)
            for part in parts:
                self.emphasis(part, extra)
            if parts:
                sentence = _voice.finish(main)
            # "The pace is fast and shifts cover nights": the hours go to the schedule
            first, sep, second = sentence.partition(" and ")
            if (  # a clause of its own, not "open early mornings and evenings"
                sep
                and len(second.split()) >= 3
                and _SCHEDULE_WORDS.search(second)
                and not _SCHEDULE_WORDS.search(first)
            ):
                place.append(_voice.finish(first))
                sentence = _voice.finish(second)
            if not _SCHEDULE_WORDS.search(sentence):
                sentence = self.not_repeated(sentence)
            (hours if _SCHEDULE_WORDS.search(sentence) else place).append(sentence)
        if len(place) >= 2 and len(" ".join(place[1:]).split()) >= 8:
            summary = re.sub(r"^You (?!will |can |may |are )", "You will ", place[0])
            out["summary"], out["environment"] = summary, " ".join(place[1:])
        else:  # nothing a candidate would want to know beyond the place: no summary sentence
            out["summary"] = ""
            out["environment"] = " ".join(place) or f"This position is in our {label}."
        if hours:
            out["schedule"] = [
                {"when": {"schedule": "given"}, "text": ""},
                {"text": " ".join(hours)},
            ]
        if _AT_HOME.search(description):
            self.at_home(duties)
        else:  # "answer call lights promptly in facilities": here, every duty is in one
            for slug, text in self.duties.items():
                own = _IN_FACILITIES.sub("", text)
                if own != text:
                    duties[slug] = own
        if out.get("people") or self.voice.people:
            self.own_word(out.get("people") or self.voice.people, duties)
        if duties:
            out["responsibilities"] = duties
        if extra:
            out["duties"] = extra
        return out

    def own_word(self, people: str, duties: dict[str, Any]) -> None:
        """The duties' names use the setting's word for the people served too: "Moving and
        Positioning Residents", "Serving Patients" where the guide's name says "Customers"
        ({people} and {person} in the texts already follow the setting)."""
        others = "|".join(w.title() for w in _PEOPLE if w != people)
        for item in self.items("responsibilities"):
            slug = v.slugify(item["name"])
            own = duties.get(slug)
            name = own["name"] if isinstance(own, dict) else item["name"]
            new_name = re.sub(rf"\b(?:{others})\b", people.title(), name)
            if new_name != name:
                _rename(duties, slug, new_name, self.duties[slug])

    def at_home(self, duties: dict[str, Any]) -> None:
        """A setting whose own text says people are served in their own homes gets its own
        version of each duty that names facility things (call lights, units, shift change):
        those clauses are left out (see :func:`without_facility`), and a name that names
        facility spaces says "the Home": "Keeping Rooms Safe and Clean" → "Keeping the Home Safe
        and Clean"."""
        for slug, text in self.duties.items():
            own = without_facility(text)
            if own and own != text:
                duties[slug] = own
        for item in self.items("responsibilities"):
            name = re.sub(r"\b(?:Rooms|Units|Wards|Floors|Facilities)\b", "the Home", item["name"])
            if name != item["name"]:
                slug = v.slugify(item["name"])
                _rename(duties, slug, name, self.duties[slug])

    def we(self, sentence: str, name: str, label: str) -> str:
        """The setting as a sentence's subject speaks as the employer: "These centers offer …"
        → "We offer …"; "These include …" → "Settings like ours include …"."""
        sentence = re.sub(r"^These include\b", "Settings like ours include", sentence)
        heads = {w.lower() for w in (name.split()[-1], _singular(name.split()[-1]))}
        heads |= {"centers", "facilities", "settings", "clinics", "practices", "offices"}
        m = re.match(
            r"^(?:These|This|Our|(?:[A-Z][\w-]*,? (?:and |or )?)?(?:[\w-]+,? (?:and |or )?){0,4}?)"
            r"\s*(?:[\w-]+ )?(" + "|".join(map(re.escape, sorted(heads))) + r")\s+([a-z]+)\b",
            sentence,
            re.IGNORECASE,
        )
        if m is None or m[2] in ("allow", "allows", "let", "lets", "who", "that", "which", "are"):
            return sentence
        verb = _voice.base_form(m[2])
        if verb not in _voice.VERBS and verb not in ("need", "fill", "offer", "serve"):
            return sentence
        return "We " + verb + sentence[m.end() :]

    def known(self) -> set[str]:
        """The words of the guide's duties, names and texts (to tell what is new)."""
        return set().union(
            *(
                _stems(f"{i['name']} {self.duties[v.slugify(i['name'])]}")
                for i in self.items("responsibilities")
            )
        )

    def not_repeated(self, sentence: str) -> str:
        """A setting sentence without a verb clause that only lists what the duties say: "You
        care for the same residents day after day, help with bathing, dressing and meals, and get
        to know …" → "You care for the same residents day after day and get to know …"."""
        parts = verb_clauses(sentence)
        known = self.known()
        kept = [parts[0]]
        for part in parts[1:]:
            m = re.match(r"^[a-z]+(?: with| in| on| to| for)? (?P<list>.+)$", part)
            entries = _list_entries(m["list"]) if m else []
            if not (len(entries) > 1 and all(not (_stems(e) - known) for e in entries)):
                kept.append(part)
        return sentence if len(kept) == len(parts) else _voice.finish(join_clauses(kept))

    def emphasis(self, clause: str, extra: list[str]) -> None:
        """A setting's participle clause ("helping patients move after surgery") becomes a duty
        of this setting when it says something the guide's duties do not: a clause whose words
        are mostly in those duties already is left out, and of a list ("helping with personal
        care, light housekeeping and meals") only the new entries are kept ("Help with light
        housekeeping."). A guide duty is never extended: each is written whole."""
        first, _, tail = clause.partition(" ")
        text = f"{_voice.from_gerund(first)} {tail}"
        text = self.voice.people_word(text)
        if self.voice.people:  # "Help them manage …": out of its sentence, "them" is unclear
            text = re.sub(r"^(\w+) them\b", r"\1 {people}", text)
        known = self.known()
        m = re.match(r"^(?P<lead>[a-z]+(?: with| in| on| to| for)?) (?P<list>.+)$", text)
        entries = _list_entries(m["list"]) if m else []
        if m and len(entries) > 1:
            new = [e for e in entries if _stems(e) - known]
            if not new:
                return
            if len(new) < len(entries):
                listed = ", ".join(new[:-1]) + (" and " if len(new) > 1 else "") + new[-1]
                text = f"{m['lead']} {listed}"
        else:
            stems = _stems(text)
            if len(stems & known) * 2 > len(stems):  # mostly said by a guide duty already
                return
        extra.append(_voice.finish(text))

    # ------------------------------------------------------------------ education

    def education(self, name: str, description: str) -> dict[str, Any]:
        label = _lower(name)
        words = label.split()
        if words[-1] == "programs":
            label = " ".join([*words[:-1], "program"])
        out: dict[str, Any] = {"label": label}
        low = name.lower()
        sentences = self.voice.sentences(description, imperative=False)
        intro = next((s for s in sentences if re.match(r"^These (?:programs|courses)\b", s)), "")
        hedge = r"(?:(?:often|usually|typically|generally|[a-z]+ly)\s+)?"
        if intro:
            m = re.match(rf"^These (?:programs|courses)\s+{hedge}([a-z]+)\b", intro)
            if m:
                intro = f"Your training {_voice.third_person(m[1])}{intro[m.end() :]}"
        summary = next((s for s in sentences if re.match(r"^These positions\b", s)), "")
        if summary:
            m = re.match(rf"^These positions\s+{hedge}([a-z]+)\b", summary)
            if m:
                summary = f"This position {_voice.third_person(m[1])}{summary[m.end() :]}"
        sponsored = re.search(r"on[- ]the[- ]job|sponsor|apprentice", low)
        if re.search(r"\bGED\b|high school diploma|diploma or equivalent", name, re.IGNORECASE):
            required = ["High school diploma or GED."]
            if sponsored:
                summary = summary or "This position includes on-the-job training."
        elif "degree" in low:
            field = ""
            if " in " not in low:
                m = re.search(
                    r"degree(?: program)? in ([^.;]+?)(?:,? (?:is|are|can|which|adds?|provides?|"
                    r"offers?)\b|[.;]|$)",
                    description,
                )
                field = f" in {m[1].strip(' ,')}" if m else ""
            required = [_voice.finish(label + field)]
        elif sponsored:
            required = [f"Willingness to complete {label}."]
            summary = summary or f"This position includes {label}."
        else:
            last = label.split()[-1]  # "programs" is already "program"
            plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
            uncounted = last in ("training", "education", "coursework") or plural
            article = "" if uncounted else _article_for(label) + " "
            required = [f"Completion of {article}{label}."]
        out["summary"] = summary
        out["intro"] = intro
        out["required"] = required
        preferred = []
        courses = re.search(
            r"\b(?:courses|classes|coursework) (?:in|such as|on) (.+?)(?: plus |[.;]|$)",
            description,
        )
        if courses:
            preferred.append(f"Coursework in {courses[1].strip(' ,')}.")
        topics = re.search(r"\bcover (?:topics such as )?(.+?)(?:[.;]|$)", description)
        if topics and not courses:
            preferred.append(f"Training in {topics[1].strip(' ,')}.")
        placement = re.search(
            r"\b((?:supervised |clinical )*(?:externship|practicum|internship))\b", description
        )
        if placement:
            preferred.append(f"A completed {placement[1]}.")
        out["preferred"] = preferred
        return {k: x for k, x in out.items() if x not in ("", [])}


_PEOPLE = ("patients", "residents", "clients", "customers")

_AT_HOME = re.compile(r"\bown homes?\b|\bin-home\b|\bhome visits?\b|\bin (?:their|the) homes?\b")
"""A setting text that says people are served in their own homes."""
_FACILITY_PHRASE = re.compile(
    r",?(?: (?:or|and))? (?:at|during|after) (?:every|each|the|a) (?:change of shifts?|shift "
    r"change)\b|,? in (?:the )?facilit(?:y|ies)\b|,? on (?:the|your|each) (?:unit|floor|ward)s?\b",
    re.IGNORECASE,
)
_IN_FACILITIES = re.compile(r",? in (?:the )?facilit(?:y|ies)\b", re.IGNORECASE)
"""A duty's qualifier that only matters where some settings are people's homes."""
_FACILITY = re.compile(
    r"\bcall (?:lights?|bells?|buttons?)\b|\bnurses?[’']? stations?\b|\bunits?\b|\bwards?\b"
    r"|\bshift changes?\b|\bchange of shifts?\b|\badmissions?\b|\b(?:front|reception) desk\b"
    r"|\bwaiting rooms?\b|\bsupply rooms?\b",
    re.IGNORECASE,
)
"""Things only a facility has: no client's home has call lights, units or a change of shift."""


def without_facility(text: str) -> str:
    """``text`` without what names facility things: a phrase ("at every change of shift", "in
    facilities", "on the unit") is dropped, then a verb clause that still names one ("answer
    call lights promptly"); a sentence left with nothing is dropped. For a setting where
    people are visited in their own homes."""
    kept = []
    for sentence in _voice.split_sentences(text):
        sentence = _FACILITY_PHRASE.sub("", sentence)
        if not _FACILITY.search(sentence):
            kept.append(sentence)
            continue
        parts = [p for p in verb_clauses(sentence) if not _FACILITY.search(p)]
        if parts:
            kept.append(_voice.finish(join_clauses(parts)))
    return " ".join(kept)


def verb_clauses(sentence: str) -> list[str]:
    """A sentence cut where a new verb starts after a comma or "and": "Change linens, restock
    supplies and answer call lights" → ["Change linens", "restock supplies", "answer call
    lights"]."""
    parts, start = [], 0
    for m in re.finditer(r",\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+", sentence):
        word = re.match(r"[a-z]+", sentence[m.end() :])
        if word and _voice.base_form(word[0]) in _voice.VERBS:
            parts.append(sentence[start : m.start()])
            start = m.end()
    parts.append(sentence[start:].rstrip("."))
    return parts


def join_clauses(parts: list[str]) -> str:
    last = ", and " if any("," in p for p in parts[:-1]) else " and "
    return ", ".join(parts[:-1]) + (last if len(parts) > 1 else "") + parts[-1]


def json_text(data: Any) -> str:
    """Every text of guide data, joined (for counting words)."""
    if isinstance(data, dict):
        return " ".join(json_text(x) for x in data.values())
    if isinstance(data, list):
        return " ".join(json_text(x) for x in data)
    return data if isinstance(data, str) else ""


def draft_tailoring(data: dict[str, Any]) -> dict[str, Any]:
    """A draft tailoring layer for imported guide data, in posting voice (see :mod:`._voice`)."""
    return _Drafter(data).build()
