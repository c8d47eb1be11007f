"""``jobgen guide import | validate | show``: career guides in, checked and summarised."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .command import Group
from .params import force_option, json_option


@click.group(cls=Group)
def guide() -> None:
    """Import, check and inspect career guides.

    A guide is the occupation's content (responsibilities, skills, settings, education
    pathways, growth paths, steps, notes, FAQ) that postings are made from. Any guide text
    written like the built-in Mental Health Technician guide can be imported.

    \b
    Examples:
      jobgen guide import pharmacy-technician.txt -o pharmacy-technician.yaml
      jobgen guide validate pharmacy-technician.yaml
      jobgen guide show pharmacy-technician.yaml
      jobgen render --guide pharmacy-technician.yaml --setting hospital --education associate
    """


@guide.command("import")
@click.argument("text", metavar="TEXT")
@click.option(
    "-o",
    "--output",
    metavar="FILE.yaml",
    help="Write the guide file here (atomically) instead of stdout; '-' is stdout.",
)
@force_option
def guide_import(text: str, output: str | None, force: bool) -> None:
    """Turn a guide text into a guide file that --guide accepts.

    TEXT is a UTF-8 text file, or '-' for stdin, written like the Mental Health Technician
    guide: a title line ("<Occupation> Job Description"), headed sections of
    "Label: description" lines, notes, a conclusion and an FAQ (question, '+', answer).
    Sections are recognised by their headings; a heading the importer cannot place is kept as
    kind "other" and named in a warning (on stderr; the exit code stays 0).

    The file also holds a DRAFT tailoring layer: the guide's prose in posting voice (duties in
    the imperative, requirements phrased as requirements, no career advice, nothing about other
    employers). Review and edit it before publishing; see docs/guide-import.md.
    """
    from .._yaml import read_stream
    from ..guide import describe_guide, guide_from_data
    from ..guide_import import (
        dump_guide_yaml,
        guide_warnings,
        import_guide_file,
        import_guide_text,
    )
    from ..output import write_atomic

    if text == "-":
        raw = read_stream(sys.stdin.buffer, "<stdin>", what="guide text")
        data = import_guide_text(raw, "<stdin>")
    else:
        data = import_guide_file(text)
    document = dump_guide_yaml(data)
    source = text if output in (None, "-") else output
    imported = guide_from_data(data, source)
    if output in (None, "-"):
        click.echo(document, nl=False)
        for warning in guide_warnings(imported):
            click.echo(f"warning: {warning}", err=True)
        return
    assert output is not None
    path = write_atomic(output, document.encode("utf-8"), force=force)
    info = describe_guide(imported)
    click.echo(f"wrote {path}: the {info['occupation']} guide", err=True)
    for line in _section_lines(info):
        click.echo(line, err=True)
    for warning in guide_warnings(imported):
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"the tailoring layer in {path} is a draft: review it before publishing postings",
        err=True,
    )
    click.echo(f"use it with: jobgen options --guide {path}", err=True)


@guide.command("validate")
@click.argument("file", metavar="FILE")
@click.option(
    "--strict", is_flag=True, help="Exit 1 when there are warnings (such as an unplaced section)."
)
def guide_validate(file: str, strict: bool) -> None:
    """Check a guide file (.yaml, or a guide text .txt) and say what it holds.

    Exits 0 when the guide can be used, 1 with the file, line and problem when it cannot.
    Warnings (on stderr) name what postings will lack: a section the importer could not place,
    no skills or growth section. With --strict, warnings exit 1.
    """
    from ..guide import describe_guide, load_guide
    from ..guide_import import guide_warnings
    from ..schemas import check_guide_file

    loaded = load_guide(file)
    check_guide_file(file)
    warnings = guide_warnings(loaded)
    for warning in warnings:
        click.echo(f"{file}: warning: {warning}", err=True)
    info = describe_guide(loaded)
    tailored = info["tailoring"]
    layer = (
        f"tailoring for {len(tailored['settings'])} of {len(info['settings'])} settings and "
        f"{len(tailored['education'])} of {len(info['education'])} education levels"
        if tailored["settings"] or tailored["education"]
        else "no tailoring layer (postings are tailored from the guide's own text)"
    )
    verdict = "ok" if not warnings else f"usable, {len(warnings)} warning(s)"
    click.echo(
        f"{file}: {verdict}: the {info['occupation']} guide, {len(info['sections'])} sections, "
        f"{len(info['settings'])} settings, {len(info['education'])} education levels; {layer}"
    )
    if strict and warnings:
        sys.exit(1)


@guide.command("show")
@click.argument("name", metavar="[NAME|FILE]", required=False)
@json_option
def guide_show(name: str | None, as_json: bool) -> None:
    """Summarise a guide: its sections, settings and education levels.

    NAME is a built-in guide (default: mental-health-technician) or a guide file (.yaml or .txt).
    """
    from ..guide import describe_guide, load_guide
    from .start import choice_lines

    info = describe_guide(load_guide(name))
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"{info['title']}  [{info['slug']}]")
    click.echo(f"Source: {info['source']}\n")
    click.echo("Sections:")
    for line in _section_lines(info):
        click.echo(line)
    click.echo()
    tailored = info["tailoring"]
    untailored = "  (untailored: the guide's own text)"
    for line in choice_lines(
        info, note=lambda key, slug: "" if slug in tailored[key] else untailored
    ):
        click.echo(line)


def _section_lines(info: dict[str, Any]) -> list[str]:
    """Each section with its kind and size, then the notes, FAQ and conclusion."""
    lines = [f"  {s['kind']:<17} {s['heading']} ({_counts(s)})" for s in info["sections"]]
    lines.append(
        f"  notes: {info['notes']}, FAQ entries: {info['faq']}, "
        f"conclusion: {'yes' if info['conclusion'] else 'no'}"
    )
    return lines


def _counts(section: dict[str, Any]) -> str:
    parts = [
        f"{section[key]} {key if section[key] != 1 else key[:-1]}"
        for key in ("items", "paragraphs")
        if section[key]
    ]
    return ", ".join(parts) or "empty"
