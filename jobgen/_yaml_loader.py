"""The YAML loaders behind :func:`jobgen._yaml.parse_yaml`: PyYAML's safe loader with line
numbers, no duplicate keys, an alias limit and, for employer data, literal scalars.

A module of its own so that importing :mod:`jobgen._yaml` (its text reading is used everywhere)
does not import PyYAML: a CSV batch or a built-in guide never needs it.
"""

from __future__ import annotations

from typing import Any

import yaml

from ._yaml import MAX_ALIASES, LineDict


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
