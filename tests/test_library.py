"""The lazy imports stay lazy and modules are importable by name; YAML, the DOCX writer and the
file writers keep their promises. (Speed is measured by benchmarks/run.py, never asserted.)"""

from __future__ import annotations

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
from lxml import etree

import jobgen
from jobgen._yaml import parse_yaml
from jobgen._yaml_loader import _LiteralLoader, _Loader
from jobgen.errors import ValidationError
from jobgen.output import write_atomic, write_new
from jobgen.render.docx import DocumentMeta, build_docx, default_reference_path

ROOT = Path(__file__).resolve().parent.parent


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


def test_modules_are_modules_and_public_names_are_the_same_objects() -> None:
    import jobgen.compose
    import jobgen.render.markdown as markdown
    from jobgen.compose import compose

    assert jobgen.compose is sys.modules["jobgen.compose"] and jobgen.compose.compose is compose
    assert markdown is sys.modules["jobgen.render.markdown"]
    assert jobgen.render is sys.modules["jobgen.render"] and callable(jobgen.render.render)
    assert jobgen.Guide is sys.modules["jobgen.guide"].Guide
    assert set(jobgen.__all__) <= set(dir(jobgen))
    with pytest.raises(AttributeError):
        _ = jobgen.no_such_name  # type: ignore[attr-defined]


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


def test_jobgen_generate_gives_the_same_bytes_each_time() -> None:
    first = jobgen.generate(setting="inpatient", education="associate", environ={})
    second = jobgen.generate(setting="inpatient", education="associate", environ={})
    assert first == second and first.startswith(b"# Mental Health Technician")


@pytest.mark.parametrize("jobs", [1, 2])
def test_rows_whose_files_cannot_be_flushed_fail_and_leave_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    import errno

    from jobgen.batch import run_batch

    rows = [
        {"setting": "inpatient", "education": "hs", "requisition_id": f"R{i}"} for i in range(40)
    ]
    out = tmp_path / "out"
    good = run_batch(rows, out_dir=out, jobs=jobs, environ={})
    assert good.ok == 40 and len(list(out.glob("*.md"))) == 40

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)  # forked workers inherit the patch
    bad = tmp_path / "bad"
    result = run_batch(rows, out_dir=bad, jobs=jobs, environ={})
    assert result.failed == 40 and result.exit_code == 1
    assert all("the disk is full" in (r.error or "") for r in result.postings)
    assert result.manifest_error is not None and "the disk is full" in result.manifest_error
    assert list(bad.iterdir()) == []  # no posting stays whose data may not be on disk


@pytest.mark.parametrize(
    ("text", "single_line", "multiline"),
    [
        ("a\tb", "a tab", None),
        ("a\nb", "a line break", None),
        (" a\n", None, None),
        ("\x07", "control character U+0007", "control character U+0007"),
        ("\ud800", "lone surrogate", "lone surrogate"),
        ("\ufffe", "non-character", "non-character"),
        ("\u202e", "bidirectional override", "bidirectional override"),
        ("\u200f ok", None, None),
        ("", None, None),
    ],
)
def test_text_problems_name_what_a_document_cannot_hold(
    text: str, single_line: str | None, multiline: str | None
) -> None:
    from jobgen import _validate

    for allowed, expected in ((False, single_line), (True, multiline)):
        found = _validate.text_problem(text, multiline=allowed)
        assert (found is None) == (expected is None), (text, allowed, found)
        if expected is not None and found is not None:
            assert expected in found[0]
