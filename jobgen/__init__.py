"""jobgen: turn a career guide into tailored, publishable job postings.

Library use::

    import jobgen

    guide = jobgen.load_guide()                      # the built-in Mental Health Technician
    options = jobgen.load_options(guide, values={"setting": "inpatient", "education": "associate",
                                                 "employer": {"name": "Riverside"}})
    posting = jobgen.compose(guide, options)
    markdown = jobgen.render(posting, "md").decode()

or in one call: ``jobgen.generate(values={...}, fmt="md")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .compose import Posting, compose
from .employer import EmployerOptions, load_options
from .errors import JobgenError, UsageError, ValidationError
from .guide import Guide, load_guide
from .render import FORMATS, render

__version__ = "0.1.0"
__all__ = [
    "FORMATS",
    "EmployerOptions",
    "Guide",
    "JobgenError",
    "Posting",
    "UsageError",
    "ValidationError",
    "__version__",
    "compose",
    "generate",
    "load_guide",
    "load_options",
    "render",
]


def generate(
    *,
    guide: str | Path | Guide | None = None,
    employer_file: str | Path | None = None,
    values: dict[str, Any] | None = None,
    setting: str | None = None,
    education: str | None = None,
    assignments: tuple[str, ...] = (),
    environ: dict[str, str] | None = None,
    fmt: str = "md",
    template: str | Path | None = None,
    reference_docx: str | Path | None = None,
) -> bytes:
    """Load, compose and render one posting; the whole pipeline of ``jobgen render``.

    ``environ`` defaults to ``os.environ`` (for ``JOBGEN_*`` and ``SOURCE_DATE_EPOCH``); pass
    ``{}`` to ignore the environment.
    """
    g = guide if isinstance(guide, Guide) else load_guide(guide)
    options = load_options(
        g,
        employer_file=employer_file,
        values=values,
        environ=environ,
        assignments=assignments,
        setting=setting,
        education=education,
    )
    return render(
        compose(g, options),
        fmt,
        template=Path(template) if template else None,
        reference_docx=Path(reference_docx) if reference_docx else None,
    )
