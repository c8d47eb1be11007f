"""Safe YAML reading that remembers line numbers and refuses duplicate keys.

Only ``yaml.SafeLoader`` is used: no tags that build Python objects. Mappings come back as
:class:`LineDict`, which records the 1-based line of each key so errors can point at it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, BinaryIO

import yaml

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


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_ALIASES} alias references (*name)", mark
                )
        return super().compose_node(parent, index)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Apply merge keys (``<<: *base``): the mapping's own keys win, then earlier merges.

        Unlike PyYAML's version this keeps one entry per key, so a merge never reads as a
        duplicate key, and merges of merges cannot multiply into a "merge bomb".
        """
        own: list[tuple[Any, Any]] = []
        merges: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:merge":
                own.append((key_node, value_node))
                continue
            subnodes = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for sub in subnodes:
                if not isinstance(sub, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        None, None, "'<<' merges mappings only", sub.start_mark
                    )
                merges.append(sub)
        if not merges:
            return
        seen = {_key_id(k) for k, _ in own}
        merged: list[tuple[Any, Any]] = []
        for sub in merges:
            self.flatten_mapping(sub)
            for key_node, value_node in sub.value:
                if _key_id(key_node) not in seen:
                    seen.add(_key_id(key_node))
                    merged.append((key_node, value_node))
        node.value = merged + own


def _key_id(node: yaml.Node) -> object:
    return node.value if isinstance(node, yaml.ScalarNode) else id(node)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text, not a list or mapping", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key).lower() if isinstance(key, bool) else str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {result.lines[key]}); "
                "each key may appear once",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _LiteralLoader(_Loader):
    """Reads every plain scalar as the text written, except null.

    YAML 1.1 guesses types: ``NO`` becomes false, ``012345`` the octal number 5349, ``2024-05-01``
    a date. Employer data is text typed by people, so jobgen reads it literally and converts each
    field itself, with errors that name the field.
    """


_KEEP = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}
_LiteralLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEEP]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


def _count_aliases(root: yaml.Node) -> None:
    """Refuse more than :data:`MAX_ALIASES` alias references in a composed document.

    libyaml composes an alias as a second reference to its anchor's node, without expanding it;
    so each node reached again on a walk of the document is one alias.
    """
    seen: set[int] = set()
    stack = [root]
    aliases = 0
    while stack:
        node = stack.pop()
        if id(node) in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_ALIASES} alias references (*name)", node.start_mark
                )
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack += (value, key)


_CParser: Any = getattr(yaml, "cyaml", None) and getattr(yaml.cyaml, "CParser", None)
"""libyaml's parser, when PyYAML was built with it (its wheels on PyPI are)."""


def _with_libyaml(loader: type[_Loader]) -> type[_Loader]:
    """``loader`` with libyaml's parser: the same constructors (line numbers, duplicate keys,
    literal scalars) and alias limit, about ten times faster than PyYAML's pure-Python parser."""
    if _CParser is None:  # pragma: no cover - PyYAML without libyaml
        return loader

    def __init__(self: Any, stream: str) -> None:
        _CParser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def get_single_node(self: Any) -> Any:
        node = _CParser.get_single_node(self)
        if node is not None:
            _count_aliases(node)
        return node

    namespace = {"__init__": __init__, "get_single_node": get_single_node}
    return type(f"_C{loader.__name__.lstrip('_')}", (_CParser, loader), namespace)


_FAST = {False: _with_libyaml(_Loader), True: _with_libyaml(_LiteralLoader)}


def parse_yaml(text: str, source: str, *, literal: bool = False) -> Any:
    """Parse YAML text; syntax errors become :class:`ValidationError` naming source and line.

    With ``literal``, plain scalars stay text (see :class:`_LiteralLoader`).
    """
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
        raise ValidationError(f"{problem}", source=f"{source}{line}") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"invalid YAML: {exc}", source=source) from None


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
