"""Regenerate every generated file in examples/ from the employer files there.

Usage:  python tools/regen_examples.py        (then review `git diff examples/`)

The golden-file tests (tests/test_examples.py) fail when these outputs are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobgen import generate  # noqa: E402

EXAMPLES = ROOT / "examples"


def outputs() -> dict[Path, bytes]:
    """Every generated example file and the bytes it must hold."""
    result: dict[Path, bytes] = {}
    for employer in sorted(EXAMPLES.glob("*.yaml")):
        result[employer.with_suffix(".md")] = generate(employer_file=employer, environ={})
    return result


def main() -> None:
    for path, data in outputs().items():
        old = path.read_bytes() if path.exists() else None
        if old != data:
            path.write_bytes(data)
            print(f"updated {path.relative_to(ROOT)}")
    print("examples are up to date; review the changes with: git diff examples/")


if __name__ == "__main__":
    main()
