"""The built-in template compiled ahead of time (jobgen/render/_aot.py → _posting_md.py) renders
exactly what Jinja2 renders from the same template, byte for byte; what it cannot compile is
refused with a clear error; a changed template file goes through Jinja2; and rendering it
imports no Jinja2."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import run_python
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import COMPLETE, employer_values

import jobgen
from jobgen import _resources
from jobgen.errors import JobgenError, TemplateError
from jobgen.render import _posting_md
from jobgen.render import markdown as md
from jobgen.render._aot import (
    UnsupportedTemplateError,
    builtin_module_source,
    compile_template,
)
from jobgen.render._markup import FILTERS, GLOBALS, _finalize, md_link

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / md.DEFAULT_TEMPLATE
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
COMPILED = _posting_md.bind(_finalize, FILTERS)


def jinja_raw(posting: Any) -> str:
    """Jinja2's rendering of the built-in template, before render_markdown's tidying."""
    return md.load_template().render(posting=posting, options=posting.options)


def compiled_raw(posting: Any) -> str:
    assert _posting_md.NAMES == ("posting", "md_link")
    return COMPILED(posting, md_link)


@contextlib.contextmanager
def jinja_only() -> Iterator[None]:
    """render_markdown as if the compiled module were stale: every posting through Jinja2."""
    saved = list(md._COMPILED)
    md._COMPILED[:] = [None]
    try:
        yield
    finally:
        md._COMPILED[:] = saved


def outcome(render: Callable[[], str]) -> tuple[str, str]:
    try:
        return ("text", render())
    except JobgenError as exc:
        return ("error", exc.format())


def assert_same_as_jinja(posting: Any) -> None:
    assert compiled_raw(posting) == jinja_raw(posting)
    fast = outcome(lambda: md.render_markdown(posting))
    with jinja_only():
        assert fast == outcome(lambda: md.render_markdown(posting))


def test_the_compiled_module_is_in_use() -> None:
    compiled = md._compiled_builtin()
    assert compiled is not None
    assert compiled.render.__module__ == _posting_md.__name__
    assert compiled.names == _posting_md.NAMES
    assert compiled.name == str(_resources.template_path(md.DEFAULT_TEMPLATE))
    assert TEMPLATE.read_text(encoding="utf-8") == _posting_md.TEMPLATE_SOURCE


def test_the_committed_module_is_what_build_caches_writes() -> None:
    assert md.COMPILED_PATH.read_text(encoding="utf-8") == builtin_module_source(), (
        "jobgen/render/_posting_md.py is stale: run python tools/build_caches.py"
    )
    assert "do not edit" in md.COMPILED_PATH.read_text(encoding="utf-8")
    namespace: dict[str, Any] = {}
    exec(compile_template(_posting_md.TEMPLATE_SOURCE, md.DEFAULT_TEMPLATE), namespace)
    assert namespace["NAMES"] == _posting_md.NAMES


# --------------------------------------------------------------------------- equal to Jinja2


@pytest.mark.parametrize("employer", EXAMPLES, ids=lambda p: p.stem)
def test_every_variant_of_every_example_renders_as_jinja2_does(guide, employer: Path) -> None:
    settings_ = [c.slug for c in guide.settings]
    levels = [c.slug for c in guide.education]
    assert len(settings_) * len(levels) == 16
    seen = set()
    for setting, education in itertools.product(settings_, levels):
        options = jobgen.load_options(
            guide, employer_file=employer, setting=setting, education=education, environ={}
        )
        posting = jobgen.compose(guide, options)
        assert_same_as_jinja(posting)
        seen.add(compiled_raw(posting))
    assert len(seen) == 16


def _bare(guide: Any) -> Any:
    """A posting from nothing but a setting and an education level."""
    options = jobgen.load_options(guide, setting="inpatient", education="associate", environ={})
    assert not options.requisition_id and not options.valid_through
    return jobgen.compose(guide, options)


def test_a_posting_with_every_optional_field_empty(guide) -> None:
    posting = _bare(guide)
    empty = dataclasses.replace(
        posting,
        employer_about="",
        employer_website="",
        setting_duties=(),
        preferred=(),
        qualifications_note="",
        skills=(),
        schedule=(),
        pay="",
        benefits=(),
        growth=(),
        apply_url="",
        apply_email="",
        summary=(),
        responsibilities=(),
        required=(),
        header=(),
    )
    assert_same_as_jinja(empty)
    assert "## Skills" not in compiled_raw(empty)
    # each branch of "How to apply", with and without the options it prints
    url, email = "https://example.org/jobs?a=1&b=<2>", "jobs@example.org"
    for apply_url, apply_email in ((url, ""), ("", email), (url, email)):
        assert_same_as_jinja(
            dataclasses.replace(empty, apply_url=apply_url, apply_email=apply_email)
        )
    options = jobgen.load_options(
        guide,
        setting="inpatient",
        education="associate",
        environ={},
        values={"requisition_id": "MHT-*1*", "valid_through": "2027-01-15"},
    )
    full = dataclasses.replace(empty, apply_url=url, options=options)
    assert "Please mention job ID MHT-\\*1\\*." in compiled_raw(full)
    assert "January 15, 2027" in compiled_raw(full)
    assert_same_as_jinja(full)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=employer_values)
def test_any_employer_options_render_as_jinja2_does(values: dict[str, Any]) -> None:
    try:
        posting = jobgen.load_posting(values={**COMPLETE, **values}, environ={})
    except JobgenError:
        return
    assert_same_as_jinja(posting)


# --------------------------------------------------------------------------- the fallbacks


def test_what_the_compiled_code_cannot_read_goes_through_jinja2(guide) -> None:
    """Jinja2 reads a["b"] where a has no attribute b, and fails (strictly) where neither
    exists: the compiled code raises, and render_markdown renders the posting with Jinja2."""
    posting = _bare(guide)
    as_dicts = dataclasses.replace(
        posting, skills=tuple({"name": s.name, "text": s.text} for s in posting.skills)
    )
    with pytest.raises(AttributeError):
        compiled_raw(as_dicts)
    assert md.render_markdown(as_dicts) == md.render_markdown(posting)
    broken = dataclasses.replace(posting, skills=(SimpleNamespace(name="Only a name"),))
    fast = outcome(lambda: md.render_markdown(broken))
    with jinja_only():
        assert fast == outcome(lambda: md.render_markdown(broken))
    assert fast[0] == "error"
    assert "undefined variable" in fast[1]
    assert f"{md.DEFAULT_TEMPLATE}:" in fast[1]


def test_a_variable_replacing_md_link_goes_through_jinja2(guide) -> None:
    posting = dataclasses.replace(_bare(guide), apply_url="https://example.org/apply")

    def shout(text: str, url: str) -> str:
        return f"LINK {text} {url}"

    text = md.render_markdown(posting, md_link=shout)
    assert "Apply online at LINK https://example.org/apply" in text
    with jinja_only():
        assert md.render_markdown(posting, md_link=shout) == text


def test_an_edited_template_file_renders_through_jinja2(
    guide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = TEMPLATE.read_text(encoding="utf-8")
    edited = source.replace("## Position summary", "## The role, in short")
    assert edited != source
    (tmp_path / md.DEFAULT_TEMPLATE).write_text(edited, encoding="utf-8")
    monkeypatch.setattr(_resources, "templates_dir", lambda: tmp_path)
    monkeypatch.setattr(md, "_COMPILED", [])
    monkeypatch.setattr(md, "_BUILTIN", [])
    posting = _bare(guide)

    text = md.render_markdown(posting)
    assert md._COMPILED == [None]  # the module's text is not the file's: not used
    assert "## The role, in short" in text and "## Position summary" not in text
    assert md._BUILTIN and md._BUILTIN[0].filename == str(tmp_path / md.DEFAULT_TEMPLATE)
    # the same as the edited file rendered as a user's template (sandboxed)
    assert text == md.render_markdown(posting, template=tmp_path / md.DEFAULT_TEMPLATE)
    md.prepare_template()  # compiles with Jinja2, without complaint

    (tmp_path / md.DEFAULT_TEMPLATE).write_text("{% if %}", encoding="utf-8")
    monkeypatch.setattr(md, "_COMPILED", [])
    monkeypatch.setattr(md, "_BUILTIN", [])
    with pytest.raises(TemplateError, match=r"posting\.md\.j2:1: template syntax error"):
        md.prepare_template()


def test_rendering_with_the_built_in_template_imports_no_jinja2() -> None:
    code = (
        "import sys\n"
        "from jobgen.cli import main\n"
        "sys.argv = ['jobgen', 'render', '-e', 'examples/riverside-inpatient.yaml', '-f', 'md']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('JINJA2', 'jinja2' in sys.modules)\n"
    )
    lines = run_python(code).splitlines()  # no JOBGEN_* settings, the fixed date
    assert lines[-1] == "JINJA2 False"
    assert "\n".join(lines[:-1]) + "\n" == (ROOT / "examples" / "riverside-inpatient.md").read_text(
        encoding="utf-8"
    )


# --------------------------------------------------------------------------- the compiler


def run_compiled(source: str, context: dict[str, Any]) -> str:
    namespace: dict[str, Any] = {}
    exec(compile_template(source, "t.j2"), namespace)
    render = namespace["bind"](_finalize, FILTERS)
    return str(render(*[context[n] if n in context else GLOBALS[n] for n in namespace["NAMES"]]))


def run_jinja(source: str, context: dict[str, Any]) -> str:
    return md._trusted_environment().from_string(source).render(context)


CONTEXT: dict[str, Any] = {
    "a": "A *b* #1",
    "b": "",
    "n": 3,
    "none": None,
    "items": ["x", "*y*", 2, None],
    "obj": SimpleNamespace(x="1. first", y=(), items=("p", "q"), **{"if": "kw", "for": 0}),
}


@pytest.mark.parametrize(
    "source",
    [
        "plain text { } ' \" \\ \\n \t ·\n",
        "{{ a }}|{{ b }}|{{ n }}|{{ none }}|{{ 'lit*' }}|{{ none_ }}",
        "{{ obj.x }} {{ obj.if }} {{ obj.for }} {{ obj.y }}",
        "{{ a ~ n ~ none ~ obj.y }} {{ 'x' ~ 1 }}",
        "{{ items | join(', ') }}|{{ items | join }}|{{ items | join(1) }}|{{ obj.items | join(n) }}",
        "{{ a and b }} {{ a or b }} {{ not a }} {{ b or none or n }} {{ not (a and not b) }}",
        "{% for a in items %}[{{ a }}]{% endfor %}{{ a }}{% for x in obj.items %}{% for x in items %}"
        "{{ x }}{% endfor %}{{ x }}{% endfor %}",
        "{% if b %}B{% elif obj.y %}Y{% elif n %}N{% else %}E{% endif %}{% if b %}{% endif %}",
        "  {% if a %}\n  x\n  {% endif %}\n{%- if a -%}  y  {%- endif %}\n{%+ if a %} z{% endif +%}\n",
        "{{ md_link(a, 'https://example.org/a b') }} {{ md_link('t', 'mailto:' ~ a) }}",
        "{{ loop }}{% for x in items %}{% endfor %}",
        "{% raw %}{{ not a tag }}{% endraw %}{# a comment #}end",
        "",
    ],
)
def test_supported_constructs_render_as_jinja2_does(source: str) -> None:
    context = {**CONTEXT, "none_": None, "loop": "outside", "date": None}
    assert run_compiled(source, context) == run_jinja(source, context)


def test_a_filter_of_jobgen_renders_as_jinja2_does() -> None:
    import datetime as dt

    source = "{{ d | long_date }}"
    context = {"d": dt.date(2026, 12, 31)}
    assert run_compiled(source, context) == run_jinja(source, context) == "December 31, 2026"


@pytest.mark.parametrize(
    ("source", "line", "node", "words"),
    [
        ("text\n{% set x = 1 %}", 2, "Assign", "{% set %}"),
        ("{{ x | upper }}", 1, "Filter", "the filter 'upper'"),
        ("{% for x in y %}\n{{ loop.index }}\n{% endfor %}", 2, "Name", "the loop variable"),
        ("{% for x in y %}{% else %}none{% endfor %}", 1, "For", "{% else %}"),
        ("{% for x in y if x %}{% endfor %}", 1, "For", "if filter"),
        ("{% for a, b in y %}{% endfor %}", 1, "Tuple", "more than one name"),
        ("{% for x in y recursive %}{% endfor %}", 1, "For", "recursive"),
        ("{{ x[0] }}", 1, "Getitem", "a subscript"),
        ("\n\n{{ a if b else c }}", 3, "CondExpr", "an inline if"),
        ("{{ a == b }}", 1, "Compare", "a comparison"),
        ("{{ a + b }}", 1, "Add", "arithmetic (+)"),
        ("{{ range(3) }}", 1, "Call", "calling anything but jobgen's functions"),
        ("{{ md_link(a, url=b) }}", 1, "Call", "keyword"),
        ("{{ x | join(', ', attribute='a') }}", 1, "Filter", "keyword"),
        ("{% include 'x.j2' %}", 1, "Include", "{% include %}"),
        ("{% macro m() %}{% endmacro %}", 1, "Macro", "{% macro %}"),
        ("{% extends 'x.j2' %}", 1, "Extends", "{% extends %}"),
        ("{{ [1] }}", 1, "List", "a list"),
        ("{{ 1.5e999 }}", 1, "Const", "the constant inf"),
    ],
)
def test_what_it_cannot_compile_is_refused_clearly(
    source: str, line: int, node: str, words: str
) -> None:
    with pytest.raises(UnsupportedTemplateError) as info:
        compile_template(source, "t.j2")
    message = info.value.format()
    assert message.startswith(f"t.j2:{line}: the ahead-of-time compiler does not support ")
    assert f"(jinja2.nodes.{node})" in message
    assert words in message


def test_a_syntax_error_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match=r"^t\.j2:2: template syntax error"):
        compile_template("x\n{% if %}", "t.j2")


# Random templates from the supported subset, against Jinja2 (both render the same text, or
# both fail).
_TEXT = st.text(alphabet=" \n\t*#}'\"\\ab-·", max_size=6)
_LEAVES = ["a", "b", "n", "none", "obj.x", "obj.y", "obj.if", "'q\"}\\\\'", "3", "true", "x"]


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        st.sampled_from(_LEAVES),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda t: f"({t[0]} ~ {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} and {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} or {t[1]})"),
            inner.map(lambda e: f"(not {e})"),
            st.sampled_from(["items", "obj.items", "obj.y"]).map(lambda s: f"({s} | join(', '))"),
        ),
        max_leaves=4,
    )


_OPEN = st.sampled_from(["{%", "{%-", "{%+"])
_CLOSE = st.sampled_from(["%}", "-%}", "+%}"])


def _templates() -> st.SearchStrategy[str]:
    expr = _expressions()
    leaf = st.one_of(_TEXT, expr.map(lambda e: "{{ " + e + " }}"))

    def extend(body: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        block = st.lists(body, max_size=3).map("".join)
        if_ = st.tuples(_OPEN, expr, _CLOSE, block, st.lists(st.tuples(expr, block), max_size=2))
        if_ = st.tuples(if_, st.none() | block).map(
            lambda t: (
                f"{t[0][0]} if {t[0][1]} {t[0][2]}{t[0][3]}"
                + "".join(f"{{% elif {e} %}}{b}" for e, b in t[0][4])
                + (f"{{% else %}}{t[1]}" if t[1] is not None else "")
                + "{% endif %}"
            )
        )
        for_ = st.tuples(
            _OPEN, st.sampled_from(["x", "a"]), st.sampled_from(["items", "obj.items"]), _CLOSE
        )
        for_ = st.tuples(for_, block).map(
            lambda t: f"{t[0][0]} for {t[0][1]} in {t[0][2]} {t[0][3]}{t[1]}{{% endfor %}}"
        )
        return st.one_of(if_, for_)

    return st.lists(st.recursive(leaf, extend, max_leaves=8), max_size=5).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_templates(), context=st.sampled_from([CONTEXT, {**CONTEXT, "b": "B", "n": 0}]))
def test_random_templates_render_as_jinja2_does(source: str, context: dict[str, Any]) -> None:
    context = {**context, "x": "outer x"}
    try:
        expected: tuple[str, Any] = ("text", run_jinja(source, context))
    except Exception as exc:  # Jinja2's own error: the compiled code must fail too
        expected = ("error", type(exc))
    try:
        got: tuple[str, Any] = ("text", run_compiled(source, context))
    except Exception as exc:
        got = ("error", type(exc))
    if expected[0] == "error":
        assert got[0] == "error", (source, got)
    else:
        assert got == expected, source


def test_finalize_gives_every_kind_of_value_what_it_gave_before() -> None:
    """_finalize returns a cached escape of a plain string at once; everything else as before:
    None prints nothing, Markdown as it is, anything else escaped as its str()."""
    import datetime as dt

    from jobgen.render._markup import Markdown, escape_markdown

    class Text(str):
        pass

    for value in ("*a*", "*a*", "plain", "", Text("#1 *b*"), Markdown("**kept**"), None, 7, 1.5):
        expected = "" if value is None else value if isinstance(value, Markdown) else None
        if expected is None:
            expected = escape_markdown(str(value))
        assert _finalize(value) == expected
        assert type(_finalize(value)) is type(expected)
    assert _finalize(dt.date(2026, 1, 2)) == "2026-01-02"
