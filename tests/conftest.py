"""Shared fixtures. External programs: `require_program` skips with a reason when one is
missing, and fails instead when JOBGEN_REQUIRE_EXTERNAL=1 (set by .ci/run)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from jobgen.guide import Guide, load_guide

ROOT = Path(__file__).resolve().parent.parent
GUIDE_TEXT = ROOT.parent / "shared" / "guides" / "mental-health-technician.txt"


def load_tool(name: str) -> ModuleType:
    """Import one of the scripts in tools/ (they are not a package) by file name."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_program(*names: str) -> str:
    """Path of the first of ``names`` on PATH; skip (or fail under .ci/run) when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{' or '.join(names)} is not installed"
    if os.environ.get("JOBGEN_REQUIRE_EXTERNAL") == "1":
        pytest.fail(f"{reason}, and JOBGEN_REQUIRE_EXTERNAL=1 says it must be")
    pytest.skip(reason)


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter with this checkout first on the path (and this
    test's environment: no JOBGEN_* settings, the fixed date); return what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return result.stdout


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no JOBGEN_* settings from the developer's shell, and a fixed date."""
    for key in list(os.environ):
        if key.startswith("JOBGEN_") and key != "JOBGEN_REQUIRE_EXTERNAL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795824000")  # 2026-11-28


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def guide() -> Guide:
    return load_guide()


@pytest.fixture(scope="session")
def guide_text() -> str:
    """The source guide text; shipped in shared/ beside the checkout, or in tests/data."""
    for path in (GUIDE_TEXT, ROOT / "tests" / "data" / "mental-health-technician.txt"):
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.fail("the Mental Health Technician guide text is missing")
