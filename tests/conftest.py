"""Shared test helpers.

Tests that need an external program (pandoc, LibreOffice, poppler, Chromium) are marked
``@pytest.mark.external`` and call :func:`require_program`: it skips with a reason when the
program is missing, and fails instead when ``JOBGEN_REQUIRE_EXTERNAL=1`` (set by ``.ci/run``), so
CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str, *alternatives: str) -> str:
    """The path of ``name`` (or of the first alternative found); skip or fail when none is."""
    for candidate in (name, *alternatives):
        path = shutil.which(candidate)
        if path:
            return path
    names = " / ".join((name, *alternatives))
    reason = f"{names} is not installed"
    if os.environ.get("JOBGEN_REQUIRE_EXTERNAL") == "1":
        pytest.fail(f"{reason}, and JOBGEN_REQUIRE_EXTERNAL=1 requires it")
    pytest.skip(reason)
