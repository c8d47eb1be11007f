"""Safe YAML reading that remembers line numbers and refuses duplicate keys.

Only ``yaml.SafeLoader`` is used: no tags that build Python objects. Mappings come back as
:class:`LineDict`, which records the 1-based line of each key so errors can point at it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ValidationError

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused before parsing (employer files, guides, batch inputs)."""

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


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines = {}
    for key_node, value_node in node.value:
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
    loader = _FAST[literal]
    try:
        return yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ValidationError(f"{problem}", source=f"{source}{line}") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"invalid YAML: {exc}", source=source) from None


def read_text(path: Path, *, what: str = "file") -> str:
    """Read a UTF-8 text file (a BOM is allowed) with messages a person can act on."""
    try:
        if path.is_dir():
            raise ValidationError(f"is a folder, not a {what}", source=str(path))
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ValidationError(
                f"is {size:,} bytes; jobgen reads {what}s up to {MAX_INPUT_BYTES:,} bytes",
                source=str(path),
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"no such {what}", source=str(path)) from None
    except PermissionError:
        raise ValidationError(
            f"cannot read this {what}: permission denied", source=str(path)
        ) from None
    except OSError as exc:
        raise ValidationError(
            f"cannot read this {what}: {exc.strerror}", source=str(path)
        ) from None
    return decode_text(data, str(path), what=what)


def decode_text(data: bytes, source: str, *, what: str = "file") -> str:
    """Decode UTF-8 (with or without BOM); refuse binary data and other encodings clearly."""
    if b"\x00" in data[:8192]:
        raise ValidationError(f"looks like a binary file, not a text {what}", source=source)
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
