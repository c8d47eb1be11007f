"""Getting started: ``jobgen options`` lists the choices, ``init`` writes an employer file,
``gallery`` shows every setting × education variant as a static site."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .command import Command
from .params import force_option, guide_option, json_option

if TYPE_CHECKING:
    from ..guide import Guide


@click.command(cls=Command)
@guide_option
@json_option
def options(guide: str | None, as_json: bool) -> None:
    """List the guide's settings and education levels, the formats and the employer fields."""
    from ..choices import describe_choices

    info = describe_choices(guide)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"Guide: {info['guide']['occupation']} ({info['guide']['slug']})\n")
    for line in choice_lines(info, heading_note="; a slug, an alias or a unique prefix"):
        click.echo(line)
    click.echo("Formats (-f): " + ", ".join(f["name"] for f in info["formats"]) + "\n")
    click.echo("Employer fields (file keys, --set KEY=VALUE, or the environment variable):")
    for f in info["fields"]:
        allowed = f"  [{'|'.join(f['choices'])}]" if f["choices"] else ""
        click.echo(f"  {f['key']:<24} {f['env']:<31} {f['help']}{allowed}")


def choice_lines(
    info: dict[str, Any],
    *,
    heading_note: str = "",
    note: Callable[[str, str], str] = lambda key, slug: "",
) -> list[str]:
    """The settings, then the education levels, of a guide's description (``jobgen options``,
    ``jobgen guide show``): a heading naming the flag, one line per choice with its aliases
    (and ``note(key, slug)``), and a blank line."""
    lines = []
    for key, title, flag in (
        ("settings", "Settings", "--setting"),
        ("education", "Education levels", "--education"),
    ):
        lines.append(f"{title} ({flag}{heading_note}):")
        width = max(len(c["slug"]) for c in info[key]) + 2
        for c in info[key]:
            also = f"  also: {', '.join(c['aliases'])}" if c["aliases"] else ""
            lines.append(f"  {c['slug']:<{width}}{c['name']}{also}{note(key, c['slug'])}")
        lines.append("")
    return lines


@click.command(cls=Command)
@guide_option
@click.option(
    "-o",
    "--output",
    default="employer.yaml",
    show_default=True,
    metavar="PATH",
    help="Where to write the employer file; '-' prints it.",
)
@force_option
@click.option(
    "--no-input", is_flag=True, help="Do not ask questions; write the commented starter file."
)
def init(guide: str | None, output: str, force: bool, no_input: bool) -> None:
    """Create an employer file to fill in.

    On a terminal, asks for the employer's name, setting, education level, location (the
    country defaults to US for a US state), pay, schedule and how to apply, checking each
    answer as you type it. Without a terminal, or with --no-input, writes a commented starter
    file that explains every field. Either file renders as it is: jobgen render -e
    employer.yaml (-o posting.docx, -o posting.html); JSON-LD for Google also needs the
    employer's name and the work address with its country, and says so when they are missing.
    """
    from ..guide import load_guide
    from ..output import check_target, write_atomic
    from ..starter import starter_yaml

    g = load_guide(guide)
    if output != "-":
        check_target(output, force=force)  # before asking anything
    answers = _ask(g) if not no_input and sys.stdin.isatty() else {}
    text = starter_yaml(g, answers)
    if output == "-":
        click.echo(text, nl=False)
        return
    path = write_atomic(output, text.encode("utf-8"), force=force)
    click.echo(f"wrote {path}; render it with: jobgen render -e {path}", err=True)


def _ask(g: Guide) -> dict[str, str]:
    """Ask :data:`jobgen.starter.QUESTIONS` on the terminal, checking each answer as it is
    typed; Ctrl-C (or the end of input) exits 130 with nothing written."""
    from ..starter import QUESTIONS, question_choices

    click.echo(f"Creating an employer file for a {g.occupation} posting.", err=True)
    click.echo("Press Enter to accept the [default]; leave optional answers blank.\n", err=True)
    answers: dict[str, str] = {}
    for key, label in QUESTIONS:
        if key == "salary.period" and not (answers.get("salary.min") or answers.get("salary.max")):
            continue
        choices = question_choices(g, key)
        if choices:
            click.echo(f"{label}: " + ", ".join(choices), err=True)
        default = _default_answer(key, choices, answers)
        try:
            answers[key] = click.prompt(
                label,
                default=default,
                value_proc=_answer_check(g, key, answers),
                show_default=bool(default),
                err=True,
            )
        except click.Abort:  # Ctrl-C (or end of input) at a question: nothing was written
            click.echo("\njobgen: interrupted; no file was written", err=True)
            click.get_current_context().exit(130)
    return answers


def _default_answer(key: str, choices: list[str], answers: dict[str, str]) -> str:
    from ..starter import default_country

    if key in ("setting", "education"):
        return choices[0]
    if key == "location.country":
        return default_country(answers.get("location.region", ""))
    return {"salary.period": "hour", "employment_type": "full-time"}.get(key, "")


def _answer_check(g: Guide, key: str, answers: dict[str, str]) -> Callable[[str], str]:
    """The check of one answer: the field's own rules, and a pay range that runs upwards."""
    from ..employer import parse_field
    from ..errors import ValidationError

    def check(text: str) -> str:
        try:
            value = parse_field(g, key, text)
        except ValidationError as exc:
            raise click.BadParameter(exc.message) from None
        low = answers.get("salary.min")
        if key == "salary.max" and value and low and float(value) < float(low):
            raise click.BadParameter(f"the highest pay is below the lowest ({low})")
        return value

    return check


@click.command(cls=Command)
@guide_option
@click.option(
    "-o", "--output", "out_dir", required=True, metavar="DIR", help="Folder for the site."
)
@click.option(
    "-e",
    "--employer",
    "employers",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also show this employer's posting (repeatable).",
)
@force_option
def gallery(guide: str | None, out_dir: str, employers: tuple[Path, ...], force: bool) -> None:
    """Build a static site of every setting × education variant.

    DIR/index.html shows a grid of the guide's settings and education levels; each variant
    (and each --employer posting) gets an HTML page with links to its Markdown and Word files.
    It works straight from the folder (file://), with no server.

    \b
    Example:
      jobgen gallery -o gallery -e examples/riverside-inpatient.yaml
    """
    from ..gallery import build_gallery

    files = build_gallery(out_dir, guide=guide, employer_files=employers, force=force)
    click.echo(f"wrote {len(files)} files; open {files[0]}", err=True)
