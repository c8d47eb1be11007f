"""Users' templates run here: Jinja2's immutable sandbox, with limits on what a rendering may
build (see ``MAX_*`` in :mod:`jobgen.render.markdown`). A module of its own so that rendering with
jobgen's built-in template never imports the sandbox.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .markdown import MAX_INT_BITS, MAX_RANGE, MAX_VALUE, _spend


class TemplateLimitError(jinja2.exceptions.SecurityError):
    """A template tried to build something larger than jobgen's limits allow."""


def _size(value: Any, limit: int = MAX_VALUE) -> int:
    """Characters of a string; items of a list, tuple or dict plus their sizes, counted down to
    ``limit`` (a list holding one long string a million times is as large as it would print)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return 1
    if not isinstance(value, list | tuple | dict | set | frozenset):
        return 1
    total = 0
    stack: list[Any] = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
    return total


def _check_value(value: Any, what: str) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise TemplateLimitError(f"{what} makes a number of more than {MAX_INT_BITS:,} bits")
        return value
    if _size(value) > MAX_VALUE:
        raise TemplateLimitError(
            f"{what} makes a value of more than {MAX_VALUE:,} characters or items"
        )
    return value


_HUGE_WIDTH = re.compile(r"\d{7,}")
_MULTIPLYING = frozenset(
    {"center", "expandtabs", "format", "format_map", "indent", "join", "ljust", "replace"}
    | {"rjust", "translate", "wordwrap", "zfill", "%"}
)
"""Filters and methods whose result can be far larger than their arguments."""


def _check_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], what: str) -> None:
    """Refuse a call that could build something huge before it runs: a number past
    :data:`MAX_VALUE` (``center(10**9)``), a format width of a million, or a multiplying call
    whose first argument times the largest other would pass ten times MAX_VALUE
    (``big|replace("", big)``, ``"\t"|expandtabs(999999)``)."""
    values = [a for a in (*args, *kwargs.values()) if not isinstance(a, _CONTEXTS)]
    sizes = []
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_VALUE:
                raise TemplateLimitError(
                    f"{what} was given the number {value}; the limit is {MAX_VALUE:,}"
                )
            sizes.append(abs(value))
        else:
            sizes.append(_size(value))
    if name not in _MULTIPLYING:
        return
    first = values[0] if values else None
    if (
        name in ("format", "format_map", "%")
        and isinstance(first, str)
        and _HUGE_WIDTH.search(first)
    ):
        raise TemplateLimitError(f"{what} was given a format with a width of a million or more")
    if len(sizes) > 1 and sizes[0] * (1 + max(sizes[1:])) > 10 * MAX_VALUE:
        raise TemplateLimitError(
            f"{what} could make a value of more than {MAX_VALUE:,} characters or items"
        )


_CONTEXTS = (jinja2.runtime.Context, jinja2.Environment, jinja2.nodes.EvalContext)


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # keeps pass_context and friends
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _spend()
        _check_call(name, args, kwargs, f"the filter {name!r}")
        return _check_value(func(*args, **kwargs), f"the filter {name!r}")

    return guarded


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitError(
            f"range{args} has {len(numbers):,} numbers; templates may make ranges of up to "
            f"{MAX_RANGE:,}"
        )
    return numbers


def _loop(iterable: Iterable[Any]) -> Iterator[Any]:
    """Wraps every ``{% for %}``'s iterable: each iteration spends from the budget."""
    for item in iterable:
        _spend()
        yield item


def _concat(*parts: Any) -> str:
    """``a ~ b``, with the size of the result checked before it is built."""
    texts = [str(part) for part in parts]
    if sum(len(t) for t in texts) > MAX_VALUE:
        raise TemplateLimitError(f"'~' makes text of more than {MAX_VALUE:,} characters")
    return "".join(texts)


class _Bounds(NodeTransformer):
    """Route every loop and ``~`` through :func:`_loop` and :func:`_concat`."""

    @staticmethod
    def _call(name: str, args: list[Any], lineno: int) -> nodes.Call:
        return nodes.Call(
            nodes.Name(name, "load", lineno=lineno), args, [], None, None, lineno=lineno
        )

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self._call("_jobgen_loop", [node.iter], node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return self._call("_jobgen_concat", list(node.nodes), node.lineno)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's sandbox (immutable flavour), with limits on what a rendering may build.

    ``*``, ``+``, ``%`` and ``**`` check the size of their result before making it; ``~``,
    filters, functions and methods are checked too, ``range()`` is capped at :data:`MAX_RANGE`,
    loops and calls spend from :data:`MAX_STEPS`, and :func:`render_markdown` stops output
    past :data:`MAX_OUTPUT`. Breaking a limit raises :class:`TemplateLimitError`.
    """

    intercepted_binops = frozenset({"+", "*", "%", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # a paragraph generator: no use in a posting
        self.globals["range"] = _range
        self.globals["_jobgen_loop"] = _loop
        self.globals["_jobgen_concat"] = _concat
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _Bounds().visit(tree)
        return tree

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        what = f"'{op}'"
        if op == "*":
            count, item = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(count, int) and not isinstance(item, int | float):
                if count * _size(item) > MAX_VALUE:
                    raise TemplateLimitError(
                        f"'*' would repeat {_size(item):,} characters or items {count:,} times; "
                        f"the limit is {MAX_VALUE:,}"
                    )
            elif (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > MAX_INT_BITS
            ):
                raise TemplateLimitError(f"'*' makes a number of more than {MAX_INT_BITS:,} bits")
        elif op == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * left.bit_length() > MAX_INT_BITS:
                raise TemplateLimitError(f"'**' makes a number of more than {MAX_INT_BITS:,} bits")
        elif op == "%" and isinstance(left, str):
            _check_call("%", (left, right), {}, "'%'")
        elif op == "+" and _size(left) + _size(right) > MAX_VALUE:
            raise TemplateLimitError(f"'+' makes a value of more than {MAX_VALUE:,} characters")
        return _check_value(super().call_binop(context, op, left, right), what)

    def call(
        __self,  # Jinja's signature: keeps "self" free as a keyword argument
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        _spend()
        name = getattr(__obj, "__name__", "a function")
        # a bound method's object; str.format arrives wrapped by the sandbox
        receiver = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(receiver, str | list | tuple | dict):
            args_for_check: tuple[Any, ...] = (receiver, *args)
        else:
            args_for_check = args
        _check_call(name, args_for_check, kwargs, f"{name}()")
        result = super().call(__context, __obj, *args, **kwargs)
        return _check_value(result, f"{name}()")

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        if isinstance(obj, jinja2.utils.Namespace):  # the one object templates may change
            _check_value(value, f"namespace attribute {attribute!r}")
        return value
