"""One row of a batch: validate, compose, render every format, and write the files; and a
chunk of rows, whose files are flushed to disk together before the rows are reported."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import stat
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..compose import Posting, compose
from ..employer import FIELD_BY_KEY, merge_values, options_from_merged
from ..errors import JobgenError, OutputError, ValidationError
from ..guide import Guide
from ..output import fsync_error, is_safe_stem, write_new
from ..render import render_document
from .inputs import Row
from .manifest import Done, FileRecord, RowResult, report
from .naming import extension_for


class Task(NamedTuple):
    """One row to render: its place in the batch (0-based), the row, its file name stem."""

    position: int
    row: Row
    name: str


@dataclass(frozen=True)
class Context:
    """Everything rendering a row needs; pickled with each chunk handed to a worker."""

    guide: Guide
    merged: Mapping[str, Any]
    """The defaults' layers merged once (:func:`jobgen.employer.merge_layers`); each row goes
    onto them."""
    formats: tuple[str, ...]
    out_dir: str  # resolved
    force: bool
    dry_run: bool
    default_date: dt.date
    template: Path | None
    reference_docx: Path | None
    lint: bool = False
    manifest: bool = True
    """Rows report their manifest entries (as JSON lines), to be spooled by the caller."""
    every_result: bool = True
    """Rows report every :class:`RowResult` (else only the failed and changed ones)."""
    input_identity: tuple[int, int] | None = None
    """The input file's (device, inode), which no row may write over."""


_WORD = re.compile(r"[a-z_]+(?:\.[a-z_]+)?")


def _field_of(message: str) -> str | None:
    """The dotted field an error message is about: the one it starts with (``salary.min: ...``),
    the unknown one it names, or else the first field it mentions."""
    if message.startswith("unknown field '"):
        return message[len("unknown field '") :].split("'", 1)[0]
    return next((w for w in _WORD.findall(message) if w in FIELD_BY_KEY), None)


def row_error(task: Task, exc: JobgenError) -> RowResult:
    text = exc.format()
    if not text.startswith(task.row.source):
        text = f"{task.row.source}: {text}"
    return failed(task, text, _field_of(exc.message))


def failed(task: Task, message: str, field: str | None = None) -> RowResult:
    row = task.row
    return RowResult(row.number, row.source, task.name, "error", (), message, field)


def target(ctx: Context, name: str, fmt: str) -> tuple[str, str]:
    """A row's file for ``fmt``: its path, and its name in the output folder."""
    if not is_safe_stem(name):  # names come from safe_stem; this guards against a future bug
        raise OutputError(f"unsafe file name {name!r}", source=ctx.out_dir)
    filename = name + extension_for(fmt)
    return os.path.join(ctx.out_dir, filename), filename  # noqa: PTH118 - a string per file


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _on_disk(ctx: Context, path: str, rel: str) -> os.stat_result | None:
    """What is at a row's target now: None, or a regular file that is not the batch's input;
    anything else is the row's error (``--force`` replaces regular files only)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot look at {rel}: {exc.strerror or exc}", source=path) from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((k for test, k in _KINDS if test(info.st_mode)), "not a regular file")
        raise OutputError(
            f"{rel} is {kind}; jobgen writes and replaces regular files only",
            source=path,
            hint="remove it, or choose another --name or --out-dir",
        )
    if ctx.input_identity == (info.st_dev, info.st_ino):
        raise OutputError(
            f"{rel} is the batch's input; a batch never writes over its input",
            source=path,
            hint="choose another --name or --out-dir",
        )
    return info


def _same_bytes(path: str, size: int, data: bytes) -> bool:
    if size != len(data):
        return False
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a string per file
            return handle.read(size + 1) == data
    except OSError:
        return False


def _digest(path: str, size: int, fmt: str, rel: str) -> FileRecord:
    """The record of a regular file left as it was."""
    sha = hashlib.sha256()
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a string per file
            for block in iter(lambda: handle.read(1 << 16), b""):
                sha.update(block)
    except OSError:
        return FileRecord(fmt, rel, None, size, written=False)
    return FileRecord(fmt, rel, sha.hexdigest(), size, written=False)


def _choice_missing(ctx: Context, merged: Mapping[str, Any], source: str) -> None:
    for key, what, choices in (
        ("setting", "setting", ctx.guide.setting_choices),
        ("education", "education level", ctx.guide.education_choices),
    ):
        if key not in merged:  # merged values hold only the given (non-empty) ones
            raise ValidationError(
                f"{key}: no {what} given; add a {key!r} value to the row, or a default with "
                f"--set {key}=... Valid {what}s: {', '.join(c.slug for c in choices())}",
                source=source,
            )


def _render(
    ctx: Context, posting: Posting, fmt: str, notes: list[str], markdown: list[str]
) -> bytes:
    """Render one format, collecting its warnings (a DOCX that dropped a control character).

    ``markdown`` holds the row's Markdown once a format has rendered it, so the template runs
    once per row whatever the formats.
    """
    document = render_document(
        posting,
        fmt,
        template=ctx.template,
        reference_docx=ctx.reference_docx,
        markdown=markdown[0] if markdown else None,
    )
    if document.markdown is not None and not markdown:
        markdown.append(document.markdown)
    for message in document.warnings:
        note = f"{fmt}: {message}"
        if note not in notes:
            notes.append(note)
    return document.data


def _place(
    ctx: Context,
    fmt: str,
    where: tuple[str, str],
    info: os.stat_result | None,
    data: bytes,
    created: list[str],
) -> tuple[FileRecord, str]:
    """Write one file of a row (unless a file is there and not ``force``): its record and the
    row status it stands for."""
    path, rel = where
    if info is not None and not ctx.force:
        if _same_bytes(path, info.st_size, data):
            return FileRecord(fmt, rel, hashlib.sha256(data).hexdigest(), len(data), False), (
                "skipped"
            )
        return _digest(path, info.st_size, fmt, rel), "changed"
    if not ctx.dry_run:
        write_new(path, data, force=ctx.force, sync=False)
        if info is None:  # a file it replaced (force) cannot be taken back
            created.append(path)
    return FileRecord(fmt, rel, hashlib.sha256(data).hexdigest(), len(data), not ctx.dry_run), "ok"


def _posting(ctx: Context, row: Row) -> Posting:
    merged = merge_values(ctx.merged, row.values, row.source)
    if "setting" not in merged or "education" not in merged:
        _choice_missing(ctx, merged, row.source)
    return compose(ctx.guide, options_from_merged(ctx.guide, merged, default_date=ctx.default_date))


def _changed_message(task: Task, files: Sequence[FileRecord], statuses: Sequence[str]) -> str:
    names = [f.path for f, s in zip(files, statuses, strict=True) if s == "changed"]
    one = len(names) == 1
    return (
        f"{task.row.source}: {', '.join(names)} {'differs' if one else 'differ'} from what this "
        f"row renders now and {'was' if one else 'were'} left as {'it was' if one else 'they were'}"
        "; add --force to replace"
    )


def process_row(ctx: Context, task: Task, created: list[str]) -> RowResult:
    """Validate, compose, render and write one row; never raises for a bad row.

    Every target is checked and every format rendered before any file is written, so a row that
    fails writes nothing; if a write itself fails, the files this row created are removed again.
    Files are not flushed to disk: their paths are added to ``created``, for the caller to flush
    (:func:`run_tasks`) before it reports the row.
    """
    row = task.row
    if row.error is not None:
        return failed(task, row.error)
    notes: list[str] = []
    try:
        posting = _posting(ctx, row)
        targets = [target(ctx, task.name, fmt) for fmt in ctx.formats]
        found = [_on_disk(ctx, path, rel) for path, rel in targets]
        markdown: list[str] = []  # the template's output, rendered once for every format
        datas = [_render(ctx, posting, fmt, notes, markdown) for fmt in ctx.formats]
        lint = None
        if ctx.lint:
            from ..lint import lint_posting

            lint = lint_posting(
                posting, markdown=markdown[0] if markdown else None, template=ctx.template
            )
        placed = [
            _place(ctx, *item, created)
            for item in zip(ctx.formats, targets, found, datas, strict=True)
        ]
    except JobgenError as exc:
        remove(created)
        created.clear()
        return row_error(task, exc)
    except Exception as exc:  # a bug must not stop the other rows; say it is one
        remove(created)
        created.clear()
        bug = f"internal error (a bug in jobgen): {type(exc).__name__}: {exc}"
        return failed(task, f"{row.source}: {bug}")
    files = tuple(record for record, _ in placed)
    statuses = [status for _, status in placed]
    status = next((s for s in ("changed", "skipped") if s in statuses), "ok")
    message = _changed_message(task, files, statuses) if status == "changed" else None
    return RowResult(
        row.number, row.source, task.name, status, files, message, None, tuple(notes), lint
    )


def remove(paths: Iterable[str]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _sync(done: list[tuple[Task, RowResult, list[str]]]) -> list[RowResult]:
    """Flush the files of several rows to disk at once (after the first, a file system has
    little left to do for the others: one journal commit instead of one per file). A row whose
    files cannot be flushed fails, and the files it created are removed."""
    results = []
    for task, result, paths in done:
        for path in paths:
            try:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                remove(paths)
                result = row_error(task, fsync_error(exc, path))
                break
        results.append(result)
    return results


def run_tasks(ctx: Context, tasks: Sequence[Task], cancel: threading.Event | None = None) -> Done:
    """Render a chunk of rows, flush their files to disk together, and report them; rows after
    ``cancel`` is set are left for the manifest's ``not_run``.

    Stopped midway (a KeyboardInterrupt), the chunk is never reported: the files its rows
    created are removed again.
    """
    done: list[tuple[Task, RowResult, list[str]]] = []
    created: list[str] = []
    try:
        for task in tasks:
            if cancel is not None and cancel.is_set():
                break
            created = []
            done.append((task, process_row(ctx, task, created), created))
        return report(_sync(done), manifest=ctx.manifest, every_result=ctx.every_result)
    except BaseException:
        remove([path for _, _, paths in done for path in paths] + created)
        raise


Wire = tuple[int, int, str, Mapping[str, Any], "str | None", str]
"""A task as it travels to a worker: plain tuples pickle in half the time of dataclasses."""


def to_wire(tasks: Sequence[Task]) -> list[Wire]:
    return [
        (t.position, t.row.number, t.row.source, t.row.values, t.row.error, t.name) for t in tasks
    ]


def run_chunk(ctx: Context, wire: Sequence[Wire]) -> Done:
    """A worker process's task: a chunk of rows, reported once their files are on disk."""
    tasks = [
        Task(at, Row(number, source, values, error), name)
        for at, number, source, values, error, name in wire
    ]
    return run_tasks(ctx, tasks)
