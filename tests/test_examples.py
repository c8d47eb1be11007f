"""Golden files: every example employer file renders to the committed output, byte for byte.

When this fails after an intended change, run `python tools/regen_examples.py` and review
`git diff examples/` before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_tool

ROOT = Path(__file__).resolve().parent.parent
regen = load_tool("regen_examples")

OUTPUTS = regen.outputs()


def test_there_are_at_least_three_example_employers():
    assert len(list((ROOT / "examples").glob("*.yaml"))) >= 3


def docx_content(data):
    """What a Word document says, paragraph by paragraph: (style, list level, runs with bold and
    italic marks), the core properties, and the link targets. Compared instead of zip bytes, so
    a new zlib or lxml version does not fail the test while the document is the same."""
    import io

    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    paragraphs = []
    for p in document.paragraphs:
        numbering = p._p.pPr.numPr if p._p.pPr is not None else None
        level = numbering.ilvl.val if numbering is not None else None
        runs = tuple((r.text, bool(r.bold), bool(r.italic)) for r in p.runs)
        paragraphs.append((p.style.name, level, p.text, runs))
    cp = document.core_properties
    links = [
        document.part.rels[h.get(qn("r:id"))].target_ref
        for h in document.element.body.iter(qn("w:hyperlink"))
    ]
    return paragraphs, (cp.title, cp.subject, cp.author, cp.keywords, cp.created), links


@pytest.mark.parametrize("path", sorted(OUTPUTS), ids=lambda p: p.name)
def test_example_output_is_current(path):
    assert path.exists(), f"{path.name} is missing: run python tools/regen_examples.py"
    stale = (
        f"{path.name} is stale: run python tools/regen_examples.py and review git diff examples/"
    )
    if path.suffix == ".docx":
        assert docx_content(path.read_bytes()) == docx_content(OUTPUTS[path]), stale
    else:
        assert path.read_bytes() == OUTPUTS[path], stale
