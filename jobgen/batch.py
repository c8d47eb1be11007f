"""Many postings at once: read rows (CSV, YAML, JSON Lines), render them on several processes,
write one file per row per format into a folder, and a manifest of what happened.

Library use::

    from jobgen.batch import run_batch

    result = run_batch("postings.csv", out_dir="out", formats=["md"], jobs=4)
    for row in result.postings:
        print(row.row, row.status, [f.path for f in row.files], row.error)

Precedence of options for each row, weakest first: ``employer_file``, the ``defaults`` mapping,
the input's own ``defaults:`` (YAML), ``JOBGEN_*`` variables, ``--set`` assignments, then the row.

A bad row never stops the others: it is recorded with ``status="error"`` and a message naming
the file, the row and the field. Existing files are left alone unless ``force``. A SIGINT stops
handing out rows, lets the running ones finish, writes the manifest of what finished and raises
:class:`BatchInterrupted`.

Memory stays flat as the input grows: the input is read twice, row by row (once to count the
rows, which names and progress need, then to render them; stdin is spooled to a temporary file),
only a bounded number of rows is in flight, workers write their files atomically and return
small :class:`RowResult` records, and the manifest's entries are spooled to a temporary file
until it is written. ``keep_results=False`` (what ``jobgen batch`` uses) keeps only the failed
rows in :attr:`BatchResult.postings` instead of every row. Rows are rendered in chunks, in this
process and, with ``jobs`` above 1, in worker processes; a chunk's files are flushed to disk
together, before its rows are reported.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import hashlib
import io
import itertools
import json
import os
import re
import signal
import stat
import string
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, NamedTuple, cast

from . import __version__
from . import _validate as v
from ._memo import keep
from ._yaml import MAX_INPUT_BYTES, decode_text, parse_yaml, read_text
from .compose import Posting, compose
from .employer import (
    FIELD_BY_KEY,
    OptionLayer,
    env_layer,
    fields_of_columns,
    file_layer,
    flatten,
    merge_layers,
    merge_values,
    options_from_layers,
    options_from_merged,
    set_layer,
    today,
)
from .errors import JobgenError, OutputError, UsageError, ValidationError
from .guide import Guide, load_guide
from .output import (
    check_target,
    fsync_error,
    is_safe_stem,
    safe_stem,
    unique_stems,
    write_new,
)
from .render import EXTENSIONS, check_format, render_document

if TYPE_CHECKING:
    from ._workers import Workers

INPUT_FORMATS = ("csv", "yaml", "jsonl")
INPUT_EXTENSIONS = {
    ".csv": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "yaml",  # a JSON array (or {"defaults", "postings"}) is YAML too
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
MANIFEST_NAME = "manifest.json"
DEFAULT_NAME_PATTERN = "{id}-{employer}-{setting}"
NAME_FIELDS = ("row", "id", "employer", "setting", "education", "title")
"""Fields a ``--name`` pattern may use."""
MAX_NAME_FIELD = 40
"""Each field is cut to this many characters before the pattern is filled, so one long employer
name cannot push the setting out of an 80-character name."""
MAX_CHUNK = 16
"""Rows rendered in this process between reports (half as many between hand-overs to workers):
few enough that progress moves and an interrupt finishes quickly."""
MAX_CHUNK_MD = 64
"""The same for a Markdown-only batch, whose rows take a fraction of a millisecond: 64 rows
still finish in ten milliseconds."""
WORKER_CHUNK = 32
WORKER_CHUNK_MD = 256
"""Rows handed to a worker process at once (fewer towards the end of a batch): more than a
chunk rendered here, since each hand-over costs this process work of its own."""
MAX_STREAM_BYTES = 200 * 1024 * 1024
"""Largest CSV or JSON Lines input read (they are streamed; YAML is capped at 10 MB)."""
MAX_LINE_BYTES = 1024 * 1024
"""Longest line of a CSV or JSON Lines input: a row is far shorter (each field holds at most
5,000 characters), and a file with no line breaks (``/dev/zero``) stops here."""
START_METHOD: str | None = None
"""How worker processes start. None: forked by jobgen itself where that is safe (POSIX but not
macOS, and no other thread running: see :mod:`jobgen._workers`), else multiprocessing's default
for the platform. ``"fork"`` always forks; any other method (``"spawn"``, ``"forkserver"``) runs
a process pool with it: everything a worker needs is picklable."""

# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """One input record: its 1-based data row number, where it came from, and its values.

    ``values`` is a plain mapping of employer fields (nested or dotted). ``error`` is set when
    the record could not even be read (bad JSON, more cells than the header); such a row becomes
    an ``error`` in the manifest and the batch goes on.
    """

    number: int
    source: str
    values: Mapping[str, Any]
    error: str | None = None


@dataclass(frozen=True)
class BatchInput:
    """An opened batch input: its display name, defaults given inside it (YAML), and its rows.

    ``reopen`` reads the rows again from the start (a file is opened again; stdin was spooled
    to a temporary file); :func:`run_batch` counts the rows first, then renders them.
    """

    name: str
    format: str
    defaults: OptionLayer | None
    rows: Iterator[Row]
    reopen: Callable[[], Iterator[Row]] | None = None
    count: Callable[[], int] | None = None
    """Counts the rows with a pass of its own that does not make them (CSV and JSON Lines),
    raising what reading them would raise; :func:`run_batch` then renders :attr:`rows`."""


def _csv_columns(header: Sequence[str], name: str) -> list[str | None]:
    """Header cells → field keys (``None`` for a blank header, whose cells must stay blank)."""
    return fields_of_columns(header, f"{name} line 1")


def _delimiter(header_line: str) -> str:
    """Comma, semicolon (Excel in many locales) or tab: whichever the header line uses most."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(stream: IO[str], name: str, *, count_only: bool = False) -> Iterator[Row]:
    """Rows of a CSV whose header row holds dotted employer fields; read lazily.

    Empty cells leave a field unset; list fields take entries separated by ``;``. Fully blank
    rows are ignored. An unknown or repeated header raises :class:`ValidationError` before any
    row is produced. ``count_only`` yields one stand-in whose ``number`` is the count of rows
    (none for no rows).
    """
    first = stream.readline()
    if not first.strip():
        return
    reader = csv.reader(itertools.chain([first], stream), delimiter=_delimiter(first))
    try:
        header = next(reader)
        columns = _csv_columns(header, name)
        width = len(columns)
        named = [key for key in columns if key is not None]  # every column has a field: the
        simple = len(named) == width  # usual file, whose rows take the short way below
        number = 0
        if count_only:  # a tight loop: one stand-in for all the rows, with their count
            for cells in reader:
                joined = "".join(cells)
                if joined and not joined.isspace():
                    number += 1
            if number:
                yield cast("Row", _Counted(number))
            return
        end = reader.line_num
        for cells in reader:
            start, end = end + 1, reader.line_num
            joined = "".join(cells)
            if not joined or joined.isspace():  # a blank row: every cell empty or spaces
                continue
            number += 1
            label = f"{name} row {number} (line {start})"
            if simple and len(cells) <= width:
                # what the loop below makes of such a row, without its per-cell checks
                values = dict(zip(named, cells, strict=False))  # a short row: the rest unset
                if "" in cells or any(map(str.isspace, cells)):  # blank cells leave fields unset
                    values = {key: cell for key, cell in values.items() if not _blank(cell)}
                if "\r" in joined:
                    values = {key: cell.replace("\r\n", "\n") for key, cell in values.items()}
                yield Row(number, label, values)
                continue
            values = {}
            error = None
            for i, cell in enumerate(cells):
                if not cell.strip():
                    continue
                if i >= len(columns):
                    error = (
                        f"{label}: has {len(cells)} cells but the header has {len(columns)} "
                        "columns; a value with a comma in it needs double quotes"
                    )
                    continue
                key = columns[i]
                if key is None:
                    error = f"{label}: column {i + 1} has a value but no header"
                    continue
                values[key] = cell.replace("\r\n", "\n")
            yield Row(number, label, values, error)
    except csv.Error as exc:
        raise ValidationError(
            f"is not valid CSV: {exc}", source=f"{name} line {reader.line_num}"
        ) from None


def _blank(cell: str) -> bool:
    return not cell or cell.isspace()


def _plain(value: Any) -> Any:
    """YAML's line-aware mappings → plain dicts, so messages name the row, not a line per key."""
    if isinstance(value, Mapping):
        return {str(k): _plain(x) for k, x in value.items()}
    if isinstance(value, list):
        return [_plain(x) for x in value]
    return value


def read_yaml(text: str, name: str) -> tuple[OptionLayer | None, Iterator[Row]]:
    """A YAML (or JSON) list of employer mappings, or ``{defaults: {...}, postings: [...]}``."""
    data = parse_yaml(text, name, literal=True)
    defaults: OptionLayer | None = None
    if data is None:
        postings: list[Any] = []
    elif isinstance(data, list):
        postings = data
    elif isinstance(data, Mapping):
        if "postings" not in data:
            raise ValidationError(
                "a batch file is a list of postings, or a mapping with 'defaults:' and "
                "'postings:'; this one is a single mapping (for one posting use "
                "`jobgen render --employer FILE`)",
                source=name,
            )
        v.check_keys(data, ("defaults", "postings"), source=name)
        raw_defaults = data.get("defaults")
        if raw_defaults is not None and not isinstance(raw_defaults, Mapping):
            raise ValidationError(
                "'defaults' must be a mapping of employer fields",
                source=v.where(name, data, "defaults"),
            )
        if raw_defaults:
            defaults = OptionLayer(name, raw_defaults)
        raw_postings = data.get("postings")
        if raw_postings is not None and not isinstance(raw_postings, list):
            raise ValidationError(
                "'postings' must be a list of employer mappings",
                source=v.where(name, data, "postings"),
            )
        postings = raw_postings or []
    else:
        raise ValidationError(
            "a batch file is a list of postings, or a mapping with 'defaults:' and 'postings:'",
            source=name,
        )

    def rows() -> Iterator[Row]:  # called again for a second pass over the same postings
        for number, item in enumerate(postings, 1):
            lines = getattr(item, "lines", None)
            at = f" (line {min(lines.values())})" if isinstance(lines, dict) and lines else ""
            label = f"{name} row {number}{at}"
            if isinstance(item, Mapping):
                yield Row(number, label, _plain(item))
            else:
                kind = "a list" if isinstance(item, list) else f"the value {item!r}"
                yield Row(number, label, {}, f"{label}: is {kind}; each posting is a mapping")

    return defaults, _Rows(rows)


class _Rows(Iterator[Row]):
    """An iterator of rows that can start again (:meth:`again`)."""

    def __init__(self, start: Callable[[], Iterator[Row]]) -> None:
        self.again = start
        self._rows = start()

    def __next__(self) -> Row:
        return next(self._rows)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}; each key may appear once")
        out[key] = value
    return out


class _Counted(NamedTuple):
    """What ``count_only`` yields instead of a :class:`Row`: a row's number (CSV: only the
    last row's, which is the count), all a count needs."""

    number: int


def read_jsonl(stream: IO[str], name: str, *, count_only: bool = False) -> Iterator[Row]:
    """One JSON object of employer fields per line; blank lines are ignored; read lazily."""
    number = 0
    for line_no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        number += 1
        if count_only:
            yield cast("Row", _Counted(number))
            continue
        label = f"{name} row {number} (line {line_no})"
        try:
            value = json.loads(line, parse_float=Decimal, object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            yield Row(
                number, label, {}, f"{label}: is not valid JSON: {exc.msg} (column {exc.colno})"
            )
            continue
        except ValueError as exc:
            yield Row(number, label, {}, f"{label}: {exc}")
            continue
        if not isinstance(value, dict):
            yield Row(
                number, label, {}, f'{label}: must be a JSON object such as {{"setting": "..."}}'
            )
            continue
        yield Row(number, label, value)


def _count(stand_ins: Iterator[Row]) -> int:
    """The number of rows a ``count_only`` pass found: its last stand-in's number."""
    last = 0
    for row in stand_ins:
        last = row.number
    return last


def _decoded(rows: Iterator[Row], name: str, raw: IO[bytes] | None) -> Iterator[Row]:
    """Turn a decoding failure in the middle of a streamed file into a clear error, naming the
    line of the first bad byte (found by reading ``raw`` again from its start)."""
    last = 0
    try:
        for row in rows:
            last = row.number
            yield row
    except UnicodeDecodeError as exc:
        found = _first_bad_byte(raw) if raw is not None else None
        if found is not None:
            line, byte = found
            where = f"byte 0x{byte:02x} on line {line}"
        else:  # the decoder reads ahead in blocks: the bad byte is somewhere after this row
            where = f"byte 0x{exc.object[exc.start]:02x} after row {last}"
        raise ValidationError(
            f"is not UTF-8 text ({where})",
            source=name,
            hint="save the file as UTF-8 (in Excel: 'CSV UTF-8')",
        ) from None


def _first_bad_byte(raw: IO[bytes]) -> tuple[int, int] | None:
    """The line and value of the first byte of ``raw`` that is not UTF-8, read again from its
    start a line (or 64 KiB of one) at a time; None if it cannot be read again."""
    try:
        if not raw.seekable():
            return None
        raw.seek(0)
        line, carry, seen = 1, b"", 0
        while seen <= MAX_STREAM_BYTES:
            piece = raw.readline(1 << 16)
            if not piece:
                return (line, carry[0]) if carry else None  # cut short inside a character
            seen += len(piece)
            data = carry + piece
            carry = b""
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.reason != "unexpected end of data" or piece.endswith(b"\n"):
                    return line, data[exc.start]
                carry = data[exc.start :]  # a character cut at 64 KiB: complete it first
            if piece.endswith(b"\n"):
                line += 1
    except (OSError, ValueError):  # closed, or not readable again
        return None
    return None


def input_format_for(name: str) -> str | None:
    return INPUT_EXTENSIONS.get(Path(name).suffix.lower())


class _Capped(io.RawIOBase):
    """A binary stream that stops with a clear error past :data:`MAX_STREAM_BYTES` in all, or
    :data:`MAX_LINE_BYTES` without a line break."""

    def __init__(self, stream: BinaryIO, name: str, *, close_stream: bool) -> None:
        super().__init__()
        self._stream = stream
        self._close_stream = close_stream
        self._name = name
        self._total = 0
        self._line = 0  # bytes since the last line break
        self._lines = 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = getattr(self._stream, "read1", self._stream.read)(len(view))
        except OSError as exc:
            raise ValidationError(
                f"cannot read the batch input: {exc.strerror or exc}", source=self._name
            ) from None
        n = len(data)
        view[:n] = data
        self._total += n
        if self._total > MAX_STREAM_BYTES:
            raise ValidationError(
                f"is larger than {MAX_STREAM_BYTES:,} bytes, the most jobgen reads as one batch; "
                "split it into several files",
                source=self._name,
            )
        breaks = data.count(b"\n")
        self._line = n - data.rfind(b"\n") - 1 if breaks else self._line + n
        self._lines += breaks
        if self._line > MAX_LINE_BYTES:
            raise ValidationError(
                f"line {self._lines} is longer than {MAX_LINE_BYTES:,} bytes; a row is far "
                "shorter (is this really a CSV or JSON Lines file?)",
                source=self._name,
            )
        return n

    def close(self) -> None:
        if self._close_stream:  # stdin stays open for the caller
            self._stream.close()
        super().close()


def _stream_rows(
    stream: IO[bytes] | IO[str], fmt: str, name: str, *, close: bool, count_only: bool = False
) -> Iterator[Row]:
    """Rows of a CSV or JSON Lines stream, decoded lazily (UTF-8, a BOM allowed)."""
    wrapper = None
    if isinstance(stream, io.TextIOBase):
        text = cast("IO[str]", stream)
    else:
        binary = cast("BinaryIO", stream)
        wrapper = io.TextIOWrapper(
            io.BufferedReader(_Capped(binary, name, close_stream=close)),
            encoding="utf-8-sig",
            newline="" if fmt == "csv" else None,
        )
        text = wrapper
    try:
        read = read_csv if fmt == "csv" else read_jsonl
        raw = None if wrapper is None else cast("IO[bytes]", stream)
        yield from _decoded(read(text, name, count_only=count_only), name, raw)
    finally:
        if close:
            text.close()
        elif wrapper is not None:
            wrapper.detach()  # leave the caller's stream (stdin) open


def open_input(
    source: str | Path | BinaryIO | Iterable[Mapping[str, Any]],
    *,
    input_format: str | None = None,
    name: str | None = None,
) -> BatchInput:
    """Open a batch input: a path, a binary stream (stdin), or an iterable of mappings.

    The format follows the file's extension (``.csv``, ``.yaml``/``.yml``/``.json``,
    ``.jsonl``/``.ndjson``) unless ``input_format`` says; a stream needs ``input_format``.
    """
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(
            f"unknown input format {input_format!r}; choose one of {', '.join(INPUT_FORMATS)}",
            source="--input-format",
        )
    if isinstance(source, str | Path):
        path = Path(source)
        label = name or str(source)
        fmt = input_format or input_format_for(str(path))
        if fmt is None:
            raise UsageError(
                f"cannot tell the format of {str(path)!r} from its extension; use "
                f"--input-format {'|'.join(INPUT_FORMATS)} (or name it .csv, .yaml or .jsonl)",
                source="--input-format",
            )
        if fmt == "yaml":
            defaults, rows = read_yaml(read_text(path, what="batch file"), label)
            return BatchInput(label, fmt, defaults, rows, _again(rows))

        stream_format: str = fmt

        def reopen(count_only: bool = False) -> Iterator[Row]:
            try:
                if path.is_dir():
                    raise ValidationError("is a folder, not a batch file", source=label)
                binary = path.open("rb")
            except FileNotFoundError:
                raise ValidationError("no such batch file", source=label) from None
            except PermissionError:
                raise ValidationError(
                    "cannot read this file: permission denied", source=label
                ) from None
            except OSError as exc:
                raise ValidationError(
                    f"cannot read this batch file: {exc.strerror or exc}", source=label
                ) from None
            return _stream_rows(binary, stream_format, label, close=True, count_only=count_only)

        def count() -> int:
            return _count(reopen(count_only=True))

        return BatchInput(label, fmt, None, reopen(), reopen, count)
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        label = name or "stdin"
        if input_format is None:
            raise UsageError(
                f"reading {label}: say which format it is with --input-format "
                f"{'|'.join(INPUT_FORMATS)}",
                source="--input-format",
            )
        stream = cast("IO[bytes] | IO[str]", source)
        if input_format == "yaml":  # YAML is parsed whole: bound it as read_text does files
            data = stream.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                raise ValidationError(
                    f"is larger than {MAX_INPUT_BYTES:,} bytes, the most jobgen reads as YAML; "
                    "use CSV or JSON Lines, which are read row by row",
                    source=label,
                )
            text = data if isinstance(data, str) else decode_text(data, label, what="batch input")
            defaults, rows = read_yaml(text, label)
            return BatchInput(label, input_format, defaults, rows, _again(rows))
        spool = _spool(stream, label)  # read once, row by row, for each of the two passes
        fmt = input_format

        def from_spool() -> Iterator[Row]:
            spool.seek(0)
            return _stream_rows(spool, fmt, label, close=False)

        def count() -> int:
            spool.seek(0)
            try:
                return _count(_stream_rows(spool, fmt, label, close=False, count_only=True))
            finally:
                spool.seek(0)  # for the rows, which start reading when first asked

        return BatchInput(label, input_format, None, from_spool(), from_spool, count)
    label = name or "rows"
    items: Sequence[Any] = source if isinstance(source, Sequence) else list(source)

    def mapping_rows() -> Iterator[Row]:
        for number, item in enumerate(items, 1):
            where = f"{label} row {number}"
            if isinstance(item, Mapping):
                yield Row(number, where, item)
            else:
                yield Row(number, where, {}, f"{where}: is not a mapping of employer fields")

    return BatchInput(label, "python", None, mapping_rows(), mapping_rows)


def _again(rows: Iterator[Row]) -> Callable[[], Iterator[Row]] | None:
    return rows.again if isinstance(rows, _Rows) else None


SPOOL_IN_MEMORY = 1 << 20
"""Bytes of stdin kept in memory before the spool moves to a temporary file."""


def _spool(stream: IO[bytes] | IO[str], name: str) -> IO[bytes]:
    """Copy a stream (stdin) to a spool that can be read twice; large input goes to disk. The
    input's limits (:data:`MAX_STREAM_BYTES`, :data:`MAX_LINE_BYTES`) apply as it is copied."""
    spool = cast("IO[bytes]", tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY))  # noqa: SIM115
    if isinstance(stream, io.TextIOBase):  # text from Python code, not a file or a pipe
        while text := stream.read(1 << 16):
            spool.write(text.encode("utf-8"))
    else:
        capped = _Capped(cast("BinaryIO", stream), name, close_stream=False)
        while block := capped.read(1 << 16):
            spool.write(block)
    spool.seek(0)
    return spool


# --------------------------------------------------------------------------- names


def check_name_pattern(pattern: str) -> str:
    """Refuse patterns with unknown fields, format specs or unbalanced braces (exit 2)."""
    fields = ", ".join("{" + f + "}" for f in NAME_FIELDS)
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise UsageError(
            f"--name {pattern!r}: {exc}; write fields as {{employer}}, and a literal brace as "
            f"{{{{ or }}}}. Fields: {fields}",
            source="--name",
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in NAME_FIELDS:
            raise UsageError(
                f"--name {pattern!r}: unknown field {{{name}}}.{v.did_you_mean(name, NAME_FIELDS)}"
                f" Fields: {fields}",
                source="--name",
            )
        if spec or conversion:
            raise UsageError(
                f"--name {pattern!r}: write {{{name}}} plainly, without ':' or '!'",
                source="--name",
            )
    return pattern


def _lookup(values: Mapping[str, Any], key: str) -> Any:
    if key in values:
        return values[key]
    group, _, sub = key.partition(".")
    nested = values.get(group) if sub else None
    return nested.get(sub) if isinstance(nested, Mapping) else None


def _raw_text(layers: Sequence[Mapping[str, Any]], key: str) -> str:
    """The value the row will use for ``key`` (last layer wins), as text; no validation."""
    for values in reversed(layers):
        value = _lookup(values, key)
        if isinstance(value, str | int | Decimal) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
    return ""


_NAME_SOURCES = {
    "id": "requisition_id",
    "employer": "employer.name",
    "title": "title",
    "setting": "setting",
    "education": "education",
}
"""The employer field each name field comes from (``row`` is the row's number)."""


class _Namer:
    """The values a name pattern uses, row after row, with the defaults looked up once (a
    row's own value wins over them, as in :func:`_raw_text`)."""

    def __init__(
        self,
        guide: Guide,
        width: int,
        defaults: Sequence[Mapping[str, Any]],
        only: Collection[str] | None = None,
    ) -> None:
        self.guide = guide
        self.width = width
        self.used = [k for k in NAME_FIELDS if only is None or k in only]
        self.base = {k: _raw_text(defaults, _NAME_SOURCES[k]) for k in self.used if k != "row"}

    def fields(self, number: int, values: Mapping[str, Any]) -> dict[str, str]:
        row = str(number).zfill(self.width)
        out: dict[str, str] = {}
        for key in self.used:
            if key == "row":
                out[key] = row
                continue
            source = _NAME_SOURCES[key]
            text = values.get(source)  # a CSV row's text; anything else: _raw_text decides
            text = (text.strip() if type(text) is str else _raw_text((values,), source)) or (
                self.base[key]
            )
            if key == "id":
                text = text or row
            elif key == "title":
                text = text or self.guide.occupation
            elif key != "employer" and text:
                try:
                    setting = key == "setting"
                    resolve = (
                        self.guide.resolve_setting if setting else self.guide.resolve_education
                    )
                    text = resolve(text).slug
                except JobgenError:
                    pass  # named after the text as written; the row itself will fail
            out[key] = text
        return out


def name_fields(
    guide: Guide,
    number: int,
    width: int,
    layers: Sequence[Mapping[str, Any]],
    only: Collection[str] | None = None,
) -> dict[str, str]:
    """The values a name pattern can use for one row (before slugging), the last of ``layers``
    winning; with ``only``, just those fields (the ones a pattern uses)."""
    return _Namer(guide, width, layers[:-1], only).fields(number, layers[-1] if layers else {})


def _pattern_fields(pattern: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(pattern) if name)


def format_name(pattern: str, fields: Mapping[str, str]) -> str:
    """Fill a name pattern and make it a safe file stem (see :func:`jobgen.output.safe_stem`)."""
    slugs = {k: safe_stem(val, fallback="", limit=MAX_NAME_FIELD) for k, val in fields.items()}
    return safe_stem(pattern.format_map(slugs))


def assign_names(
    guide: Guide,
    rows: Sequence[Row],
    *,
    pattern: str = DEFAULT_NAME_PATTERN,
    defaults: Sequence[Mapping[str, Any]] = (),
) -> list[str]:
    """A unique file stem per row, in row order; every row reserves one, even a bad one, so
    fixing a row never renames another's files."""
    named = _named_rows(guide, rows, len(rows), pattern=pattern, defaults=defaults)
    return [name for _row, name in named]


def _named_rows(
    guide: Guide,
    rows: Iterable[Row],
    total: int,
    *,
    pattern: str,
    defaults: Sequence[Mapping[str, Any]],
) -> Iterator[tuple[Row, str]]:
    """Each row with its name, one row at a time (``total`` sets the width of ``{row}``); only
    the names given so far are kept, to keep the next ones unique. The names are
    :func:`name_fields` filled into :func:`format_name`, with each field's slug made once per
    distinct text."""
    namer = _Namer(guide, len(str(total)), defaults, _pattern_fields(pattern))
    current: list[Row] = []
    slugs: dict[str, str] = {}  # a field's slug (format_name's first step), by its text

    def slug(text: str) -> str:
        made = slugs.get(text)
        if made is None:  # bounded: unique values (ids) would fill it
            made = keep(slugs, text, safe_stem(text, fallback="", limit=MAX_NAME_FIELD), 4096)
        return made

    def stems() -> Iterator[str]:
        for row in rows:
            current.append(row)
            fields = namer.fields(row.number, row.values)
            yield safe_stem(pattern.format_map({k: slug(text) for k, text in fields.items()}))

    for name in unique_stems(stems(), taken=[Path(MANIFEST_NAME).stem]):
        yield current.pop(), name


def extension_for(fmt: str) -> str:
    """``md`` → ``.md``: the first extension registered for the format, else ``.<fmt>``."""
    return next((ext for ext, f in EXTENSIONS.items() if f == fmt), f".{fmt}")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FileRecord:
    """One output file of a row; ``path`` is relative to the output folder."""

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
    """What happened to one input row (one manifest entry)."""

    row: int
    source: str
    name: str
    status: str  # ok | error | skipped
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
    """The outcome of :func:`run_batch`: one :class:`RowResult` per finished row, in row order."""

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
    """Rows per status when :attr:`postings` holds only the failed ones (keep_results=False)."""

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
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def not_run(self) -> int:
        return self.total - self.ok - self.failed - self.skipped

    @property
    def errors(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.postings if r.status == "error")

    @property
    def exit_code(self) -> int:
        """130 when interrupted, 1 when any row failed, else 0 (skipped rows are not failures)."""
        if self.interrupted:
            return 130
        return 1 if self.failed else 0

    def to_manifest(self) -> dict[str, Any]:
        """The manifest as a mapping (``postings`` as this result holds them)."""
        return {**self._manifest_head(), "postings": [r.to_dict() for r in self.postings]}

    def _manifest_head(self) -> dict[str, Any]:
        return {
            "jobgen": __version__,
            "input": self.input,
            "formats": list(self.formats),
            "name_pattern": self.name_pattern,
            "interrupted": self.interrupted,
            "summary": {
                "rows": self.total,
                "ok": self.ok,
                "error": self.failed,
                "skipped": self.skipped,
                "not_run": self.not_run,
            },
        }


class BatchInterrupted(KeyboardInterrupt):
    """SIGINT stopped the batch; ``result`` holds the rows that finished (already in the
    manifest). A KeyboardInterrupt, so code that does not catch it stops as usual."""

    def __init__(self, result: BatchResult) -> None:
        super().__init__("batch interrupted")
        self.result = result


# --------------------------------------------------------------------------- one row


class _Task(NamedTuple):
    """One row to render: its place in the batch (0-based), the row, its file name stem."""

    position: int
    row: Row
    name: str


@dataclass(frozen=True)
class _Context:
    """Everything a worker needs; pickled once per worker process."""

    guide: Guide
    defaults: tuple[OptionLayer, ...]
    formats: tuple[str, ...]
    out_dir: Path  # resolved
    force: bool
    dry_run: bool
    default_date: dt.date
    template: Path | None
    reference_docx: Path | None
    lint: bool = False
    merged: Mapping[str, Any] | None = None
    """``defaults`` merged once (:func:`jobgen.employer.merge_layers`); each row goes onto it."""
    existing: frozenset[str] | None = None
    """Names in the output folder before the batch began (None: look at each target): a name
    not among them needs no look on disk (one made meanwhile still stops the write: see
    :func:`jobgen.output.write_new`)."""
    manifest: bool = True
    """Rows report their manifest entries (as JSON lines), to be spooled by the parent."""
    every_result: bool = True
    """Rows report every :class:`RowResult` (else only the failed rows', and counts)."""

    @property
    def folder(self) -> str:
        return str(self.out_dir)


_WORD = re.compile(r"[a-z_]+(?:\.[a-z_]+)?")


def _field_of(message: str) -> str | None:
    """The dotted field an error message is about: the one it starts with (``salary.min: ...``),
    the unknown one it names, or else the first field it mentions."""
    if message.startswith("unknown field '"):
        return message[len("unknown field '") :].split("'", 1)[0]
    return next((w for w in _WORD.findall(message) if w in FIELD_BY_KEY), None)


def _row_error(task: _Task, exc: JobgenError, files: Sequence[FileRecord] = ()) -> RowResult:
    text = exc.format()
    if not text.startswith(task.row.source):
        text = f"{task.row.source}: {text}"
    return _failed(task, text, files, _field_of(exc.message))


def _failed(
    task: _Task, message: str, files: Sequence[FileRecord] = (), field: str | None = None
) -> RowResult:
    row = task.row
    return RowResult(row.number, row.source, task.name, "error", tuple(files), message, field)


def _existing(fmt: str, path: Path, rel: str) -> FileRecord:
    """The record of a file left in place; hashed only if it is a regular file (not whatever
    a symlink points at, which could be outside the folder or endless)."""
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 16), b""):
                    digest.update(block)
            return FileRecord(fmt, rel, digest.hexdigest(), info.st_size, written=False)
    except OSError:
        pass
    return FileRecord(fmt, rel, None, None, written=False)


_EXTENSION: dict[str, str] = {}


def _target(ctx: _Context, name: str, fmt: str) -> tuple[str, str]:
    if not is_safe_stem(name):  # names come from safe_stem; this guards against a future bug
        raise OutputError(f"unsafe file name {name!r}", source=str(ctx.out_dir))
    ext = _EXTENSION.get(fmt)
    if ext is None:
        ext = _EXTENSION[fmt] = extension_for(fmt)
    filename = name + ext
    if os.sep in filename or (os.altsep and os.altsep in filename):
        raise OutputError(f"{filename!r} would fall outside the output folder", source=filename)
    return os.path.join(ctx.folder, filename), filename  # noqa: PTH118 - a string per file


def _choice_missing(ctx: _Context, merged: Mapping[str, Any], source: str) -> None:
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


def process_row(ctx: _Context, task: _Task, to_sync: list[str] | None = None) -> RowResult:
    """Validate, compose, render and write one row; never raises for a bad row.

    Every format is rendered before any file is written, so a row that fails (say, JSON-LD
    needs a country) writes nothing; if a write itself fails, the files this row had created
    are removed again. With ``to_sync``, files are not flushed to disk one by one: their paths
    are added to it, for the caller to flush (:func:`_sync`) before it reports the row.
    """
    row = task.row
    if row.error is not None:
        return _failed(task, row.error)
    created: list[str] = []  # paths as strings: a batch makes thousands
    notes: list[str] = []
    force = ctx.force
    dry_run = ctx.dry_run
    try:
        base = ctx.merged if ctx.merged is not None else merge_layers(ctx.defaults)
        merged = merge_values(base, row.values, row.source)
        if "setting" not in merged or "education" not in merged:
            _choice_missing(ctx, merged, row.source)
        options = options_from_merged(ctx.guide, merged, default_date=ctx.default_date)
        posting = compose(ctx.guide, options)
        plan: list[tuple[str, str, str, bytes | None]] = []
        markdown: list[str] = []  # the template's output, rendered once for every format
        existing = ctx.existing
        for fmt in ctx.formats:
            path, rel = _target(ctx, task.name, fmt)
            keep = not force and (existing is None or rel in existing) and os.path.lexists(path)
            # an existing file stays and needs no rendering, but a dry run renders to validate
            data = None if keep and not dry_run else _render(ctx, posting, fmt, notes, markdown)
            plan.append((fmt, path, rel, None if keep else data))  # None: leave the file as is
        report = None
        if ctx.lint:
            from .lint import lint_posting

            report = lint_posting(
                posting, markdown=markdown[0] if markdown else None, template=ctx.template
            )
        # skipped: at least one of the row's files already existed and was left as it was
        skipped = False
        files: list[FileRecord] = []
        for fmt, path, rel, data in plan:
            if data is not None and not dry_run:
                try:  # the folder was checked once, and the file's absence above
                    write_new(path, data, force=force, sync=to_sync is None)
                except OutputError:
                    if force or not os.path.lexists(path):
                        raise
                    data = None  # someone else created it meanwhile: leave it
                else:
                    if not force:
                        created.append(path)
                    if to_sync is not None:
                        to_sync.append(path)
            if data is None:
                skipped = True
                files.append(_existing(fmt, Path(path), rel))
            else:
                digest = hashlib.sha256(data).hexdigest()
                files.append(FileRecord(fmt, rel, digest, len(data), not dry_run))
    except JobgenError as exc:
        _remove(created)
        return _row_error(task, exc)
    except Exception as exc:  # a bug must not stop the other rows; say it is one
        _remove(created)
        bug = f"internal error (a bug in jobgen): {type(exc).__name__}: {exc}"
        return _failed(task, f"{row.source}: {bug}")
    return RowResult(
        row.number,
        row.source,
        task.name,
        "skipped" if skipped else "ok",
        tuple(files),
        warnings=tuple(notes),
        lint=report,
    )


def _render(
    ctx: _Context, posting: Posting, fmt: str, notes: list[str], markdown: list[str]
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


def _remove(paths: Iterable[str]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _sync(ctx: _Context, done: list[tuple[_Task, RowResult, list[str]]]) -> list[RowResult]:
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
                if not ctx.force:
                    _remove(paths)
                result = _row_error(task, fsync_error(exc, path))
                break
        results.append(result)
    return results


# --------------------------------------------------------------------------- workers

_WORKER: _Context | None = None


def _warm(ctx: _Context) -> None:
    """Load what every row uses once, before the first row: the template, the DOCX reference;
    then move the long-lived objects out of the garbage collector's way (``gc.freeze``), so
    collections scan only each row's own garbage (the caller unfreezes, if it lives on)."""
    from .render.markdown import prepare_template

    with contextlib.suppress(JobgenError):  # the parent already reported template errors
        prepare_template(ctx.template)
    if "docx" in ctx.formats:
        from .render.docx import _reference

        with contextlib.suppress(JobgenError):  # reported for the first row that needs it
            _reference(ctx.reference_docx)
    # no gc.collect() first: a full collection of everything imported costs ~7 ms, and at this
    # point it finds nothing to free (measured: 0 unreachable objects after start-up)
    gc.freeze()


def _init_worker(ctx: _Context) -> None:
    """Runs once per worker process: the parent owns SIGINT; load what every row needs."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = ctx
    _warm(ctx)


class _Done(NamedTuple):
    """What a chunk of rows reports to the parent: small, so handing it over costs little."""

    rows: int
    lines: str
    """The rows' manifest entries, one JSON line each (empty without a manifest)."""
    counts: dict[str, int]
    results: list[RowResult]
    """Every row's result when the caller wants them all (``every_result``), else the failed."""


def _report(ctx: _Context, results: Sequence[RowResult]) -> _Done:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    lines = "".join([_ENTRY(r.to_dict()) + "\n" for r in results]) if ctx.manifest else ""
    kept = list(results) if ctx.every_result else [r for r in results if r.status == "error"]
    return _Done(len(results), lines, counts, kept)


def _run_tasks(ctx: _Context, tasks: Sequence[_Task], stop: _Stop | None = None) -> _Done:
    """Render a chunk of rows, flush their files to disk together (:func:`_sync`), and report
    them; with ``stop``, rows after a Ctrl-C are left for the manifest's ``not_run``.

    Stopped midway (a second Ctrl-C), the chunk is never reported: the files its rows wrote are
    removed again (not with ``force``, where they may have replaced older ones).
    """
    done: list[tuple[_Task, RowResult, list[str]]] = []
    written: list[str] = []
    try:
        for task in tasks:
            if stop is not None and stop.requested:
                break
            written = []
            done.append((task, process_row(ctx, task, written), written))
        return _report(ctx, _sync(ctx, done))
    except BaseException:
        if not ctx.force and not ctx.dry_run:
            _remove([path for _, _, paths in done for path in paths] + written)
        raise


_Wire = tuple[int, int, str, Mapping[str, Any], "str | None", str]
"""A task as it travels to a worker: plain tuples pickle in half the time of dataclasses."""


def _to_wire(tasks: Sequence[_Task]) -> list[_Wire]:
    return [
        (t.position, t.row.number, t.row.source, t.row.values, t.row.error, t.name) for t in tasks
    ]


def _run_chunk(wire: Sequence[_Wire]) -> _Done:
    """A worker's task: a chunk of rows, reported once their files are on disk."""
    ctx = _WORKER
    assert ctx is not None, "worker not initialised"
    tasks = [
        _Task(at, Row(number, source, values, error), name)
        for at, number, source, values, error, name in wire
    ]
    return _run_tasks(ctx, tasks)


class _Stop:
    """Set by the first SIGINT; a second SIGINT raises KeyboardInterrupt at once."""

    def __init__(self) -> None:
        self.requested = False

    def handler(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True


@contextlib.contextmanager
def _sigint_to(stop: _Stop) -> Iterator[None]:
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # nohup, `&` in a script
    ):
        yield
        return
    previous = signal.signal(signal.SIGINT, stop.handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


_ENTRY = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(entry, ensure_ascii=False)`` without making an encoder per manifest entry."""


class _Collector:
    """Takes chunks of results as they finish and hands them on in row order: to
    ``on_result``, to the manifest's spool, to the counts. Only chunks still waiting for an
    earlier one are held, plus every result when ``keep`` (else only the failed ones)."""

    def __init__(
        self,
        total: int,
        on_result: Callable[[RowResult], None] | None,
        progress: Callable[[int, int], None] | None,
        spool: IO[str] | None = None,
        keep: bool = True,
    ) -> None:
        self.total = total
        self.waiting: dict[int, _Done] = {}
        self.next = 0
        self.done = 0
        self.on_result = on_result
        self.progress = progress
        self.spool = spool
        self.keep = keep
        self.kept: list[RowResult] = []
        self.counts = {"ok": 0, "error": 0, "skipped": 0}

    def add(self, index: int, chunk: _Done) -> None:
        """The results of the rows from ``index`` on (a chunk of consecutive rows)."""
        self.waiting[index] = chunk
        self.done += chunk.rows
        while self.next in self.waiting:
            ready = self.waiting.pop(self.next)
            if self.on_result is not None:
                for row in ready.results:
                    self.on_result(row)
            if self.spool is not None:
                self.spool.write(ready.lines)
            for status, n in ready.counts.items():
                self.counts[status] = self.counts.get(status, 0) + n
            if self.keep:
                self.kept.extend(ready.results)
            else:
                self.kept.extend(r for r in ready.results if r.status == "error")
            self.next += ready.rows
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finished(self) -> tuple[RowResult, ...]:
        return tuple(self.kept)


def _run_in_process(
    ctx: _Context, chunks: Iterable[Sequence[_Task]], out: _Collector, stop: _Stop
) -> None:
    """Render the rows here, a chunk at a time, as a worker does: each chunk's files are
    flushed to disk together before its rows are reported."""
    _warm(ctx)
    try:
        for chunk in chunks:
            if stop.requested:
                return
            out.add(chunk[0].position, _run_tasks(ctx, chunk, stop))
    finally:
        gc.unfreeze()  # this process goes on after the batch (a library caller's, say)


class _Dealer:
    """Deals consecutive tasks out in chunks of whatever size is asked for."""

    def __init__(self, tasks: Iterable[_Task], total: int) -> None:
        self._tasks = iter(tasks)
        self.total = total
        self.dealt = 0

    def take(self, size: int) -> list[_Task]:
        chunk = list(itertools.islice(self._tasks, max(1, size)))
        self.dealt += len(chunk)
        return chunk

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.dealt)


def _clean_up_after(ctx: _Context, chunk: Sequence[_Task]) -> None:
    """Remove what was written for ``chunk``, whose rows are reported as failed (a worker died
    on them) or not at all (the batch stopped before their turn to be reported): their files
    that were not in the folder before the batch (with ``force`` an old file may have been
    replaced: those stay), and temporary files a killed worker left for them."""
    if ctx.dry_run:
        return
    targets = [_target(ctx, task.name, fmt) for task in chunk for fmt in ctx.formats]
    if ctx.existing is not None:
        _remove([path for path, name in targets if name not in ctx.existing])
    # temporary files are named .NAME.PID-N.tmp (jobgen.output), NAME cut at 64 characters
    prefixes = tuple(f".{name[:64]}." for _, name in targets)
    names: list[str] = []
    with contextlib.suppress(OSError), os.scandir(ctx.out_dir) as entries:
        names = [e.path for e in entries if e.name.endswith(".tmp") and e.name.startswith(prefixes)]
    _remove(names)


def _start_workers(ctx: _Context, count: int) -> Workers[Sequence[_Task]]:
    """``count`` worker processes: forked ones where that is safe, else a process pool."""
    from . import _workers

    if _workers.fork_is_safe(START_METHOD):
        return _workers.ForkedWorkers(count, _run_chunk)
    return _workers.PoolWorkers(count, _run_chunk, START_METHOD, _init_worker, (ctx,))


def _run_pool(
    ctx: _Context, tasks: Iterable[_Task], total: int, jobs: int, out: _Collector, stop: _Stop
) -> None:
    """Render on ``jobs`` processes: this one and ``jobs - 1`` workers.

    Workers get large chunks (few hand-overs, each of which costs this process some work) and
    are kept two chunks ahead; between hand-overs this process renders small chunks itself (it
    reads and names every row anyway: with a worker per CPU besides, three processes would
    compete for CPUs that two keep busy). Chunks shrink towards the end so that the processes
    finish together. A Ctrl-C stops the dealing; every chunk handed out is rendered whole and
    reported, so the rows that finished are always the first ones. If a worker dies (killed, out
    of memory), the rows it held fail, naming why, what it wrote for them is removed, and this
    process renders the rest.
    """
    count = jobs - 1
    markdown_only = set(ctx.formats) == {"md"}
    big = WORKER_CHUNK_MD if markdown_only else WORKER_CHUNK
    small = (MAX_CHUNK_MD if markdown_only else MAX_CHUNK) // 2
    dealer = _Dealer(tasks, total)
    broken = False
    hard_stop = False
    global _WORKER
    _WORKER = ctx  # what forked workers render with
    _warm(ctx)  # before the fork: the workers inherit it all
    try:
        workers = _start_workers(ctx, count)
    except BaseException:
        _WORKER = None
        gc.unfreeze()
        raise

    unreported: dict[int, Sequence[_Task]] = {}  # chunks rendered, waiting for earlier ones

    def hand_on(chunk: Sequence[_Task], report: _Done | None = None) -> None:
        """Pass a chunk's results on (rendering it here first, without ``report``)."""
        unreported[chunk[0].position] = chunk
        out.add(chunk[0].position, _run_tasks(ctx, chunk) if report is None else report)
        for position in [p for p in unreported if p < out.next]:
            del unreported[position]

    def collect(block: bool) -> None:
        nonlocal broken
        for chunk, report in workers.finished(block=block):
            if isinstance(report, str):  # a worker died, or failed outside any row
                broken = True
                _clean_up_after(ctx, chunk)
                report = _report(ctx, [_failed(t, f"{t.row.source}: {report}") for t in chunk])
            hand_on(chunk, report)

    try:
        exhausted = False
        while True:
            collect(block=False)  # first: what they finished frees room
            # a bounded number in flight keeps memory flat and an interrupt quick
            while not (stop.requested or exhausted or broken) and workers.in_flight < count * 2:
                chunk = dealer.take(min(big, dealer.remaining // (jobs * 2)))
                if not chunk:
                    exhausted = True
                    break
                if not workers.submit(chunk, _to_wire(chunk)):
                    broken = True
                    hand_on(chunk)
            if not stop.requested and not exhausted:
                mine = dealer.take(small)
                if mine:  # the workers have enough to do (or none is left): render here
                    hand_on(mine)
                    continue
                exhausted = True
            if not workers.in_flight:
                return
            collect(block=True)
    except KeyboardInterrupt:
        hard_stop = True  # a second Ctrl-C: do not wait for running rows
        raise
    finally:
        _WORKER = None
        gc.unfreeze()  # this process goes on after the batch (a library caller's, say)
        # stopped by an error or a second Ctrl-C: the rows the workers held, and those after
        # them that were rendered, are never reported; leave no file of theirs behind
        waiting = [chunk for position, chunk in unreported.items() if position >= out.next]
        left = [task for chunk in [*workers.close(wait=not hard_stop), *waiting] for task in chunk]
        if left:  # one look at the folder for all of them
            _clean_up_after(ctx, left)


# --------------------------------------------------------------------------- the batch


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for item in formats:
        for part in item.split(","):
            if part.strip():
                fmt = check_format(part)
                if fmt not in chosen:
                    chosen.append(fmt)
    return tuple(chosen) or ("md",)


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


def _check_manifest(path: Path, force: bool) -> None:
    """Replace a manifest jobgen wrote; refuse any other file of that name without --force."""
    if force or not os.path.lexists(path):
        return
    try:
        info = path.lstat()  # a pipe, a device or something huge is not a manifest we wrote
        ours = stat.S_ISREG(info.st_mode) and info.st_size <= MAX_INPUT_BYTES
        data = json.loads(path.read_text(encoding="utf-8")) if ours else None
        ours = isinstance(data, dict) and "jobgen" in data and "postings" in data
    except (OSError, ValueError):
        ours = False
    if not ours:
        raise OutputError(
            f"already exists and is not a jobgen manifest; jobgen writes its {MANIFEST_NAME} here",
            source=str(path),
            hint="move it away, choose another --out-dir, or add --force",
        )


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("is a file; --out-dir needs a folder", source=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder: {exc.strerror or exc}", source=str(out_dir)
        ) from None


def _names_in(folder: Path) -> frozenset[str] | None:
    """The names of the entries in ``folder`` (None if it cannot be listed: look at each)."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries)
    except OSError:
        return None


def _cpu_count() -> int:
    """CPUs this process may use (a container's or taskset's limit), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _chunks(
    tasks: Iterable[_Task], total: int, jobs: int, formats: Collection[str] = ()
) -> Iterator[list[_Task]]:
    """Tasks in chunks of up to :data:`MAX_CHUNK` (:data:`MAX_CHUNK_MD` when every format is
    Markdown), made as they are needed."""
    limit = MAX_CHUNK_MD if formats and set(formats) == {"md"} else MAX_CHUNK
    size = max(1, min(limit, total // (jobs * 4)))
    iterator = iter(tasks)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


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
    progress: Callable[[int, int], None] | None = None,
    keep_results: bool = True,
) -> BatchResult:
    """Render one posting per input row into ``out_dir``; the library behind ``jobgen batch``.

    ``source`` is a path (CSV, YAML/JSON, JSON Lines, by extension or ``input_format``), a binary
    stream such as stdin (``input_format`` required), or an iterable of mappings. ``jobs``
    processes render (default: the CPU count): this one and ``jobs - 1`` workers, forked where
    that is safe (no other thread running; see :data:`START_METHOD`).
    ``on_result`` gets each row's :class:`RowResult` in row order as it finishes;
    ``progress(done, total)`` is called after each chunk of rows. ``lint`` adds each posting's
    lint report (``jobgen.lint.lint_posting``) to its record; it never makes a row fail.
    ``keep_results=False`` keeps only the failed rows in the result's ``postings`` (every row
    is in the manifest and passed to ``on_result``), so memory does not grow with the input.

    Raises :class:`JobgenError` for problems that stop the whole batch before any file is
    written (usage, an unknown CSV column, a bad default, a template syntax error), and
    :class:`BatchInterrupted` on SIGINT after writing the manifest of the finished rows.
    """
    fmts = _check_formats(formats)
    if reference_docx is not None and "docx" not in fmts:
        raise UsageError(
            f"applies to Word documents only, and the formats are {', '.join(fmts)}",
            source="--reference-docx",
            hint="add docx to -f, e.g. -f md,docx",
        )
    pattern = check_name_pattern(name_pattern)
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more processes", source="--jobs")
    g = guide if isinstance(guide, Guide) else load_guide(guide)
    env = os.environ if environ is None else environ
    template_path = Path(template) if template is not None else None
    reference_path = Path(reference_docx) if reference_docx is not None else None
    from .render.markdown import prepare_template

    prepare_template(template_path)  # a template syntax error stops the batch before any row

    batch_input = open_input(source, input_format=input_format, name=input_name)
    layers: list[OptionLayer] = []
    if employer_file is not None:
        layers.append(file_layer(employer_file))
    if defaults is not None:
        layers.append(OptionLayer("defaults", defaults))
    if batch_input.defaults is not None:
        layers.append(batch_input.defaults)
    layers.append(env_layer(env))
    layers.append(set_layer(assignments))
    _check_defaults(g, layers)

    # first pass: count the rows (names are padded to the count, progress needs the total)
    if batch_input.count is not None:  # a lighter pass, then the rows not read yet
        total = batch_input.count()
        rows: Iterator[Row] = batch_input.rows
    else:
        total = sum(1 for _ in batch_input.rows)
        rows = batch_input.reopen() if batch_input.reopen is not None else iter(())
    out = Path(out_dir)
    manifest_path = out / MANIFEST_NAME
    if not dry_run:
        _prepare_out_dir(out)
        _check_manifest(manifest_path, force)
    ctx = _Context(
        guide=g,
        defaults=tuple(layers),
        formats=fmts,
        out_dir=out.resolve(),
        force=force,
        dry_run=dry_run,
        default_date=today(env),
        template=template_path,
        reference_docx=reference_path,
        lint=lint,
        merged=merge_layers(layers),
        existing=None if force or dry_run else _names_in(out),
        manifest=not dry_run,
        every_result=keep_results or on_result is not None,
    )
    named = _named_rows(g, rows, total, pattern=pattern, defaults=[lay.values for lay in layers])
    tasks = (_Task(i, row, name) for i, (row, name) in enumerate(named))
    spool = None if dry_run else tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
    collector = _Collector(total, on_result, progress, spool, keep_results)
    if progress is not None:
        progress(0, total)
    stop = _Stop()
    workers = min(jobs or _cpu_count(), max(1, -(-total // MAX_CHUNK)))

    def outcome(interrupted: bool) -> BatchResult:
        return BatchResult(
            postings=collector.finished(),
            total=max(total, collector.next),
            input=batch_input.name,
            out_dir=out,
            formats=fmts,
            name_pattern=pattern,
            manifest=None if dry_run else manifest_path,
            dry_run=dry_run,
            interrupted=interrupted,
            counts=None if keep_results else dict(collector.counts),
        )

    with contextlib.ExitStack() as cleanup, _sigint_to(stop):
        if spool is not None:  # a Ctrl-C while the manifest is written waits for it
            cleanup.callback(spool.close)
        try:
            if workers <= 1:
                _run_in_process(ctx, _chunks(tasks, total, workers, fmts), collector, stop)
            else:
                _run_pool(ctx, tasks, total, workers, collector, stop)
        except KeyboardInterrupt:
            stop.requested = True
        except BaseException:
            if spool is not None:  # a callback or the pool failed: still record what finished
                _write_manifest(manifest_path, outcome(True), spool)
            raise
        result = outcome(stop.requested)
        if spool is not None:
            _write_manifest(manifest_path, result, spool)
    if result.interrupted:
        raise BatchInterrupted(result)
    return result


def _write_manifest(path: Path, result: BatchResult, spool: IO[str]) -> None:
    """Write the manifest atomically: the summary, then the spooled entries, one per line
    (JSON all the same, written by the C encoder, streamed rather than held in memory)."""
    check_target(path, force=True)  # a named pipe or a device is never replaced
    head = json.dumps(result._manifest_head(), indent=2, ensure_ascii=False)
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
        write_new(str(path), pieces(), force=True)
    finally:
        spool.seek(0, os.SEEK_END)  # more entries may follow (an interrupted batch's last rows)


__all__ = [
    "DEFAULT_NAME_PATTERN",
    "INPUT_FORMATS",
    "MANIFEST_NAME",
    "NAME_FIELDS",
    "BatchInput",
    "BatchInterrupted",
    "BatchResult",
    "FileRecord",
    "Row",
    "RowResult",
    "assign_names",
    "check_name_pattern",
    "format_name",
    "open_input",
    "read_csv",
    "read_jsonl",
    "read_yaml",
    "run_batch",
]
