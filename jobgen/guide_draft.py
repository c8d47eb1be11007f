"""Write the draft tailoring layer of an imported guide: posting-voice text for its summary,
duties, skills, growth paths, certification, and each setting and education level, taken from
the guide's own sentences (see :mod:`jobgen._voice` for the sentence rewriting).

:func:`draft_tailoring` is the entry point; :func:`jobgen.guide_import.import_guide_text` calls it
after parsing a guide text. The result is a draft a person reviews in the guide's YAML.
"""

from __future__ import annotations

import re
from typing import Any

from . import _validate as v
from . import _voice

DRAFT_COMMENT = (
    "# DRAFT tailoring layer, written by `jobgen guide import` from the guide's own text in\n"
    "# posting voice. Review and edit it before publishing postings: read a rendered posting\n"
    "# for each setting and education level (jobgen gallery) and fix what reads badly.\n"
)


def draft_tailoring(data: dict[str, Any]) -> dict[str, Any]:
    """A draft tailoring layer for imported guide data, in posting voice (see :mod:`._voice`)."""
    return _Drafter(data).build()


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
        people = _own_people(description, self.voice.people)
        if people:
            out["people"] = people
        place, hours, extra = self.setting_sentences(name, label, description)
        out.update(_place_texts(place, label))
        if hours:
            out["schedule"] = [
                {"when": {"schedule": "given"}, "text": ""},
                {"text": " ".join(hours)},
            ]
        duties = self.setting_duties(description, people or self.voice.people)
        if duties:
            out["responsibilities"] = duties
        if extra:
            out["duties"] = extra
        return out

    def setting_sentences(
        self, name: str, label: str, description: str
    ) -> tuple[list[str], list[str], list[str]]:
        """A setting text's sentences in the employer's voice, sorted into those about the place
        and those about the hours, plus the duties its participle clauses add (see
        :meth:`emphasis`)."""
        place: list[str] = []
        hours: list[str] = []
        extra: list[str] = []
        for sentence in self.voice.sentences(description, imperative=False):
            sentence = _employer_speaks(self.we(sentence, name, label))
            main, *parts = _voice.clauses(sentence)
            for part in parts:
                self.emphasis(part, extra)
            if parts:
                sentence = _voice.finish(main)
            about_place, sentence = _hours_apart(sentence)
            place.extend(about_place)
            if not _SCHEDULE_WORDS.search(sentence):
                sentence = self.not_repeated(sentence)
            (hours if _SCHEDULE_WORDS.search(sentence) else place).append(sentence)
        return place, hours, extra

    def setting_duties(self, description: str, people: str | None) -> dict[str, Any]:
        """The guide's duties as this setting words them (only those it words differently)."""
        duties: dict[str, Any] = {}
        if _AT_HOME.search(description):
            self.at_home(duties)
        else:  # "answer call lights promptly in facilities": here, every duty is in one
            for slug, text in self.duties.items():
                own = _IN_FACILITIES.sub("", text)
                if own != text:
                    duties[slug] = own
        if people:
            self.own_word(people, duties)
        return duties

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
        label = _education_label(name)
        sentences = self.voice.sentences(description, imperative=False)
        required, summary = _requirement(name, label, description, _position_summary(sentences))
        out: dict[str, Any] = {
            "label": label,
            "summary": summary,
            "intro": _training_intro(sentences),
            "required": required,
            "preferred": _preferred_training(description),
        }
        return {k: x for k, x in out.items() if x not in ("", [])}


# --------------------------------------------------------------------------- setting texts


def _own_people(description: str, guide_people: str | None) -> str | None:
    """The setting's own word for the people served, when its text uses another word than the
    guide's ("residents" in a nursing home of a guide that says "patients")."""
    words = {w: len(re.findall(rf"\b{w}\b", description, re.IGNORECASE)) for w in _PEOPLE}
    word = max(_PEOPLE, key=lambda w: (words[w], -_PEOPLE.index(w)))
    return word if words[word] and guide_people and word != guide_people else None


def _employer_speaks(sentence: str) -> str:
    """A setting sentence with the employer speaking and the candidate doing the work."""
    # "You work for agencies that send them to clients' own homes": the employer speaks
    sentence = re.sub(
        r"^You (?:will )?work (?:for|in|at|with) (?:[\w-]+ ){0,3}?(?:agencies|companies|"
        r"organizations|programs|facilities|practices|clinics|centers|employers) (?:that|"
        r"which) ([a-z]+) them\b",
        lambda w: f"We {_voice.base_form(w[1])} you",
        sentence,
    )
    # "Chain drugstores and supermarket pharmacies, where you fill …": the list of
    # places only restates the setting; the posting keeps what you do there
    m = re.match(r"^(?P<places>[^.]+?), where you (?P<rest>.+)$", sentence)
    if m and not re.search(r"(?:is|are|you|we|they|works?)", m["places"]):
        return "You " + m["rest"]
    return sentence


def _hours_apart(sentence: str) -> tuple[list[str], str]:
    """ "The pace is fast and shifts cover nights": the hours go to the schedule. Returns the
    part about the place (if the sentence has one of its own) and the rest."""
    first, sep, second = sentence.partition(" and ")
    if (  # a clause of its own, not "open early mornings and evenings"
        sep
        and len(second.split()) >= 3
        and _SCHEDULE_WORDS.search(second)
        and not _SCHEDULE_WORDS.search(first)
    ):
        return [_voice.finish(first)], _voice.finish(second)
    return [], sentence


def _place_texts(place: list[str], label: str) -> dict[str, str]:
    """A setting's summary and environment paragraph from its sentences about the place."""
    if len(place) >= 2 and len(" ".join(place[1:]).split()) >= 8:
        summary = re.sub(r"^You (?!will |can |may |are )", "You will ", place[0])
        return {"summary": summary, "environment": " ".join(place[1:])}
    # nothing a candidate would want to know beyond the place: no summary sentence
    return {"summary": "", "environment": " ".join(place) or f"This position is in our {label}."}


# --------------------------------------------------------------------------- education texts

_HEDGE = r"(?:(?:often|usually|typically|generally|[a-z]+ly)\s+)?"
"""An adverb between a subject and its verb: "These programs *typically* last …"."""


def _education_label(name: str) -> str:
    """``"State-Approved CNA Training Programs"`` → ``"state-approved CNA training program"``."""
    label = _lower(name)
    words = label.split()
    return " ".join([*words[:-1], "program"]) if words[-1] == "programs" else label


def _training_intro(sentences: list[str]) -> str:
    """ "These programs typically last …" → "Your training typically lasts …"."""
    intro = next((s for s in sentences if re.match(r"^These (?:programs|courses)\b", s)), "")
    m = re.match(rf"^These (?:programs|courses)\s+{_HEDGE}([a-z]+)\b", intro)
    return f"Your training {_voice.third_person(m[1])}{intro[m.end() :]}" if m else intro


def _position_summary(sentences: list[str]) -> str:
    """ "These positions often include …" → "This position often includes …"."""
    summary = next((s for s in sentences if re.match(r"^These positions\b", s)), "")
    m = re.match(rf"^These positions\s+{_HEDGE}([a-z]+)\b", summary)
    return f"This position {_voice.third_person(m[1])}{summary[m.end() :]}" if m else summary


def _requirement(name: str, label: str, description: str, summary: str) -> tuple[list[str], str]:
    """What an education level requires, and its summary: the guide's own (``summary``), else
    what a pathway the employer sponsors implies ("This position includes on-the-job
    training.")."""
    low = name.lower()
    sponsored = re.search(r"on[- ]the[- ]job|sponsor|apprentice", low)
    if re.search(r"\bGED\b|high school diploma|diploma or equivalent", name, re.IGNORECASE):
        if sponsored:
            summary = summary or "This position includes on-the-job training."
        return ["High school diploma or GED."], summary
    if "degree" in low:
        field = "" if " in " in low else _degree_field(description)
        return [_voice.finish(label + field)], summary
    if sponsored:
        return [f"Willingness to complete {label}."], summary or f"This position includes {label}."
    last = label.split()[-1]  # "programs" is already "program"
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    uncounted = last in ("training", "education", "coursework") or plural
    article = "" if uncounted else _article_for(label) + " "
    return [f"Completion of {article}{label}."], summary


def _degree_field(description: str) -> str:
    """The field a degree is in, as its text says it: " in health science", or ``""``."""
    m = re.search(
        r"degree(?: program)? in ([^.;]+?)(?:,? (?:is|are|can|which|adds?|provides?|"
        r"offers?)\b|[.;]|$)",
        description,
    )
    return f" in {m[1].strip(' ,')}" if m else ""


def _preferred_training(description: str) -> list[str]:
    """Preferred qualifications from an education text: the coursework or topics it names and
    a placement (externship, practicum, internship)."""
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
    return preferred


# ------------------------------------------------------------------ people, facilities, clauses

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
