"""Markdown from a template: the one template that drives every document format.

Every value a template prints is escaped for Markdown (``finalize``), so an employer called
``*Acme* <b>`` prints literally. Users' templates run in a bounded Jinja2 sandbox
(:class:`jobgen.render._sandbox.BoundedEnvironment`) with ``StrictUndefined``: no unsafe
attributes, no changing lists in place, and limits on what one rendering may build (see the
``MAX_*`` values). The built-in template is jobgen's own code: ``tools/build_caches.py`` compiles
it ahead of time to plain Python (``_posting_md.py``, by :mod:`jobgen.render._aot`), so rendering
it imports no Jinja2. That module is used while it holds exactly the template file's text;
otherwise the file is compiled by Jinja2 in a plain ``Environment`` with the sandbox's settings
(the sandbox's checks on every attribute and call would guard nothing there): the same output.
Jinja2 is imported only for users' templates, that fallback, and errors.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from .._resources import template_path
from .._yaml import MAX_TEMPLATE_BYTES, read_text
from ..compose import Posting
from ..errors import JobgenError, TemplateError
from ._markup import (
    FILTERS,
    GLOBALS,
    Markdown,
    _escape,
    _finalize,
    escape_markdown,
    long_date,
    md_link,
)

if TYPE_CHECKING:
    import jinja2

    from ._sandbox import BoundedEnvironment

__all__ = [
    "DEFAULT_TEMPLATE",
    "Markdown",
    "_escape",
    "_finalize",
    "escape_markdown",
    "load_template",
    "long_date",
    "md_link",
    "prepare_template",
    "render_markdown",
]

DEFAULT_TEMPLATE = "posting.md.j2"
COMPILED_PATH = Path(__file__).resolve().with_name("_posting_md.py")
"""The built-in template compiled to plain Python by ``tools/build_caches.py``."""

MAX_OUTPUT = 2_000_000
"""Most characters one rendering may produce."""
MAX_VALUE = 1_000_000
"""Largest string or list a template may build: characters, or items counted all the way down."""
MAX_RANGE = 10_000
"""Longest ``range()`` a template may make."""
MAX_STEPS = 250_000
"""Work one rendering may do, in steps: a loop iteration or a call is one step, and the text and
items a call, filter or operator reads or makes cost more (see ``_sandbox._CHARS_PER_STEP``).
A step is a few microseconds of work, so the budget is about a second or two of CPU."""
MAX_SECONDS = 5.0
"""CPU seconds one rendering of a user's template may take, whatever the steps say."""
MAX_INT_BITS = 4_096
"""Largest whole number a template may compute, in bits."""


class _Budget:
    """What one rendering has spent; see :data:`MAX_STEPS` and :data:`MAX_SECONDS`."""

    def __init__(self) -> None:
        self.steps = 0
        self.checked = 0
        self.deadline = time.thread_time() + MAX_SECONDS

    def spend(self, cost: int = 1) -> None:
        self.steps += cost
        if self.steps > MAX_STEPS:
            from ._sandbox import TemplateLimitError  # loaded: only the sandbox spends

            raise TemplateLimitError(
                f"the template did more than {MAX_STEPS:,} steps of work (a loop iteration or "
                "a call is a step; each filter, call or operator also counts the text and "
                "items it reads and makes); is a loop or a macro running away, or a filter "
                "working on a very long text?"
            )
        if self.steps - self.checked >= 64:  # the clock is a system call: look now and then
            self.checked = self.steps
            if time.thread_time() > self.deadline:
                from ._sandbox import TemplateLimitError

                raise TemplateLimitError(
                    f"the template ran for more than {MAX_SECONDS:g} seconds of CPU time"
                )


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


def _spend(cost: int = 1) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.spend(cost)


def _settings() -> dict[str, Any]:
    """The settings every template environment shares: strict, escaping, tidy whitespace."""
    import jinja2

    return {
        "undefined": jinja2.StrictUndefined,
        "finalize": _finalize,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "autoescape": False,
    }


def _environment(loader: jinja2.BaseLoader) -> BoundedEnvironment:
    from ._sandbox import BoundedEnvironment, _guard_filter

    env = BoundedEnvironment(loader=loader, **_settings())
    env.globals["md_link"] = md_link
    env.filters["long_date"] = _guard_filter("long_date", long_date)
    return env


@functools.lru_cache(maxsize=8)
def _compiled(path: str, mtime: float) -> jinja2.Template:
    import jinja2

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
    import jinja2

    env = jinja2.Environment(**_settings())
    env.globals.update(GLOBALS)
    env.filters.update(FILTERS)
    return env


@functools.lru_cache(maxsize=2)
def _builtin(path: str, mtime: float) -> jinja2.Template:
    """The built-in template compiled by Jinja2 from the file (when the compiled module is
    stale, or to retry a posting the compiled code could not render)."""
    import jinja2

    env = _trusted_environment()
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


class _Compiled(NamedTuple):
    """The built-in template compiled ahead of time (``_posting_md.py``), bound to jobgen."""

    render: Callable[..., str]
    names: tuple[str, ...]
    """What ``render`` takes: the template's variables and jobgen's functions, in order."""
    name: str
    """The template file, named in errors as Jinja2's path names it."""


_COMPILED: list[_Compiled | None] = []


def load_template(path: Path | None = None) -> jinja2.Template:
    """Compile a template with Jinja2 once per process (a user's: per file and modification
    time; the built-in one, which is part of the installed package, once). Rendering the
    built-in template needs none of this while its compiled module is current: see
    :func:`prepare_template`."""
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


def _compiled_builtin() -> _Compiled | None:
    """The built-in template's compiled code, once per process; None when the module is
    missing or was compiled from other text than the template file's (then Jinja2 compiles the
    file: the same output, slower)."""
    if _COMPILED:
        return _COMPILED[0]
    found = None
    compiled: Any = None
    with contextlib.suppress(ImportError):  # the module ships with jobgen
        from . import _posting_md as compiled
    if compiled is not None:
        path = template_path(DEFAULT_TEMPLATE)
        try:
            source = read_text(path, what="template", limit=MAX_TEMPLATE_BYTES)
        except JobgenError:
            source = None  # Jinja2's path reports the problem with the file's name
        # the exact text, not a hash: comparing it costs microseconds and imports nothing
        names = tuple(compiled.NAMES)
        if source == compiled.TEMPLATE_SOURCE and all(
            n in ("posting", "options") or n in GLOBALS for n in names
        ):
            found = _Compiled(compiled.bind(_finalize, FILTERS), names, str(path))
    _COMPILED[:] = [found]
    return found


def prepare_template(path: Path | None = None) -> None:
    """Get a template ready before the first posting (so a syntax error stops a batch before
    any row): a user's is compiled by Jinja2; the built-in one imports its compiled module and
    needs Jinja2 only when that module is stale."""
    if path is None and _compiled_builtin() is not None:
        return
    load_template(path)


def _template_line(exc: BaseException, name: str) -> int | None:
    import traceback  # only when a template fails

    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == name:
            line = lineno
    return line


def _generate(tmpl: jinja2.Template, context: dict[str, Any]) -> str:
    """Render, stopping (with the template's current line) once output passes MAX_OUTPUT."""
    from ._sandbox import TemplateLimitError

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


class _NoLimitError(Exception):
    """Never raised: stands for TemplateLimitError where no sandbox runs."""


def _render_jinja(template: Path | None, variables: dict[str, Any]) -> tuple[str, str]:
    """Render with Jinja2: the text and the template's name (for errors)."""
    import jinja2

    tmpl = load_template(template)
    name = tmpl.name or DEFAULT_TEMPLATE

    def where(exc: BaseException) -> str:
        line = _template_line(exc, name)
        return f"{name}:{line}" if line else name

    limit_error: type[Exception] = _NoLimitError  # the built-in template's has no limits
    if template is not None:
        from ._sandbox import TemplateLimitError as limit_error

    budget = _BUDGET.set(_Budget())
    try:
        # jobgen's own template needs no output limit: the fields' limits bound what it prints
        text = tmpl.render(variables) if template is None else _generate(tmpl, variables)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {exc.message}",
            source=where(exc),
            hint="docs/templates.md lists the Posting fields a template can use",
        ) from None
    except limit_error as exc:
        raise TemplateError(
            f"the template went past a limit: {exc}",
            source=where(exc),
            hint="docs/safety.md gives the limits on templates",
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
    return text, name


def render_markdown(posting: Posting, *, template: Path | None = None, **context: Any) -> str:
    """Render the posting as Markdown with the built-in template or a user's ``template``."""
    variables = {"posting": posting, "options": posting.options, **context}
    compiled = _compiled_builtin() if template is None else None
    # a variable that replaces one of jobgen's functions goes through Jinja2, which calls it
    if compiled is not None and context.keys().isdisjoint(GLOBALS):
        try:
            text = compiled.render(
                *[variables[n] if n in variables else GLOBALS[n] for n in compiled.names]
            )
        except Exception:
            # the compiled code reads a.b where Jinja2 would also try a["b"] (or give an
            # undefined value): Jinja2 renders this posting again, with its own result or error
            pass
        else:
            return _finish(text, compiled.name)
    text, name = _render_jinja(template, variables)
    return _finish(text, name)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""Control characters (escape, bell, backspace, a lone carriage return, C1 codes): a terminal
obeys them, so no text format may carry them."""


def _finish(text: str, name: str) -> str:
    """What every rendering gets: at most one blank line, one final newline, no lone
    surrogates, no control characters, and some text. Every format (Markdown, the terminal
    preview, DOCX, HTML, the JSON-LD description) is made from this text."""
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
    control = _CONTROL.search(text)
    if control is not None:
        bad = control.group()
        line = text[: control.start()].count("\n") + 1
        raise TemplateError(
            f"the template's output has the control character U+{ord(bad):04X} on line {line}; "
            "a posting holds text, tabs and line breaks only (a terminal would obey the "
            "character, and a document reader would show it as garbage)",
            source=name,
            hint=f"remove what prints it (such as '\\x{ord(bad):02x}' in a string)",
        )
    if not text.strip():
        raise TemplateError(
            "the template produced no text; a posting needs at least its title", source=name
        )
    return text
