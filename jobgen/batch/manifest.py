"""What a batch reports: a record per row (:class:`RowResult`), the batch's outcome
(:class:`BatchResult`) and ``manifest.json``, whose entries are spooled to a temporary file as
rows finish and written out, atomically, at the end."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from .. import __version__
from .._yaml import MAX_INPUT_BYTES
from ..errors import OutputError
from ..output import check_target, write_new

STATUSES = ("ok", "error", "changed", "skipped")
"""A row's status: written; failed; its file differs from what it renders now and was left
as it was (``--force`` replaces it); its file holds exactly what it renders now."""


@dataclass(frozen=True)
class FileRecord:
    """One output file of a row; ``path`` is relative to the output folder. ``sha256`` and
    ``bytes`` describe the file on disk (for a ``changed`` row: the old file, left as it was)."""

    format: str
    path: str
    sha256: str | None
    bytes: int | None
    written: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "path": self.path,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "written": self.written,
        }


@dataclass(frozen=True)
class RowResult:
    """What happened to one input row (one manifest entry); ``status`` is one of
    :data:`STATUSES`, and ``error`` says why for ``error`` and ``changed``."""

    row: int
    source: str
    name: str
    status: str
    files: tuple[FileRecord, ...] = ()
    error: str | None = None
    field: str | None = None
    warnings: tuple[str, ...] = ()
    lint: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "row": self.row,
            "source": self.source,
            "name": self.name,
            "status": self.status,
            "files": [f.to_dict() for f in self.files],
            "error": self.error,
            "field": self.field,
            "warnings": list(self.warnings),
        }
        if self.lint is not None:
            out["lint"] = self.lint
        return out


@dataclass(frozen=True)
class BatchResult:
    """The outcome of :func:`jobgen.batch.run_batch`: one :class:`RowResult` per finished row,
    in row order (only the failed and changed ones when ``keep_results=False``, with
    :attr:`counts`)."""

    postings: tuple[RowResult, ...]
    total: int
    input: str
    out_dir: Path
    formats: tuple[str, ...]
    name_pattern: str
    manifest: Path | None
    dry_run: bool = False
    interrupted: bool = False
    counts: Mapping[str, int] | None = None
    manifest_error: str | None = None
    """Why the manifest could not be written (the rows' files are on disk all the same)."""

    def count(self, status: str) -> int:
        if self.counts is not None:
            return self.counts.get(status, 0)
        return sum(1 for r in self.postings if r.status == status)

    @property
    def ok(self) -> int:
        return self.count("ok")

    @property
    def failed(self) -> int:
        return self.count("error")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def not_run(self) -> int:
        return self.total - sum(self.count(s) for s in STATUSES)

    @property
    def errors(self) -> tuple[RowResult, ...]:
        """The rows that failed or were left changed, in row order."""
        return tuple(r for r in self.postings if r.status in ("error", "changed"))

    @property
    def exit_code(self) -> int:
        """130 when interrupted; 1 when a row failed or was left changed, or the manifest
        could not be written; else 0 (skipped rows hold what they render: not failures)."""
        if self.interrupted:
            return 130
        return 1 if self.failed or self.changed or self.manifest_error else 0

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.total,
            "ok": self.ok,
            "error": self.failed,
            "changed": self.changed,
            "skipped": self.skipped,
            "not_run": self.not_run,
        }

    def to_manifest(self) -> dict[str, Any]:
        """The manifest as a mapping (``postings`` as this result holds them)."""
        return {**self.manifest_head(), "postings": [r.to_dict() for r in self.postings]}

    def manifest_head(self) -> dict[str, Any]:
        return {
            "jobgen": __version__,
            "input": self.input,
            "formats": list(self.formats),
            "name_pattern": self.name_pattern,
            "interrupted": self.interrupted,
            "summary": self.summary(),
        }


class BatchInterrupted(KeyboardInterrupt):
    """The batch was stopped (its ``cancel`` event set, or a KeyboardInterrupt); ``result``
    holds the rows that finished (already in the manifest). A KeyboardInterrupt, so code that
    does not catch it stops as usual."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__("batch interrupted")
        self.result = result


_ENTRY = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(entry, ensure_ascii=False)`` without making an encoder per manifest entry."""


class Done(NamedTuple):
    """What a chunk of rows reports: small, so handing it between processes costs little."""

    rows: int
    lines: str
    """The rows' manifest entries, one JSON line each (empty without a manifest)."""
    counts: dict[str, int]
    results: list[RowResult]
    """Every row's result when the caller wants them all, else the failed and changed ones."""


def report(results: list[RowResult], *, manifest: bool, every_result: bool) -> Done:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    lines = "".join([_ENTRY(r.to_dict()) + "\n" for r in results]) if manifest else ""
    kept = results if every_result else [r for r in results if r.status in ("error", "changed")]
    return Done(len(results), lines, counts, kept)


class Collector:
    """Takes chunks of results as they finish and hands them on in row order: to
    ``on_result``, to the manifest's spool, to the counts. Only chunks still waiting for an
    earlier one are held, plus every result when ``keep`` (else the failed and changed)."""

    def __init__(
        self,
        on_result: Callable[[RowResult], None] | None,
        spool: IO[str] | None = None,
        keep: bool = True,
    ) -> None:
        self.waiting: dict[int, Done] = {}
        self.next = 0
        self.on_result = on_result
        self.spool = spool
        self.keep = keep
        self.kept: list[RowResult] = []
        self.counts = dict.fromkeys(STATUSES, 0)

    def add(self, index: int, chunk: Done) -> None:
        """The results of the rows from ``index`` on (a chunk of consecutive rows)."""
        self.waiting[index] = chunk
        while self.next in self.waiting:
            ready = self.waiting.pop(self.next)
            if self.on_result is not None:
                for row in ready.results:
                    self.on_result(row)
            if self.spool is not None:
                self.spool.write(ready.lines)
            for status, n in ready.counts.items():
                self.counts[status] = self.counts.get(status, 0) + n
            self.kept.extend(
                r for r in ready.results if self.keep or r.status in ("error", "changed")
            )
            self.next += ready.rows


def new_spool() -> IO[str]:
    return tempfile.TemporaryFile("w+", encoding="utf-8")


def write_manifest(path: Path, result: BatchResult, spool: IO[str]) -> str | None:
    """Write the manifest atomically: the summary, then the spooled entries, one per line
    (JSON all the same, streamed rather than held in memory). Returns None, or what went
    wrong (a full disk, say) and what that leaves on disk."""
    head = json.dumps(result.manifest_head(), indent=2, ensure_ascii=False)
    spool.flush()
    spool.seek(0)

    def pieces() -> Iterator[bytes]:  # in blocks of about 64 KiB: one write each, not per row
        yield (head[:-2] + ',\n  "postings": [').encode("utf-8")
        first = True
        block: list[str] = []
        size = 0
        for line in spool:
            block.append(("\n    " if first else ",\n    ") + line.rstrip("\n"))
            size += len(line)
            first = False
            if size >= 1 << 16:
                yield "".join(block).encode("utf-8")
                block, size = [], 0
        if block:
            yield "".join(block).encode("utf-8")
        yield b"]\n}\n" if first else b"\n  ]\n}\n"

    try:
        check_target(path, force=True)  # a named pipe or a device is never replaced
        write_new(str(path), pieces(), force=True)
    except OutputError as exc:
        return (
            f"{exc.format()}\n  hint: the files of the {result.ok} rows reported ok are in "
            f"{path.parent}, but no {path.name} records them; free some space and run the batch "
            "again (a file that already holds what its row renders is skipped)"
        )
    finally:
        spool.seek(0, os.SEEK_END)  # more entries may follow (an interrupted batch's last rows)
    return None


def check_manifest(path: Path, force: bool, input_identity: tuple[int, int] | None) -> None:
    """Replace a manifest jobgen wrote; refuse the batch's own input, and (without ``force``)
    any other file of that name."""
    try:
        info = path.lstat()
    except OSError:
        return
    if input_identity == (info.st_dev, info.st_ino):
        raise OutputError(
            f"is the batch's input; jobgen writes its {path.name} here",
            source=str(path),
            hint="move the input elsewhere or choose another --out-dir",
        )
    if force:
        return
    ours = False
    if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_INPUT_BYTES:
        try:  # a pipe, a device or something huge is not a manifest we wrote
            data = json.loads(path.read_text(encoding="utf-8"))
            ours = isinstance(data, dict) and "jobgen" in data and "postings" in data
        except (OSError, ValueError):
            pass
    if not ours:
        raise OutputError(
            f"already exists and is not a jobgen manifest; jobgen writes its {path.name} here",
            source=str(path),
            hint="move it away, choose another --out-dir, or add --force",
        )
