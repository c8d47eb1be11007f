"""jobgen: turn a career guide into tailored, publishable job postings.

Library use::

    import jobgen

    guide = jobgen.load_guide()                      # the built-in Mental Health Technician
    options = jobgen.load_options(guide, values={"setting": "inpatient", "education": "associate",
                                                 "employer": {"name": "Riverside"}})
    posting = jobgen.compose.compose(guide, options)
    markdown = jobgen.render.render(posting, "md").decode()

or in one call: ``jobgen.generate(values={...}, fmt="md")``; ``jobgen.generate_document`` also
returns the composed posting, its Markdown and any warnings.

``jobgen.compose`` and ``jobgen.render`` are modules (``import jobgen.render.markdown`` works
like any import); their functions of the same name are ``jobgen.compose.compose`` and
``jobgen.render.render``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from . import render  # light: the renderers themselves load on first use
from .errors import JobgenError, UsageError, ValidationError
from .render import FORMATS

if TYPE_CHECKING:
    from pathlib import Path

    from . import compose
    from .compose import Posting
    from .employer import EmployerOptions, load_options
    from .guide import Guide, load_guide
    from .render import Rendered

__version__ = "0.1.0"
__all__ = [
    "FORMATS",
    "EmployerOptions",
    "Guide",
    "JobgenError",
    "Posting",
    "PostingSources",
    "UsageError",
    "ValidationError",
    "__version__",
    "compose",
    "generate",
    "generate_document",
    "load_guide",
    "load_options",
    "load_posting",
    "render",
]


def load_posting(
    *,
    guide: str | Path | Guide | None = None,
    employer_file: str | Path | None = None,
    values: Mapping[str, Any] | None = None,
    setting: str | None = None,
    education: str | None = None,
    assignments: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Posting:
    """Load the guide and the employer's options from every source, and compose the posting.

    Sources, weakest first: ``employer_file``, ``values`` (a mapping, nested or dotted keys),
    ``JOBGEN_*`` variables in ``environ`` (default ``os.environ``; pass ``{}`` to ignore the
    environment), ``assignments`` (``"key=value"``), then ``setting`` and ``education``.
    """
    from .compose import compose as compose_posting
    from .employer import load_options
    from .guide import Guide, load_guide

    g = guide if isinstance(guide, Guide) else load_guide(guide)
    options = load_options(
        g,
        employer_file=employer_file,
        values=values,
        environ=environ,
        assignments=tuple(assignments),
        setting=setting,
        education=education,
    )
    return compose_posting(g, options)


class PostingSources(TypedDict, total=False):
    """Where a posting's guide and employer options come from: :func:`load_posting`'s
    arguments, which :func:`generate` and :func:`generate_document` pass on."""

    guide: str | Path | Guide | None
    employer_file: str | Path | None
    values: Mapping[str, Any] | None
    setting: str | None
    education: str | None
    assignments: Sequence[str]
    environ: Mapping[str, str] | None


def generate_document(
    *,
    fmt: str = "md",
    template: str | Path | None = None,
    reference_docx: str | Path | None = None,
    **sources: Unpack[PostingSources],
) -> Rendered:
    """The whole pipeline of ``jobgen render``: :func:`load_posting` (``sources`` are its
    keyword arguments), then :func:`jobgen.render.render_document`, whose result carries the
    posting, the Markdown, the bytes and any warnings."""
    from .render import render_document

    return render_document(load_posting(**sources), fmt, **_files(template, reference_docx))


def generate(
    *,
    fmt: str = "md",
    template: str | Path | None = None,
    reference_docx: str | Path | None = None,
    **sources: Unpack[PostingSources],
) -> bytes:
    """Load, compose and render one posting to bytes (see :func:`load_posting` for the
    sources). DOCX warnings are issued as ``jobgen.render.docx.DocxWarning``."""
    return render.render(load_posting(**sources), fmt, **_files(template, reference_docx))


def _files(template: str | Path | None, reference_docx: str | Path | None) -> dict[str, Any]:
    from pathlib import Path

    return {
        "template": Path(template) if template else None,
        "reference_docx": Path(reference_docx) if reference_docx else None,
    }


# The rest of the pipeline is imported on first use, so `import jobgen` (and so every CLI
# start-up) pays only for what a command needs.
_LAZY = {
    "EmployerOptions": "employer",
    "Guide": "guide",
    "Posting": "compose",
    "load_guide": "guide",
    "load_options": "employer",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name == "compose":  # the module: importing it binds the name here
        return importlib.import_module(".compose", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'jobgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
