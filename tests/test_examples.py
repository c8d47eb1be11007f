"""Golden files: every example employer file renders to the committed output, byte for byte.

When this fails after an intended change, run `python tools/regen_examples.py` and review
`git diff examples/` before committing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "regen_examples", ROOT / "tools" / "regen_examples.py"
)
assert spec and spec.loader
regen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(regen)

OUTPUTS = regen.outputs()


def test_there_are_at_least_three_example_employers():
    assert len(list((ROOT / "examples").glob("*.yaml"))) >= 3


@pytest.mark.parametrize("path", sorted(OUTPUTS), ids=lambda p: p.name)
def test_example_output_is_current(path):
    assert path.exists(), f"{path.name} is missing: run python tools/regen_examples.py"
    assert path.read_bytes() == OUTPUTS[path], (
        f"{path.name} is stale: run python tools/regen_examples.py and review git diff examples/"
    )
