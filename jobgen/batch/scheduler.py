"""Running a batch: the checks made before any row, the rows dealt in chunks to this process
or to a pool of worker processes, and the outcome put together in row order."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..employer import (
    OptionLayer,
    env_layer,
    file_layer,
    flatten,
    merge_layers,
    options_from_layers,
    set_layer,
    today,
)
from ..errors import OutputError, UsageError
from ..guide import Guide, load_guide
from ..render import check_format
from .inputs import BatchInput, open_input
from .manifest import (
    BatchInterrupted,
    BatchResult,
    Collector,
    Done,
    RowResult,
    check_manifest,
    new_spool,
    report,
    write_manifest,
)
from .naming import DEFAULT_NAME_PATTERN, MANIFEST_NAME, check_name_pattern, named_rows
from .row import Context, Task, failed, remove, run_chunk, run_tasks, target, to_wire

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK = 16
"""Rows rendered together (their files flushed to disk at once) and handed to a worker at once:
few enough that progress moves and a stop finishes quickly."""
CHUNK_MD = 128
"""The same for a Markdown-only batch, whose rows take a fraction of a millisecond."""
START_METHOD: str | None = None
"""How worker processes start (``multiprocessing``'s methods; None: the platform's default).
Everything a worker needs is picklable, so ``"spawn"`` works everywhere."""


def _check_formats(formats: Iterable[str], reference_docx: object) -> tuple[str, ...]:
    chosen: list[str] = []
    for item in formats:
        for part in item.split(","):
            if part.strip():
                fmt = check_format(part)
                if fmt not in chosen:
                    chosen.append(fmt)
    fmts = tuple(chosen) or ("md",)
    if reference_docx is not None and "docx" not in fmts:
        raise UsageError(
            f"applies to Word documents only, and the formats are {', '.join(fmts)}",
            source="--reference-docx",
            hint="add docx to -f, e.g. -f md,docx",
        )
    return fmts


def _check_defaults(guide: Guide, layers: Sequence[OptionLayer]) -> None:
    """Validate every default value on its own, before any row: a bad ``--set`` is one usage
    error (exit 2), not one error per row. Cross-field rules wait for the rows, which may
    override one side."""
    probe = OptionLayer(
        "defaults",
        {
            "setting": guide.setting_choices()[0].slug,
            "education": guide.education_choices()[0].slug,
            "salary.period": "hour",
            "date_posted": "1970-01-01",
        },
    )
    for layer in layers:
        for key, (value, where) in flatten(layer.values, layer.source).items():
            if value is None or value == "":
                continue
            source = layer.where.get(key, where)  # JOBGEN_SALARY_MIN, not "environment"
            options_from_layers(guide, [probe, OptionLayer(source, {key: value}, layer.usage)])


def _out_dir(out_dir: str | Path) -> Path:
    if not str(out_dir).strip():
        raise UsageError(
            "--out-dir '': give a folder for the postings (such as -d postings; '.' for this one)",
            source="--out-dir",
        )
    return Path(out_dir)


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("is a file; --out-dir needs a folder", source=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder: {exc.strerror or exc}", source=str(out_dir)
        ) from None


def _names_in(folder: Path) -> frozenset[str]:
    """The names in ``folder`` before the batch: what a stopped batch may not remove."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries)
    except OSError:
        return frozenset()


def _cpu_count() -> int:
    """CPUs this process may use (a container's or taskset's limit), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class _Dealer:
    """Deals consecutive tasks out in chunks, counting what it dealt."""

    def __init__(self, tasks: Iterable[Task], size: int) -> None:
        self._tasks = iter(tasks)
        self.size = size
        self.dealt = 0

    def take(self) -> list[Task]:
        chunk = list(itertools.islice(self._tasks, self.size))
        self.dealt += len(chunk)
        return chunk


@dataclasses.dataclass
class _Run:
    """One batch in progress: what it renders with, where results go, how it is stopped."""

    ctx: Context
    dealer: _Dealer
    out: Collector
    cancel: threading.Event
    progress: Callable[[], None]
    existing: frozenset[str]
    out_dir: Path
    pattern: str
    pending: dict[int, Sequence[Task]] = dataclasses.field(default_factory=dict)
    """Chunks finished out of order, waiting for an earlier one before they are reported."""

    def clean_up_after(self, tasks: Sequence[Task]) -> None:
        """Remove what was written for ``tasks``, whose rows are never reported as written (a
        worker died on them, or the batch stopped first): their files that were not in the
        folder before the batch, and temporary files a killed worker left for them."""
        if self.ctx.dry_run or not tasks:
            return
        targets = [target(self.ctx, t.name, fmt) for t in tasks for fmt in self.ctx.formats]
        remove([path for path, name in targets if name not in self.existing])
        # temporary files are named .NAME.PID-N.tmp (jobgen.output), NAME cut at 64 characters
        prefixes = tuple(f".{name[:64]}." for _, name in targets)
        with contextlib.suppress(OSError), os.scandir(self.ctx.out_dir) as entries:
            remove(
                [e.path for e in entries if e.name.endswith(".tmp") and e.name.startswith(prefixes)]
            )

    def add(self, chunk: Sequence[Task], done: Done) -> None:
        self.pending[chunk[0].position] = chunk
        self.out.add(chunk[0].position, done)
        for position in [p for p in self.pending if p < self.out.next]:
            del self.pending[position]
        self.progress()


def _run_here(run: _Run) -> None:
    """Render every row in this process, a chunk at a time."""
    while not run.cancel.is_set() and (chunk := run.dealer.take()):
        run.add(chunk, run_tasks(run.ctx, chunk, run.cancel))


def _failed_chunk(run: _Run, chunk: Sequence[Task], why: str) -> Done:
    run.clean_up_after(chunk)
    results = [failed(t, f"{t.row.source}: a worker process failed ({why})") for t in chunk]
    return report(results, manifest=run.ctx.manifest, every_result=run.ctx.every_result)


def _why(exc: BaseException, workers: Mapping[int, Any]) -> str:
    """Why a chunk failed: the signal that stopped a worker when one did ("SIGKILL: killed,
    often by the system when memory runs out"), else the pool's own words. ``workers`` are the
    pool's processes as seen when chunks were handed out (a broken pool forgets them)."""
    from concurrent.futures.process import BrokenProcessPool
    from signal import Signals  # names a signal; jobgen never handles one here

    if isinstance(exc, BrokenProcessPool):  # a dead worker may not be reaped yet: wait briefly
        for process in workers.values():
            process.join(1)
    names = []
    for code in (p.exitcode for p in workers.values()):
        if code is not None and code < 0:
            try:
                names.append(Signals(-code).name)
            except ValueError:
                names.append(f"signal {-code}")
    # the pool ends the other workers with SIGTERM once one dies: name the one that killed
    name = next((n for n in names if n != "SIGTERM"), names[0] if names else "")
    if name == "SIGKILL":
        return "it was killed by SIGKILL, often the system ending it when memory runs out"
    return f"it was stopped by {name}" if name else str(exc) or type(exc).__name__


def _collect(
    run: _Run, running: dict[Future[Done], list[Task]], workers: Mapping[int, Any]
) -> None:
    """Wait for at least one chunk, and pass on every finished one."""
    from concurrent.futures import FIRST_COMPLETED, wait

    finished = wait(running, return_when=FIRST_COMPLETED).done
    for future in [f for f in running if f in finished]:  # in the order handed out
        chunk = running.pop(future)
        try:
            done = future.result()
        except Exception as exc:  # killed (out of memory, a signal) or broken by another
            done = _failed_chunk(run, chunk, _why(exc, workers))
        run.add(chunk, done)


def _run_pool(run: _Run, jobs: int, worker_setup: Callable[[], None] | None) -> None:
    """Render on ``jobs`` worker processes, each kept two chunks ahead; this process reads,
    names and deals the rows and collects the results in row order. When the pool breaks (a
    worker killed), the chunks it held fail, naming why, and this process renders the rest."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=worker_setup,
    )
    running: dict[Future[Done], list[Task]] = {}
    workers: dict[int, Any] = {}  # pid → process, to name the signal that killed one
    broken = False
    try:
        while not broken:
            while not run.cancel.is_set() and len(running) < jobs * 2:
                chunk = run.dealer.take()
                if not chunk:
                    break
                try:
                    running[pool.submit(run_chunk, run.ctx, to_wire(chunk))] = chunk
                    workers.update(getattr(pool, "_processes", None) or {})  # no public way
                except (BrokenProcessPool, RuntimeError, OSError):  # no worker could start
                    broken = True
                    run.add(chunk, run_tasks(run.ctx, chunk, run.cancel))  # it never left
                    break
            if not running:
                break
            _collect(run, running, workers)
    except BaseException:
        # Stopped: no chunk is handed out any more, and the workers finish the one each holds
        # (a second or so). Killing them instead can leave a result half-written in the pool's
        # pipe, and the pool's reader thread then waits for the rest forever (seen: a hang).
        pool.shutdown(wait=True, cancel_futures=True)
        # never reported: the chunks in flight and those after them that finished
        waiting = [*running.values(), *run.pending.values()]
        run.clean_up_after([t for chunk in waiting for t in chunk])
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    if broken:
        _run_here(run)


def _layers(
    batch_input: BatchInput,
    employer_file: str | Path | None,
    defaults: Mapping[str, Any] | None,
    env: Mapping[str, str],
    assignments: Iterable[str],
) -> list[OptionLayer]:
    """The option layers under every row, weakest first."""
    layers: list[OptionLayer] = []
    if employer_file is not None:
        layers.append(file_layer(employer_file))
    if defaults is not None:
        layers.append(OptionLayer("defaults", defaults))
    if batch_input.defaults is not None:
        layers.append(batch_input.defaults)
    layers.append(env_layer(env))
    layers.append(set_layer(assignments))
    return layers


def _rows_left(rows: Iterator[Any]) -> int:
    """Count the rows a stopped batch never read (a third stop gives up counting)."""
    count = 0
    with contextlib.suppress(KeyboardInterrupt):
        for _ in rows:
            count += 1
    return count


def run_batch(
    source: str | Path | BinaryIO | Iterable[Mapping[str, Any]],
    *,
    out_dir: str | Path,
    formats: Sequence[str] = ("md",),
    input_format: str | None = None,
    input_name: str | None = None,
    guide: str | Path | Guide | None = None,
    employer_file: str | Path | None = None,
    defaults: Mapping[str, Any] | None = None,
    assignments: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
    template: str | Path | None = None,
    reference_docx: str | Path | None = None,
    name_pattern: str = DEFAULT_NAME_PATTERN,
    jobs: int | None = None,
    force: bool = False,
    dry_run: bool = False,
    lint: bool = False,
    on_result: Callable[[RowResult], None] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    keep_results: bool = True,
    cancel: threading.Event | None = None,
    worker_setup: Callable[[], None] | None = None,
) -> BatchResult:
    """Render one posting per input row into ``out_dir``; the library behind ``jobgen batch``.

    ``source`` is a path (CSV, YAML/JSON, JSON Lines, by extension or ``input_format``), a binary
    stream such as stdin (``input_format`` required), or an iterable of mappings. ``jobs``
    processes render (default: the CPU count; above 1, a pool of worker processes started by
    :data:`START_METHOD`, each running ``worker_setup`` first). ``on_result`` gets each row's
    :class:`RowResult` in row order as it finishes; ``progress(done, total)`` is called after
    each chunk of rows with how much of the input has been read: bytes for CSV and JSON Lines,
    rows otherwise, ``total`` None when unknown (a pipe). ``lint`` adds each posting's lint
    report (``jobgen.lint.lint_posting``) to its record; it never makes a row fail.
    ``keep_results=False`` keeps only the failed and changed rows in the result's ``postings``
    (every row is in the manifest and passed to ``on_result``), so memory stays flat.

    Stopping: once ``cancel`` is set (a signal handler of the caller's may set it), no more
    rows are started, the running ones finish, the manifest records them and
    :class:`BatchInterrupted` is raised. A KeyboardInterrupt during the batch stops it at once:
    the rows in flight are abandoned and their files removed, then the same happens.

    Raises :class:`JobgenError` for problems that stop the whole batch before any file is
    written (usage, an empty input, an unknown CSV column, a bad default, a template syntax
    error). A manifest that cannot be written (a full disk) is reported in the result's
    ``manifest_error``, not raised: the rows' own results are still there to show.
    """
    from ..render.markdown import prepare_template

    fmts = _check_formats(formats, reference_docx)
    pattern = check_name_pattern(name_pattern)
    out = _out_dir(out_dir)
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more processes", source="--jobs")
    g = guide if isinstance(guide, Guide) else load_guide(guide)
    env = os.environ if environ is None else environ
    template_path = Path(template) if template is not None else None
    prepare_template(template_path)  # a template syntax error stops the batch before any row
    if "docx" in fmts:
        from ..render.docx import load_reference

        # so does a broken reference document, read once here
        load_reference(Path(reference_docx) if reference_docx is not None else None)

    batch_input = open_input(source, input_format=input_format, name=input_name)
    layers = _layers(batch_input, employer_file, defaults, env, assignments)
    _check_defaults(g, layers)
    manifest_path = out / MANIFEST_NAME
    if not dry_run:
        _prepare_out_dir(out)
        check_manifest(manifest_path, force, batch_input.identity)
    ctx = Context(
        guide=g,
        merged=merge_layers(layers),
        formats=fmts,
        out_dir=str(out.resolve()),
        force=force,
        dry_run=dry_run,
        default_date=today(env),
        template=template_path,
        reference_docx=Path(reference_docx) if reference_docx is not None else None,
        lint=lint,
        manifest=not dry_run,
        every_result=keep_results or on_result is not None,
        input_identity=batch_input.identity,
    )
    named = named_rows(g, batch_input.rows, pattern=pattern, defaults=[x.values for x in layers])
    tasks = (Task(i, row, name) for i, (row, name) in enumerate(named))
    with contextlib.ExitStack() as cleanup:
        spool = None if dry_run else cleanup.enter_context(new_spool())
        run = _Run(
            ctx,
            _Dealer(tasks, CHUNK_MD if set(fmts) == {"md"} else CHUNK),
            Collector(on_result, spool, keep_results),
            cancel if cancel is not None else threading.Event(),
            lambda: progress(batch_input.done(), batch_input.total) if progress else None,
            frozenset() if dry_run else _names_in(out),
            out,
            pattern,
        )
        result = _execute(run, batch_input, jobs or _cpu_count(), worker_setup, keep_results)
    if result.interrupted:
        raise BatchInterrupted(result)
    return result


def _execute(
    run: _Run,
    batch_input: BatchInput,
    jobs: int,
    worker_setup: Callable[[], None] | None,
    keep_results: bool,
) -> BatchResult:
    """Render every row (here, or on ``jobs`` workers), then write the manifest; a stop (the
    cancel event, a KeyboardInterrupt) ends the rendering early."""
    spool = run.out.spool
    manifest_path = run.out_dir / MANIFEST_NAME
    run.progress()
    stopped = False
    try:
        if jobs <= 1:
            _run_here(run)
        else:
            _run_pool(run, jobs, worker_setup)
    except KeyboardInterrupt:
        stopped = True
    except BaseException:  # a callback failed: still record what finished
        if spool is not None:
            write_manifest(manifest_path, _result(run, batch_input, True, keep_results), spool)
        raise
    result = _result(run, batch_input, stopped or run.cancel.is_set(), keep_results)
    if spool is not None:
        problem = write_manifest(manifest_path, result, spool)
        result = dataclasses.replace(result, manifest_error=problem)
    return result


def _result(run: _Run, batch_input: BatchInput, stopped: bool, keep_results: bool) -> BatchResult:
    """The batch's outcome so far; a stopped batch counts the rows it never read."""
    return BatchResult(
        postings=tuple(run.out.kept),
        total=run.dealer.dealt + (_rows_left(batch_input.rows) if stopped else 0),
        input=batch_input.name,
        out_dir=run.out_dir,
        formats=run.ctx.formats,
        name_pattern=run.pattern,
        manifest=None if run.ctx.dry_run else run.out_dir / MANIFEST_NAME,
        dry_run=run.ctx.dry_run,
        interrupted=stopped,
        counts=None if keep_results else dict(run.out.counts),
    )
