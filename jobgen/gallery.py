"""A static gallery: every setting × education variant of a guide (and example employers) as
HTML pages with their Markdown and Word files, and an index that links them all.

Every link is relative, so the gallery works straight from ``file://`` with no server. The same
inputs (and the same ``SOURCE_DATE_EPOCH``) give the same bytes.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .compose import Posting, compose
from .employer import load_options
from .errors import JobgenError, OutputError, UsageError, ValidationError
from .guide import Guide, load_guide
from .output import safe_stem, unique_stems, write_atomic
from .render import render_document
from .render.markdown import render_markdown

INDEX_STYLE = """\
body { margin: 0; background: #f4f5f7; color: #1f2328; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
main { max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 0.25rem; color: #0d1b2a; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.75rem; color: #0d1b2a; }
p.lead { margin: 0 0 1.5rem; color: #3d4650; }
table { border-collapse: separate; border-spacing: 0.5rem; width: 100%; table-layout: fixed; }
th { text-align: left; vertical-align: bottom; font-size: 0.95rem; color: #3d4650;
  padding: 0 0.5rem; }
th[scope=row] { vertical-align: top; padding-top: 0.9rem; }
td, .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px;
  padding: 0.75rem 0.9rem; vertical-align: top; }
td a.view, .card a.view { font-weight: 600; color: #0a58ca; }
.req { font-size: 0.85rem; color: #3d4650; margin: 0.35rem 0; }
.files { font-size: 0.85rem; margin: 0.4rem 0 0; }
.files a { color: #0a58ca; }
.cards { display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
@media print { body { background: #fff; } td, .card { border-color: #999; } }
"""


@dataclass(frozen=True)
class GalleryEntry:
    """One posting in the gallery and where its files go (paths relative to the gallery)."""

    stem: str  # e.g. "variants/inpatient-facilities--associates-degree"
    label: str
    posting: Posting
    markdown: str
    published: bool  # a real employer: embed JSON-LD when it can be filled


def _date_env(environ: Mapping[str, str] | None) -> dict[str, str]:
    # only the date matters: JOBGEN_* variables must not change the canonical variants
    source = environ if environ is not None else os.environ
    epoch = source.get("SOURCE_DATE_EPOCH")
    return {"SOURCE_DATE_EPOCH": epoch} if epoch else {}


def gallery_entries(
    guide: Guide,
    employer_files: Sequence[Path] = (),
    *,
    environ: Mapping[str, str] | None = None,
) -> list[GalleryEntry]:
    """Compose every variant (placeholder employer) and every employer file's posting."""
    env = _date_env(environ)
    entries: list[GalleryEntry] = []
    for setting in guide.setting_choices():
        for education in guide.education_choices():
            options = load_options(
                guide, setting=setting.slug, education=education.slug, environ=env
            )
            posting = compose(guide, options)
            entries.append(
                GalleryEntry(
                    f"variants/{setting.slug}--{education.slug}",
                    f"{setting.name} · {education.name}",
                    posting,
                    render_markdown(posting),
                    published=False,
                )
            )
    seen: set[str] = set()
    for path in employer_files:
        try:
            options = load_options(guide, employer_file=path, environ=env)
        except UsageError as exc:  # the gallery has no --setting/--education: the file must say
            if exc.source not in ("--setting", "--education"):
                raise
            key = exc.source.lstrip("-")
            raise ValidationError(
                f"gives no {key}; a gallery posting takes it from the file",
                source=str(path),
                hint=f"add '{key}:' to the file (`jobgen options` lists the choices)",
            ) from None
        posting = compose(guide, options)
        # the same safe names as batch: no "..", no Windows device names, repeats numbered
        stem = next(unique_stems([safe_stem(Path(path).stem, fallback="employer")], taken=seen))
        seen.add(stem)
        entries.append(
            GalleryEntry(
                f"employers/{stem}",
                posting.employer_name,
                posting,
                render_markdown(posting),
                published=True,
            )
        )
    return entries


def _page(entry: GalleryEntry) -> bytes:
    from .render.html import render_html

    name = entry.stem.rsplit("/", 1)[1]
    nav = [
        ("← All variants", "../index.html"),
        ("Markdown", f"{name}.md"),
        ("Word document", f"{name}.docx"),
    ]
    if entry.published:
        try:
            return render_html(entry.markdown, entry.posting, nav=nav)
        except JobgenError:
            pass  # an example employer without a country, say: show the page without JSON-LD
    return render_html(entry.markdown, entry.posting, structured_data=False, nav=nav)


def _files_links(stem: str) -> str:
    return (
        f'<p class="files"><a href="{stem}.md">Markdown</a> · '
        f'<a href="{stem}.docx">Word document</a></p>'
    )


def _index(guide: Guide, entries: Sequence[GalleryEntry]) -> bytes:
    esc = html.escape
    variants = {e.stem: e for e in entries if e.stem.startswith("variants/")}
    employers = [e for e in entries if e.stem.startswith("employers/")]
    head = "".join(f'<th scope="col">{esc(c.name)}</th>' for c in guide.education_choices())
    rows = []
    for s in guide.setting_choices():
        cells = []
        for e in guide.education_choices():
            entry = variants[f"variants/{s.slug}--{e.slug}"]
            label = f"{entry.posting.setting_label}, {entry.posting.education_label}"
            cells.append(
                f'<td><a class="view" href="{entry.stem}.html">{esc(label[:1].upper() + label[1:])}'
                f"</a>{_files_links(entry.stem)}</td>"
            )
        rows.append(f'<tr><th scope="row">{esc(s.name)}</th>{"".join(cells)}</tr>')
    cards = "".join(
        f'<div class="card"><a class="view" href="{e.stem}.html">{esc(e.label)}</a>'
        f'<p class="req">{esc(e.posting.setting.name)} · {esc(e.posting.education.name)}'
        f"{' · ' + esc(e.posting.pay) if e.posting.pay else ''}</p>{_files_links(e.stem)}</div>"
        for e in employers
    )
    employer_section = (
        f'<h2>Example employers</h2>\n<div class="cards">{cards}</div>\n' if employers else ""
    )
    count = len(variants)
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(guide.occupation)} postings – jobgen gallery</title>\n"
        f"<style>\n{INDEX_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{esc(guide.occupation)} postings</h1>\n"
        f'<p class="lead">Every work setting (rows) and required education level (columns) of '
        f"the guide: {count} variants, each as a web page, Markdown and a Word document. "
        f"Variants use a placeholder employer.</p>\n"
        f'<h2>Settings × education levels</h2>\n<table>\n<thead><tr><td class="corner" '
        f'style="background:none;border:0"></td>{head}</tr></thead>\n'
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
        f"{employer_section}"
        "</main>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def gallery_files(
    *,
    guide: str | Path | Guide | None = None,
    employer_files: Iterable[str | Path] = (),
    environ: Mapping[str, str] | None = None,
) -> dict[Path, bytes]:
    """Every gallery file (relative path → bytes), rendered in memory; index.html first."""
    g = guide if isinstance(guide, Guide) else load_guide(guide)
    entries = gallery_entries(g, [Path(p) for p in employer_files], environ=environ)
    outputs: dict[Path, bytes] = {Path("index.html"): _index(g, entries)}
    for entry in entries:
        outputs[Path(f"{entry.stem}.html")] = _page(entry)
        outputs[Path(f"{entry.stem}.md")] = entry.markdown.encode("utf-8")
        outputs[Path(f"{entry.stem}.docx")] = render_document(
            entry.posting, "docx", markdown=entry.markdown
        ).data
    return outputs


def build_gallery(
    out_dir: str | Path,
    *,
    guide: str | Path | Guide | None = None,
    employer_files: Iterable[str | Path] = (),
    force: bool = False,
    environ: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the gallery into ``out_dir``; return the files written (index first).

    Every output is rendered before anything is written, and existing files are refused
    (all of them named) unless ``force``, so a failed run leaves no half-built gallery.
    """
    outputs = gallery_files(guide=guide, employer_files=employer_files, environ=environ)
    root = Path(out_dir)
    if root.exists() and not root.is_dir():
        raise OutputError("is a file, not a folder", source=str(root))
    if not force:
        existing = [str(root / p) for p in outputs if (root / p).exists()]
        if existing:
            raise OutputError(
                f"{len(existing)} gallery file(s) already exist, e.g. {existing[0]}; "
                "jobgen does not overwrite files",
                source=str(root),
                hint="add --force to replace them, or choose an empty folder",
            )
    try:
        for sub in sorted({(root / p).parent for p in outputs}):
            sub.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror}", source=str(root)) from None
    return [write_atomic(root / p, data, force=force) for p, data in outputs.items()]
