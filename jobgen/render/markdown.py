"""Markdown from a template: the one template that drives every document format.

Every value a template prints is escaped for Markdown (``finalize``), so an employer called
``*Acme* <b>`` prints literally. Users' templates run in a bounded Jinja2 sandbox
(:class:`jobgen.render._sandbox.BoundedEnvironment`) with ``StrictUndefined``: no unsafe
attributes, no changing lists in place, and limits on what one rendering may build (see the
``MAX_*`` values). The built-in template is jobgen's own code, compiled once per process in a
plain ``Environment`` with the same settings (see :class:`Templates`).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import time
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .._resources import template_path
from .._yaml import MAX_TEMPLATE_BYTES, read_text
from ..compose import Posting
from ..errors import TemplateError
from ._markup import (
    FILTERS,
    GLOBALS,
    Escaper,
    Markdown,
    escape_markdown,
    long_date,
    md_link,
)

if TYPE_CHECKING:
    import jinja2

    from ._sandbox import BoundedEnvironment

__all__ = [
    "DEFAULT_TEMPLATE",
    "TEMPLATES",
    "Escaper",
    "Markdown",
    "Templates",
    "escape_markdown",
    "load_template",
    "long_date",
    "md_link",
    "prepare_template",
    "render_markdown",
]

DEFAULT_TEMPLATE = "posting.md.j2"

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


def _settings(escaper: Escaper) -> dict[str, Any]:
    """The settings every template environment shares: strict, escaping, tidy whitespace."""
    import jinja2

    return {
        "undefined": jinja2.StrictUndefined,
        "finalize": escaper.finalize,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "autoescape": False,
    }


def _sandbox_environment(escaper: Escaper) -> BoundedEnvironment:
    """Users' templates' environment: bounded, sandboxed."""
    from ._sandbox import BoundedEnvironment, _guard_filter

    env = BoundedEnvironment(**_settings(escaper))
    env.globals["md_link"] = md_link
    env.filters["long_date"] = _guard_filter("long_date", long_date)
    return env


def _trusted_environment(escaper: Escaper) -> jinja2.Environment:
    """The built-in template's environment: the sandbox's settings, unsandboxed."""
    import jinja2

    env = jinja2.Environment(**_settings(escaper))
    env.globals.update(GLOBALS)
    env.filters.update(FILTERS)
    return env


def _compile(env: jinja2.Environment, path: str) -> jinja2.Template:
    """Compile the template file at ``path`` in ``env`` (its own: the file is the environment's
    only template, so an ``include`` finds nothing else); errors name the file and line."""
    import jinja2

    source = read_text(Path(path), what="template", limit=MAX_TEMPLATE_BYTES)
    # FunctionLoader gives the template its file name, so tracebacks (and our errors) carry lines
    env.loader = jinja2.FunctionLoader(lambda name: (source, name, lambda: True))
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


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja2's own cache of compiled templates, in its per-user temporary folder (made 0700 and
    checked to be this user's), so a fresh ``jobgen render`` skips compiling the built-in
    template: 123 -> 107 ms of start-up, the template's compile being 15-18 ms. The cache is
    keyed by the template's text, so an edited template is compiled again; a folder that cannot
    be used is no cache, never an error."""
    import jinja2

    class Quiet(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError, ValueError, EOFError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return Quiet()
    except (OSError, RuntimeError):  # no usable temporary folder, or one not safely ours
        return None


class Templates:
    """Compiles templates with Jinja2 and keeps them, keyed by value.

    The built-in template is jobgen's own code: it is compiled once, in a plain ``Environment``
    with the sandbox's settings (the sandbox's checks on every attribute and call would guard
    nothing there). A user's template is compiled in its own :class:`BoundedEnvironment`, once
    per file path and modification time (the last :data:`MAX_KEPT` of them).
    """

    MAX_KEPT = 8

    def __init__(self, escaper: Escaper | None = None) -> None:
        self._builtin: jinja2.Template | None = None
        self.escaper = escaper if escaper is not None else Escaper()
        """Escapes every value a template prints, remembering the texts it escaped."""
        self._user: dict[tuple[str, float], jinja2.Template] = {}

    def get(self, path: Path | None = None) -> jinja2.Template:
        """The compiled template at ``path``, or the built-in one."""
        if path is None:
            if self._builtin is None:
                env = _trusted_environment(self.escaper)
                env.bytecode_cache = _bytecode_cache()
                self._builtin = _compile(env, str(template_path(DEFAULT_TEMPLATE)))
            return self._builtin
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0  # read_text reports the problem with the file's name
        key = (str(path), mtime)
        found = self._user.get(key)
        if found is None:
            found = _compile(_sandbox_environment(self.escaper), key[0])
            if len(self._user) >= self.MAX_KEPT:
                self._user.clear()
            self._user[key] = found
        return found


TEMPLATES = Templates()
"""The templates this process has compiled (the built-in one once per process)."""


def load_template(path: Path | None = None) -> jinja2.Template:
    """The compiled template at ``path`` (or the built-in one), from :data:`TEMPLATES`."""
    return TEMPLATES.get(path)


def prepare_template(path: Path | None = None) -> None:
    """Compile a template before the first posting, so a syntax error stops a batch before any
    row."""
    TEMPLATES.get(path)


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
