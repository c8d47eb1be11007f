"""Markdown through Jinja2: the one template that drives every document format.

Every value a template prints is escaped for Markdown (``finalize``), so an employer called
``*Acme* <b>`` prints literally. Users' templates run in a bounded Jinja2 sandbox
(:class:`BoundedEnvironment`) with ``StrictUndefined``: no unsafe attributes, no changing lists in
place, and limits on what one rendering may build (see the ``MAX_*`` values). The built-in
template is jobgen's own code, so it runs in a plain ``Environment`` with the same settings (the
sandbox's checks on every attribute and call would guard nothing), compiled ahead of time (see
:func:`precompiled_source`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .._resources import template_path
from .._yaml import MAX_TEMPLATE_BYTES, decode_text, read_text
from ..compose import Posting
from ..errors import TemplateError

DEFAULT_TEMPLATE = "posting.md.j2"
PRECOMPILED_PATH = Path(__file__).resolve().with_name("_posting_md_j2.py")
"""The built-in template compiled to Python by ``tools/build_caches.py``."""

MAX_OUTPUT = 2_000_000
"""Most characters one rendering may produce."""
MAX_VALUE = 1_000_000
"""Largest string or list a template may build: characters, or items counted all the way down."""
MAX_RANGE = 10_000
"""Longest ``range()`` a template may make."""
MAX_STEPS = 250_000
"""Loop iterations plus calls (functions, macros, filters) in one rendering."""
MAX_INT_BITS = 4_096
"""Largest whole number a template may compute, in bits."""


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([-+=>|~]|\d+(?=[.)]))", re.MULTILINE)


# Text that escape_markdown would return unchanged: one line, none of the characters it escapes,
# and no list, quote or heading marker (or leading blank) at its start. Most values are like this.
_PLAIN = re.compile(r"(?![\s\-+=>|~]|\d+[.)])[^\\`*_\[\]<>#&\n]*")


def escape_markdown(text: str) -> str:
    """Backslash-escape what CommonMark would read as markup, so text prints literally."""
    if _PLAIN.fullmatch(text):  # nothing to escape: skip the substitutions
        return text
    return _escape(text)


def _escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)

    def line_start(m: re.Match[str]) -> str:
        mark = m.group(2)
        if mark.isdigit():  # "1." starts a list: escape the dot after the number
            return f"{m.group(1)}{mark}\\"
        return f"{m.group(1)}\\{mark}"

    text = _LINE_START.sub(line_start, text)
    # leading spaces would make an indented code block
    return "\n".join(line.lstrip(" \t") for line in text.split("\n"))


_ESCAPED: dict[str, str] = {}
"""escape_markdown's results: most values are the guide's own sentences, printed again and
again (a bounded cache: it starts afresh when full)."""
_ESCAPED_MAX = 4096


def _finalize(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Markdown):
        return value
    text = str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        escaped = escape_markdown(text)
        if len(_ESCAPED) >= _ESCAPED_MAX:
            _ESCAPED.clear()
        _ESCAPED[text] = escaped
    return escaped


def md_link(text: str, url: str) -> Markdown:
    """``[text](<url>)``; the URL was validated as http(s) or mailto where it came in."""
    safe_url = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return Markdown(f"[{escape_markdown(text)}](<{safe_url}>)")


def long_date(value: dt.date) -> str:
    """``2026-12-31`` → ``December 31, 2026`` (the same on every platform)."""
    return f"{value.strftime('%B')} {value.day}, {value.year}"


class TemplateLimitError(jinja2.exceptions.SecurityError):
    """A template tried to build something larger than jobgen's limits allow."""


class _Budget:
    """What one rendering has spent; see :data:`MAX_STEPS`."""

    def __init__(self) -> None:
        self.steps = 0

    def spend(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(
                f"more than {MAX_STEPS:,} loop iterations and calls; "
                "is a loop or a macro running away?"
            )


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


def _spend() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.spend()


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


def _environment(loader: jinja2.BaseLoader) -> BoundedEnvironment:
    env = BoundedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["md_link"] = md_link
    env.filters["long_date"] = _guard_filter("long_date", long_date)
    return env


@functools.lru_cache(maxsize=8)
def _compiled(path: str, mtime: float) -> jinja2.Template:
    source = read_text(Path(path), what="template", limit=MAX_TEMPLATE_BYTES)
    # FunctionLoader gives the template its file name, so tracebacks (and our errors) carry lines
    env = _environment(jinja2.FunctionLoader(lambda name: (source, name, lambda: True)))
    try:
        return env.get_template(path)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", source=f"{path}:{exc.lineno}"
        ) from None
    except RecursionError:
        raise TemplateError(
            "template syntax error: expressions nested too deeply to compile", source=path
        ) from None


def _trusted_environment() -> jinja2.Environment:
    """The built-in template's environment: :func:`_environment`'s settings, unsandboxed."""
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["md_link"] = md_link
    env.filters["long_date"] = long_date
    return env


def precompiled_source() -> str:
    """The built-in template compiled to a Python module, keyed on the template's SHA-256 and
    the Jinja2 version (``tools/build_caches.py`` writes it to :data:`PRECOMPILED_PATH`)."""
    path = template_path(DEFAULT_TEMPLATE)
    raw = path.read_bytes()
    code = _trusted_environment().compile(
        decode_text(raw, str(path), what="template"),
        name=DEFAULT_TEMPLATE,
        filename=DEFAULT_TEMPLATE,
        raw=True,
        defer_init=True,  # the module imports without an environment; loading binds one
    )
    # appended, so the line numbers Jinja2 maps back to the template stay right
    return (
        f"{code}\n\n# Generated by tools/build_caches.py from templates/{DEFAULT_TEMPLATE}; "
        "do not edit.\n"
        f"TEMPLATE_SHA256 = {hashlib.sha256(raw).hexdigest()!r}\n"
        f"JINJA2_VERSION = {jinja2.__version__!r}\n"
    )


@functools.lru_cache(maxsize=2)
def _builtin(path: str, mtime: float) -> jinja2.Template:
    """The built-in template: imported precompiled when it matches the template file and this
    Jinja2, compiled from the file otherwise (slower, the same result)."""
    env = _trusted_environment()
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raw = b""  # compiling reports the problem with the file's name
    compiled: Any = None
    with contextlib.suppress(ImportError):  # the module ships with jobgen
        from . import _posting_md_j2 as compiled
    if (
        compiled is not None
        and getattr(compiled, "TEMPLATE_SHA256", None) == hashlib.sha256(raw).hexdigest()
        and getattr(compiled, "JINJA2_VERSION", None) == jinja2.__version__
    ):
        template = env.template_class.from_module_dict(env, vars(compiled), env.make_globals(None))
    else:
        source = read_text(Path(path), what="template", limit=MAX_TEMPLATE_BYTES)
        env.loader = jinja2.FunctionLoader(lambda name: (source, name, lambda: True))
        try:
            template = env.get_template(path)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"template syntax error: {exc.message}", source=f"{path}:{exc.lineno}"
            ) from None
    # errors name the template file and its lines, as for a user's template
    template.name = template.filename = path
    return template


_BUILTIN: list[jinja2.Template] = []


def load_template(path: Path | None = None) -> jinja2.Template:
    """Compile a template once per process (a user's: per file and modification time; the
    built-in one, which is part of the installed package, once)."""
    if path is None and _BUILTIN:
        return _BUILTIN[0]
    target = path if path is not None else template_path(DEFAULT_TEMPLATE)
    try:
        mtime = target.stat().st_mtime
    except OSError:
        mtime = 0.0  # read_text reports the problem with the file's name
    if path is None:
        _BUILTIN[:] = [_builtin(str(target), mtime)]
        return _BUILTIN[0]
    return _compiled(str(target), mtime)


def _template_line(exc: BaseException, name: str) -> int | None:
    import traceback  # only when a template fails

    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == name:
            line = lineno
    return line


def _generate(tmpl: jinja2.Template, context: dict[str, Any]) -> str:
    """Render, stopping (with the template's current line) once output passes MAX_OUTPUT."""
    parts: list[str] = []
    total = 0
    stream = cast(Generator[str, None, None], tmpl.generate(**context))
    for chunk in stream:
        parts.append(chunk)
        total += len(chunk)
        if total > MAX_OUTPUT:
            # thrown in at the template's current point, so the error carries its line
            stream.throw(TemplateLimitError(f"the output is longer than {MAX_OUTPUT:,} characters"))
    return "".join(parts)


def render_markdown(posting: Posting, *, template: Path | None = None, **context: Any) -> str:
    """Render the posting as Markdown with the built-in template or a user's ``template``."""
    tmpl = load_template(template)
    name = tmpl.name or DEFAULT_TEMPLATE

    def where(exc: BaseException) -> str:
        line = _template_line(exc, name)
        return f"{name}:{line}" if line else name

    budget = _BUDGET.set(_Budget())
    variables = {"posting": posting, "options": posting.options, **context}
    try:
        # jobgen's own template needs no output limit: the fields' limits bound what it prints
        text = tmpl.render(variables) if template is None else _generate(tmpl, variables)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {exc.message}",
            source=where(exc),
            hint="see the Posting fields in the README (Templates section)",
        ) from None
    except TemplateLimitError as exc:
        raise TemplateError(
            f"the template went past a limit: {exc}",
            source=where(exc),
            hint="see 'Your files are safe' in the README for the limits on templates",
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(
            f"the template tried something the sandbox forbids: {exc}", source=where(exc)
        ) from None
    except RecursionError as exc:
        raise TemplateError(
            "a macro, recursive loop or include calls itself too deeply", source=where(exc)
        ) from None
    except MemoryError as exc:
        raise TemplateError("the template ran out of memory", source=where(exc)) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise TemplateError(f"template error: {exc}", source=where(exc)) from None
    finally:
        _BUDGET.reset(budget)
    while "\n\n\n" in text:  # at most one blank line anywhere (str.replace beats a regex)
        text = text.replace("\n\n\n", "\n\n")
    text = text.strip("\n") + "\n"
    try:
        # lone surrogates: no encoding can write them (other characters a format cannot hold
        # are that renderer's business: DOCX removes them with a warning); encoding finds them
        # several times faster than a search
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        line = text[: exc.start].count("\n") + 1
        raise TemplateError(
            f"the template's output has the lone surrogate U+{ord(bad):04X} on line "
            f"{line}, which no file can hold",
            source=name,
            hint="remove the escape (such as '\\ud800') the template prints",
        ) from None
    if not text.strip():
        raise TemplateError(
            "the template produced no text; a posting needs at least its title", source=name
        )
    return text
