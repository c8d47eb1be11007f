"""The fast paths give the same results as the slow ones they shortcut, and the lazy imports
stay lazy. (Speed itself is measured by benchmarks/run.py, never asserted here.)"""

from __future__ import annotations

import importlib
import io
import os
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import run_python
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import jobgen
from jobgen._yaml import parse_yaml
from jobgen._yaml_loader import _LiteralLoader, _Loader
from jobgen.errors import ValidationError
from jobgen.output import write_atomic, write_new
from jobgen.render.docx import DocumentMeta, build_docx, default_reference_path

ROOT = Path(__file__).resolve().parent.parent
markdown_module = importlib.import_module("jobgen.render.markdown")


# --------------------------------------------------------------------------- lazy imports


def test_importing_jobgen_loads_no_pipeline_and_no_third_party_library() -> None:
    out = run_python(
        "import sys, jobgen\n"
        "names = ('jobgen.compose', 'jobgen.employer', 'jobgen.guide', 'yaml', 'jinja2', 'click')\n"
        "print(sorted(n for n in names if n in sys.modules))\n"
    )
    assert out.strip() == "[]"


def test_help_loads_neither_the_pipeline_nor_jinja2_nor_yaml() -> None:
    out = run_python(
        "import sys\n"
        "from jobgen.cli import main\n"
        "sys.argv = ['jobgen', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('jobgen.compose', 'jobgen.guide', 'yaml', 'jinja2', 'docx', 'markdown_it')\n"
        "print('LOADED', sorted(n for n in names if n in sys.modules))\n"
    )
    assert out.splitlines()[-1] == "LOADED []"


def test_markdown_render_loads_no_document_library() -> None:
    out = run_python(
        "import sys\n"
        "from jobgen.cli import main\n"
        "sys.argv = ['jobgen', 'render', '-s', 'inpatient', '-E', 'associate']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('docx', 'lxml', 'markdown_it', 'jobgen.render.docx', 'jinja2.sandbox')\n"
        "print('LOADED', sorted(n for n in names if n in sys.modules))\n"
    )
    assert out.splitlines()[-1] == "LOADED []"


def test_public_names_are_the_same_objects_however_they_are_reached() -> None:
    import jobgen.compose  # binds the submodule's name: the function must keep it
    from jobgen.compose import compose

    assert jobgen.compose is compose and callable(jobgen.compose)
    assert jobgen.Guide is sys.modules["jobgen.guide"].Guide
    assert set(jobgen.__all__) <= set(dir(jobgen))
    with pytest.raises(AttributeError):
        _ = jobgen.no_such_name  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- escaping


@given(st.text())
def test_escaping_shortcut_matches_the_full_escape(text: str) -> None:
    assert markdown_module.escape_markdown(text) == markdown_module._escape(text)


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "1. item",
        "12) x",
        "٣. arabic digit",
        " lead",
        "\tlead",
        "\flead",
        "a\nb",
        "- dash",
        "+",
        "= x",
        "> q",
        "| t",
        "~ t",
        "#",
        "a & b",
        "&amp;",
        "x_y",
        "",
        "a\\b",
        "[x]",
    ],
)
def test_escaping_shortcut_on_the_edges(text: str) -> None:
    assert markdown_module.escape_markdown(text) == markdown_module._escape(text)
    assert markdown_module._finalize(text) == markdown_module._escape(text)
    assert markdown_module._finalize(text) == markdown_module._escape(text)  # from the cache


# --------------------------------------------------------------------------- YAML with libyaml


def billion_laughs(levels: int) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(levels):
        previous = "a" if level == 0 else f"l{level - 1}"
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("literal", [False, True])
def test_libyaml_reads_what_the_pure_python_loader_reads(literal: bool) -> None:
    loader = _LiteralLoader if literal else _Loader
    guide_yaml = ROOT / "jobgen" / "guides" / "mental-health-technician.yaml"
    for path in [*sorted((ROOT / "examples").glob("*.yaml")), guide_yaml]:
        text = path.read_text(encoding="utf-8")
        fast = parse_yaml(text, str(path), literal=literal)
        slow = yaml.load(text, Loader=loader)
        assert fast == slow
        assert fast.lines == slow.lines


def test_libyaml_keeps_the_limits_and_the_messages() -> None:
    with pytest.raises(ValidationError, match=r"f\.yaml:3: duplicate key 'a' \(first on line 1\)"):
        parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    with pytest.raises(ValidationError, match="more than 100 alias references"):
        parse_yaml(billion_laughs(12), "f.yaml")
    assert len(parse_yaml(billion_laughs(8), "f.yaml")) == 9  # 72 aliases: allowed
    with pytest.raises(ValidationError, match=r"f\.yaml:2"):
        parse_yaml("a: [\n", "f.yaml")
    assert parse_yaml("a: NO\nb: 012\n", "f.yaml", literal=True) == {"a": "NO", "b": "012"}


# --------------------------------------------------------------------------- DOCX writer

META = DocumentMeta(
    title="Tabs & <breaks>", author="A & B", company="A & B <co>", created=datetime(2024, 5, 1)
)

ODD = """\
# Title & <tags> "quotes"

Text\twith a tab, two  spaces and a hard break\\
next line — ünïcödé 😀

> quoted paragraph

---

#### Level four

    indented code
    second line

1. one
2. two

   a second paragraph of two

   - nested [link](https://x.example/?a=1&b=2) and [again](https://x.example/?a=1&b=2)
"""


def paragraphs(data: bytes) -> list[Any]:
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def test_every_part_is_well_formed_xml_and_reads_back() -> None:
    data = build_docx(ODD, META).data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))  # raises on broken XML
    found = {p.text: p for p in paragraphs(data)}
    assert 'Title & <tags> "quotes"' in found
    tab = next(p for p in found.values() if p.text.startswith("Text"))
    assert "\t" in tab.text and "\n" in tab.text and "two  spaces" in tab.text
    assert tab._p.xpath(".//w:tab") and tab._p.xpath(".//w:br")
    assert found["quoted paragraph"]._p.pPr.ind_left is not None
    assert found["Level four"].style.name in ("Heading 4", "Heading 3")
    assert found["indented code\nsecond line"].runs
    nested = next(p for p in found.values() if p.text.startswith("nested"))
    links = nested._p.findall(qn("w:hyperlink"))
    assert len(links) == 2 and len({link.get(qn("r:id")) for link in links}) == 1
    continuation = found["a second paragraph of two"]
    assert continuation._p.pPr.numPr.numId.val == 0
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert (properties.title, properties.author) == ("Tabs & <breaks>", "A & B")


def test_a_reference_with_other_namespace_prefixes_still_works(tmp_path: Path) -> None:
    """Word writes the main namespace as w:, but XML allows any prefix."""
    original = default_reference_path()
    target = tmp_path / "prefixed.docx"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/document.xml", "word/numbering.xml"):
                data = data.replace(b"w:", b"ww:").replace(b"xmlns:w=", b"xmlns:ww=")
            out.writestr(info, data)
    result = build_docx(ODD, META, reference=target)
    found = [(p.style.name, p.text) for p in paragraphs(result.data)]
    assert ("Heading 1", 'Title & <tags> "quotes"') in found
    assert any(style == "List Number" and text == "one" for style, text in found)


# --------------------------------------------------------------------------- writing files


def test_write_new_refuses_an_existing_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_new(str(target), b"one")
    assert target.read_bytes() == b"one" and (target.stat().st_mode & 0o777) == 0o644
    with pytest.raises(Exception, match="already exists"):
        write_new(str(target), b"two")
    write_new(str(target), b"three", force=True)
    assert target.read_bytes() == b"three"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_write_atomic_syncs_unless_asked_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    write_atomic(tmp_path / "a.md", b"x")
    assert len(synced) == 1
    write_atomic(tmp_path / "b.md", b"x", sync=False)
    assert len(synced) == 1


def test_jobgen_generate_is_unchanged_by_the_caches() -> None:
    first = jobgen.generate(setting="inpatient", education="associate", environ={})
    second = jobgen.generate(setting="inpatient", education="associate", environ={})
    assert first == second and first.startswith(b"# Mental Health Technician")


@pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork"
)
def test_workers_flush_a_chunk_together_and_fail_rows_whose_files_are_not_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from jobgen import batch as batch_module
    from jobgen.errors import OutputError

    rows = [  # enough rows for two workers
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(40)
    ]
    out = tmp_path / "out"
    good = batch_module.run_batch(rows, out_dir=out, jobs=2, environ={})
    assert good.ok == 40 and len(list(out.glob("*.md"))) == 40

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def not_here(*args: Any) -> None:
        raise AssertionError("the rows should go to worker processes")

    monkeypatch.setattr(batch_module, "_run_in_process", not_here)
    monkeypatch.setattr(batch_module, "START_METHOD", "fork")  # the workers inherit the patch
    monkeypatch.setattr(os, "fsync", full)
    bad = tmp_path / "bad"
    with pytest.raises(OutputError, match="the disk is full"):  # the manifest cannot be written
        batch_module.run_batch(rows, out_dir=bad, jobs=2, environ={})
    assert list(bad.iterdir()) == []  # no posting stays whose data may not be on disk
