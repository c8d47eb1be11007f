"""Property tests: any text in any employer field, in every output format, gives a valid
document or a JobgenError that names the field. Nothing else: no other exception, no broken
document.

The formats come from ``jobgen.render.FORMATS``, so a new renderer is covered as soon as it is
registered; it must also get a validator below, or the test fails.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import jobgen
from jobgen.employer import FIELDS
from jobgen.errors import JobgenError
from jobgen.render import FORMATS

# Text that has broken documents before, or could: markup, escapes, formulas, controls,
# bidi characters, surrogates, template syntax, line breaks.
SNIPPETS = [
    '=HYPERLINK("https://evil.example/","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "[x](javascript:alert(1))",
    "<https://evil.example/>",
    "<script>alert(1)</script>",
    "</script><!--",
    "]]>",
    "&amp;",
    "&#0;",
    "{{ 7*7 }}",
    "{% raw %}",
    "*",
    "_",
    "#",
    "\\",
    "`",
    "1. ",
    "- ",
    "> ",
    "|",
    "~~~",
    "    ",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x0b",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\ud800",
    "\udcff",
    "\U0001f600",
    "e\u0301",
    "שלום",
    "مرحبا",
    "https://example.org/?a=1&b=<2>",
    "mailto:jobs@example.org",
    "jobs@example.org",
    "2026-02-30",
    "2026-12-31",
    "-18.50",
    "1e999",
    "NaN",
    "012345",
    "NO",
    "on",
    "Infinity",
    ";",
    "'",
    '"',
    "null",
    "~",
]

any_char = st.characters(exclude_categories=())  # surrogates and controls included
printable = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=40)
hostile_text = st.one_of(
    printable,
    st.lists(st.one_of(st.sampled_from(SNIPPETS[:25]), printable), max_size=5).map("".join),
    st.text(any_char, max_size=40),
    st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(any_char, max_size=8)), max_size=6).map(
        "".join
    ),
)
LIST_FIELDS = [f.key for f in FIELDS if f.kind == "list"]
field_value = st.one_of(hostile_text, st.lists(hostile_text, max_size=4))
FIELD_KEYS = [f.key for f in FIELDS]
employer_values = st.dictionaries(st.sampled_from(FIELD_KEYS), field_value, max_size=6)


# ---------------------------------------------------------------------------- validators


class _StrictHTML(HTMLParser):
    """Checks that every element that is opened is closed, in order, and collects scripts."""

    VOID = frozenset(
        "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._script is not None:
            self.scripts.append((self._script, data))
            self._script = None


def valid_md(data: bytes) -> None:
    text = data.decode("utf-8")
    assert text.strip(), "empty Markdown"
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t"]
    assert not bad, f"control characters in Markdown: {bad!r}"


def valid_docx(data: bytes) -> None:
    import docx

    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs, "a DOCX with no paragraphs"
    for rel in document.part.rels.values():
        if rel.is_external:
            assert rel.target_ref.lower().startswith(("http:", "https:", "mailto:")), rel.target_ref


def valid_html(data: bytes) -> None:
    text = data.decode("utf-8")
    parser = _StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], f"unclosed elements: {parser.stack}"
    for attrs, body in parser.scripts:
        if attrs.get("type") == "application/ld+json":
            assert json.loads(body)["@type"] == "JobPosting"
    for scheme in ("javascript:", "data:", "vbscript:", "file:"):
        assert f'href="{scheme}' not in text.lower()


def valid_jsonld(data: bytes) -> None:
    document = json.loads(data.decode("utf-8"))
    assert (
        document["@context"].startswith("https://schema.org") and document["@type"] == "JobPosting"
    )


def valid_json(data: bytes) -> None:
    assert isinstance(json.loads(data.decode("utf-8")), dict)


VALIDATORS: dict[str, Callable[[bytes], None]] = {
    "md": valid_md,
    "docx": valid_docx,
    "html": valid_html,
    "jsonld": valid_jsonld,
    "json": valid_json,
}


def test_every_format_has_a_validator():
    assert set(FORMATS) <= set(VALIDATORS), set(FORMATS) - set(VALIDATORS)


# ---------------------------------------------------------------------------- properties


COMPLETE: dict[str, Any] = {
    "setting": "inpatient",
    "education": "associate",
    "employer.name": "Riverside Behavioral Health",
    "location.city": "Denver",
    "location.region": "CO",
    "location.country": "US",
}
"""A complete posting's fields: JSON-LD needs the employer's name and the work address."""


def _generate(values: dict[str, Any], fmt: str) -> bytes:
    return jobgen.generate(values={**COMPLETE, **values}, fmt=fmt, environ={})


def _names_a_field(exc: JobgenError, values: dict[str, Any]) -> bool:
    """The message names a field: one of the drawn ones, or one a rule ties to them
    (salary.period for a salary, location.* for JSON-LD's address)."""
    text = exc.format()
    return any(key in text for key in (*values, *FIELD_KEYS, "education level"))


@pytest.mark.parametrize("fmt", list(FORMATS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=employer_values)
def test_any_employer_text_gives_a_valid_document_or_a_clear_error(fmt, values):
    try:
        data = _generate(values, fmt)
    except JobgenError as exc:
        event("refused with a JobgenError")
        assert exc.format().strip()
        assert _names_a_field(exc, values), exc.format()
        return
    event("a document")
    VALIDATORS[fmt](data)


@pytest.mark.parametrize("fmt", list(FORMATS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=hostile_text)
def test_an_accepted_name_prints_as_written(fmt, name):
    """Whatever the employer's name is, if jobgen accepts it, it prints literally (escaped for
    the format, never read as markup or a formula)."""
    try:
        data = _generate({"employer.name": name}, fmt)
    except JobgenError as exc:
        event("refused with a JobgenError")
        assert "employer.name" in exc.format()
        return
    event("a document")
    VALIDATORS[fmt](data)
    expected = unicodedata.normalize("NFC", name).strip()
    if not expected:
        return
    if fmt == "md":
        from markdown_it import MarkdownIt

        tokens = MarkdownIt("commonmark", {"html": False}).parse(data.decode())
        texts = [
            "".join(c.content for c in t.children or [] if c.type in ("text", "softbreak"))
            for t in tokens
            if t.type == "inline"
        ]
        assert any(expected in t for t in texts), (expected, texts[:3])
    elif fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        assert any(expected in p.text for p in document.paragraphs)
    elif fmt in ("json", "jsonld"):
        assert any(expected in text for text in _strings(json.loads(data)))
    elif fmt == "html":
        page = _StrictHTML()
        page.feed(data.decode("utf-8"))
        assert any(expected in text for text in page.texts)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
