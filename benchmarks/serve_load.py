"""Load benchmark of `jobgen serve`: a bounded client on this machine, against 127.0.0.1 only.

Starts the real server (`jobgen serve` in a subprocess, on a free port), then drives it with
CLIENTS threads, each on its own keep-alive connection, each sending its share of a fixed
number of requests one after another (a closed loop: never more than CLIENTS in flight).
Every request names a different employer, so no two are the same work. Reports requests/s and
latency percentiles per route, the server's resident memory across 10,000 requests, and, in the
same run, the CLI's cost per posting (`jobgen render` one process per posting, and `jobgen
batch` per row).

    .venv/bin/python benchmarks/serve_load.py              # writes benchmarks/SERVE_RESULTS.md
    .venv/bin/python benchmarks/serve_load.py --quick      # fewer requests, prints only
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the benchmark never leaves this machine
RESULTS = ROOT / "benchmarks" / "SERVE_RESULTS.md"
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("JOBGEN_")},
    "SOURCE_DATE_EPOCH": "1795824000",
    "PYTHONPATH": str(ROOT),
}
FIELDS = {
    "setting": "inpatient",
    "education": "associate",
    "location.city": "Denver",
    "location.region": "CO",
    "location.country": "US",
    "salary.min": "19.50",
    "salary.max": "26",
    "salary.period": "hour",
    "schedule": "Night shift, 7p-7a",
    "benefits": ["Medical, dental and vision insurance", "Paid time off"],
}
TARGETS = {"html": 300.0, "docx": 100.0}
P95_TARGET_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by process ``root`` and its descendants (the
    worker processes of `--workers`), from /proc."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    family = {root}
    grown = True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grown = True
    return sum(times.get(pid, 0.0) for pid in family)


def start_server(workers: int = 1) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "jobgen", "serve", "--host", HOST, "--port", str(port)),
            *("--workers", str(workers)),
        ],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("jobgen serve did not start") from None
            time.sleep(0.1)


def run_load(port: int, path: str, total: int, clients: int, on_done: Any = None) -> dict[str, Any]:
    """``total`` POSTs of distinct employers to ``path`` from ``clients`` threads."""
    latencies: list[float] = []
    failures: list[str] = []
    counter = iter(range(total))
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        mine: list[float] = []
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            body = json.dumps({**FIELDS, "employer.name": f"Employer {n:05d}"}).encode()
            start = time.perf_counter()
            connection.request("POST", path, body, {"Content-Type": "application/json"})
            answer = connection.getresponse()
            data = answer.read()
            mine.append(time.perf_counter() - start)
            if answer.status != 200:
                failures.append(f"{answer.status}: {data[:200]!r}")
            if on_done is not None:
                on_done(n)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "path": path,
        "requests": total,
        "clients": clients,
        "seconds": elapsed,
        "per_second": total / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": ordered[-1] * 1000,
        "failures": len(failures),
        "first_failure": failures[0] if failures else None,
    }


def cli_costs(rows: int) -> dict[str, float]:
    """The CLI in the same run: one `jobgen render -f html` process per posting (median of 7),
    and `jobgen batch -f html` per row (default --jobs)."""
    with tempfile.TemporaryDirectory() as folder:
        employer = Path(folder) / "employer.json"
        employer.write_text(json.dumps({**FIELDS, "employer.name": "Riverside"}))
        times = []
        for i in range(7):
            out = Path(folder) / f"p{i}.html"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "jobgen", "render", "-e", str(employer), "-o", str(out)],
                env=ENV,
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
        lines = "".join(
            json.dumps({**FIELDS, "employer.name": f"Employer {n:05d}"}) + "\n" for n in range(rows)
        )
        source = Path(folder) / "rows.jsonl"
        source.write_text(lines)
        costs = {}
        for fmt in ("html", "docx"):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "jobgen",
                    "batch",
                    str(source),
                    "-d",
                    str(Path(folder) / fmt),
                    "-f",
                    fmt,
                ],
                env=ENV,
                check=True,
                capture_output=True,
            )
            costs[f"batch_{fmt}_ms_per_row"] = (time.perf_counter() - start) / rows * 1000
    return {"render_process_ms": statistics.median(times) * 1000, **costs}


def library_costs(n: int) -> dict[str, float]:
    """The library alone, in this process, one posting after another: what a request costs
    before HTTP, JSON and threads."""
    import jobgen

    guide = jobgen.load_guide()
    costs = {}
    for fmt in ("html", "docx"):
        for i in range(20):
            jobgen.generate(
                guide=guide, values={**FIELDS, "employer.name": f"W{i}"}, environ={}, fmt=fmt
            )
        start = time.perf_counter()
        for i in range(n):
            values = {**FIELDS, "employer.name": f"Employer {i:05d}"}
            jobgen.generate(guide=guide, values=values, environ={}, fmt=fmt)
        costs[f"library_{fmt}_ms"] = (time.perf_counter() - start) / n * 1000
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="a tenth of the requests; no file")
    parser.add_argument(
        "--workers", default="1,2", help="server process counts to measure (default 1,2)"
    )
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    runs: list[dict[str, Any]] = []
    memory: list[tuple[int, int]] = []
    soak: dict[str, Any] = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        process, port = start_server(workers)
        try:
            # warm-up: the first requests load the renderers and the reference document
            for _ in range(workers):
                run_load(port, "/api/v1/render?format=html", 50, 2)
                run_load(port, "/api/v1/render?format=docx", 50, 2)
                run_load(port, "/api/v1/preview", 20, 2)
            for path, total in (
                ("/api/v1/render?format=html", 3000),
                ("/api/v1/render?format=docx", 2000),
                ("/api/v1/preview", 500),
            ):
                used = cpu_seconds(process.pid)
                run = run_load(port, path, total // scale, args.clients)
                run["server_cpu_ms"] = (cpu_seconds(process.pid) - used) / run["requests"] * 1000
                runs.append({**run, "workers": workers})
            if workers == 1:  # one process: its memory is the server's
                memory.append((0, rss_kib(process.pid)))

                def sample(n: int, pid: int = process.pid) -> None:
                    if (n + 1) % 1000 == 0:
                        memory.append((n + 1, rss_kib(pid)))

                path = "/api/v1/render?format=html"
                used = cpu_seconds(process.pid)
                soak = {**run_load(port, path, 10_000 // scale, args.clients, sample), "workers": 1}
                soak["server_cpu_ms"] = (cpu_seconds(process.pid) - used) / soak["requests"] * 1000
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
    cli = {**cli_costs(1000 // scale), **library_costs(500 // scale)}
    load = os.getloadavg()
    report = format_report(runs, soak, memory, cli, args.clients, load)
    print(report)
    if not args.quick:
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS}")


def format_report(
    runs: list[dict[str, Any]],
    soak: dict[str, Any],
    memory: list[tuple[int, int]],
    cli: dict[str, float],
    clients: int,
    load: tuple[float, float, float],
) -> str:
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "# `jobgen serve` under load",
        "",
        f"Written by `benchmarks/serve_load.py` on {when}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {clients} concurrent "
        f"clients on keep-alive connections against 127.0.0.1 (the client runs on the same "
        f"CPUs). `workers` is `jobgen serve --workers`; each process renders on its worker "
        f"threads. Load average at "
        f"the end (other work on the machine shows here): {load[0]:.1f}, {load[1]:.1f}, "
        f"{load[2]:.1f}.",
        "",
        "| route | workers | requests | per second | p50 ms | p95 ms | p99 ms | max ms | failures "
        "| server CPU ms/request | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in [*runs, *([soak] if soak else [])]:
        fmt = run["path"].rsplit("=", 1)[1] if "format=" in run["path"] else ""
        target = (
            f"≥ {TARGETS[fmt]:.0f}/s, p95 < {P95_TARGET_MS:.0f} ms: "
            + (
                "met"
                if run["per_second"] >= TARGETS[fmt] and run["p95_ms"] < P95_TARGET_MS
                else "**missed**"
            )
            if fmt in TARGETS
            else "(none)"
        )
        lines.append(
            f"| `POST {run['path']}` | {run['workers']} | {run['requests']:,} | "
            f"{run['per_second']:.0f} | "
            f"{run['p50_ms']:.1f} | {run['p95_ms']:.1f} | {run['p99_ms']:.1f} | "
            f"{run['max_ms']:.1f} | {run['failures']} | {run['server_cpu_ms']:.2f} | {target} |"
        )
    lines += [
        "",
        f"Server memory (resident, one process) over the last run's {soak.get('requests', 0):,} "
        "requests, every 1,000:",
        "",
        "| requests | RSS MiB |",
        "|---:|---:|",
        *[f"| {n:,} | {kib / 1024:.1f} |" for n, kib in memory],
        "",
        f"Growth from the 1,000th request to the last: "
        f"{(memory[-1][1] - memory[1][1]) / 1024:+.1f} MiB."
        if len(memory) > 2
        else "",
        "",
        "The CLI in the same run, per posting:",
        "",
        f"- `jobgen render -e employer.json -o posting.html`, one process per posting: "
        f"{cli['render_process_ms']:.0f} ms (median of 7; mostly interpreter start-up)",
        f"- `jobgen batch rows.jsonl -f html`, per row: {cli['batch_html_ms_per_row']:.2f} ms",
        f"- `jobgen batch rows.jsonl -f docx`, per row: {cli['batch_docx_ms_per_row']:.2f} ms",
        f"- the library alone (`jobgen.generate`, one thread, no HTTP): "
        f"{cli['library_html_ms']:.2f} ms per HTML posting, "
        f"{cli['library_docx_ms']:.2f} ms per DOCX",
        "",
    ]
    for fmt in ("html", "docx"):
        alone = 1000 / cli[f"library_{fmt}_ms"]
        best = max((r for r in runs if r["path"].endswith(f"format={fmt}")), key=_rate)
        lines.append(
            f"{fmt.upper()}: the library alone renders {alone:.0f}/s on one thread in this run; "
            f"the server's best, {best['per_second']:.0f}/s with {best['workers']} worker(s), "
            f"is {best['per_second'] / alone:.2f}× that over HTTP."
        )
    lines += [
        "",
        "Server CPU ms/request is the CPU time the server's processes spent per request (HTTP, "
        "JSON, validation and rendering), whatever else ran on the machine: one CPU that has "
        "nothing else to do serves about 1000 / that many requests per second.",
        "",
    ]
    return "\n".join(lines)


def _rate(run: dict[str, Any]) -> float:
    return float(run["per_second"])


if __name__ == "__main__":
    main()
