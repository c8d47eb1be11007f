"""The library's one-call API: load_posting, generate, generate_document."""

from __future__ import annotations

import warnings

import pytest

import jobgen
from jobgen.render.docx import DocxWarning

VALUES = {"setting": "sud", "education": "hs", "employer": {"name": "New Dawn"}}


def test_generate_equals_the_steps_it_stands_for():
    guide = jobgen.load_guide()
    options = jobgen.load_options(guide, values=VALUES, environ={})
    by_steps = jobgen.render.render(jobgen.compose.compose(guide, options), "md")
    assert jobgen.generate(values=VALUES, environ={}) == by_steps
    assert jobgen.load_posting(values=VALUES, environ={}) == jobgen.compose.compose(guide, options)


def test_generate_document_carries_posting_markdown_and_bytes():
    located = {**VALUES, "location": {"city": "Columbus", "region": "OH", "country": "US"}}
    document = jobgen.generate_document(values=located, environ={}, fmt="html")
    assert document.fmt == "html"
    assert document.posting.employer_name == "New Dawn"
    assert document.markdown is not None and document.markdown.startswith("# Mental Health")
    assert b"<h1>Mental Health Technician</h1>" in document.data
    assert jobgen.generate_document(values=VALUES, environ={}, fmt="json").markdown is None


def test_docx_warnings_are_returned_by_generate_document_and_issued_by_generate(tmp_path):
    template = tmp_path / "t.md.j2"
    template.write_text("# {{ posting.title }}\n\nA non-character: \ufffe here.\n")
    document = jobgen.generate_document(values=VALUES, environ={}, fmt="docx", template=template)
    assert document.warnings and "U+FFFE" in document.warnings[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jobgen.generate(values=VALUES, environ={}, fmt="docx", template=template)
    assert [w.category for w in caught] == [DocxWarning]


def test_errors_are_jobgen_errors_with_the_field():
    with pytest.raises(jobgen.JobgenError, match=r"salary.min: 'lots' is not a number"):
        jobgen.generate(values={**VALUES, "salary": {"min": "lots"}}, environ={})
