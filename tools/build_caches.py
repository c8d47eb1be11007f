"""Regenerate the built-in guides' caches; run after editing a guide's YAML.

    python tools/build_caches.py          (then commit the changed files)

- ``jobgen/guides/<name>.cache.json``: each built-in guide's parsed YAML, keyed on the YAML's
  SHA-256. Reading it takes well under a millisecond; parsing the YAML takes about 20.

A cache is used only when its key matches, so a stale one costs speed, never correctness;
tests/test_caches.py fails when one is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobgen._yaml import load_yaml_file  # noqa: E402
from jobgen.guide import BUILTIN_GUIDES, _builtin_path, cache_document, cache_path  # noqa: E402


def outputs() -> dict[Path, str]:
    """Every cache file and the text it must hold."""
    result: dict[Path, str] = {}
    for slug in BUILTIN_GUIDES:
        path = _builtin_path(slug)
        result[cache_path(path)] = cache_document(
            path.read_bytes(), load_yaml_file(path, what="guide file")
        )
    return result


def main() -> None:
    for path, text in outputs().items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    print("caches are up to date")


if __name__ == "__main__":
    main()
