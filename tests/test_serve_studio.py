"""The studio page in real Chromium (Debian's chromium + chromium-driver, through Selenium),
against the real `jobgen serve`: typing updates the preview, errors appear beside their
field, files download and upload, the keyboard reaches everything, and axe-core finds no
serious or critical accessibility violation.

axe-core (MPL-2.0, Deque Systems) is installed from the npm registry into a temporary folder
for the session. A screenshot for the docs: STUDIO_SCREENSHOT=examples/studio.png
.venv/bin/pytest tests/test_serve_studio.py -k screenshot
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_program
from serving import ROOT, Server, running_server

from jobgen.guide import load_guide
from jobgen.starter import starter_yaml

pytestmark = pytest.mark.external

AXE_VERSION = "4.14.1"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1500,1000",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("studio")) as running:
        yield running


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    chromium = require_program("chromium", "chromium-browser")
    driver_path = require_program("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="jobgen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = require_program("npm")
    folder = tmp_path_factory.mktemp("axe")
    subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--silent",
            "--prefix",
            str(folder),
            f"axe-core@{AXE_VERSION}",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (folder / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def wait_for(check: Callable[[], Any], what: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def preview_html(browser: Any) -> str:
    return str(browser.find_element("id", "preview").get_attribute("srcdoc") or "")


def control(browser: Any, key: str) -> Any:
    return browser.find_element("css selector", f'[data-field="{key}"]')


def error_text(browser: Any, key: str) -> str:
    return str(browser.find_element("css selector", f'[data-error-for="{key}"]').text)


def downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    wait_for(lambda: path.exists() and path.stat().st_size > 0, f"the download {name}")
    time.sleep(0.2)  # Chromium renames the .crdownload when it is complete
    return path


def open_studio(browser: Any, server: Server) -> None:
    browser.get(server.url + "/")
    wait_for(lambda: "Mental Health Technician" in preview_html(browser), "the first preview")


def test_typing_updates_the_preview_and_errors_show_beside_the_field(
    browser: Any, server: Server, downloads: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    open_studio(browser, server)
    Select(control(browser, "setting")).select_by_value("outpatient-clinics")
    control(browser, "employer.name").send_keys("Lakeside Counseling")
    control(browser, "salary.min").send_keys("19.50")
    control(browser, "salary.max").send_keys("24")
    Select(control(browser, "salary.period")).select_by_value("hour")
    wait_for(
        lambda: "Lakeside Counseling" in preview_html(browser) and "19.50" in preview_html(browser),
        "the preview to show the employer and pay",
    )
    assert "outpatient" in preview_html(browser).lower()
    assert browser.find_elements("css selector", "#lint li.finding")  # checks listed

    pay = control(browser, "salary.min")
    pay.clear()
    pay.send_keys("lots")
    message = wait_for(lambda: error_text(browser, "salary.min"), "the inline pay error")
    assert "'lots' is not a number" in message  # the library's words
    assert pay.get_attribute("aria-invalid") == "true"
    assert not error_text(browser, "employer.name")

    pay.clear()
    pay.send_keys("19.50")
    wait_for(lambda: not error_text(browser, "salary.min"), "the error to clear")
    for name in ("location.city", "location.region", "location.country"):
        control(browser, name).send_keys(
            {"location.city": "Boulder"}.get(name, "CO" if "region" in name else "US")
        )
    browser.find_element("css selector", '[data-download="docx"]').click()
    path = downloaded(downloads, "lakeside-counseling-mental-health-technician.docx")
    import docx

    document = docx.Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Lakeside Counseling" in text and "$19.50" in text


def test_open_an_employer_file_and_save_it_back_unchanged(
    browser: Any, server: Server, downloads: Path, tmp_path: Path
) -> None:
    guide = load_guide()
    original = starter_yaml(
        guide,
        {
            "employer.name": "Hillcrest Recovery",
            "setting": "substance-abuse-treatment-facilities",
            "education": "bachelors-degree",
            "location.city": "Pueblo",
            "location.region": "CO",
            "salary.min": "21.00",
            "salary.max": "27.50",
            "salary.period": "hour",
            "benefits": "Medical insurance;Tuition help",
        },
    )
    source = tmp_path / "hillcrest.yaml"
    source.write_text(original, encoding="utf-8")
    open_studio(browser, server)
    browser.find_element("id", "open-file").send_keys(str(source))
    wait_for(
        lambda: control(browser, "employer.name").get_attribute("value") == "Hillcrest Recovery",
        "the form to fill from the file",
    )
    assert control(browser, "benefits").get_attribute("value") == "Medical insurance\nTuition help"
    wait_for(lambda: "Hillcrest Recovery" in preview_html(browser), "the preview of the file")
    saved = downloads / "employer.yaml"
    if saved.exists():
        saved.unlink()
    browser.find_element("id", "save-file").click()
    assert downloaded(downloads, "employer.yaml").read_text(encoding="utf-8") == original


def test_keyboard_alone_picks_a_variant(browser: Any, server: Server) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_studio(browser, server)
    # Tab from the top of the page: the file controls, then the form's fields in order
    focused = []
    for _ in range(4):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused.append(browser.switch_to.active_element.get_attribute("id"))
    assert focused == ["open-file", "save-file", "f-employer-name", "f-employer-about"]
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "f-employer-name"
    ActionChains(browser).send_keys("Keyboard Health").perform()
    wait_for(lambda: "Keyboard Health" in preview_html(browser), "the typed name in the preview")
    show = browser.find_element("id", "show-variants")
    browser.execute_script("arguments[0].focus()", show)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    use = wait_for(
        lambda: browser.find_elements("css selector", "#variants button"), "the variants table"
    )
    rows = browser.find_elements("css selector", "#variants tr")
    guide = load_guide()
    assert len(rows) == 1 + len(guide.setting_choices()) * len(guide.education_choices())
    target = use[-1]
    label = target.get_attribute("aria-label")
    browser.execute_script("arguments[0].focus()", target)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    last_setting = guide.setting_choices()[-1]
    last_level = guide.education_choices()[-1]
    assert label == f"Use {last_setting.name}, {last_level.name}"
    wait_for(
        lambda: (
            control(browser, "setting").get_attribute("value") == last_setting.slug
            and control(browser, "education").get_attribute("value") == last_level.slug
        ),
        f"the setting chosen by {label}",
    )
    for element in browser.find_elements("css selector", "input, select, textarea, button"):
        ident = element.get_attribute("id")
        if element.tag_name in ("input", "select", "textarea"):
            labels = browser.find_elements("css selector", f'label[for="{ident}"]')
            assert labels and labels[0].text.strip(), f"{ident} has no label"


def test_axe_finds_no_serious_or_critical_violation(
    browser: Any, server: Server, axe_source: str
) -> None:
    open_studio(browser, server)
    browser.find_element("id", "show-variants").click()
    wait_for(lambda: browser.find_elements("css selector", "#variants table"), "the variants")
    control(browser, "salary.min").send_keys("oops")  # the page with an error shown
    wait_for(lambda: error_text(browser, "salary.min"), "the inline error")
    browser.execute_script(axe_source)
    assert browser.execute_script("return axe.version") == AXE_VERSION
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe failed', impact: 'critical', nodes: [String(e)]}]));"
    )
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def test_the_page_loads_nothing_from_another_host(browser: Any, server: Server) -> None:
    open_studio(browser, server)
    sources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert sources and all(s.startswith(server.url + "/") for s in sources), sources


def test_screenshot(browser: Any, server: Server, tmp_path: Path) -> None:
    """The studio filled in as a user would, pictured: into tmp_path, or for the docs into
    STUDIO_SCREENSHOT (examples/studio.png)."""
    from selenium.webdriver.support.ui import Select

    open_studio(browser, server)
    browser.set_window_size(1500, 1000)
    Select(control(browser, "setting")).select_by_value("inpatient-facilities")
    Select(control(browser, "education")).select_by_value("associates-degree")
    for key, value in (
        ("employer.name", "Riverside Behavioral Health"),
        ("location.city", "Denver"),
        ("location.region", "CO"),
        ("location.country", "US"),
        ("schedule", "Night shift, 7p-7a"),
        ("salary.min", "19.50"),
        ("salary.max", "26"),
    ):
        control(browser, key).send_keys(value)
    Select(control(browser, "salary.period")).select_by_value("hour")
    wait_for(lambda: "$19.50–$26.00" in preview_html(browser), "the preview")
    browser.execute_script(
        "document.activeElement.blur(); document.querySelector('.answers').scrollTop = 0"
    )
    time.sleep(0.5)
    target = Path(os.environ.get("STUDIO_SCREENSHOT") or tmp_path / "studio.png")
    if not target.is_absolute():
        target = ROOT / target
    assert browser.save_screenshot(str(target))
    assert target.read_bytes().startswith(b"\x89PNG")


def test_an_example_employer_file_with_aliases_opens(browser: Any, server: Server) -> None:
    open_studio(browser, server)
    browser.find_element("id", "open-file").send_keys(
        str(ROOT / "examples" / "riverside-inpatient.yaml")
    )
    wait_for(
        lambda: control(browser, "setting").get_attribute("value") == "inpatient-facilities",
        "the alias 'inpatient' shown as its choice",
    )
    assert control(browser, "education").get_attribute("value") == "associates-degree"
    wait_for(
        lambda: "Mental Health Technician, Nights" in preview_html(browser), "the example's preview"
    )
