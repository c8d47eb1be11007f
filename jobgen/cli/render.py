"""``jobgen render``, ``preview`` and ``lint``: one posting, written, shown or checked."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError
from .command import Command
from .params import (
    ISO_DATE,
    json_option,
    lint_flag_option,
    output_options,
    reference_docx_option,
    render_options,
)

if TYPE_CHECKING:
    from .. import PostingSources


@click.command(cls=Command)
@render_options
@output_options
@reference_docx_option
@lint_flag_option
def render(
    sources: PostingSources,
    template: Path | None,
    fmt: str | None,
    output: str | None,
    force: bool,
    reference_docx: Path | None,
    run_lint: bool,
) -> None:
    """Render one posting from the guide and an employer's options.

    Options come from, weakest first: the --employer file, JOBGEN_* environment variables
    (JOBGEN_SALARY_MIN for salary.min), --set KEY=VALUE, then --setting/--education.

    \b
    Examples:
      jobgen render --setting inpatient --education associate
      jobgen render -e examples/riverside-inpatient.yaml -o posting.md
      jobgen render -e employer.yaml --set salary.min=19 --set salary.max=25 -f md
      jobgen render -e employer.yaml -o posting.docx --reference-docx our-letterhead.docx
    """
    from .. import generate_document
    from ..output import write_atomic

    to_stdout = output in (None, "-")
    chosen = _chosen_format(fmt, output, reference_docx)
    document = generate_document(
        fmt=chosen, template=template, reference_docx=reference_docx, **sources
    )
    for message in document.warnings:
        click.echo(f"jobgen: warning: {message}", err=True)
    if to_stdout:
        sys.stdout.buffer.write(document.data)
        sys.stdout.flush()
    else:
        assert output is not None
        path = write_atomic(output, document.data, force=force)
        click.echo(f"wrote {path} ({chosen}, {len(document.data):,} bytes)", err=True)
    if run_lint:
        from ..lint import format_report, lint_composed

        report = lint_composed(document.posting, markdown=document.markdown, template=template)
        # line numbers are the Markdown's: name the file only when it is that Markdown
        source = output if output not in (None, "-") and chosen == "md" else "<posting>"
        click.echo(format_report(report, str(source)), err=True, nl=False)


def _chosen_format(fmt: str | None, output: str | None, reference_docx: Path | None) -> str:
    """The format -f names, else -o's extension, else Markdown; refused where it cannot go."""
    from ..render import BINARY_FORMATS, check_format, format_for_path

    to_stdout = output in (None, "-")
    if fmt is not None:
        chosen = check_format(fmt)
    elif not to_stdout and output is not None:
        chosen = format_for_path(output)
    else:
        chosen = "md"
    if reference_docx is not None and chosen != "docx":
        raise UsageError(
            f"applies to Word documents only, and the format is {chosen!r}",
            source="--reference-docx",
            hint="add -f docx, or write to a file ending in .docx with -o",
        )
    if to_stdout and chosen in BINARY_FORMATS and sys.stdout.isatty():
        raise UsageError(
            f"will not write a {chosen.upper()} file (binary data) to the terminal",
            source="-o" if output == "-" else "stdout",
            hint=f"write a file with -o posting.{chosen}, or redirect: "
            f"jobgen render -f {chosen} ... > posting.{chosen}",
        )
    return chosen


@click.command(cls=Command)
@render_options
def preview(sources: PostingSources, template: Path | None) -> None:
    """Show the posting styled for reading in the terminal.

    Headings, bold lead-ins and bullets are styled on a terminal, with a pager for long
    postings; piped output, or NO_COLOR set, gives plain text with no escape codes.

    \b
    Example:
      jobgen preview -e examples/riverside-inpatient.yaml
    """
    from .. import generate
    from ..render.terminal import render_terminal

    markdown = generate(template=template, **sources).decode("utf-8")
    tty = sys.stdout.isatty()
    color = tty and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size().columns if tty else 80
    text = render_terminal(markdown, color=color, width=width)
    if tty and text.count("\n") > shutil.get_terminal_size().lines:
        less = os.environ.get("LESS", "")
        if color and "r" not in less.lower():
            # Click sets LESS=-R only when it decides on colour itself; we decided, so less
            # would show the styles as the letters ESC[1m... (-R passes them through)
            os.environ["LESS"] = f"{less} -R".strip()
        click.echo_via_pager(text, color=color)
    else:
        click.echo(text, nl=False, color=color)


@click.command(cls=Command)
@click.argument(
    "file", required=False, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path)
)
@render_options
@json_option
@click.option("--strict", is_flag=True, help="Exit 1 when any error-level finding exists.")
@click.option("--disable", multiple=True, metavar="RULE", help="Turn a rule off (repeatable).")
@click.option("--enable", multiple=True, metavar="RULE", help="Turn a rule on (repeatable).")
@click.option(
    "--max-grade",
    type=float,
    default=12.0,
    show_default=True,
    help="Highest Flesch–Kincaid grade before the readability warning.",
)
@click.option(
    "--region",
    metavar="STATE",
    help="FILE only: the posting's US state (name or postal code), instead of the detected one.",
)
@click.option(
    "--date",
    "date_posted",
    type=ISO_DATE,
    metavar="YYYY-MM-DD",
    help="FILE only: the posting's date, which decides the pay-transparency laws in force.",
)
@click.option(
    "--today",
    type=ISO_DATE,
    metavar="YYYY-MM-DD",
    help="Judge expiry (and undated postings) as of this date instead of today.",
)
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
def lint(
    file: Path | None,
    sources: PostingSources,
    template: Path | None,
    as_json: bool,
    strict: bool,
    disable: tuple[str, ...],
    enable: tuple[str, ...],
    max_grade: float,
    region: str | None,
    date_posted: Any,
    today: Any,
    list_rules: bool,
) -> None:
    """Check a posting as a reviewer would, before it is published.

    Placeholders left in, contradictions, repeated sentences, stigmatizing, hyped or
    masculine-coded wording, pay transparency, readability and completeness (--list-rules).

    Give a FILE (Markdown or plain text; '-' reads stdin), or the render options to check what
    `jobgen render` would produce. For a FILE, facts come from the text: the title, a
    "Location: ..." or "City, ST" line, a pay range, "Posted:" and "Applications close" dates;
    --region and --date override them.

    \b
    Examples:
      jobgen lint posting.md --strict
      jobgen lint -e examples/riverside-inpatient.yaml --json
      jobgen lint posting.md --region CO --date 2026-01-15 --disable readability
    """
    from ..lint import LintConfig, format_report, lint_file, lint_rendered

    if list_rules:
        click.echo(_lint_rules_table())
        return
    config = LintConfig(
        max_grade=max_grade,
        today=today.date() if today else None,
        disable=frozenset(disable),
        enable=frozenset(enable),
    )
    rendering = any(sources.values()) or template is not None
    if file is not None:
        if rendering:
            raise UsageError("give a FILE or render options (--employer, --setting, ...), not both")
        source = "<stdin>" if str(file) == "-" else str(file)
        report = lint_file(
            file,
            stdin=sys.stdin.buffer,
            region=region,
            date_posted=date_posted.date() if date_posted else None,
            config=config,
        )
    else:
        if region is not None or date_posted is not None:
            raise UsageError(
                "--region and --date are for a FILE; when rendering, use "
                "--set location.region=... and --set date_posted=..."
            )
        source = "<posting>"
        report = lint_rendered(template=template, config=config, **sources)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report, source), nl=False)
    if strict and report.has_errors:
        sys.exit(1)


def _lint_rules_table() -> str:
    from ..lint import RULES

    lines = []
    width = max(len(rule_id) for rule_id in RULES) + 2
    for rule in RULES.values():
        default = "" if rule.default_enabled else "  (off unless --enable)"
        lines.append(f"{rule.id:<{width}}{rule.severity:<9}{rule.summary}{default}")
    return "\n".join(lines)
