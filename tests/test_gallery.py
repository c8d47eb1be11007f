"""`jobgen gallery`: a static site of every variant that works from file:// with no server."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from conftest import load_tool, require_program

from jobgen.cli import cli
from jobgen.gallery import build_gallery

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")


def links(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.hrefs


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gallery") / "site"
    build_gallery(out, employer_files=EXAMPLES, environ={"SOURCE_DATE_EPOCH": "1795824000"})
    return out


def test_index_links_sixteen_variant_pages_and_docx_files_that_exist(site):
    hrefs = links(site / "index.html")
    pages = [h for h in hrefs if h.startswith("variants/") and h.endswith(".html")]
    docs = [h for h in hrefs if h.startswith("variants/") and h.endswith(".docx")]
    assert len(set(pages)) == 16 and len(set(docs)) == 16
    for href in hrefs:
        assert not re.match(r"^[a-z]+:", href), (
            f"{href} is not relative: file:// needs relative links"
        )
        assert (site / href).is_file(), href
    for doc in docs:
        document = docx.Document(str(site / doc))
        assert document.paragraphs[0].text == "Mental Health Technician"


def test_index_lists_every_example_employer(site):
    hrefs = links(site / "index.html")
    employer_pages = [h for h in hrefs if h.startswith("employers/") and h.endswith(".html")]
    assert len(employer_pages) == len(EXAMPLES)
    riverside = (site / "employers" / "riverside-inpatient.html").read_text()
    assert 'type="application/ld+json"' in riverside  # a real employer gets its JSON-LD


def test_variant_pages_link_back_and_to_their_files(site):
    page = site / "variants" / "substance-abuse-treatment-facilities--bachelors-degree.html"
    hrefs = links(page)
    assert hrefs[:3] == [
        "../index.html",
        "substance-abuse-treatment-facilities--bachelors-degree.md",
        "substance-abuse-treatment-facilities--bachelors-degree.docx",
    ]
    text = page.read_text()
    assert "co-occurring" in text and "Bachelor" in text
    assert "ld+json" not in text  # the placeholder employer cannot fill Google's properties


def test_the_gallery_is_deterministic(site, tmp_path):
    again = tmp_path / "again"
    build_gallery(again, employer_files=EXAMPLES, environ={"SOURCE_DATE_EPOCH": "1795824000"})
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_existing_files_are_not_overwritten(runner, tmp_path):
    out = tmp_path / "g"
    assert runner.invoke(cli, ["gallery", "-o", str(out)]).exit_code == 0
    (out / "index.html").write_text("mine")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = runner.invoke(cli, ["gallery", "-o", str(out)])
    assert result.exit_code == 1
    assert "already exist" in result.stderr and "--force" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    forced = runner.invoke(cli, ["gallery", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and (out / "index.html").read_text().startswith("<!DOCTYPE html>")


def test_an_imported_guide_gets_its_own_grid(runner, tmp_path):
    out = tmp_path / "pharmacy"
    guide = ROOT / "tests" / "data" / "pharmacy-technician.txt"
    result = runner.invoke(cli, ["gallery", "-o", str(out), "--guide", str(guide)])
    assert result.exit_code == 0, result.output
    pages = [h for h in links(out / "index.html") if h.endswith(".html")]
    assert len(pages) == 9
    assert "Pharmacy Technician postings" in (out / "index.html").read_text()


@pytest.mark.external
def test_chromium_renders_the_gallery_index(site, tmp_path):
    chromium = require_program("chromium", "chromium-browser", "google-chrome")
    regen = load_tool("regen_examples")
    index, profile = site / "index.html", tmp_path / "profile"
    dom = subprocess.run(regen.chromium_command(chromium, index, profile, "--dump-dom"),
                         capture_output=True, text=True, timeout=180, check=True).stdout  # fmt: skip
    assert dom.count('<a class="view" href="variants/') == 16
    assert "<table>" in dom and "Example employers" in dom
    shot = tmp_path / "index.png"
    command = regen.chromium_command(chromium, index, profile, "--hide-scrollbars",
                                     f"--screenshot={shot}", "--window-size=1200,900")  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a painted page, not a blank one


def test_an_employer_file_without_a_setting_is_named_without_a_missing_flag(runner, tmp_path):
    employer = tmp_path / "no-setting.yaml"
    employer.write_text("education: associate\nemployer:\n  name: X\n", encoding="utf-8")
    result = runner.invoke(cli, ["gallery", "-o", str(tmp_path / "site"), "-e", str(employer)])
    assert result.exit_code == 1
    assert f"{employer}: gives no setting" in result.output
    assert "add 'setting:' to the file" in result.output
    assert "--setting" not in result.output  # the gallery has no such flag
