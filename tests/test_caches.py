"""The built-in guide's JSON cache (used only when its key matches its YAML) and the built-in
template's compilation."""

from __future__ import annotations

import hashlib
import importlib
import json
from pathlib import Path

import pytest
from conftest import load_tool

import jobgen
from jobgen import guide as guide_module
from jobgen._yaml import load_yaml_file
from jobgen.guide import BUILTIN_GUIDES, _builtin_path, cache_path, guide_from_data, load_guide
from jobgen.render.markdown import DEFAULT_TEMPLATE, load_template

ROOT = Path(__file__).resolve().parent.parent
STALE = "is stale: run python tools/build_caches.py and commit the result"

markdown_module = importlib.import_module("jobgen.render.markdown")


def build_caches_tool():  # type: ignore[no-untyped-def]
    return load_tool("build_caches")


@pytest.mark.parametrize("slug", BUILTIN_GUIDES)
def test_guide_cache_holds_exactly_the_yaml(slug: str) -> None:
    path = _builtin_path(slug)
    cached = json.loads(cache_path(path).read_text(encoding="utf-8"))
    assert cached["yaml_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), STALE
    parsed = load_yaml_file(path, what="guide file")
    assert cached["data"] == parsed, STALE
    source = f"built-in guide {slug}"
    assert guide_from_data(cached["data"], source) == guide_from_data(parsed, source)
    assert load_guide(slug) == guide_from_data(parsed, source)


def test_every_cache_file_is_what_the_tool_writes() -> None:
    for path, text in build_caches_tool().outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} {STALE}"


def test_a_stale_or_broken_guide_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _builtin_path(BUILTIN_GUIDES[0])
    edited = source.read_text(encoding="utf-8").replace(
        "occupation: Mental Health Technician", "occupation: Behavioral Health Technician", 1
    )
    assert edited != source.read_text(encoding="utf-8")
    (tmp_path / source.name).write_text(edited, encoding="utf-8")
    cache_path(tmp_path / source.name).write_bytes(cache_path(source).read_bytes())  # old key
    monkeypatch.setattr(guide_module, "GUIDES_DIR", tmp_path)
    guide_module._load_builtin.cache_clear()
    try:
        assert load_guide().occupation == "Behavioral Health Technician"  # the YAML, not the cache
        cache_path(tmp_path / source.name).write_text("{not json")
        guide_module._load_builtin.cache_clear()
        assert load_guide().occupation == "Behavioral Health Technician"
        cache_path(tmp_path / source.name).unlink()
        guide_module._load_builtin.cache_clear()
        assert load_guide().occupation == "Behavioral Health Technician"
    finally:
        guide_module._load_builtin.cache_clear()


def test_the_built_in_template_and_a_users_copy_give_the_example_postings(
    guide, tmp_path: Path
) -> None:
    """The built-in template (plain Jinja2) and a user's copy of it (sandboxed) render exactly
    the committed examples."""
    copy = tmp_path / "mine.md.j2"
    copy.write_bytes((ROOT / "templates" / DEFAULT_TEMPLATE).read_bytes())
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert examples
    for employer in examples:
        options = jobgen.load_options(guide, employer_file=employer, environ={})
        posting = jobgen.compose(guide, options)
        expected = markdown_module.render_markdown(posting)
        assert markdown_module.render_markdown(posting, template=copy) == expected
        assert expected == (ROOT / "examples" / f"{employer.stem}.md").read_text(encoding="utf-8")


def test_template_errors_name_the_template_file_and_line(guide) -> None:
    template = load_template()
    assert template.name == template.filename
    assert Path(str(template.filename)).name == DEFAULT_TEMPLATE
