"""``jobgen batch``: one posting per row, with a progress bar, and stopping cleanly on signals.

The signal handling lives here, not in the library: :func:`jobgen.batch.run_batch` takes a
``cancel`` event and a ``worker_setup`` function, and this command provides both.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .._completion import complete_formats
from ..errors import UsageError
from .command import Command, discard_stdout
from .params import (
    Count,
    employer_option,
    force_option,
    format_names,
    guide_option,
    lint_flag_option,
    reference_docx_option,
    set_option,
    template_option,
)

if TYPE_CHECKING:
    from ..batch import BatchResult, RowResult

MAX_ERRORS_SHOWN = 20
"""Row errors printed to stderr; the manifest holds all of them."""


@click.command(cls=Command)
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-d",
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False),  # a str: run_batch refuses '' (Path('') is '.')
    metavar="DIR",
    help="Folder for the postings and manifest.json (created if missing).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMATS",
    shell_complete=complete_formats,
    help="Formats to write, comma-separated or repeated: "
    + ", ".join(format_names())
    + " (default md).",
)
@click.option(
    "-j",
    "--jobs",
    type=Count(),
    help="Processes that render (default: the CPU count): this one and N-1 workers; "
    "1 renders in this process only.",
)
@click.option(
    "--name",
    "name_pattern",
    metavar="PATTERN",
    help="File name pattern (default {id}-{employer}-{setting}); fields: {row} {id} {employer} "
    "{setting} {education} {title}.",
)
@click.option(
    "--input-format",
    type=click.Choice(["csv", "yaml", "jsonl"]),
    help="Format of INPUT when its extension does not say (needed for '-').",
)
@employer_option
@set_option
@guide_option
@template_option
@reference_docx_option
@click.option(
    "--manifest",
    "manifest",
    metavar="-",
    help="'-' also streams one JSON line per row to stdout, in row order.",
)
@lint_flag_option
@force_option
@click.option("--dry-run", is_flag=True, help="Validate and render every row; write nothing.")
def batch(
    input_path: str,
    out_dir: str,
    formats: tuple[str, ...],
    jobs: int | None,
    name_pattern: str | None,
    input_format: str | None,
    employer: Path | None,
    assignments: tuple[str, ...],
    guide: str | None,
    template: Path | None,
    reference_docx: Path | None,
    manifest: str | None,
    run_lint: bool,
    force: bool,
    dry_run: bool,
) -> None:
    """Render one posting per row of INPUT (.csv, .yaml, .jsonl, or '-' for stdin) into DIR.

    A CSV's header row holds employer fields (employer.name, setting, salary.min, ...); a YAML
    file is a list of postings or {defaults: ..., postings: [...]}; JSON Lines is one object per
    line. --employer and --set give defaults that every row may override.

    Writes one file per row per format, and DIR/manifest.json listing every row's status
    (ok, error, skipped), files and sha256, and error. Existing files are skipped unless
    --force. Exit status: 0 every row ok, 1 some rows failed, 2 bad usage, 130 interrupted.

    \b
    Examples:
      jobgen batch examples/batch.csv --out-dir postings -f md,docx
      jobgen batch postings.yaml -d out --set employer.name="Riverside" --jobs 4
      cat rows.jsonl | jobgen batch - --input-format jsonl -d out --manifest - | jq .status
    """
    from ..batch import DEFAULT_NAME_PATTERN, BatchInterrupted, run_batch
    from ..guide import load_guide

    if manifest not in (None, "-"):
        raise UsageError(
            f"--manifest {manifest!r}: only '-' is accepted (stream one JSON line per row to "
            f"stdout); the manifest file is always DIR/manifest.json",
            source="--manifest",
        )
    # sys.stdin's bytes (click.get_binary_stream is deprecated since Click 8.5)
    source: Any = sys.stdin.buffer if input_path == "-" else Path(input_path)
    bar = _ProgressBar(sys.stderr.isatty())
    stream = _ManifestStream() if manifest == "-" else None
    loaded = load_guide(guide)
    # what is loaded now lives until the end: keep it out of every garbage collection's way
    # (and, in forked workers, out of the pages a collection would copy)
    gc.freeze()
    with bar, _StopOnSignals() as stop:
        try:
            result = run_batch(
                source,
                out_dir=out_dir,
                formats=formats,
                input_format=input_format,
                input_name="stdin" if input_path == "-" else None,
                guide=loaded,
                employer_file=employer,
                assignments=assignments,
                template=template,
                reference_docx=reference_docx,
                name_pattern=DEFAULT_NAME_PATTERN if name_pattern is None else name_pattern,
                jobs=jobs,
                force=force,
                dry_run=dry_run,
                lint=run_lint,
                on_result=stream,
                progress=bar.update,
                keep_results=False,  # the manifest has every row; keep only what is shown
                cancel=stop.event,
                worker_setup=_worker_setup,
            )
        except BatchInterrupted as exc:
            result = exc.result
    _report(result, out_dir)
    code = 128 + stop.signal if result.interrupted and stop.signal else result.exit_code
    if code:
        click.get_current_context().exit(code)


def _report(result: BatchResult, out_dir: str) -> None:
    """The rows that failed (the first :data:`MAX_ERRORS_SHOWN`) and the counts, on stderr."""
    errors = result.errors
    for row in errors[:MAX_ERRORS_SHOWN]:
        click.echo(row.error, err=True)
    if len(errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors", err=True)
    counts = f"{result.ok} ok, {result.failed} failed, {result.skipped} skipped"
    if result.changed:
        counts += f", {result.changed} changed (add --force to replace them)"
    if result.dry_run:
        click.echo(f"dry run: {counts}; nothing was written", err=True)
    elif result.interrupted:
        click.echo(
            f"interrupted: {counts}, {result.not_run} not run → {out_dir} (manifest.json)",
            err=True,
        )
    else:
        click.echo(f"{counts} → {out_dir} (manifest.json)", err=True)
    if result.manifest_error:
        click.echo(f"jobgen: the manifest was not written: {result.manifest_error}", err=True)


class _ManifestStream:
    """``--manifest -``: each row's manifest entry as one JSON line on stdout, until the
    reader stops reading (the batch then finishes without it)."""

    def __init__(self) -> None:
        self.open = True

    def __call__(self, row: RowResult) -> None:
        if not self.open:
            return
        try:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
            sys.stdout.flush()
        except BrokenPipeError:
            self.open = False
            discard_stdout()


class _ProgressBar:
    """A progress bar on a terminal (nothing otherwise), in how much of the input was read."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self.bars = contextlib.ExitStack()
        self.bar: Any = None
        self.at = 0

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.close()

    def update(self, done: int, total: int | None) -> None:
        if not self.shown or not total:
            return
        if self.bar is None:
            self.bar = self.bars.enter_context(
                click.progressbar(
                    length=total, label="Rendering", file=sys.stderr, show_percent=True
                )
            )
        self.bar.update(done - self.at)
        self.at = done


class _StopOnSignals:
    """While a batch runs, SIGINT, SIGTERM and SIGHUP stop it as Ctrl-C does: the first sets
    :attr:`event` (no new rows; the running ones finish and are recorded), a second raises
    KeyboardInterrupt (stop at once). :attr:`signal` is the first one's number."""

    NAMES = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self) -> None:
        import threading

        self.event = threading.Event()
        self.signal = 0
        self.previous: dict[int, Any] = {}

    def handle(self, signum: int, frame: Any) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        self.signal = signum
        self.event.set()

    def __enter__(self) -> _StopOnSignals:
        import signal

        for name in self.NAMES:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
                self.previous[number] = signal.signal(number, self.handle)  # nohup: stays off
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        for number, handler in self.previous.items():
            signal.signal(number, handler)


def _worker_setup() -> None:
    """A batch's worker processes leave SIGINT, SIGTERM and SIGHUP to the jobgen process, which
    stops them once the chunks they hold are finished and recorded."""
    import signal

    for name in _StopOnSignals.NAMES:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)
