"""Posting voice: rewrite a career guide's third-person prose as a job posting speaks.

A guide describes the occupation ("CNAs help patients bathe", "They take and record vital signs");
a posting speaks to the reader ("Help patients bathe", "Take and record vital signs"). The rules
here are small and deliberate, each covered by a test:

- the worker as subject (the occupation's plural or singular, its acronym, "they", "these
  professionals") is removed and the verb put in its base form: ``helps`` → ``Help``,
  ``carries`` → ``Carry``; ``is responsible for X`` → ``Take responsibility for X``;
  ``may``/``can`` keep a subject (``You may …``); ``must``/``should`` are dropped;
- guide-speak ("a career as", "this guide", "if you're considering", "rewarding path", "one of the
  fastest ways", "embark on") and sentences about other employers ("many hospitals pay for",
  "some employers prefer") are left out;
- the people served (patients, residents, clients) become ``{people}``, which compose fills with
  the setting's word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

GUIDE_SPEAK = re.compile(
    r"\ba career (?:as|in)\b|\bthis (?:comprehensive |complete )?(?:guide|article|page)\b"
    r"|\bif you(?:'|’)re (?:considering|interested|ready|thinking)|\bif you are (?:considering|"
    r"interested|thinking)|\brewarding (?:path|career|journey|venture|choice|field)\b"
    r"|\bone of the (?:fastest|quickest|best|easiest) ways\b|\bembark on\b|\bread on\b"
    r"|\bwhether you(?:'|’)re\b|\bdream job\b|\bbecoming an? [a-z ]+ is\b",
    re.IGNORECASE,
)
"""Sentences that advise a reader about a career, which a posting never says."""

OTHER_EMPLOYERS = re.compile(
    r"\bemployers?\b"
    r"|\b(?:many|most|some|few|other|several)\s+(?:[a-z-]+\s+){0,5}?"
    r"(?:pay|pays|offer|offers|prefer|prefers|hire|hires|require|requires|sponsor|sponsors)\b"
    r"|\bprefer(?:s|red)?\b",
    re.IGNORECASE,
)
"""Sentences about what employers in general do: a posting speaks for one employer only."""

_PEOPLE_WORDS = ("patients", "residents", "clients", "customers")
_SERVED = re.compile(
    r"\b(?:patients|residents|clients|customers|people|adults|children|families|students)\b",
    re.IGNORECASE,
)

_MODAL_KEEP = ("may", "might", "can", "could", "will", "often", "usually", "sometimes")
_MODAL_DROP = ("must", "should", "need to", "needs to", "have to", "has to", "are expected to")
_ADVERB = re.compile(r"^(?:[a-z]+ly|also|often|then|still|always|even|sometimes|together)$")
_NOT_VERB = {
    "who",
    "that",
    "which",
    "and",
    "or",
    "with",
    "in",
    "at",
    "on",
    "of",
    "from",
    "for",
    "to",
    "the",
    "a",
    "an",
    "whose",
    "working",
    "like",
    "such",
}

E_VERBS = frozenset(
    [
        "accommodate",
        "administer",
        "advise",
        "analyze",
        "approve",
        "arrange",
        "assure",
        "arrive",
        "bathe",
        "care",
        "cause",
        "challenge",
        "change",
        "charge",
        "close",
        "combine",
        "communicate",
        "compile",
        "complete",
        "compute",
        "coordinate",
        "create",
        "decide",
        "deliver",
        "describe",
        "determine",
        "dispose",
        "document",
        "drive",
        "educate",
        "encourage",
        "ensure",
        "examine",
        "exchange",
        "explore",
        "file",
        "give",
        "guide",
        "handle",
        "hire",
        "improve",
        "include",
        "introduce",
        "issue",
        "judge",
        "live",
        "locate",
        "make",
        "manage",
        "measure",
        "move",
        "note",
        "operate",
        "organize",
        "package",
        "participate",
        "place",
        "practice",
        "prepare",
        "promote",
        "provide",
        "pursue",
        "question",
        "receive",
        "recognize",
        "reduce",
        "relate",
        "remove",
        "require",
        "resolve",
        "respire",
        "restore",
        "rinse",
        "rotate",
        "save",
        "schedule",
        "secure",
        "serve",
        "share",
        "size",
        "solve",
        "sterilize",
        "store",
        "supervise",
        "take",
        "tape",
        "trace",
        "translate",
        "type",
        "update",
        "use",
        "utilize",
        "validate",
        "value",
        "write",
    ]
)
"""Verbs whose base form ends in ``e`` (``taking`` → ``take``, ``uses`` → ``use``)."""

VERBS = E_VERBS | frozenset(
    [
        "answer",
        "assist",
        "attend",
        "check",
        "clean",
        "collect",
        "count",
        "disinfect",
        "dress",
        "enter",
        "explain",
        "feed",
        "follow",
        "get",
        "greet",
        "help",
        "keep",
        "label",
        "lead",
        "lift",
        "listen",
        "match",
        "mix",
        "monitor",
        "observe",
        "offer",
        "order",
        "pass",
        "perform",
        "record",
        "report",
        "restock",
        "return",
        "show",
        "sort",
        "stock",
        "submit",
        "support",
        "teach",
        "tell",
        "test",
        "track",
        "train",
        "transfer",
        "turn",
        "visit",
        "walk",
        "wash",
        "watch",
        "work",
    ]
)
"""Verbs the third-person rewrite recognises after a comma or "and" (``helps`` → ``help``)."""

_IRREGULAR = {
    "is": "be",
    "are": "be",
    "has": "have",
    "does": "do",
    "goes": "go",
    "focuses": "focus",
    "biases": "bias",
}


def base_form(verb: str) -> str:
    """A verb in the third person (``helps``, ``carries``, ``watches``) or a base form → base."""
    word = verb.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def from_gerund(word: str) -> str:
    """``taking`` → ``take``, ``helping`` → ``help``, ``getting`` → ``get``."""
    lower = word.lower()
    if not lower.endswith("ing") or len(lower) < 5:
        return lower
    stem = lower[:-3]
    if stem + "e" in E_VERBS:
        return stem + "e"
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]
    return stem


def third_person(verb: str) -> str:
    """``provide`` → ``provides``, ``carry`` → ``carries``: for "This program provides …"."""
    if verb.endswith("y") and verb[-2:-1] not in tuple("aeiou"):
        return verb[:-1] + "ies"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (a ``;`` also ends one: its halves often say different things)."""
    text = " ".join(text.split())
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“‘'(])|;\s+", text)
    return [p.strip() for p in parts if p.strip()]


def finish(sentence: str) -> str:
    sentence = sentence.strip()
    if not sentence:
        return ""
    sentence = sentence[0].upper() + sentence[1:]
    return sentence if sentence[-1] in ".!?:" else sentence.rstrip(",;") + "."


def is_guide_speak(sentence: str) -> bool:
    return GUIDE_SPEAK.search(sentence) is not None


def mentions_other_employers(sentence: str) -> bool:
    return OTHER_EMPLOYERS.search(sentence) is not None


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class Voice:
    """What one guide's prose calls its worker and the people served."""

    occupation: str
    subject: re.Pattern[str]
    plurals: str
    """A regular expression matching the worker's plural forms ("CNAs", "nursing assistants")."""
    people: str

    @classmethod
    def for_guide(cls, occupation: str, text: str) -> Voice:
        """The subject forms of ``occupation`` (and any acronym the text defines) and the
        most frequent word in ``text`` for the people served."""
        words = occupation.split()
        plurals = []
        singulars = []
        for i in range(len(words)):
            tail = words[i:]
            singulars.append(" ".join(tail))
            plurals.append(" ".join([*tail[:-1], _plural(tail[-1])]))
        acronyms = {"".join(w[0] for w in words).upper()} if len(words) > 1 else set()
        acronyms |= set(re.findall(r"\(([A-Z]{2,6})s?\)", text))
        plural_forms = [re.escape(p) for p in plurals] + [re.escape(a) + "s" for a in acronyms]
        singular_forms = [re.escape(s) for s in singulars] + [re.escape(a) for a in acronyms]
        plural = "|".join(sorted(plural_forms, key=len, reverse=True))
        subject = re.compile(
            r"^(?:(?P<quant>most|many|some|experienced|new|a few|each of these)\s+)?"
            r"(?:(?P<plural>(?:(?!(?:because|when|while|if|as|in|with|after|since|by|once|for|"
            r"although|these|this|their|those|the|a|an|every|each|so|and|but|or|then|where|which|"
            r"who|that)\b)[A-Za-z-]+\s+){0,3}?(?:"
            + plural
            + r"|aides|assistants|technicians|workers))"
            r"|(?P<single>(?:a|an|the|each|every|one)\s+(?:"
            + "|".join(sorted(singular_forms, key=len, reverse=True))
            + r"))|they|these (?:dedicated |skilled )?(?:professionals|workers)"
            r"|he or she|she or he)"
            r"(?:\s+\([A-Z]{2,6}s?\))?"
            r"(?:\s+with\s+(?:[\w-]+\s+){1,3}?(?:certification|training|experience))?"
            r"(?P<end>\s+|,\s+)",
            re.IGNORECASE,
        )
        counts = {w: len(re.findall(rf"\b{w}\b", text, re.IGNORECASE)) for w in _PEOPLE_WORDS}
        people = max(_PEOPLE_WORDS, key=lambda w: (counts[w], -_PEOPLE_WORDS.index(w)))
        return cls(occupation, subject, plural, people if counts[people] else "")

    # ------------------------------------------------------------------ sentence rewrites

    def keep(self, sentence: str) -> bool:
        """Whether a sentence belongs in a posting at all."""
        return not is_guide_speak(sentence) and not mentions_other_employers(sentence)

    def _subject_at(self, sentence: str) -> tuple[str, str, str, bool] | None:
        """``(lead, quantifier, rest)`` when the worker is the subject, at the start or after a
        leading clause ("Because they see patients more often, CNAs are …")."""
        m = self.subject.match(sentence)
        if m and m["end"].strip() != ",":
            return "", (m["quant"] or "").lower(), sentence[m.end() :], bool(m["single"])
        lead = re.match(r"^(?P<lead>[A-Z][^,]{2,80}?,\s+)", sentence)
        if lead:
            rest = sentence[lead.end() :]
            m = self.subject.match(rest)
            if m and m["end"].strip() != ",":
                clause = re.sub(
                    r"\b(they|They)\b", lambda t: "you" if t[1] == "they" else "You", lead["lead"]
                )
                return clause, (m["quant"] or "").lower(), rest[m.end() :], bool(m["single"])
        return None

    def _predicate(self, rest: str, *, imperative: bool, modal: str = "") -> str | None:
        """The predicate after a removed subject, in the reader's voice; ``None`` when the first
        word is not a verb."""
        words = rest.split(" ")
        trail = ""
        if words and words[0][-1:] in ",;":
            trail, words[0] = words[0][-1], words[0][:-1]
        adverbs = []
        while words and _ADVERB.match(words[0].lower()) and len(words) > 1:
            adverbs.append(words.pop(0))
        if not words or words[0].lower() in _NOT_VERB:
            return None
        text = " ".join(words)
        low = text.lower()
        m = re.match(r"^(?:is|are) responsible for\s+", low)
        if m:
            lead = "take responsibility for " if imperative else "are responsible for "
            return " ".join([*adverbs, lead + text[m.end() :]])
        for dropped in _MODAL_DROP:
            if low.startswith(dropped + " "):
                text = text[len(dropped) + 1 :]
                low = text.lower()
                if low.startswith("be able to "):
                    text = ("" if imperative else "can ") + text[len("be able to ") :]
                return self._predicate(
                    " ".join([*adverbs, text]), imperative=imperative, modal=modal
                )
        first, _, tail = text.partition(" ")
        if first.lower() in ("may", "might", "can", "could", "will") or (
            first.lower() in ("is", "are", "has", "have") and imperative
        ):
            verb = {"is": "are", "has": "have"}.get(first.lower(), first.lower())
            return "you " + " ".join([*adverbs, verb, tail]).strip()
        if first.lower() == "go" and tail.lower().startswith("on to "):
            first, _, tail = tail[len("on to ") :].partition(" ")
        verb = base_form(first) + trail
        if verb == "be":
            verb = "are"
        adverbs = [a for a in adverbs if a.lower() != "also"] if imperative else adverbs
        if modal and not imperative:
            verb = "be" if verb == "are" else verb
            return " ".join([modal, *adverbs, verb, tail]).strip()
        return " ".join([*adverbs, verb, tail]).strip()

    def to_you(self, sentence: str, *, imperative: bool, modal: str = "") -> str:
        """One sentence with the worker as subject rewritten: imperative (``Help patients``)
        or second person (``You help patients``). Other sentences come back unchanged but for
        the worker named inside them ("…, so technicians double-check" → "…, so you …")."""
        found = self._subject_at(sentence)
        if found is None:
            return self._inner(sentence)
        lead, quant, rest, single = found
        m = re.match(r"^work (?:in|at|for) [^,]+,\s+where\s+(?:they\s+)?", rest)
        if m and not lead:  # "Most CNAs work in nursing homes, where they care for …"
            rest = rest[m.end() :]
        if single:  # "A CNA serves meals, helps patients eat and records …"
            rest = re.sub(
                r"(,\s+(?:and\s+)?|\band\s+)([a-z]+s)\b",
                lambda t: t[1] + (base_form(t[2]) if base_form(t[2]) in VERBS else t[2]),
                rest,
            )
        # "…, so they can …" is the reader unless people were named first ("help older adults …
        # so they can live at home"): then "they" are those people
        rest = re.sub(
            r"\b(where|while|as|so|because) they\b",
            lambda t: t[0] if _SERVED.search(rest[: t.start()]) else f"{t[1]} you",
            rest,
        )
        rest = re.sub(
            r"\b(the [a-z]+ )they (gave|give|provided|provide|did|do)\b", r"\1you \2", rest
        )
        rest = re.sub(r"\bwork on their own\b", "work on your own", rest)
        rest = re.sub(r"(,\s+|\s+and\s+)(?:must|should) ", r"\1", rest)
        rest = re.sub(r"^((?:[a-z]+ly\s+)?)(?:choose|chooses|decide|decides) to ", r"\1", rest)
        rest = re.sub(r"\b(?:themselves|himself or herself)\b", "yourself", rest)
        rest = re.sub(r"\btheir (education|expertise|experience)\b", r"your \1", rest)
        predicate = self._predicate(rest, imperative=imperative and not lead, modal=modal)
        if predicate is None:
            return self._inner(sentence)
        if predicate.startswith("you "):
            predicate = predicate[4:]
            subject = "you "
        else:
            subject = "" if imperative and not lead else "you "
        if quant == "experienced" and not lead:
            lead = "With experience, "
            subject = "you "
        return self._inner(finish(lead + subject + predicate))

    def _inner(self, sentence: str) -> str:
        """The worker as subject after ", and", ", so" or ", where", or as the object of
        "allow … to": the reader instead."""
        forms = self.plurals

        def verb(m: re.Match[str]) -> str:
            if m[0][len(m[1]) :].lower().startswith("they ") and _SERVED.search(
                sentence[: m.start()]
            ):  # "help older adults …, so they can live at home": "they" are those people
                return m[0]
            return f"{m[1]}you {base_form(m[2])}"

        sentence = re.sub(
            rf"(,\s+(?:and|so|but|where|while)\s+|:\s+)(?:{forms}|they)\s+([a-z-]+)",
            verb,
            sentence,
            flags=re.IGNORECASE,
        )
        return re.sub(
            rf"\b(allow|allows|enable|enables|let|lets) (?:{forms}) to\b",
            r"\1 you to",
            sentence,
            flags=re.IGNORECASE,
        )

    def pronouns(self, sentence: str) -> str:
        """The worker's possessions become the reader's: "their shift" → "your shift"; the roles
        one can become are named one by one: "you can become restorative aides, medication
        aides (where allowed) or CNAs in hospice" → "… a restorative aide, a medication aide
        (where allowed) or a CNA in hospice"."""
        if re.search(r"\byou\b", sentence, re.IGNORECASE):
            m = re.search(r"\b(become|(?<!such )as) ", sentence)
            if m:
                sentence = sentence[: m.end()] + one_each(sentence[m.end() :])
        return re.sub(
            r"\btheir (role|job|work|shift|shifts|day|duties|skills|training|career|hands|time)\b",
            # not when another subject came in between: "so that therapists can spend their time"
            lambda m: (
                m[0]
                if re.search(r"\b(?:that|who|which|so)\b", sentence[: m.start()])
                else f"your {m[1]}"
            ),
            sentence,
        )

    def people_word(self, sentence: str) -> str:
        """The people served → ``{people}``; at a sentence's start, ``Your {people}``; one of them
        ("a patient's condition", "each client") → ``{person}``, so every mention follows the
        setting's word."""
        if not self.people:
            return sentence
        words = "|".join(_PEOPLE_WORDS)
        one = "|".join(w[:-1] for w in _PEOPLE_WORDS)
        sentence = re.sub(rf"^(?:{words.title()})\b", "Your {people}", sentence)
        sentence = re.sub(rf"\b(?:{words})\b(?!’s|'s)", "{people}", sentence)
        sentence = re.sub(rf"\b(?:{one})(?=’s\b|'s\b)", "{person}", sentence)
        sentence = re.sub(  # "patient charts", "client care": the word before a noun
            rf"\b(?:{one}) (?!(?:this|always|across|towards|perhaps|unless|whereas|besides)\b)"
            rf"(?=(?:[a-z]{{3,}}s|care|safety|information|history|education)\b)",
            "{person} ",
            sentence,
        )
        return re.sub(
            rf"\b((?i:a|the|each|every|one|any|another|this|that|your) )(?:{one})\b(?!s)",
            r"\1{person}",
            sentence,
        )

    def duty(self, text: str) -> str:
        """A responsibility's description as a posting's duty, in the imperative."""
        return " ".join(self.sentences(text, imperative=True))

    def statement(self, text: str, *, modal: str = "") -> str:
        """Any other description (a setting, a skill, a growth path) addressed to the reader;
        ``modal`` ("can", "will") goes before a bare verb: "You can become …"."""
        return " ".join(self.sentences(text, imperative=False, modal=modal))

    def sentences(self, text: str, *, imperative: bool, modal: str = "") -> list[str]:
        """The sentences of ``text`` a posting can use, each in the reader's voice."""
        out = []
        for sentence in split_sentences(text):
            if not self.keep(sentence):
                continue
            sentence = self.to_you(sentence, imperative=imperative, modal=modal)
            sentence = self.pronouns(self.people_word(sentence))
            out.append(finish(sentence))
        return out


def clauses(text: str) -> Iterable[str]:
    """Verb-led clauses of a sentence: "…, taking vital signs, helping patients move and
    preparing rooms" → ("taking vital signs", "helping patients move", "preparing rooms")."""
    if "such as" in text:  # "such as placing brackets, assisting with …" is one list
        return [text]
    verb = r"(?=(?!including|following|using|during|regarding|according)[a-z]+ing (?!and\b|or\b))"
    parts = re.split(rf",\s*(?:and\s+)?{verb}|\s+and\s+{verb}", text)
    return [p.strip(" .,") for p in parts if p.strip(" .,")]


_ROLE = re.compile(
    r"(?P<words>(?:[a-z-]+ ){0,3}?)(?P<head>[a-z]+|[A-Z]{2,6})s"
    r"(?P<paren> \((?:(?P<acro>[A-Z]{2,6})s|[^()]*)\))?"
    r"(?P<sep>, or |, and |, | or | and |(?=[,.;]| who\b| in\b| with\b|$))"
)


NOT_A_ROLE = (
    r"\b(?:a|an|the|your|their|more|less|and|or|who|which|that|with|in|of|to|for|on|at|by|"
    r"from|many|some|most|other)\b"
)


def _article_of(phrase: str) -> str:
    if re.match(r"[A-Z]{2}", phrase):  # an acronym is read letter by letter: "an LPN", "a CNA"
        return "an" if phrase[0] in "AEFHILMNORSX" else "a"
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def one_each(text: str) -> str:
    """The roles listed at the start of ``text``, each in the singular with its article:
    "licensed practical nurses (LPNs)." → "a licensed practical nurse (LPN).", "care
    coordinators, who schedule visits" → "a care coordinator, who schedules visits". A list whose
    first word is not a plural noun is left as it is ("become familiar with …")."""
    out: list[str] = []
    pos = 0
    while True:
        m = _ROLE.match(text, pos)
        if (
            m is None
            or m["head"].endswith(("ou", "s", "u", "i"))
            or re.search(NOT_A_ROLE, f"{m['words']}{m['head']}")
        ):
            break
        phrase = f"{m['words']}{m['head']}"
        paren = f" ({m['acro']})" if m["acro"] else m["paren"] or ""
        out.append(f"{_article_of(phrase)} {phrase}{paren}{m['sep']}")
        pos = m.end()
        if not m["sep"]:
            break
    if not out:
        return text
    rest = text[pos:]
    rest = re.sub(
        r"^((?:,? )?who )([a-z]+)\b((?:[^.;]*? and )([a-z]+)\b)?",
        lambda w: (
            w[1]
            + third_person(w[2])
            + (w[3][: -len(w[4])] + (third_person(w[4]) if w[4] in VERBS else w[4]) if w[3] else "")
        ),
        rest,
    )
    return "".join(out) + rest
