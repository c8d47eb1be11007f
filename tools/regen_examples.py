"""Regenerate every generated file in examples/ from the employer files there.

Usage:  python tools/regen_examples.py                (then review `git diff examples/`)
        python tools/regen_examples.py --screenshot   (also retake the HTML screenshot)

The golden-file tests (tests/test_examples.py) fail when these outputs are stale. The HTML
screenshot depends on the installed Chromium and fonts, so it is not a golden file; retake it when
the page's look changes. The picture of a DOCX's first page, examples/posting-docx-page1.png, is
made separately by tools/docx_page_png.py (it needs LibreOffice and poppler).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobgen import generate  # noqa: E402

EXAMPLES = ROOT / "examples"
SCREENSHOT = EXAMPLES / "riverside-inpatient.png"
SCREENSHOT_SIZE = (1000, 1400)
GALLERY = EXAMPLES / "gallery"
IMPORTED = EXAMPLES / "imported"
GALLERY_SCREENSHOT = EXAMPLES / "gallery.png"
GALLERY_EPOCH = "1795824000"  # 2026-11-28: the variants' date_posted, so the gallery is stable


def outputs() -> dict[Path, bytes]:
    """Every generated example file and the bytes it must hold."""
    result: dict[Path, bytes] = {}
    for employer in sorted(EXAMPLES.glob("*.yaml")):
        result[employer.with_suffix(".md")] = generate(employer_file=employer, environ={})
        result[employer.with_suffix(".docx")] = generate(
            employer_file=employer, environ={}, fmt="docx"
        )
        for fmt in ("html", "jsonld"):
            result[employer.with_suffix("." + fmt)] = generate(
                employer_file=employer, environ={}, fmt=fmt
            )
    # a guide jobgen imported: the draft guide file `jobgen guide import` writes, and postings
    from jobgen.guide_import import dump_guide_yaml, import_guide_file

    for text in sorted(IMPORTED.glob("*.txt")):
        result[text.with_suffix(".guide.yaml")] = dump_guide_yaml(import_guide_file(text)).encode(
            "utf-8"
        )
        for employer in sorted(IMPORTED.glob("*.yaml")):
            if employer.name.endswith(".guide.yaml"):
                continue
            for fmt in ("md", "docx", "html"):
                result[employer.with_suffix("." + fmt)] = generate(
                    guide=text, employer_file=employer, environ={}, fmt=fmt
                )
    from jobgen.gallery import gallery_files

    gallery = gallery_files(
        employer_files=sorted(EXAMPLES.glob("*.yaml")), environ={"SOURCE_DATE_EPOCH": GALLERY_EPOCH}
    )
    for relative, data in gallery.items():
        result[GALLERY / relative] = data
    return result


def chromium_command(chromium: str, page: Path, profile: Path, *args: str) -> list[str]:
    """A headless Chromium run on ``page`` that stays off the network and out of ~/.config."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
        page.resolve().as_uri(),
    ]


def take_screenshot(page: Path, target: Path, size: tuple[int, int] = SCREENSHOT_SIZE) -> None:
    chromium = next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )
    if chromium is None:
        sys.exit("chromium is not installed; it is needed for --screenshot")
    width, height = size
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            chromium_command(
                chromium,
                page,
                Path(profile),
                "--hide-scrollbars",
                f"--screenshot={target}",
                f"--window-size={width},{height}",
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"updated {target.relative_to(ROOT)}")


def main() -> None:
    for path, data in outputs().items():
        old = path.read_bytes() if path.exists() else None
        if old != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"updated {path.relative_to(ROOT)}")
    if "--screenshot" in sys.argv[1:]:
        take_screenshot(SCREENSHOT.with_suffix(".html"), SCREENSHOT)
        take_screenshot(GALLERY / "index.html", GALLERY_SCREENSHOT, (1200, 1500))
    print("examples are up to date; review the changes with: git diff examples/")


if __name__ == "__main__":
    main()
