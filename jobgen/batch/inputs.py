"""Batch inputs: CSV, YAML (or JSON) and JSON Lines files, a binary stream (stdin), or an
iterable of mappings, read row by row into :class:`Row` records.

CSV and JSON Lines are streamed (UTF-8, a BOM allowed) through :class:`_Capped`, which bounds
the input and counts the bytes read: progress is reported in those bytes, against the file's
size when it has one (a pipe has none). YAML is parsed whole (it is capped at 10 MB) and its
progress is counted in rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from .. import _validate as v
from .._yaml import MAX_INPUT_BYTES, decode_text, parse_yaml, read_text
from ..employer import OptionLayer, fields_of_columns
from ..errors import UsageError, ValidationError

INPUT_FORMATS = ("csv", "yaml", "jsonl")
INPUT_EXTENSIONS = {
    ".csv": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "yaml",  # a JSON array (or {"defaults", "postings"}) is YAML too
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
MAX_STREAM_BYTES = 200 * 1024 * 1024
"""Largest CSV or JSON Lines input read (they are streamed; YAML is capped at 10 MB)."""
MAX_LINE_BYTES = 1024 * 1024
"""Longest line of a CSV or JSON Lines input: a row is far shorter (each field holds at most
5,000 characters), and a file with no line breaks (``/dev/zero``) stops here."""
EMPTY = "is empty: a batch input holds at least one row (a CSV: a header row and a row)"


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
    """An opened batch input: its display name, defaults given inside it (YAML), its rows, and
    how far reading has got (``done()`` of ``total``, in bytes for CSV and JSON Lines and in
    rows otherwise; ``total`` is None for a pipe)."""

    name: str
    format: str
    defaults: OptionLayer | None
    rows: Iterator[Row]
    done: Callable[[], int]
    total: int | None
    identity: tuple[int, int] | None = None
    """The input file's (device, inode): a batch never writes over its own input."""


def input_format_for(name: str) -> str | None:
    return INPUT_EXTENSIONS.get(Path(name).suffix.lower())


# --------------------------------------------------------------------------- CSV


def _csv_columns(header: Sequence[str], name: str) -> list[str | None]:
    """Header cells → field keys (``None`` for a blank header, whose cells must stay blank)."""
    return fields_of_columns(header, f"{name} line 1")


def _delimiter(header_line: str) -> str:
    """Comma, semicolon (Excel in many locales) or tab: whichever the header line uses most."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_values(
    cells: Sequence[str], columns: Sequence[str | None], label: str
) -> tuple[dict[str, str], str | None]:
    """A CSV row's cells → field values (blank cells leave a field unset), and its error."""
    values: dict[str, str] = {}
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
    return values, error


def read_csv(lines: Iterable[str], name: str) -> Iterator[Row]:
    """Rows of a CSV whose header row holds dotted employer fields; read lazily.

    Empty cells leave a field unset; list fields take entries separated by ``;``. Fully blank
    rows are ignored. An empty input, an unknown or repeated header, or a quote that is never
    closed raises :class:`ValidationError` (the last when the reader gets there).
    """
    stream = iter(lines)
    first = next(stream, "")
    if not first.strip():
        raise ValidationError(EMPTY, source=name)
    reader = csv.reader(_chain(first, stream), delimiter=_delimiter(first), strict=True)
    number = 0
    end = 1
    try:
        columns = _csv_columns(next(reader), name)
        for cells in reader:
            start, end = end + 1, reader.line_num
            if "".join(cells).strip():  # not a blank row
                number += 1
                label = f"{name} row {number} (line {start})"
                yield Row(number, label, *_csv_values(cells, columns, label))
    except csv.Error as exc:
        problem = "a quoted value is never closed" if "end of data" in str(exc) else exc
        raise ValidationError(
            f"is not valid CSV from row {number + 1} (line {end + 1}) on: {problem}; a value "
            'with a quote in it is written in double quotes, its quotes doubled ("say ""hi""")',
            source=name,
            hint="no file was written for this row or the rows after it",
        ) from None


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


# --------------------------------------------------------------------------- YAML


def _plain(value: Any) -> Any:
    """YAML's line-aware mappings → plain dicts, so messages name the row, not a line per key."""
    if isinstance(value, Mapping):
        return {str(k): _plain(x) for k, x in value.items()}
    if isinstance(value, list):
        return [_plain(x) for x in value]
    return value


def _yaml_postings(data: Any, name: str) -> tuple[OptionLayer | None, list[Any]]:
    if isinstance(data, list):
        return None, data
    if not isinstance(data, Mapping) or "postings" not in data:
        single = " this one is a single mapping (for one posting use `jobgen render -e FILE`)"
        raise ValidationError(
            "a batch file is a list of postings, or a mapping with 'defaults:' and "
            f"'postings:';{single if isinstance(data, Mapping) else ''}",
            source=name,
        )
    v.check_keys(data, ("defaults", "postings"), source=name)
    raw_defaults = data.get("defaults")
    if raw_defaults is not None and not isinstance(raw_defaults, Mapping):
        raise ValidationError(
            "'defaults' must be a mapping of employer fields",
            source=v.where(name, data, "defaults"),
        )
    raw_postings = data.get("postings")
    if raw_postings is not None and not isinstance(raw_postings, list):
        raise ValidationError(
            "'postings' must be a list of employer mappings",
            source=v.where(name, data, "postings"),
        )
    return (OptionLayer(name, raw_defaults) if raw_defaults else None), raw_postings or []


def read_yaml(text: str, name: str) -> tuple[OptionLayer | None, list[Row]]:
    """A YAML (or JSON) list of employer mappings, or ``{defaults: {...}, postings: [...]}``."""
    data = parse_yaml(text, name, literal=True)
    if data is None:
        raise ValidationError(EMPTY, source=name)
    defaults, postings = _yaml_postings(data, name)
    rows = []
    for number, item in enumerate(postings, 1):
        lines = getattr(item, "lines", None)
        at = f" (line {min(lines.values())})" if isinstance(lines, dict) and lines else ""
        label = f"{name} row {number}{at}"
        if isinstance(item, Mapping):
            rows.append(Row(number, label, _plain(item)))
        else:
            kind = "a list" if isinstance(item, list) else f"the value {item!r}"
            rows.append(Row(number, label, {}, f"{label}: is {kind}; each posting is a mapping"))
    return defaults, rows


# --------------------------------------------------------------------------- JSON Lines


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}; each key may appear once")
        out[key] = value
    return out


def _json_row(line: str, number: int, label: str) -> Row:
    try:
        value = json.loads(line, parse_float=Decimal, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        return Row(number, label, {}, f"{label}: is not valid JSON: {exc.msg} (column {exc.colno})")
    except ValueError as exc:
        return Row(number, label, {}, f"{label}: {exc}")
    if not isinstance(value, dict):
        return Row(
            number, label, {}, f'{label}: must be a JSON object such as {{"setting": "..."}}'
        )
    return Row(number, label, value)


def read_jsonl(lines: Iterable[str], name: str) -> Iterator[Row]:
    """One JSON object of employer fields per line; blank lines are ignored; read lazily. An
    input with no line at all raises :class:`ValidationError`."""
    number = 0
    for line_no, line in enumerate(lines, 1):
        if line.strip():
            number += 1
            yield _json_row(line, number, f"{name} row {number} (line {line_no})")
    if number == 0:
        raise ValidationError(EMPTY, source=name)


# --------------------------------------------------------------------------- streams


def _too_large() -> str:
    return (
        f"is larger than {MAX_STREAM_BYTES:,} bytes, the most jobgen reads as one batch; "
        "split it into several files"
    )


class _Capped(io.RawIOBase):
    """A binary stream that counts the bytes read (:attr:`total`, for progress) and stops with a
    clear error past :data:`MAX_STREAM_BYTES` in all, or :data:`MAX_LINE_BYTES` without a line
    break."""

    def __init__(self, stream: BinaryIO, name: str, *, close_stream: bool) -> None:
        super().__init__()
        self._stream = stream
        self._close_stream = close_stream
        self._name = name
        self.total = 0
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
        self.total += n
        if self.total > MAX_STREAM_BYTES:
            raise ValidationError(_too_large(), source=self._name)
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


def _lines(capped: _Capped, name: str) -> Iterator[str]:
    """The stream's lines as text (UTF-8, a BOM allowed), each with its line break as written;
    a byte that is not UTF-8 is named with its line."""
    for number, raw in enumerate(io.BufferedReader(capped), 1):
        data = raw[3:] if number == 1 and raw.startswith(codecs.BOM_UTF8) else raw
        try:
            yield data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {number})",
                source=name,
                hint="save the file as UTF-8 (in Excel: 'CSV UTF-8')",
            ) from None


def _stream_rows(capped: _Capped, fmt: str, name: str) -> Iterator[Row]:
    """Rows of a CSV or JSON Lines stream, read lazily. A problem with the input itself (not
    UTF-8, too large, a quote never closed) raises before the first row; after it, the problem
    is the next row's error and reading ends there."""
    last = 0
    try:
        for row in (read_csv if fmt == "csv" else read_jsonl)(_lines(capped, name), name):
            last = row.number
            yield row
    except ValidationError as exc:
        if last == 0:
            raise
        label = f"{name} after row {last}"
        hint = f"\n  hint: {exc.hint}" if exc.hint else ""
        yield Row(last + 1, label, {}, f"{label}: {exc.message}{hint}")
    finally:
        capped.close()


def _primed(rows: Iterator[Row]) -> Iterator[Row]:
    """``rows`` with the first one read already, so that an empty input or a bad header is
    reported by :func:`open_input`, before any file is written."""
    first = next(rows, None)
    if first is None:
        return iter(())

    def chained() -> Iterator[Row]:
        yield first
        yield from rows

    return chained()


def _open_file(path: Path, label: str) -> BinaryIO:
    try:
        if path.is_dir():
            raise ValidationError("is a folder, not a batch file", source=label)
        return path.open("rb")
    except FileNotFoundError:
        raise ValidationError("no such batch file", source=label) from None
    except PermissionError:
        raise ValidationError("cannot read this file: permission denied", source=label) from None
    except OSError as exc:
        raise ValidationError(
            f"cannot read this batch file: {exc.strerror or exc}", source=label
        ) from None


def _size_and_identity(stream: IO[Any]) -> tuple[int | None, tuple[int, int] | None]:
    """A regular file's size and (device, inode); Nones for a pipe or a stream in memory."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation, AttributeError):
        return None, None
    if not stat.S_ISREG(info.st_mode):  # a pipe, a terminal
        return None, None
    return info.st_size, (info.st_dev, info.st_ino)


def _streamed(
    binary: IO[bytes], fmt: str, label: str, *, close: bool, identity: tuple[int, int] | None
) -> BatchInput:
    size, found = _size_and_identity(binary)
    if size is not None and size > MAX_STREAM_BYTES:  # a file says so before any row
        raise ValidationError(_too_large(), source=label)
    capped = _Capped(cast("BinaryIO", binary), label, close_stream=close)
    rows = _primed(_stream_rows(capped, fmt, label))
    return BatchInput(label, fmt, None, rows, lambda: capped.total, size, identity or found)


def _rows_input(
    label: str, fmt: str, defaults: OptionLayer | None, rows: Sequence[Row]
) -> BatchInput:
    done = [0]

    def counted() -> Iterator[Row]:
        for row in rows:
            done[0] = row.number
            yield row

    return BatchInput(label, fmt, defaults, counted(), lambda: done[0], len(rows))


def _check_input_format(input_format: str | None) -> None:
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise UsageError(
            f"unknown input format {input_format!r}; choose one of {', '.join(INPUT_FORMATS)}",
            source="--input-format",
        )


def _open_path(path: Path, label: str, input_format: str | None) -> BatchInput:
    fmt = input_format or input_format_for(str(path))
    if fmt is None:
        raise UsageError(
            f"cannot tell the format of {str(path)!r} from its extension; use "
            f"--input-format {'|'.join(INPUT_FORMATS)} (or name it .csv, .yaml or .jsonl)",
            source="--input-format",
        )
    if fmt == "yaml":
        batch_input = _rows_input(label, fmt, *read_yaml(read_text(path, what="batch file"), label))
        try:
            info = path.stat()
        except OSError:
            return batch_input
        return BatchInput(**{**batch_input.__dict__, "identity": (info.st_dev, info.st_ino)})
    binary = _open_file(path, label)
    return _streamed(binary, fmt, label, close=True, identity=None)


def _open_stream(stream: IO[bytes] | IO[str], label: str, input_format: str | None) -> BatchInput:
    if input_format is None:
        raise UsageError(
            f"reading {label}: say which format it is with --input-format "
            f"{'|'.join(INPUT_FORMATS)}",
            source="--input-format",
        )
    if input_format == "yaml":  # YAML is parsed whole: bound it as read_text does files
        data = stream.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise ValidationError(
                f"is larger than {MAX_INPUT_BYTES:,} bytes, the most jobgen reads as YAML; "
                "use CSV or JSON Lines, which are read row by row",
                source=label,
            )
        text = data if isinstance(data, str) else decode_text(data, label, what="batch input")
        return _rows_input(label, input_format, *read_yaml(text, label))
    if isinstance(stream, io.TextIOBase):  # text from Python code, not a file or a pipe
        binary: IO[bytes] = io.BytesIO(cast("IO[str]", stream).read().encode("utf-8"))
    else:
        binary = cast("IO[bytes]", stream)
    return _streamed(binary, input_format, label, close=False, identity=None)


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
    _check_input_format(input_format)
    if isinstance(source, str | Path):
        return _open_path(Path(source), name or str(source), input_format)
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        return _open_stream(cast("IO[bytes] | IO[str]", source), name or "stdin", input_format)
    label = name or "rows"
    rows = []
    for number, item in enumerate(cast("Iterable[Any]", source), 1):
        where = f"{label} row {number}"
        if isinstance(item, Mapping):
            rows.append(Row(number, where, item))
        else:
            rows.append(Row(number, where, {}, f"{where}: is not a mapping of employer fields"))
    return _rows_input(label, "python", None, rows)
