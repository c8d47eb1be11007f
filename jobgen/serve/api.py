"""What each route does, as plain functions over the library (no web framework here): the
same calls ``jobgen render``, ``lint``, ``options``, ``init`` and ``batch`` make. They run on
worker threads; each call's inputs are its own, so concurrent requests never share a result."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .._yaml import MAX_INPUT_BYTES, decode_text, parse_yaml
from ..compose import Posting, compose
from ..employer import (
    FIELD_BY_KEY,
    FIELDS,
    GROUPS,
    LIST_SEPARATOR,
    flatten,
    load_options,
    parse_field,
)
from ..errors import JobgenError, UsageError, ValidationError
from ..guide import Guide, load_guide
from ..output import safe_stem
from ..render import Rendered
from ..render import render_document as _render_document

MAX_BODY = MAX_INPUT_BYTES
"""Cap of a request body: the CLI's limit on an employer file (10 MiB)."""
MAX_REFERENCE_BODY = MAX_INPUT_BYTES + 28 * 1024 * 1024
"""Cap of a render request: the fields, plus a reference document of the CLI's 20 MiB limit
in base64 (4/3 as long)."""
MAX_BATCH_BODY = 200 * 1024 * 1024
"""Cap of a batch request: the CLI's limit on a batch input read from a stream."""


def body_limits(prefix: str) -> dict[str, int]:
    """Body caps of the routes that take more than :data:`MAX_BODY`."""
    return {f"{prefix}/render": MAX_REFERENCE_BODY, f"{prefix}/batch": MAX_BATCH_BODY}


def request_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment a request's options see: the fixed date, never ``JOBGEN_*`` values."""
    return {k: environ[k] for k in ("SOURCE_DATE_EPOCH",) if k in environ}


# ---------------------------------------------------------------------------- guides


@dataclass(frozen=True)
class ServedGuide:
    """A guide the server was started with, and its ``jobgen options --json`` description."""

    guide: Guide
    options: dict[str, Any]
    environ: Mapping[str, str] = field(default_factory=dict)
    """What a request's options see of the server's environment (:func:`request_environ`)."""


@dataclass(frozen=True)
class Guides:
    """The guides a server serves, by slug; the first is the default."""

    by_slug: dict[str, ServedGuide]

    @classmethod
    def load(cls, specs: Sequence[str | Path | None], *, environ: dict[str, str]) -> Guides:
        from ..choices import describe_choices

        by_slug: dict[str, ServedGuide] = {}
        for spec in specs or (None,):
            guide = load_guide(spec)
            if guide.slug in by_slug:
                raise UsageError(
                    f"two guides have the slug {guide.slug!r}; serve each guide once",
                    source="--guide",
                )
            options = describe_choices(None if spec is None else str(spec))
            by_slug[guide.slug] = ServedGuide(guide, options, environ)
        return cls(by_slug)

    def __iter__(self) -> Iterator[ServedGuide]:
        return iter(self.by_slug.values())

    def get(self, slug: str | None) -> ServedGuide:
        if slug is None or slug == "":
            return next(iter(self.by_slug.values()))
        if slug not in self.by_slug:
            raise UsageError(
                f"this server has no guide {slug!r}; it serves {', '.join(self.by_slug)}",
                source="guide",
            )
        return self.by_slug[slug]


# ---------------------------------------------------------------------------- errors


class FieldErrors(Exception):
    """Several fields are wrong at once: the API's error entries."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


_FIELD_PREFIX = re.compile(r"^([a-z_]+(?:\.[a-z_]+)?): ")


def describe_error(exc: JobgenError) -> dict[str, Any]:
    """A library error as the API's entry: the field it is about (or None), the message in the
    library's words without the field name it starts with, and the hint."""
    name: str | None = None
    message = exc.message
    match = _FIELD_PREFIX.match(message)
    if exc.source in FIELD_BY_KEY:
        name = exc.source
    elif exc.source in GROUPS:
        name = _first_of(exc.source)
    elif exc.source in ("--setting", "--education"):
        name = exc.source[2:]
    if match and (match.group(1) in FIELD_BY_KEY or match.group(1) in GROUPS):
        key = match.group(1)
        name = name or (key if key in FIELD_BY_KEY else _first_of(key))
        if key == name or key in GROUPS:
            message = message[match.end() :]
    return {"field": name, "message": message, "hint": exc.hint}


def _first_of(group: str) -> str:
    return next(f.key for f in FIELDS if f.key.startswith(group + "."))


def options_for(served: ServedGuide, values: Mapping[str, Any]) -> Any:
    """Validate ``values`` as an employer file's are. Every field whose value is wrong on its
    own is reported at once (as ``jobgen init`` checks each answer), then the whole set."""
    errors: list[dict[str, Any]] = []
    try:
        flat = flatten(values, "request")
    except JobgenError as exc:
        raise FieldErrors([describe_error(exc)]) from None
    for key, (value, _) in flat.items():
        if isinstance(value, str):
            try:
                parse_field(served.guide, key, value)
            except JobgenError as exc:
                entry = describe_error(exc)
                entry["field"] = key
                errors.append(entry)
    if errors:
        raise FieldErrors(errors)
    try:
        return load_options(served.guide, values=values, environ=served.environ)
    except JobgenError as exc:
        raise FieldErrors([describe_error(exc)]) from None


# ---------------------------------------------------------------------------- routes' work


def render_document(
    served: ServedGuide,
    values: Mapping[str, Any],
    fmt: str,
    reference: bytes | None,
) -> Rendered:
    """``jobgen render -f FMT [--reference-docx FILE]`` for these fields."""
    from ..render import check_format

    try:
        fmt = check_format(fmt)
    except UsageError as exc:
        raise UsageError(exc.message, source="format") from None
    if reference is not None and fmt != "docx":
        raise UsageError(
            f"applies to Word documents only, and the format is {fmt!r}",
            source="reference_docx",
            hint="add ?format=docx",
        )
    posting = compose(served.guide, options_for(served, values))
    if reference is None:
        return _render_document(posting, fmt)
    with tempfile.TemporaryDirectory(prefix="jobgen-serve-") as folder:
        path = Path(folder) / "reference.docx"
        path.write_bytes(reference)
        try:
            return _render_document(posting, fmt, reference_docx=path)
        except JobgenError as exc:
            if exc.source == str(path):
                raise FieldErrors(
                    [{"field": "reference_docx", "message": exc.message, "hint": exc.hint}]
                ) from None
            raise


def disposition(posting: Posting, fmt: str) -> str:
    """A Content-Disposition naming the file after the employer and title, in safe ASCII."""
    words = posting.title if posting.is_placeholder else f"{posting.employer_name} {posting.title}"
    return f'attachment; filename="{safe_stem(words)}.{fmt}"'


def lint_report(
    served: ServedGuide,
    values: Mapping[str, Any],
    *,
    disable: Sequence[str] = (),
    enable: Sequence[str] = (),
    max_grade: str | None = None,
) -> dict[str, Any]:
    """``jobgen lint --json [--disable R] [--enable R] [--max-grade N]`` for these fields."""
    from ..lint import LintConfig, lint_composed

    grade = 12.0
    if max_grade is not None:
        try:
            grade = float(max_grade)
        except ValueError:
            raise UsageError(f"max_grade {max_grade!r} is not a number") from None
    config = LintConfig(max_grade=grade, disable=frozenset(disable), enable=frozenset(enable))
    posting = compose(served.guide, options_for(served, values))
    return lint_composed(posting, config=config).to_dict()


def preview(served: ServedGuide, values: Mapping[str, Any]) -> dict[str, Any]:
    """The studio's preview: the draft HTML page (as ``jobgen gallery`` draws one, without the
    JSON-LD, so it shows before the address is filled in) and the lint report."""
    from ..lint import lint_composed
    from ..render.html import render_html

    posting = compose(served.guide, options_for(served, values))
    markdown = _render_document(posting, "md").data.decode("utf-8")
    page = render_html(markdown, posting, structured_data=False)
    return {
        "html": page.decode("utf-8"),
        "lint": lint_composed(posting, markdown=markdown).to_dict(),
    }


def variants(served: ServedGuide, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every setting × education variant of these answers: its summary and lint counts."""
    from ..lint import lint_composed

    env = served.environ
    options_for(served, values)  # the answers themselves first, with every bad field
    out = []
    guide = served.guide
    for setting in guide.setting_choices():
        for level in guide.education_choices():
            merged = {**values, "setting": setting.slug, "education": level.slug}
            posting = compose(guide, load_options(guide, values=merged, environ=env))
            report = lint_composed(posting)
            out.append(
                {
                    "setting": setting.slug,
                    "setting_name": setting.name,
                    "education": level.slug,
                    "education_name": level.name,
                    "title": posting.title,
                    "summary": " ".join(posting.summary),
                    "lint": {s: report.count(s) for s in ("error", "warning", "info")},
                }
            )
    return out


def employer_yaml(served: ServedGuide, values: Mapping[str, Any]) -> str:
    """The commented employer file ``jobgen init`` writes, with these answers filled in."""
    from ..starter import starter_yaml

    options_for(served, values)
    answers = {}
    for key, (value, _) in flatten(values, "request").items():
        if isinstance(value, list | tuple):
            answers[key] = LIST_SEPARATOR.join(str(v) for v in value)
        elif value is not None:
            answers[key] = str(value)
    return starter_yaml(served.guide, answers)


def read_employer(served: ServedGuide, data: bytes, name: str) -> dict[str, Any]:
    """An uploaded employer file (YAML or JSON) as form fields: dotted key → text, or a list
    of texts for list fields. A choice written as an alias or prefix (``setting: inpatient``)
    becomes its slug, as the form lists choices by slug; other values are checked when the
    form is previewed."""
    source = safe_stem(name.rsplit(".", 1)[0], fallback="employer") + ".yaml"
    value = parse_yaml(decode_text(data, source, what="employer file"), source, literal=True)
    if not isinstance(value, Mapping):
        raise ValidationError(
            "the employer file must be a mapping of fields such as 'employer: {name: ...}'",
            source=source,
        )
    fields: dict[str, Any] = {}
    for key, (item, _) in flatten(value, source).items():
        if isinstance(item, list | tuple):
            fields[key] = ["" if v is None else str(v) for v in item]
        else:
            fields[key] = "" if item is None else str(item)
            if FIELD_BY_KEY[key].kind in ("setting", "education", "choice") and fields[key]:
                # a bad value is shown as written, and the preview names the problem
                with contextlib.suppress(JobgenError):
                    fields[key] = parse_field(served.guide, key, fields[key])
    return fields


ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every zip entry's time: identical requests give identical archives."""


def batch_zip(
    served: ServedGuide,
    data: bytes,
    formats: Sequence[str],
) -> IO[bytes]:
    """``jobgen batch - --input-format jsonl -f FORMATS`` for these lines, as a zip (an open
    temporary file) of the postings and ``manifest.json``. Rows render in this process."""
    from ..batch import run_batch

    archive = tempfile.TemporaryFile(prefix="jobgen-serve-")  # noqa: SIM115 - the caller streams it, then closes it
    with tempfile.TemporaryDirectory(prefix="jobgen-serve-") as folder:
        out = Path(folder) / "postings"
        run_batch(
            io.BytesIO(data),
            out_dir=out,
            formats=formats,
            input_format="jsonl",
            input_name="request",
            guide=served.guide,
            environ=served.environ,
            jobs=1,
            keep_results=False,
        )
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as package:
            names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
            for name in names:
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                package.writestr(info, (out / name).read_bytes())
    archive.seek(0)
    return archive
