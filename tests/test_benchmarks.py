"""The benchmark harness runs: `benchmarks/run.py --quick` with tiny counts. It only proves the
harness works and reports every part; no figure is asserted (speed is not a test's business)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_reports_every_part(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    report = tmp_path / "RESULTS.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBGEN_")}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--json",
            str(figures),
            "--write",
            str(report),
            "--scratch",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(figures.read_text(encoding="utf-8"))
    commands = [row["command"] for row in data["startup"]]
    assert "jobgen --help" in commands and "jobgen render -e EMPLOYER -f docx" in commands
    assert all(row["median_ms"] > 0 for row in data["startup"])
    steps = {row["step"] for row in data["posting"]}
    assert {"options", "compose", "md", "docx", "zip-only lower bound"} <= steps
    assert {"html", "jsonld"} <= steps  # both formats are registered in this checkout
    assert {(b["rows"], b["format"], b["jobs"]) for b in data["batch"]} == {
        (rows, fmt, jobs) for rows in (10, 20) for fmt in ("md", "docx") for jobs in (1, 2)
    }
    for run in data["batch"]:
        assert run["exit"] == 0 and run["written"] == run["rows"] and run["peak_mib"] > 0
    if data["pandoc"]:
        assert data["pandoc"]["ms"] > 0
    else:
        assert any("pandoc is not installed" in note for note in data["notes"])
    assert len(data["targets"]) >= 5
    assert data["code"]["python_lines"] > 0 and data["code"]["import_render_markdown"] is True
    assert data["code"]["batch_is_package"] is True
    text = report.read_text(encoding="utf-8")
    for heading in (
        "## Machine",
        "## Targets",
        "## Code",
        "## Start-up",
        "## Per posting",
        "`jobgen batch`",
    ):
        assert heading in text
    # one steadiness probe per round of batch runs: 2 sizes x 2 formats, one run each
    assert len(data["machine"]["probe_ms"]) == len(data["machine"]["probe_pair_ms"]) == 4
    assert "- Steadiness: a fixed loop" in text and "run in two processes at once" in text
    assert result.stdout == text + "\n"
