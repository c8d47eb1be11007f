"""The worst hostile inputs jobgen is known to meet: how long each runs and how much memory it
takes before jobgen stops it (or finishes).

    python benchmarks/hostile.py                 # every case, a Markdown table on stdout
    python benchmarks/hostile.py --only wordwrap,guide-items --timeout 60

Each case runs ``python -m jobgen ...`` in a fresh process of the interpreter that runs this
script, against the checkout it lives in; the table gives the exit code, the wall time, the CPU
time (user + system) and the peak resident memory of that process, and the first line of its
error. A case still running after ``--timeout`` seconds is killed and reported as such. The
figures are quoted in docs/safety.md and CHANGELOG.md; no test asserts them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "jobgen" / "guides" / "mental-health-technician.yaml"


def _template(folder: Path, name: str, body: str) -> list[str]:
    path = folder / f"{name}.md.j2"
    path.write_text("# {{ posting.title }}\n\n" + body + "\n", encoding="utf-8")
    return ["render", "-s", "inpatient", "-E", "associate", "--template", str(path)]


def list_literals(folder: Path) -> list[str]:
    """Nested list literals over a 999,999-character string: lists bypass the build limit."""
    ten = ", ".join(["s"] * 10)
    body = (
        '{% set s = "x" * 999999 %}'
        f"{{% set a = [{ten}] %}}{{% set b = [{ten.replace('s', 'a')}] %}}"
        f"{{% set c = [{ten.replace('s', 'b')}] %}}{{{{ c }}}}"
    )
    return _template(folder, "list-literals", body)


def dict_literals(folder: Path) -> list[str]:
    """A dict literal whose values are the same million-character string, printed."""
    pairs = ", ".join(f"{i}: s" for i in range(1000))
    body = f'{{% set s = "x" * 999999 %}}{{% set d = {{{pairs}}} %}}{{{{ d|string|length }}}}'
    return _template(folder, "dict-literals", body)


def wordwrap(folder: Path) -> list[str]:
    """``wordwrap(1)`` over 100,000 characters, 100 times."""
    body = '{% for i in range(100) %}{{ ("x" * 100000)|wordwrap(1)|length }} {% endfor %}'
    return _template(folder, "wordwrap", body)


def wordcount(folder: Path) -> list[str]:
    """``wordcount`` over a 1 MB string, 10,000 times."""
    body = '{% set s = "ab " * 333333 %}{% for i in range(10000) %}{{ s|wordcount }} {% endfor %}'
    return _template(folder, "wordcount", body)


def string_filters(folder: Path) -> list[str]:
    """``upper``, ``replace``, ``title`` and ``striptags`` over a 1 MB string, 10,000 times."""
    body = (
        '{% set s = "ab " * 333333 %}'
        "{% for i in range(10000) %}"
        "{{ (s|upper|title|striptags|replace('a', 'b'))|length }} {% endfor %}"
    )
    return _template(folder, "string-filters", body)


def many_values(folder: Path) -> list[str]:
    """Forty variables, each a 999,999-character text of four-byte characters, kept alive."""
    sets = "".join(f'{{% set v{i} = "\U0001f600" * 999999 %}}' for i in range(40))
    uses = " ".join(f"{{{{ v{i}|length }}}}" for i in range(40))
    return _template(folder, "many-values", sets + uses)


def guide_items(folder: Path) -> list[str]:
    """A guide whose settings section holds 120,000 items."""
    import yaml

    data = yaml.safe_load(GUIDE.read_text(encoding="utf-8"))
    for section in data["sections"]:
        if section["kind"] == "settings":
            section["items"] += [
                {"name": f"Setting {i}", "description": "A place."} for i in range(120_000)
            ]
    path = folder / "big-guide.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return ["options", "--guide", str(path)]


def guide_import(folder: Path) -> list[str]:
    """A guide text with 20,000 responsibility lines, imported."""
    source = (ROOT / "tests" / "data" / "mental-health-technician.txt").read_text(encoding="utf-8")
    marker = "Role and Responsibilities\n"
    head, _, tail = source.partition(marker)
    intro, _, rest = tail.partition("\n")
    lines = "".join(f"Duty number {i}: Do the thing number {i}.\n" for i in range(20_000))
    path = folder / "big-guide.txt"
    path.write_text(head + marker + intro + "\n" + lines + rest, encoding="utf-8")
    return ["guide", "import", str(path), "-o", str(folder / "imported.yaml"), "--force"]


def lying_reference(folder: Path) -> list[str]:
    """A reference .docx whose styles part, padded to 2.1 GB of spaces (2 MB deflated), is
    declared as 40 KB in the zip's headers."""
    reference = ROOT / "templates" / "reference.docx"
    out = folder / "lying.docx"
    with zipfile.ZipFile(reference) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "word/styles.xml":
                dst.writestr(info, src.read(info))
                continue
            padded = zipfile.ZipInfo("word/styles.xml", info.date_time)
            padded.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(padded, "w") as fh:
                fh.write(src.read(info))
                chunk = b" " * (1 << 20)
                for _ in range(2000):  # 2.1 GB: under the 2 GiB that needs zip64
                    fh.write(chunk)
    _lie(out, "word/styles.xml", 40_000)
    return [
        "render", "-s", "inpatient", "-E", "associate", "--reference-docx", str(out),
        "-o", str(folder / "posting.docx"), "--force",
    ]  # fmt: skip


def _lie(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size the central directory declares for ``member``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.rfind(b"PK\x01\x02" + bytes(0))
    while at != -1:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_len] == name:
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            break
        at = data.rfind(b"PK\x01\x02", 0, at)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(io.BytesIO(bytes(data))):
        pass


CASES: dict[str, Callable[[Path], list[str]]] = {
    "list-literals": list_literals,
    "dict-literals": dict_literals,
    "wordwrap": wordwrap,
    "wordcount": wordcount,
    "string-filters": string_filters,
    "many-values": many_values,
    "guide-items": guide_items,
    "guide-import": guide_import,
    "lying-reference": lying_reference,
}


LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "jobgen", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    json.dump({"code": os.waitstatus_to_exitcode(status), "wall": time.perf_counter() - start,
               "cpu": usage.ru_utime + usage.ru_stime, "mb": usage.ru_maxrss / 1024}, fh)
"""
"""Runs jobgen as its child and reports its usage: a child's peak RSS starts from its parent's
size at fork, so jobgen is forked from this small process, not from this script."""


def run(args: list[str], timeout: float) -> tuple[str, float, float, float, str]:
    """Exit code (or 'killed'), wall seconds, CPU seconds, peak RSS in MB, first error line."""
    with tempfile.TemporaryDirectory() as tmp:
        report, err_path = Path(tmp, "usage.json"), Path(tmp, "stderr")
        start = time.perf_counter()
        with err_path.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(report), *args],
                stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, start_new_session=True,
            )  # fmt: skip
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        message = next(iter(err_path.read_text(errors="replace").splitlines()), "")
        if not report.exists():
            return "killed", time.perf_counter() - start, float("nan"), float("nan"), message
        usage = json.loads(report.read_text())
        return str(usage["code"]), usage["wall"], usage["cpu"], usage["mb"], message


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated case names: " + ", ".join(CASES))
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    options = parser.parse_args(argv)
    names = options.only.split(",") if options.only else list(CASES)
    print("| Case | Exit | Wall s | CPU s | Peak MB | Message |")
    print("|---|---|---|---|---|---|")
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            args = CASES[name](Path(tmp))
            code, wall, cpu, mb, message = run(args, options.timeout)
        message = message.replace("|", "\\|")[:110]
        print(f"| {name} | {code} | {wall:.1f} | {cpu:.1f} | {mb:.0f} | {message} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
