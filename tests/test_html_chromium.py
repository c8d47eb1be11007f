"""The HTML page in a real browser: headless Chromium loads it, builds the DOM we meant (headings,
lists, the JSON-LD script intact) and paints a non-trivial screenshot."""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import load_tool, require_program

from jobgen import generate

ROOT = Path(__file__).resolve().parent.parent
regen = load_tool("regen_examples")

pytestmark = pytest.mark.external
EMPLOYER = ROOT / "examples" / "riverside-inpatient.yaml"


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_program("chromium", "chromium-browser", "google-chrome")


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "posting.html"
    path.write_bytes(generate(employer_file=EMPLOYER, environ={}, fmt="html"))
    return path


def run(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done


class Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs), ""))
        if tag not in ("meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if self.found and self.open and self.found[-1][0] == self.open[-1]:
            tag, attrs, text = self.found[-1]
            self.found[-1] = (tag, attrs, text + data)

    def texts(self, tag: str) -> list[str]:
        return [text for t, _, text in self.found if t == tag]


def test_chromium_builds_the_dom_we_wrote(chromium, page, tmp_path):
    done = run(regen.chromium_command(chromium, page, tmp_path / "profile", "--dump-dom"))
    dom = Dom()
    dom.feed(done.stdout.decode("utf-8"))
    assert dom.texts("h1") == ["Mental Health Technician, Nights"]
    assert dom.texts("h2")[:3] == [
        "About Riverside Behavioral Health",
        "Position summary",
        "What you will do",
    ]
    assert "Equal opportunity" in dom.texts("h2")
    assert len(dom.texts("li")) >= 20
    assert [t for t, _, _ in dom.found if t in ("main", "article")] == ["main", "article"]
    html_attrs = next(a for t, a, _ in dom.found if t == "html")
    assert html_attrs.get("lang") == "en"
    scripts = [(a, text) for t, a, text in dom.found if t == "script"]
    assert len(scripts) == 1 and scripts[0][0] == {"type": "application/ld+json"}
    data = json.loads(scripts[0][1])
    assert data["@type"] == "JobPosting"
    assert data["hiringOrganization"]["name"] == "Riverside Behavioral Health"
    assert data == json.loads(generate(employer_file=EMPLOYER, environ={}, fmt="jsonld"))


def _png_rows(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (no imaging library needed)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    pos, idat = 8, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_chromium_paints_a_non_trivial_screenshot(chromium, page, tmp_path):
    shot = tmp_path / "shot.png"
    run(
        regen.chromium_command(
            chromium,
            page,
            tmp_path / "profile",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1000,1400",
        )
    )
    png = shot.read_bytes()
    width, height, rows = _png_rows(png)
    assert (width, height) == (1000, 1400)
    # a blank page compresses to almost nothing; text and rules do not
    assert len(png) > 50_000
    assert len(set(rows)) > 64  # many distinct byte values: anti-aliased text, not a flat fill
