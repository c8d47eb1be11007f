"""Markdown through Jinja2: the one template that drives every document format.

Every value a template prints is escaped for Markdown (``finalize``), so an employer called
``*Acme* <b>`` prints literally. Users' templates run in a bounded Jinja2 sandbox
(:class:`jobgen.render._sandbox.BoundedEnvironment`) with ``StrictUndefined``: no unsafe
attributes, no changing lists in place, and limits on what one rendering may build (see the
``MAX_*`` values). The built-in template is jobgen's own code, so it runs in a plain
``Environment`` with the same settings (the sandbox's checks on every attribute and call would
guard nothing), compiled ahead of time (see :func:`precompiled_source`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2

from .._resources import template_path
from .._yaml import MAX_TEMPLATE_BYTES, decode_text, read_text
from ..compose import Posting
from ..errors import TemplateError

if TYPE_CHECKING:
    from ._sandbox import BoundedEnvironment

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


def _settings() -> dict[str, Any]:
    """The settings every template environment shares: strict, escaping, tidy whitespace."""
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
    env = jinja2.Environment(**_settings())
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
