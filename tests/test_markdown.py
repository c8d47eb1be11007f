"""Markdown rendering: escaping of user text, sandboxed user templates, clear template errors."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from jobgen.compose import compose
from jobgen.employer import load_options
from jobgen.errors import TemplateError
from jobgen.render.markdown import escape_markdown, render_markdown


def _posting(guide, *assignments):
    return compose(
        guide,
        load_options(guide, setting="in", education="hs", environ={}, assignments=assignments),
    )


def _plain_text(md: str) -> str:
    tokens = MarkdownIt("commonmark").parse(md)
    return "".join(
        c.content
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "text"
    )


@pytest.mark.parametrize(
    "text",
    [
        "*Acme* Health",
        "_under_ & <b>bold</b>",
        "[link](http://x.example)",
        "# not a heading",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "back\\slash `code`",
        "&amp; stays",
        "We're #1",
        "+ plus",
        "   indented",
    ],
)
def test_user_text_prints_literally(text):
    md = f"Employer: {escape_markdown(text)}\n\n{escape_markdown(text)}\n"
    tokens = MarkdownIt("commonmark").parse(md)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * 2
    inline = [t for t in tokens if t.type == "inline"]
    assert all(c.type in ("text", "softbreak") for t in inline for c in t.children or [])
    assert "".join(c.content for c in inline[1].children or []) == text.strip()


def test_employer_name_with_markup_is_escaped_in_the_posting(guide):
    md = render_markdown(_posting(guide, "employer.name=*Acme* <script>[x](y) #1"))
    assert "\\*Acme\\* \\<script\\>\\[x\\](y) \\#1 is hiring" in md
    assert "*Acme* <script>[x](y) #1 is hiring" in _plain_text(md)


def test_a_user_template_renders_in_the_sandbox(guide, tmp_path):
    t = tmp_path / "mine.md.j2"
    t.write_text(
        "# {{ posting.title }} at {{ posting.employer_name }}\n"
        "{% for r in posting.responsibilities %}* {{ r.name }}\n{% endfor %}"
    )
    md = render_markdown(_posting(guide, "employer.name=A_B"), template=t)
    assert md.startswith("# Mental Health Technician at A\\_B\n* Assisting with Daily Care\n")


def test_undefined_variable_names_template_and_line(guide, tmp_path):
    t = tmp_path / "bad.md.j2"
    t.write_text("# {{ posting.title }}\n\n{{ posting.salary_band }}\n")
    with pytest.raises(TemplateError) as info:
        render_markdown(_posting(guide), template=t)
    assert f"{t}:3" in str(info.value) and "salary_band" in str(info.value)


def test_syntax_error_names_template_and_line(guide, tmp_path):
    t = tmp_path / "broken.md.j2"
    t.write_text("ok\n{% for x in %}\n")
    with pytest.raises(TemplateError, match=r"broken.md.j2:2.*syntax"):
        render_markdown(_posting(guide), template=t)


@pytest.mark.parametrize(
    "body",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{{ posting.__class__.__mro__ }}",
        "{{ ''.__class__.__subclasses__() }}",
    ],
)
def test_sandbox_blocks_escapes(guide, tmp_path, body):
    t = tmp_path / "evil.md.j2"
    t.write_text(body)
    with pytest.raises(TemplateError):
        render_markdown(_posting(guide), template=t)


def test_missing_template_file_is_named(guide, tmp_path):
    with pytest.raises(Exception, match="no such template"):
        render_markdown(_posting(guide), template=tmp_path / "nope.j2")


def test_the_escaper_prints_what_escape_markdown_gives_and_stays_bounded() -> None:
    from jobgen.render.markdown import Escaper, Markdown

    escaper = Escaper(max_kept=2)
    texts = ["*a*", "1. b", "plain", "*a*", "<c>", None, Markdown("**kept**")]
    for text in texts:
        expected = "" if text is None else text if isinstance(text, Markdown) else None
        got = escaper.finalize(text)
        assert got == (expected if expected is not None else escape_markdown(str(text)))
        assert len(escaper._escaped) <= 2
