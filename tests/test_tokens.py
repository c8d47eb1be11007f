"""The one Markdown token stream every writer walks: what a posting's Markdown becomes."""

from __future__ import annotations

from jobgen.render.tokens import (
    Break,
    Code,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Run,
    parse,
    plain_text,
)


def test_headings_paragraphs_and_marks() -> None:
    blocks = parse("# Title\n\n**Acme** · *Denver* `x`\nnext  \nline\n")
    assert blocks == (
        Heading(1, (Run("Title"),)),
        Paragraph(
            (
                Run("Acme", bold=True),
                Run(" · "),
                Run("Denver", italic=True),
                Run(" "),
                Run("x", code=True),
                Break(hard=False),
                Run("next"),
                Break(hard=True),
                Run("line"),
            )
        ),
    )
    inlines = blocks[1].inlines  # type: ignore[union-attr]
    assert plain_text(inlines) == "Acme · Denver x next\nline"


def test_lists_nest_and_know_their_start_and_tightness() -> None:
    blocks = parse("- **Lead:** text\n  - inner\n\n3. three\n\n4. four\n")
    outer, ordered = blocks
    assert outer == ListBlock(
        ordered=False,
        start=1,
        tight=True,
        items=(
            ListItem(
                (
                    Paragraph((Run("Lead:", bold=True), Run(" text"))),
                    ListBlock(False, 1, True, (ListItem((Paragraph((Run("inner"),)),)),)),
                )
            ),
        ),
    )
    assert isinstance(ordered, ListBlock)
    assert (ordered.ordered, ordered.start, ordered.tight, len(ordered.items)) == (
        True,
        3,
        False,
        2,
    )


def test_only_safe_links_are_links_and_raw_html_is_text() -> None:
    (paragraph,) = parse(
        "[web](https://ok.example) [js](javascript:alert(1)) [rel](/x) <b>hi</b> "
        "![logo](https://tracker.example/p.png)\n"
    )
    assert isinstance(paragraph, Paragraph)
    links = [run.link for run in paragraph.inlines if isinstance(run, Run) and run.link]
    assert links == ["https://ok.example", "https://tracker.example/p.png"]
    text = plain_text(paragraph.inlines)
    assert "[js](javascript:alert(1))" in text and "[rel](/x)" in text
    assert "<b>hi</b>" in text
    assert text.endswith(" logo")  # an image is a link to it, named by its description


def test_quotes_code_and_rules() -> None:
    assert parse("> quoted\n\n```py\nx = 1\n```\n\n---\n") == (
        Quote((Paragraph((Run("quoted"),)),)),
        Code("x = 1", "py"),
        Rule(),
    )
