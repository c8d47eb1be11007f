"""Markdown through Jinja2: the one template that drives every document format.

Every value a template prints is escaped for Markdown (``finalize``), so an employer called
``*Acme* <b>`` prints literally. Users' templates run in Jinja2's ``SandboxedEnvironment`` with
``StrictUndefined``. The built-in template is jobgen's own code, so it runs in a plain
``Environment`` with the same settings (the sandbox's checks on every attribute and call would
guard nothing), compiled ahead of time (see :func:`precompiled_source`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from .._resources import template_path
from .._yaml import decode_text, read_text
from ..errors import TemplateError

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from ..compose import Posting

DEFAULT_TEMPLATE = "posting.md.j2"
PRECOMPILED_PATH = Path(__file__).resolve().with_name("_posting_md_j2.py")
"""The built-in template compiled to Python by ``tools/build_caches.py``."""


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


def _environment(loader: jinja2.BaseLoader) -> SandboxedEnvironment:
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=loader,
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


@functools.lru_cache(maxsize=8)
def _compiled(path: str, mtime: float) -> jinja2.Template:
    source = read_text(Path(path), what="template")
    # FunctionLoader gives the template its file name, so tracebacks (and our errors) carry lines
    env = _environment(jinja2.FunctionLoader(lambda name: (source, name, lambda: True)))
    try:
        return env.get_template(path)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", source=f"{path}:{exc.lineno}"
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
        source = read_text(Path(path), what="template")
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
    import traceback

    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == name:
            line = lineno
    return line


def render_markdown(posting: Posting, *, template: Path | None = None, **context: Any) -> str:
    """Render the posting as Markdown with the built-in template or a user's ``template``."""
    tmpl = load_template(template)
    name = tmpl.name or DEFAULT_TEMPLATE
    try:
        text = tmpl.render(posting=posting, options=posting.options, **context)
    except jinja2.UndefinedError as exc:
        line = _template_line(exc, name)
        raise TemplateError(
            f"undefined variable: {exc.message}",
            source=f"{name}:{line}" if line else name,
            hint="see the Posting fields in the README (Templates section)",
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        line = _template_line(exc, name)
        raise TemplateError(
            f"the template tried something the sandbox forbids: {exc}",
            source=f"{name}:{line}" if line else name,
        ) from None
    except jinja2.TemplateError as exc:
        line = _template_line(exc, name)
        raise TemplateError(
            f"template error: {exc}", source=f"{name}:{line}" if line else name
        ) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        line = _template_line(exc, name)
        raise TemplateError(
            f"template error: {exc}", source=f"{name}:{line}" if line else name
        ) from None
    while "\n\n\n" in text:  # at most one blank line anywhere (str.replace beats a regex)
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"
