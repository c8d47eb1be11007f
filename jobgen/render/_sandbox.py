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


_CHARS_PER_STEP = 128
"""Characters or items a call, filter or operator may read or make per step of the budget: a
step is a few microseconds, and most string work runs in C at a few nanoseconds a character."""
_SLOW_FILTERS = {
    "wordwrap": 4,
    "sort": 4,
    "urlize": 8,
    "unique": 16,
    "title": 16,
    "striptags": 32,
    "wordcount": 32,
    "batch": 64,
    "pprint": 64,
    "join": 64,
    "groupby": 64,
    "dictsort": 64,
    "map": 64,
    "select": 64,
    "reject": 64,
    "selectattr": 64,
    "rejectattr": 64,
    "xmlattr": 64,
    "urlencode": 64,
}
"""Filters that work in Python, character by character or item by item: characters or items
per step, from their measured cost (``wordwrap(1)`` takes about 1.3 microseconds a character)."""


def _charge(size: int, per_step: int = _CHARS_PER_STEP) -> None:
    """Spend one step, plus one for every ``per_step`` characters or items of ``size``."""
    _spend(1 + size // per_step)


def _made(value: Any) -> Any:
    """A value a template made without a call (a list, tuple or dict literal, a slice, the
    operands of a comparison): checked against MAX_VALUE and charged by its size."""
    size = _size(value)
    if size > MAX_VALUE:
        raise TemplateLimitError(
            f"a literal, slice or comparison makes a value of more than {MAX_VALUE:,} "
            "characters or items"
        )
    _charge(size)
    return value


_HUGE_WIDTH = re.compile(r"\d{7,}")
_MULTIPLYING = frozenset(
    {"center", "expandtabs", "format", "format_map", "indent", "join", "ljust", "replace"}
    | {"rjust", "translate", "wordwrap", "zfill", "%"}
)
"""Filters and methods whose result can be far larger than their arguments."""


def _check_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], what: str) -> int:
    """Refuse a call that could build something huge before it runs: a number past
    :data:`MAX_VALUE` (``center(10**9)``), a format width of a million, or a multiplying call
    whose first argument times the largest other would pass ten times MAX_VALUE
    (``big|replace("", big)``, ``"\t"|expandtabs(999999)``). Returns the arguments' size."""
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
        return sum(sizes)
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
    return sum(sizes)


_CONTEXTS = (jinja2.runtime.Context, jinja2.Environment, jinja2.nodes.EvalContext)


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    per_step = _SLOW_FILTERS.get(name, _CHARS_PER_STEP)

    @functools.wraps(func)  # keeps pass_context and friends
    def guarded(*args: Any, **kwargs: Any) -> Any:
        # charged for what it reads before it runs, for what it made after
        _charge(_check_call(name, args, kwargs, f"the filter {name!r}"), per_step)
        result = _check_value(func(*args, **kwargs), f"the filter {name!r}")
        _charge(_size(result), per_step)
        return result

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
    size = sum(len(t) for t in texts)
    if size > MAX_VALUE:
        raise TemplateLimitError(f"'~' makes text of more than {MAX_VALUE:,} characters")
    _charge(size)
    return "".join(texts)


class _Bounds(NodeTransformer):
    """Route every loop and ``~`` through :func:`_loop` and :func:`_concat`, and every list,
    tuple and dict literal, slice and comparison operand through :func:`_made`."""

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

    def _made(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        return self._call("_jobgen_made", [node], node.lineno)

    def visit_List(self, node: nodes.List) -> nodes.Node:
        return self._made(node)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:
        return self._made(node)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        if node.ctx != "load":  # the names of {% for a, b in ... %} and {% set a, b = ... %}
            self.generic_visit(node)
            return node
        return self._made(node)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        if isinstance(node.arg, nodes.Slice):  # slices bypass the environment's getitem
            return self._made(node)
        self.generic_visit(node)
        return node

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)
        node.expr = self._call("_jobgen_made", [node.expr], node.lineno)
        for operand in node.ops:
            operand.expr = self._call("_jobgen_made", [operand.expr], node.lineno)
        return node


def _charged_finalize(finalize: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Printing a value (into the output, a macro's text or a ``{% set %}`` block) escapes
    it: charged by its size."""

    def charged(value: Any) -> Any:
        text = finalize(value)
        _charge(len(text) if isinstance(text, str) else 1)
        return text

    return charged


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
        self.globals["_jobgen_made"] = _made
        if self.finalize is not None:
            self.finalize = _charged_finalize(self.finalize)
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
        result = _check_value(super().call_binop(context, op, left, right), what)
        _charge(_size(result))
        return result

    def call(
        __self,  # Jinja's signature: keeps "self" free as a keyword argument
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        name = getattr(__obj, "__name__", "a function")
        # a bound method's object; str.format arrives wrapped by the sandbox
        receiver = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(receiver, str | list | tuple | dict):
            args_for_check: tuple[Any, ...] = (receiver, *args)
        else:
            args_for_check = args
        _charge(_check_call(name, args_for_check, kwargs, f"{name}()"))
        result = _check_value(super().call(__context, __obj, *args, **kwargs), f"{name}()")
        _charge(_size(result))
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        if isinstance(obj, jinja2.utils.Namespace):  # the one object templates may change
            _check_value(value, f"namespace attribute {attribute!r}")
        return value
