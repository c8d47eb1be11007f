#!/usr/bin/env python3
"""jobgen's benchmark harness: the figures of issues 10 and 16, measured side by side in one run.

    python benchmarks/run.py --write      # the full run (minutes); rewrites benchmarks/RESULTS.md
    python benchmarks/run.py              # the same, printed only
    python benchmarks/run.py --quick      # a smoke run with tiny counts (seconds)
    python benchmarks/run.py --json FILE  # the raw figures as JSON, too

It measures the checkout it lives in (``PYTHONPATH`` points at it), with the interpreter that runs
it, and prints medians and ratios:

- the code: lines of Python in ``jobgen/``, the longest module, the most complex function
  (``radon cc``, when radon is installed), and the one-path checks of issue 16 (no ``gc.freeze``
  or ``signal`` outside ``cli.py``, no ``id()``-keyed cache, ``import jobgen.render.markdown``);
- start-up: ``jobgen --help``, ``jobgen render -f md`` and ``-f docx`` as fresh processes, against
  ``python -c "import click, jinja2, yaml"`` (and ``+ docx``) as the floor;
- per posting in one process: options, compose, Markdown, DOCX, HTML, JSON-LD (formats that are
  not registered are skipped with a note), and the lower bound of a DOCX: its members written
  with ``zipfile`` alone;
- pandoc converting the same Markdown postings to DOCX, one process per posting (the baseline);
- ``jobgen batch`` of 1,000 and 10,000 rows to Markdown and to DOCX with ``--jobs 1`` and
  ``--jobs 2``: postings per second and the peak memory of the largest process.

No figure here is asserted by the test suite; ``tests/test_benchmarks.py`` only proves that
``--quick`` runs. See benchmarks/README.md for the method.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import gc
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
EPOCH = "1795824000"  # 2026-11-28: every posting carries the same date, as in the tests

# The console script that `pip install` writes runs exactly this.
JOBGEN = ("-c", "import sys; from jobgen.cli import main; sys.argv[0] = 'jobgen'; sys.exit(main())")


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Plan:
    startup_runs: int
    posting_rounds: int
    corpus: int
    pandoc_runs: int
    batch_sizes: tuple[int, ...]
    batch_jobs: tuple[int, ...] = (1, 2)
    batch_formats: tuple[str, ...] = ("md", "docx")
    batch_runs: int = 5


FULL = Plan(
    startup_runs=21, posting_rounds=15, corpus=48, pandoc_runs=20, batch_sizes=(1_000, 10_000)
)
QUICK = Plan(
    startup_runs=1, posting_rounds=2, corpus=4, pandoc_runs=1, batch_sizes=(10, 20), batch_runs=1
)


@dataclass
class Report:
    """Everything measured, JSON-ready."""

    machine: dict[str, Any] = field(default_factory=dict)
    startup: list[dict[str, Any]] = field(default_factory=list)
    posting: list[dict[str, Any]] = field(default_factory=list)
    pandoc: dict[str, Any] = field(default_factory=dict)
    batch: list[dict[str, Any]] = field(default_factory=list)
    code: dict[str, Any] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def child_env() -> dict[str, str]:
    """The environment of every measured process: this checkout first on the path, bytecode
    caches allowed (an installed wheel has them), no JOBGEN_* settings, a fixed date."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBGEN_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


# --------------------------------------------------------------------------- the postings

EMPLOYERS = (
    ("Riverside Behavioral Health", "Denver", "CO", "https://riverside-bh.example"),
    ("Harbor Community Mental Health Center", "Tacoma", "WA", "https://harborcmhc.example"),
    ("New Dawn Recovery & Detox", "Columbus", "OH", "https://newdawn.example"),
)
SETTINGS = ("inpatient", "outpatient", "community", "substance")
EDUCATION = ("high-school", "associate", "bachelor", "training-program")
BENEFITS = (
    "Medical, dental and vision insurance from day one",
    "403(b) retirement plan with a 4% match",
    "Tuition assistance for degrees in psychology, social work and nursing",
    "Paid time off from your first month",
)


def make_row(i: int) -> dict[str, str]:
    """Row ``i`` of the benchmark input: every setting × education level, three employers, and
    the fields a real posting fills (pay, schedule, benefits, links, dates)."""
    name, city, region, site = EMPLOYERS[i % len(EMPLOYERS)]
    hourly = i % 2 == 0
    low = 18 + i % 7 if hourly else 41_000 + 500 * (i % 9)
    return {
        "requisition_id": f"BENCH-{i + 1:05d}",
        "employer.name": name,
        "employer.website": site,
        "setting": SETTINGS[i % len(SETTINGS)],
        "education": EDUCATION[(i // len(SETTINGS)) % len(EDUCATION)],
        "location.city": city,
        "location.region": region,
        "location.country": "US",
        "employment_type": ("full-time", "part-time", "per-diem")[i % 3],
        "schedule": "Night shift, 7 p.m. to 7:30 a.m., three 12-hour shifts a week",
        "salary.min": f"{low:.2f}",
        "salary.max": f"{low * 1.25:.2f}",
        "salary.period": "hour" if hourly else "year",
        "certification": ("required", "preferred", "none")[i % 3],
        "experience_months": str(6 * (i % 4)),
        "benefits": ";".join(BENEFITS[: 1 + i % len(BENEFITS)]),
        "apply.url": f"{site}/careers/{i + 1}",
        "apply.email": "careers@" + site.removeprefix("https://"),
        "date_posted": "2026-11-28",
        "valid_through": "2027-01-15",
    }


def write_csv(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(make_row(0)))
        writer.writeheader()
        for i in range(n):
            writer.writerow(make_row(i))


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "executable": sys.executable,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()
        info["load"] = f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    libs = {}
    for dist in ("click", "Jinja2", "PyYAML", "python-docx", "lxml", "markdown-it-py"):
        try:
            libs[dist] = version(dist)
        except PackageNotFoundError:
            libs[dist] = "missing"
    try:
        import yaml

        libs["PyYAML"] += " (libyaml)" if yaml.__with_libyaml__ else " (pure Python)"
    except ImportError:
        pass
    info["libraries"] = libs
    pandoc = shutil.which("pandoc")
    if pandoc:
        out = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        info["pandoc"] = out.splitlines()[0] if out else pandoc
    git = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    info["commit"] = git.stdout.strip() or "unknown"
    return info


# --------------------------------------------------------------------------- the code


def _radon_max() -> tuple[int, str] | None:
    """The most complex function in jobgen/ (radon's cyclomatic complexity), or None."""
    try:
        from radon.complexity import cc_visit
    except ImportError:
        return None
    worst = (0, "")
    for path in sorted((ROOT / "jobgen").rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > worst[0]:
                name = getattr(block, "fullname", block.name)
                worst = (block.complexity, f"{path.relative_to(ROOT)}: {name}")
    return worst


def measure_code(report: Report) -> None:
    """Size and shape of jobgen/ (issue 16's figures)."""
    import re

    modules = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "jobgen").rglob("*.py"))
    }
    lines = {name: text.count("\n") for name, text in modules.items()}
    longest = max(lines, key=lambda name: lines[name])
    outside_cli = sorted(
        name
        for name, text in modules.items()
        if not (name.startswith("jobgen/cli/") or name == "jobgen/cli.py")
        # installing a handler or freezing the collector is the command line's business
        and re.search(r"\bsignal\.signal\(|gc\.freeze\(", text)
    )
    keyed_by_id = sorted(
        f"{name}:{number}"
        for name, text in modules.items()
        for number, line in enumerate(text.splitlines(), 1)
        # a cache looked up or filled by identity: cache[id(x)], cache.get(id(x)), (.., id(x))
        # as a key; a set of ids seen during one walk (the YAML loader's cycle check) is not one
        if re.search(r"(\[|\.get\(|\.setdefault\(|keep\(\w+,\s*)\s*\(?id\(", line.split("#", 1)[0])
    )
    imported = subprocess.run(
        [sys.executable, "-c", "import jobgen.render.markdown as m; print(m.__name__)"],
        env=child_env(),
        capture_output=True,
        text=True,
    )
    report.code = {
        "python_lines": sum(lines.values()),
        "modules": len(lines),
        "longest_module": longest,
        "longest_module_lines": lines[longest],
        "batch_is_package": (ROOT / "jobgen" / "batch" / "__init__.py").is_file(),
        "signal_or_gc_freeze_outside_cli": outside_cli,
        "id_keyed": keyed_by_id,
        "import_render_markdown": imported.returncode == 0,
    }
    worst = _radon_max()
    if worst is None:
        report.notes.append("radon is not installed: no complexity figure (pip install radon)")
    else:
        report.code["max_complexity"], report.code["max_complexity_function"] = worst


# --------------------------------------------------------------------------- start-up


def measure_startup(plan: Plan, report: Report, scratch: Path) -> None:
    py = sys.executable
    employer = str(ROOT / "examples" / "riverside-inpatient.yaml")
    commands: list[tuple[str, list[str], str | None]] = [
        ("python -c pass (the interpreter)", [py, "-c", "pass"], None),
        ("floor: import click, jinja2, yaml", [py, "-c", "import click, jinja2, yaml"], None),
        (
            "floor + docx: import click, jinja2, yaml, docx",
            [py, "-c", "import click, jinja2, yaml, docx"],
            None,
        ),
        ("jobgen --help", [py, *JOBGEN, "--help"], "floor: import click, jinja2, yaml"),
        (
            "jobgen render -e EMPLOYER -f md",
            [py, *JOBGEN, "render", "-e", employer, "-f", "md", "-o", "-"],
            "floor: import click, jinja2, yaml",
        ),
        (
            "jobgen render -e EMPLOYER -f docx",
            [py, *JOBGEN, "render", "-e", employer, "-f", "docx", "-o", "-"],
            "floor + docx: import click, jinja2, yaml, docx",
        ),
    ]
    env = child_env()
    samples: dict[str, list[float]] = {name: [] for name, _, _ in commands}
    for _, argv, _ in commands:  # warm-up: bytecode caches, the OS's file cache
        subprocess.run(argv, env=env, cwd=scratch, stdout=subprocess.DEVNULL, check=True)
    for _ in range(plan.startup_runs):
        for name, argv, _ in commands:  # interleaved, so a busy moment hits every command
            start = time.perf_counter()
            subprocess.run(argv, env=env, cwd=scratch, stdout=subprocess.DEVNULL, check=True)
            samples[name].append(time.perf_counter() - start)
    medians = {name: median_ms(values) for name, values in samples.items()}
    for name, _, floor in commands:
        row: dict[str, Any] = {
            "command": name,
            "median_ms": medians[name],
            "min_ms": min(samples[name]) * 1000,
            "runs": len(samples[name]),
        }
        if floor:
            row["floor"] = floor
            row["ratio"] = medians[name] / medians[floor]
        report.startup.append(row)


# --------------------------------------------------------------------------- per posting


def time_per_item(func: Callable[[Any], Any], items: Sequence[Any], rounds: int) -> float:
    """Median seconds per item over ``rounds`` slices of ``items``, each item used once (a
    posting seen before would find jobgen's caches warmer than a real batch does)."""
    size = max(1, len(items) // (rounds + 1))
    for item in items[:size]:  # warm-up
        func(item)
    per_round = []
    for r in range(1, rounds + 1):
        chunk = items[r * size : (r + 1) * size]
        gc.collect()
        start = time.perf_counter()
        for item in chunk:
            func(item)
        per_round.append((time.perf_counter() - start) / len(chunk))
    return statistics.median(per_round)


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def zip_only(members: list[tuple[str, bytes]]) -> bytes:
    """The lower bound of a DOCX writer: the finished members, deflated by zipfile alone."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members:
            package.writestr(name, data)
    return out.getvalue()


def measure_postings(plan: Plan, report: Report) -> list[str]:
    """Per-posting costs in one warm process; returns the Markdown of the corpus (for pandoc)."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    sys.path.insert(0, str(ROOT))
    import jobgen
    from jobgen.compose import compose
    from jobgen.employer import OptionLayer, options_from_layers
    from jobgen.render import FORMATS, render

    guide = jobgen.load_guide()
    rows = [make_row(i) for i in range(plan.corpus * (plan.posting_rounds + 1))]
    options = [options_from_layers(guide, [OptionLayer("row", row)]) for row in rows]
    postings = [compose(guide, o) for o in options]
    steps: list[tuple[str, str, Callable[[Any], Any], Sequence[Any]]] = [
        (
            "options",
            "a CSV row → validated EmployerOptions",
            lambda row: options_from_layers(guide, [OptionLayer("row", row)]),
            rows,
        ),
        ("compose", "Guide + options → Posting", lambda o: compose(guide, o), options),
    ]
    from jobgen.render import markdown as markdown_module

    def md_without_escaper_cache(posting: Any) -> bytes:
        """The Markdown step with a Templates object whose escaper keeps nothing."""
        kept = markdown_module.TEMPLATES
        markdown_module.TEMPLATES = plain_templates
        try:
            return render(posting, "md")
        finally:
            markdown_module.TEMPLATES = kept

    plain_templates = markdown_module.Templates(markdown_module.Escaper(max_kept=0))
    steps.append(
        (
            "md, escaper keeping nothing",
            "the same, its escaped texts not remembered (the cache's effect)",
            md_without_escaper_cache,
            postings,
        )
    )
    for fmt, what in (
        ("md", "Posting → Markdown bytes"),
        ("docx", "Posting → DOCX bytes (Markdown, then Word)"),
        ("html", "Posting → HTML bytes"),
        ("jsonld", "Posting → JSON-LD bytes"),
    ):
        if fmt in FORMATS:
            steps.append((fmt, what, lambda p, fmt=fmt: render(p, fmt), postings))
        else:
            report.notes.append(f"per posting: -f {fmt} is not in this checkout yet: skipped")
    documents = [render(p, "docx") for p in postings[: plan.corpus]] if "docx" in FORMATS else []
    members = [zip_members(d) for d in documents]
    if members:
        steps.append(
            (
                "zip-only lower bound",
                "the same DOCX members written with zipfile alone",
                zip_only,
                members * (plan.posting_rounds + 1),
            )
        )
    for name, what, func, items in steps:
        seconds = time_per_item(func, items, plan.posting_rounds)
        report.posting.append(
            {"step": name, "what": what, "ms": seconds * 1000, "per_second": 1 / seconds}
        )
    if documents:
        sizes = [len(d) for d in documents]
        report.notes.append(
            f"DOCX size: median {statistics.median(sizes) / 1024:.1f} KiB; its members unzipped: "
            f"{statistics.median(sum(len(b) for _, b in m) for m in members) / 1024:.1f} KiB"
        )
    return [render(p, "md").decode("utf-8") for p in postings[: plan.corpus]]


# --------------------------------------------------------------------------- pandoc


def measure_pandoc(plan: Plan, report: Report, markdowns: list[str], scratch: Path) -> None:
    """pandoc's own defaults (the baseline of the targets), and with jobgen's reference document
    (the same branding jobgen applies; pandoc is slower reading its large styles part)."""
    pandoc = shutil.which("pandoc")
    if not pandoc:
        report.notes.append("pandoc is not installed: no baseline")
        return
    sources = []
    for i in range(plan.pandoc_runs):
        path = scratch / f"pandoc-{i}.md"
        path.write_text(markdowns[i % len(markdowns)], encoding="utf-8")
        sources.append(path)
    variants = {
        "plain": [pandoc, "-f", "markdown", "-t", "docx"],
        "reference": [
            pandoc,
            "-f",
            "markdown",
            "-t",
            "docx",
            f"--reference-doc={ROOT / 'templates' / 'reference.docx'}",
        ],
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for argv in variants.values():
        subprocess.run([*argv, "-o", str(scratch / "warm.docx"), str(sources[0])], check=True)
    for i, source in enumerate(sources):
        for name, argv in variants.items():
            start = time.perf_counter()
            target = scratch / f"pandoc-{i}-{name}.docx"
            subprocess.run([*argv, "-o", str(target), str(source)], check=True)
            samples[name].append(time.perf_counter() - start)
    report.pandoc = {
        "command": "pandoc -f markdown -t docx -o posting.docx posting.md",
        "ms": median_ms(samples["plain"]),
        "reference_command": "the same with --reference-doc=templates/reference.docx",
        "reference_ms": median_ms(samples["reference"]),
        "runs": len(sources),
    }


# --------------------------------------------------------------------------- batch


def batch_available() -> bool:
    sys.path.insert(0, str(ROOT))
    from jobgen.cli import cli

    return "batch" in getattr(cli, "commands", {})


# Runs one command and reports (seconds, exit status, peak RSS in KiB of the largest process of
# its tree, CPU seconds of the tree). It is a small process of its own because a child's peak
# RSS starts from its parent's size at fork: measured from this harness (which has imported
# jobgen, python-docx and lxml) every command would seem to need 40 MiB.
LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    process = subprocess.Popen(job["argv"], env=job["env"], cwd=job["cwd"],
                               stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps([elapsed, process.returncode, usage.ru_maxrss,
                      usage.ru_utime + usage.ru_stime]), flush=True)
"""


class Launcher:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int, float]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}) + "\n")
        self.process.stdin.flush()
        elapsed, status, peak, cpu = json.loads(self.process.stdout.readline())
        return float(elapsed), int(status), int(peak), float(cpu)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


PROBE = """
import time
def probe():
    start = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i
    return (time.perf_counter() - start) * 1000
"""
"""A fixed piece of pure-Python work, timed in milliseconds: the same on a quiet machine every
time, so its spread across a run shows how steady the machine was (a shared virtual machine's
neighbours can halve its speed for seconds at a time, which no median fully hides). One source
for this process (:func:`probe_ms`) and for two at once (:func:`probe_pair_ms`), so that both
time the same work (a loop at a module's top level, reading globals, takes twice as long)."""
_probe: dict[str, Any] = {}
exec(PROBE, _probe)  # our own constant: the one definition of the loop
probe_ms: Callable[[], float] = _probe["probe"]


def probe_pair_ms() -> float:
    """The same loop in two processes at once: the slower one's time. About the single loop's
    time when two CPUs are free; up to twice it when the machine gives this one only one."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-I", "-c", PROBE + "print(probe())"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    return max(float(p.communicate()[0]) for p in processes)


def measure_batch(plan: Plan, report: Report, scratch: Path, launcher: Launcher) -> None:
    """Each batch ``plan.batch_runs`` times; the --jobs counts of one size and format take turns
    (so a busy moment on the machine hits each alike) and each figure is the median run."""
    if not batch_available():
        report.notes.append("`jobgen batch` is not in this checkout yet: no batch figures")
        return
    env = child_env()
    for size in plan.batch_sizes:
        source = scratch / f"rows-{size}.csv"
        write_csv(source, size)
        for fmt in plan.batch_formats:
            runs: dict[int, list[tuple[float, int, int, float, int]]] = {}
            for _ in range(plan.batch_runs):
                report.machine.setdefault("probe_ms", []).append(probe_ms())
                report.machine.setdefault("probe_pair_ms", []).append(probe_pair_ms())
                for jobs in plan.batch_jobs:
                    out = scratch / f"out-{size}-{fmt}-{jobs}"
                    argv = [sys.executable, *JOBGEN, "batch", str(source), "--out-dir", str(out)]
                    argv += ["-f", fmt, "--jobs", str(jobs)]
                    seconds, status, peak, cpu = launcher.run(argv, env, scratch)
                    written = sum(1 for p in out.iterdir() if p.suffix == f".{fmt}")
                    shutil.rmtree(out, ignore_errors=True)
                    runs.setdefault(jobs, []).append((seconds, status, peak, cpu, written))
            for jobs in plan.batch_jobs:
                times = sorted(r[0] for r in runs[jobs])
                seconds = statistics.median(times)
                report.batch.append(
                    {
                        "rows": size,
                        "format": fmt,
                        "jobs": jobs,
                        "seconds": seconds,
                        "runs_seconds": times,
                        "per_second": size / seconds,
                        "peak_mib": max(r[2] for r in runs[jobs]) / 1024,
                        "cpu_ms_per_posting": statistics.median(r[3] for r in runs[jobs])
                        * 1000
                        / size,
                        "exit": max(r[1] for r in runs[jobs]),
                        "written": min(r[4] for r in runs[jobs]),
                    }
                )


# --------------------------------------------------------------------------- targets


def evaluate(report: Report) -> None:
    def add(target: str, figure: str, met: bool | None) -> None:
        report.targets.append({"target": target, "measured": figure, "met": met})

    startup = {row["command"]: row for row in report.startup}
    posting = {row["step"]: row for row in report.posting}
    batch = {(b["rows"], b["format"], b["jobs"]): b for b in report.batch}
    docx_ms = posting.get("docx", {}).get("ms")
    # in a batch, per posting: the rows of the largest --jobs 1 DOCX run, start-up included
    largest = max((b["rows"] for b in report.batch), default=None)
    batch_docx = batch.get((largest, "docx", 1)) if largest else None
    docx_batch_ms = 1000 / batch_docx["per_second"] if batch_docx else docx_ms
    where = "batch --jobs 1" if batch_docx else "in one process"
    if report.pandoc and docx_batch_ms:
        ratio = report.pandoc["ms"] / docx_batch_ms
        add(
            "DOCX ≥ 14× faster per posting than a pandoc process per posting",
            f"{ratio:.1f}× ({docx_batch_ms:.2f} ms {where} vs {report.pandoc['ms']:.1f} ms)",
            ratio >= 14,
        )
    if docx_batch_ms and "zip-only lower bound" in posting:
        bound = posting["zip-only lower bound"]["ms"]
        ratio = docx_batch_ms / bound
        add(
            "DOCX within 3× of the zip-only lower bound",
            f"{ratio:.2f}× ({docx_batch_ms:.2f} ms {where} vs {bound:.2f} ms)",
            ratio <= 3,
        )
    md1 = batch.get((largest, "md", 1)) if largest else None
    if md1:
        add(
            "Markdown batch ≥ 2,000 postings/s with --jobs 1 at 10,000 rows",
            f"{md1['per_second']:,.0f} postings/s ({largest:,} rows, start-up included)",
            md1["per_second"] >= 2000 if largest == 10_000 else None,
        )
    for command, limit in (
        ("jobgen render -e EMPLOYER -f md", 1.3),
        ("jobgen --help", 1.2),
    ):
        if command in startup:
            row = startup[command]
            add(
                f"cold start of `{command}` within {limit}× of the import floor",
                f"{row['ratio']:.2f}× ({row['median_ms']:.0f} ms vs "
                f"{startup[row['floor']]['median_ms']:.0f} ms)",
                row["ratio"] <= limit,
            )
    for fmt in ("md", "docx"):
        runs = sorted((b for b in report.batch if b["format"] == fmt), key=lambda b: b["rows"])
        if len(runs) >= 2:
            peak = max(b["peak_mib"] for b in runs)
            small = max(b["peak_mib"] for b in runs if b["rows"] == runs[0]["rows"])
            big = max(b["peak_mib"] for b in runs if b["rows"] == runs[-1]["rows"])
            add(
                f"{fmt} batch: peak memory per process < 120 MB, flat as the input grows",
                f"{peak:.0f} MiB at most; {small:.0f} MiB at {runs[0]['rows']:,} rows, "
                f"{big:.0f} MiB at {runs[-1]['rows']:,}",
                peak * 1.048576 < 120 and big <= small * 1.15 + 2,
            )
    one = batch.get((largest, "docx", 1)) if largest else None
    two = batch.get((largest, "docx", 2)) if largest else None
    if one and two:  # Markdown's --jobs 2 is measured, no longer a target (issue 16)
        speedup = two["per_second"] / one["per_second"]
        add(
            "DOCX batch of 10,000 rows: --jobs 2 ≥ 1.6× --jobs 1",
            f"{speedup:.2f}× ({two['per_second']:,.0f} vs {one['per_second']:,.0f} postings/s, "
            f"{largest:,} rows)",
            speedup >= 1.6 if largest == 10_000 else None,
        )
    evaluate_code(report, add)


def evaluate_code(report: Report, add: Callable[[str, str, bool | None], None]) -> None:
    code = report.code
    if not code:
        return
    add(
        "jobgen/ at most 8,500 lines of Python",
        f"{code['python_lines']:,} lines in {code['modules']} modules",
        code["python_lines"] <= 8500,
    )
    add(
        "no module above 900 lines",
        f"longest: {code['longest_module']}, {code['longest_module_lines']:,} lines",
        code["longest_module_lines"] <= 900,
    )
    if "max_complexity" in code:
        add(
            "no function above cyclomatic complexity 20 (radon)",
            f"highest: {code['max_complexity']} ({code['max_complexity_function']})",
            code["max_complexity"] <= 20,
        )
    add(
        "batch is a package",
        "jobgen/batch/" if code["batch_is_package"] else "batch.py",
        code["batch_is_package"],
    )
    outside = code["signal_or_gc_freeze_outside_cli"]
    add(
        "no gc.freeze or signal outside cli.py",
        ", ".join(outside) or "none",
        not outside,
    )
    keyed = code["id_keyed"]
    add(
        "no id()-keyed cache",
        (f"keyed by id() at {', '.join(keyed)}" if keyed else "no cache keyed by id() in jobgen/"),
        not keyed,
    )
    add(
        "`import jobgen.render.markdown` works",
        "yes" if code["import_render_markdown"] else "ImportError",
        code["import_render_markdown"],
    )


# --------------------------------------------------------------------------- output


def markdown_report(report: Report, argv: Sequence[str]) -> str:
    m = report.machine
    lines = [
        "# jobgen benchmark results",
        "",
        f"Measured {m.get('date')} by `python benchmarks/run.py {' '.join(argv)}`".rstrip()
        + f" at commit `{m.get('commit')}`.",
        "Rerun it after changing the code; benchmarks/README.md explains the method.",
        "",
        "## Machine",
        "",
        f"- CPU: {m.get('cpu', 'unknown')}, {m.get('cpus')} logical CPUs"
        + (f"; load average before the run {m['load']}" if "load" in m else "")
        + (f", after {m['load_after']}" if "load_after" in m else "")
        + " (other work on the machine slows the figures, parallel ones most)",
        f"- {m.get('platform')}",
        f"- Python {m.get('python')}; "
        + ", ".join(f"{k} {v}" for k, v in m.get("libraries", {}).items()),
    ]
    if "pandoc" in m:
        lines.append(f"- {m['pandoc']}")
    if m.get("probe_ms"):
        one, two = m["probe_ms"], m.get("probe_pair_ms") or [0.0]
        lines.append(
            f"- Steadiness: a fixed loop timed before each round of batch runs took "
            f"{min(one):.0f}–{max(one):.0f} ms (median {statistics.median(one):.0f} ms), and "
            f"{min(two):.0f}–{max(two):.0f} ms (median {statistics.median(two):.0f} ms) run in two "
            "processes at once; the wider the spread, and the further the pair from the single "
            "loop, the busier the machine was, and the more the `--jobs 2` figures suffer"
        )
    lines += ["", "## Targets", "", "| Target | Measured | Met |", "|---|---|---|"]
    # n/a: measured at other sizes than the target names (reduced --rows)
    for t in report.targets:
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {t['measured']} | {met} |")
    if report.code:
        c = report.code
        lines += [
            "",
            "## Code (jobgen/)",
            "",
            f"{c['python_lines']:,} lines of Python in {c['modules']} modules; the longest is "
            f"{c['longest_module']} ({c['longest_module_lines']:,} lines)"
            + (
                f"; the most complex function is {c['max_complexity_function']} "
                f"(cyclomatic complexity {c['max_complexity']}, radon)."
                if "max_complexity" in c
                else "."
            ),
        ]
    lines += [
        "",
        "## Start-up (fresh process, median wall time)",
        "",
        "| Command | Median | Fastest | Ratio to floor |",
        "|---|---:|---:|---:|",
    ]
    for row in report.startup:
        ratio = f"{row['ratio']:.2f}×" if "ratio" in row else ""
        lines.append(
            f"| `{row['command']}` | {row['median_ms']:.1f} ms | {row['min_ms']:.1f} ms | {ratio} |"
        )
    lines += [
        "",
        "## Per posting, in one warm process",
        "",
        "| Step | What | Median per posting | Per second |",
        "|---|---|---:|---:|",
    ]
    for row in report.posting:
        lines.append(
            f"| {row['step']} | {row['what']} | {row['ms']:.3f} ms | {row['per_second']:,.0f} |"
        )
    if report.pandoc:
        p = report.pandoc
        lines += [
            "",
            "## Baseline: pandoc, one process per posting",
            "",
            f"`{p['command']}`: median **{p['ms']:.1f} ms** per posting over {p['runs']} "
            f"postings; {p['reference_command']}: {p['reference_ms']:.1f} ms. The targets use "
            "the first, the faster.",
        ]
        docx = next((r for r in report.posting if r["step"] == "docx"), None)
        if docx:
            lines.append(
                f"jobgen's DOCX in one process: {docx['ms']:.2f} ms, "
                f"{p['ms'] / docx['ms']:.0f}× faster."
            )
    if report.batch:
        lines += [
            "",
            "## `jobgen batch` (whole command: start-up, reading, rendering, writing files)",
            "",
            "| Rows | Format | --jobs | Time (median) | All runs | Postings/s | CPU per posting "
            "| Peak memory (largest process) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for b in report.batch:
            status = "" if b["exit"] == 0 else f" (exit {b['exit']})"
            every = ", ".join(f"{t:.2f}" for t in b.get("runs_seconds", [b["seconds"]]))
            lines.append(
                f"| {b['rows']:,} | {b['format']} | {b['jobs']} | {b['seconds']:.2f} s{status} | "
                f"{every} s | {b['per_second']:,.0f} | {b['cpu_ms_per_posting']:.2f} ms | "
                f"{b['peak_mib']:.0f} MiB |"
            )
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in report.notes]
    return "\n".join(lines) + "\n"


def is_tmpfs(path: Path) -> bool:
    """Whether ``path`` is on a RAM file system (Linux: read from /proc/mounts)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    best, kind = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        fields = line.split()
        if len(fields) > 2 and resolved.startswith(fields[1]) and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind == "tmpfs"


def default_scratch() -> str | None:
    """A RAM file system when there is one (creating a file costs 0.2-0.6 ms on some virtual
    disks, which would swamp jobgen's own time); else the system's temporary folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and is_tmpfs(shm):
        return str(shm)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny counts: a smoke run")
    parser.add_argument(
        "--write",
        nargs="?",
        const=str(RESULTS),
        metavar="FILE",
        help=f"also write the report to FILE (default: benchmarks/{RESULTS.name})",
    )
    parser.add_argument("--json", metavar="FILE", help="write the raw figures as JSON")
    parser.add_argument(
        "--only",
        metavar="PARTS",
        default="code,startup,posting,pandoc,batch",
        help="comma-separated parts to run (default: all): code, startup, posting, pandoc, batch",
    )
    parser.add_argument(
        "--rows",
        metavar="N[,N...]",
        help="batch sizes to run (default: 1000,10000; --quick: 10,20)",
    )
    parser.add_argument(
        "--formats",
        metavar="F[,F]",
        help="batch formats to run (default: md,docx)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        metavar="N",
        help="runs of each batch, the median reported (default: 5; --quick: 1)",
    )
    parser.add_argument(
        "--scratch",
        metavar="DIR",
        help="where batch output and pandoc files go (default: /dev/shm when it is a RAM "
        "file system, else the temporary folder); the file system's speed shows in the batch "
        "figures",
    )
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = parts - {"code", "startup", "posting", "pandoc", "batch"}
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    plan = QUICK if args.quick else FULL
    if args.rows:
        sizes = tuple(int(n) for n in args.rows.split(",") if n.strip())
        plan = dataclasses.replace(plan, batch_sizes=sizes)
    if args.formats:
        formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
        plan = dataclasses.replace(plan, batch_formats=formats)
    if args.runs:
        plan = dataclasses.replace(plan, batch_runs=max(1, args.runs))
    launcher = Launcher()  # first, while this process is small
    report = Report(machine=machine())
    gc.collect()
    scratch_root = args.scratch or default_scratch()
    with tempfile.TemporaryDirectory(prefix="jobgen-bench-", dir=scratch_root) as tmp:
        scratch = Path(tmp)
        report.notes.append(
            f"batch output and pandoc files were written under {scratch.parent}"
            + (" (tmpfs: the figures measure jobgen, not the disk)" if is_tmpfs(scratch) else "")
        )
        if "code" in parts:
            print("code ...", file=sys.stderr, flush=True)
            measure_code(report)
        if "startup" in parts:
            print("start-up ...", file=sys.stderr, flush=True)
            measure_startup(plan, report, scratch)
        markdowns: list[str] = []
        if parts & {"posting", "pandoc"}:
            print("per posting ...", file=sys.stderr, flush=True)
            markdowns = measure_postings(plan, report)
        if "pandoc" in parts:
            print("pandoc ...", file=sys.stderr, flush=True)
            measure_pandoc(plan, report, markdowns, scratch)
        if "batch" in parts:
            print("batch ...", file=sys.stderr, flush=True)
            measure_batch(plan, report, scratch, launcher)
    launcher.close()
    try:
        load = os.getloadavg()
        report.machine["load_after"] = f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    except OSError:
        pass
    evaluate(report)
    shown = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write"]
    text = markdown_report(report, shown)
    print(text)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(report.__dict__, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
