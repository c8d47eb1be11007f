"""Safe YAML reading that remembers line numbers and refuses duplicate keys.

Only ``yaml.SafeLoader`` is used: no tags that build Python objects. Mappings come back as
:class:`LineDict`, which records the 1-based line of each key so errors can point at it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ValidationError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused before parsing (employer files, guides, batch inputs)."""

MAX_TEMPLATE_BYTES = 1024 * 1024
"""Templates larger than this are refused before compiling."""

MAX_ALIASES = 100
"""Alias references allowed in one YAML document; bounds "billion laughs" expansion."""


class LineDict(dict[str, Any]):
    """A dict that knows the line each of its keys was written on."""

    lines: dict[str, int]


def parse_yaml(text: str, source: str, *, literal: bool = False) -> Any:
    """Parse YAML text; syntax errors become :class:`ValidationError` naming source and line.

    With ``literal``, plain scalars stay text (see :class:`jobgen._yaml_loader._LiteralLoader`).
    """
    import yaml

    from ._yaml_loader import _FAST, _LiteralLoader, _Loader

    try:
        try:
            return yaml.load(text, Loader=_FAST[literal])
        except (yaml.YAMLError, RecursionError):
            # libyaml words its errors differently, and reads a few texts PyYAML reads otherwise
            # (a "\ud800" escape): for a text libyaml refuses, PyYAML's parser decides, so
            # every message (and line) is the one it gives
            return yaml.load(text, Loader=_LiteralLoader if literal else _Loader)
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        raise ValidationError(
            f"contains the character U+{exc.character:04X} (a control or non-character), "
            "which YAML files cannot hold",
            source=f"{source}:{at}",
            hint='remove it, or write it as an escape inside double quotes ("\\u0007")',
        ) from None
    except RecursionError:
        raise ValidationError(
            "is nested too deeply to read (lists or mappings inside each other hundreds of times)",
            source=source,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        hint = _syntax_hint(problem, text, mark.line if mark is not None else None)
        raise ValidationError(f"{problem}", source=f"{source}{line}", hint=hint) from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"invalid YAML: {exc}", source=source) from None


_SYNTAX_HINTS = {
    "'\\t'": "YAML indents with spaces, never tabs: replace the tab with spaces",
    "mapping values are not allowed here": "this usually means a value holds ': ' (a colon "
    'and a space): put the whole value in quotes, e.g. schedule: "Nights: 7p-7a"; or a line '
    "is indented more than the one before it",
}


def _syntax_hint(problem: str, text: str, line: int | None) -> str | None:
    """What a YAML syntax error usually means, and the line it is on."""
    hint = next((h for key, h in _SYNTAX_HINTS.items() if key in problem), None)
    if hint is None or line is None:
        return hint
    lines = text.split("\n")
    shown = lines[line].replace("\t", "\\t") if line < len(lines) else ""
    return f"{hint}\n  line {line + 1}: {shown[:120]}"


def read_text(path: Path, *, what: str = "file", limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file (a BOM is allowed) with messages a person can act on.

    At most ``limit`` bytes are accepted; the check reads no further than that, so devices and
    pipes (``/dev/zero``, ``/dev/stdin``) are bounded too.
    """
    source = str(path)
    try:
        if path.is_dir():
            raise ValidationError(f"is a folder, not {_a(what)}", source=source)
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:  # a regular file says its size: refuse without reading it
                _check_size(b"", limit, source, what, size=size)
            data = handle.read(limit + 1)
    except ValidationError:
        raise
    except FileNotFoundError:
        raise ValidationError(f"no such {what}", source=source) from None
    except PermissionError:
        raise ValidationError(
            f"cannot read this {what}: permission denied", source=source
        ) from None
    except OSError as exc:
        raise ValidationError(
            f"cannot read this {what}: {exc.strerror or exc}", source=source
        ) from None
    _check_size(data, limit, source, what)
    return decode_text(data, source, what=what)


def read_stream(
    stream: BinaryIO, source: str, *, what: str = "file", limit: int = MAX_INPUT_BYTES
) -> str:
    """Read standard input (or any binary stream) like :func:`read_text`: bounded, UTF-8."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise ValidationError(
            f"cannot read the {what}: {exc.strerror or exc}", source=source
        ) from None
    _check_size(data, limit, source, what)
    return decode_text(data, source, what=what)


def _a(what: str) -> str:
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def _check_size(data: bytes, limit: int, source: str, what: str, *, size: int = 0) -> None:
    if size > limit or len(data) > limit:
        amount = f"is {size:,} bytes" if size else f"is larger than {limit:,} bytes"
        raise ValidationError(
            f"{amount}; jobgen reads {_a(what)} of up to {limit:,} bytes", source=source
        )


def decode_text(data: bytes, source: str, *, what: str = "file") -> str:
    """Decode UTF-8 (with or without BOM); refuse binary data and other encodings clearly."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 3 and b"\x00" in data[1:4:2]):
        raise ValidationError(
            f"is UTF-16 text; jobgen reads {_a(what)} saved as UTF-8",
            source=source,
            hint="save the file as UTF-8 "
            "(in Excel: 'CSV UTF-8'; in an editor: 'Save with encoding')",
        )
    if b"\x00" in data:
        raise ValidationError(
            f"looks like a binary file (it holds NUL bytes), not {_a(what)}", source=source
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})",
            source=source,
            hint="save the file as UTF-8 "
            "(in Excel: 'CSV UTF-8'; in an editor: 'Save with encoding')",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml_file(path: Path, *, what: str = "file", literal: bool = False) -> Any:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path, what=what), str(path), literal=literal)
