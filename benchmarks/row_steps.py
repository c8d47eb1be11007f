"""What one batch row costs, step by step, in one warm process: merge, options, compose.

    python benchmarks/row_steps.py                      # this checkout: 7 runs of 10,000 rows
    python benchmarks/row_steps.py --checkout OTHER     # another checkout (say, before a change)
    python benchmarks/row_steps.py --profile options    # where one step's time goes (cProfile)

The rows are run.py's ``make_row`` (three employers, every setting × education level, pay,
benefits, links, dates; values repeat across rows as in real batches), merged onto the batch's
defaults and turned into postings as ``jobgen.batch.row.process_row`` does: ``merge_values``,
``options_from_merged``, ``compose``. Each run starts with the row caches cleared (a new batch);
rows go through in chunks of 64 (a batch keeps no row's objects once it is written; keeping all
10,000 would make the collector's work part of the figures). Prints the median µs per row.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
STEPS = ("merge", "options", "compose")


def _make_row() -> Any:
    spec = importlib.util.spec_from_file_location("jobgen_benchmarks_run", HERE / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module.make_row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=HERE.parent, help="jobgen to measure")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=64, help="rows per timed step")
    parser.add_argument("--profile", choices=STEPS, help="profile one step instead of timing")
    args = parser.parse_args(argv)

    make_row = _make_row()  # this checkout's rows, whichever jobgen is measured
    sys.path.insert(0, str(args.checkout.resolve()))
    employer = importlib.import_module("jobgen.employer")
    composing = importlib.import_module("jobgen.compose")
    guide = importlib.import_module("jobgen.guide").load_guide()
    assert Path(employer.__file__).is_relative_to(args.checkout.resolve()), employer.__file__

    def clear_caches() -> None:  # a checkout from before the row caches has none
        for module in (employer, composing):
            clear: Any = getattr(module, "clear_caches", None)
            if clear is not None:
                clear()

    base = employer.merge_layers([employer.env_layer({}), employer.set_layer([])])
    day = employer.today({})
    rows = [(make_row(i), f"input.csv row {i + 1} (line {i + 2})") for i in range(args.rows)]
    merge_values, options_from_merged = employer.merge_values, employer.options_from_merged
    compose = composing.compose

    if args.profile:
        _profile(args.profile, rows, base, day, guide, employer, compose, clear_caches)
        return

    chunks = [rows[i : i + args.chunk] for i in range(0, len(rows), args.chunk)]
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    for _ in range(args.runs):
        clear_caches()
        gc.collect()
        spent = dict.fromkeys(STEPS, 0.0)
        for chunk in chunks:
            t0 = time.perf_counter()
            merged = [merge_values(base, row, source) for row, source in chunk]
            t1 = time.perf_counter()
            options = [options_from_merged(guide, m, default_date=day) for m in merged]
            t2 = time.perf_counter()
            postings = [compose(guide, o) for o in options]
            t3 = time.perf_counter()
            spent["merge"] += t1 - t0
            spent["options"] += t2 - t1
            spent["compose"] += t3 - t2
            del merged, options, postings
        for step, seconds in spent.items():
            times[step].append(seconds / len(rows) * 1e6)
    print(f"{args.checkout.resolve()}: {args.runs} runs × {args.rows:,} rows, µs per row")
    for step, values in times.items():
        print(
            f"  {step:8s} median {statistics.median(values):6.2f}"
            f"   (fastest {min(values):.2f}, slowest {max(values):.2f})"
        )


def _profile(
    step: str,
    rows: list[tuple[dict[str, str], str]],
    base: Any,
    day: Any,
    guide: Any,
    employer: ModuleType,
    compose: Any,
    clear_caches: Any,
) -> None:
    import cProfile
    import pstats

    merged = [employer.merge_values(base, row, source) for row, source in rows]
    options = [employer.options_from_merged(guide, m, default_date=day) for m in merged]
    clear_caches()
    profile = cProfile.Profile()
    if step == "merge":
        profile.runcall(lambda: [employer.merge_values(base, r, s) for r, s in rows])
    elif step == "options":
        profile.runcall(
            lambda: [employer.options_from_merged(guide, m, default_date=day) for m in merged]
        )
    else:
        profile.runcall(lambda: [compose(guide, o) for o in options])
    pstats.Stats(profile).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
