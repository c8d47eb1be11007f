"""The command line: parse, call the library, report. Nothing else lives here.

Errors are translated in one place (:class:`_Group`): ``jobgen.errors.UsageError`` exits 2 with
the usage line, every other ``JobgenError`` exits 1 with its message.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import JobgenError, UsageError

F = TypeVar("F", bound=Callable[..., Any])


def _translate(ctx: click.Context, call: Callable[[], Any]) -> Any:
    """Run a command body, turning library errors into Click's exit codes (1 and 2)."""
    try:
        return call()
    except UsageError as exc:
        raise click.UsageError(exc.format(), ctx=ctx) from None
    except JobgenError as exc:
        raise click.ClickException(exc.format()) from None
    except KeyboardInterrupt:
        click.echo("jobgen: interrupted; no partial file was left behind", err=True)
        ctx.exit(130)
    except BrokenPipeError:
        # the reader of our stdout went away (`jobgen render | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        ctx.exit(0)


class _Command(click.Command):
    """A command whose library errors become exit codes: the one place that happens."""

    def invoke(self, ctx: click.Context) -> Any:
        return _translate(ctx, lambda: super(_Command, self).invoke(ctx))


class _Group(click.Group):
    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        return _translate(ctx, lambda: super(_Group, self).invoke(ctx))


_Group.group_class = _Group


def _output_options(f: F) -> F:
    f = click.option("--force", is_flag=True, help="Replace the output file if it exists.")(f)
    f = click.option(
        "-o",
        "--output",
        metavar="PATH",
        help="Write to this file (atomically) instead of stdout; '-' is stdout. "
        "The format follows the extension when -f is not given.",
    )(f)
    f = click.option(
        "-f",
        "--format",
        "fmt",
        metavar="FORMAT",
        help="Output format: " + ", ".join(_formats()) + " (default: from -o, else md).",
    )(f)
    return f


def _formats() -> list[str]:
    from .render import FORMATS

    return list(FORMATS)


def render_options(f: F) -> F:
    """The options that choose what to render; shared by render, lint and preview."""
    decorators = [
        click.option(
            "--guide",
            metavar="NAME|PATH",
            help="Built-in guide name or a guide .yaml file (default: mental-health-technician).",
        ),
        click.option(
            "-e",
            "--employer",
            type=click.Path(dir_okay=True, path_type=Path),
            metavar="FILE",
            help="Employer options file (YAML or JSON).",
        ),
        click.option(
            "-s",
            "--setting",
            metavar="SETTING",
            help="Work setting: a slug, alias or unique prefix (see `jobgen options`).",
        ),
        click.option(
            "-E",
            "--education",
            metavar="LEVEL",
            help="Required education level: a slug, alias or unique prefix.",
        ),
        click.option(
            "--set",
            "assignments",
            multiple=True,
            metavar="KEY=VALUE",
            help="Set one employer field, e.g. --set salary.min=18 (repeatable; "
            "list fields take entries separated by ';').",
        ),
        click.option(
            "--template",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help="Your own Jinja2 Markdown template (runs sandboxed).",
        ),
    ]
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


@click.group(name="jobgen", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jobgen")
def cli() -> None:
    """Turn a career guide into tailored, publishable job postings.

    \b
    Quick start:
      jobgen options                                  settings, education levels, fields
      jobgen render --setting inpatient --education associate
      jobgen render -e employer.yaml -o posting.md    write a file (never overwrites)
      jobgen batch postings.csv --out-dir out         one posting per row, and a manifest

    Exit status: 0 ok, 1 the work failed (bad data, unwritable file), 2 bad usage.
    """


@cli.command()
@render_options
@_output_options
def render(
    guide: str | None,
    employer: Path | None,
    setting: str | None,
    education: str | None,
    assignments: tuple[str, ...],
    template: Path | None,
    fmt: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Render one posting from the guide and an employer's options.

    Options come from, weakest first: the --employer file, JOBGEN_* environment variables
    (JOBGEN_SALARY_MIN for salary.min), --set KEY=VALUE, then --setting/--education.

    \b
    Examples:
      jobgen render --setting inpatient --education associate
      jobgen render -e examples/riverside-inpatient.yaml -o posting.md
      jobgen render -e employer.yaml --set salary.min=19 --set salary.max=25 -f md
    """
    from . import generate
    from .output import write_atomic
    from .render import check_format, format_for_path

    to_stdout = output in (None, "-")
    if fmt is not None:
        chosen = check_format(fmt)
    elif not to_stdout and output is not None:
        chosen = format_for_path(output) or "md"
    else:
        chosen = "md"
    data = generate(
        guide=guide,
        employer_file=employer,
        setting=setting,
        education=education,
        assignments=assignments,
        fmt=chosen,
        template=template,
    )
    if to_stdout:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        assert output is not None
        path = write_atomic(output, data, force=force)
        click.echo(f"wrote {path} ({chosen}, {len(data):,} bytes)", err=True)


@cli.command()
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-d",
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder for the postings and manifest.json (created if missing).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMATS",
    help="Formats to write, comma-separated or repeated: "
    + ", ".join(_formats())
    + " (default md).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes (default: the CPU count); 1 renders in this process.",
)
@click.option(
    "--name",
    "name_pattern",
    metavar="PATTERN",
    help="File name pattern (default {id}-{employer}-{setting}); fields: {row} {id} {employer} "
    "{setting} {education} {title}.",
)
@click.option(
    "--input-format",
    type=click.Choice(["csv", "yaml", "jsonl"]),
    help="Format of INPUT when its extension does not say (needed for '-').",
)
@click.option(
    "-e",
    "--employer",
    type=click.Path(dir_okay=True, path_type=Path),
    metavar="FILE",
    help="Employer file whose fields are defaults for every row.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="A default for every row, e.g. --set employer.name=Acme (repeatable); rows override it.",
)
@click.option("--guide", metavar="NAME|PATH", help="Built-in guide name or a guide .yaml file.")
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Your own Jinja2 Markdown template (runs sandboxed).",
)
@click.option(
    "--reference-docx",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A .docx whose styles brand the DOCX output.",
)
@click.option(
    "--manifest",
    "manifest",
    metavar="-",
    help="'-' also streams one JSON line per row to stdout, in row order.",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@click.option("--dry-run", is_flag=True, help="Validate and render every row; write nothing.")
def batch(
    input_path: str,
    out_dir: Path,
    formats: tuple[str, ...],
    jobs: int | None,
    name_pattern: str | None,
    input_format: str | None,
    employer: Path | None,
    assignments: tuple[str, ...],
    guide: str | None,
    template: Path | None,
    reference_docx: Path | None,
    manifest: str | None,
    force: bool,
    dry_run: bool,
) -> None:
    """Render one posting per row of INPUT (.csv, .yaml, .jsonl, or '-' for stdin) into DIR.

    A CSV's header row holds employer fields (employer.name, setting, salary.min, ...); a YAML
    file is a list of postings or {defaults: ..., postings: [...]}; JSON Lines is one object per
    line. --employer and --set give defaults that every row may override.

    Writes one file per row per format, and DIR/manifest.json listing every row's status
    (ok, error, skipped), files and sha256, and error. Existing files are skipped unless
    --force. Exit status: 0 every row ok, 1 some rows failed, 2 bad usage, 130 interrupted.

    \b
    Examples:
      jobgen batch examples/batch.csv --out-dir postings -f md,docx
      jobgen batch postings.yaml -d out --set employer.name="Riverside" --jobs 4
      cat rows.jsonl | jobgen batch - --input-format jsonl -d out --manifest - | jq .status
    """
    from .batch import DEFAULT_NAME_PATTERN, BatchInterrupted, RowResult, run_batch

    if manifest not in (None, "-"):
        raise UsageError(
            f"--manifest {manifest!r}: only '-' is accepted (stream one JSON line per row to "
            f"stdout); the manifest file is always DIR/manifest.json",
            source="--manifest",
        )
    source: Any = click.get_binary_stream("stdin") if input_path == "-" else Path(input_path)
    show_bar = sys.stderr.isatty()
    bars = contextlib.ExitStack()
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not show_bar or total == 0:
            return
        if bar is None:
            bar = bars.enter_context(
                click.progressbar(
                    length=total,
                    label="Rendering",
                    file=sys.stderr,
                    show_pos=True,
                    update_min_steps=max(1, total // 200),
                )
            )
        bar.update(done - bar.pos)

    streaming = manifest == "-"

    def stream(row: RowResult) -> None:
        nonlocal streaming
        if not streaming:
            return
        try:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
            sys.stdout.flush()
        except BrokenPipeError:
            # the next step of the pipeline stopped reading: finish the batch without it
            streaming = False
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())

    with bars:
        try:
            result = run_batch(
                source,
                out_dir=out_dir,
                formats=formats,
                input_format=input_format,
                input_name="stdin" if input_path == "-" else None,
                guide=guide,
                employer_file=employer,
                assignments=assignments,
                template=template,
                reference_docx=reference_docx,
                name_pattern=name_pattern or DEFAULT_NAME_PATTERN,
                jobs=jobs,
                force=force,
                dry_run=dry_run,
                on_result=stream if streaming else None,
                progress=progress,
            )
        except BatchInterrupted as exc:
            result = exc.result
    errors = result.errors
    for row in errors[:MAX_ERRORS_SHOWN]:
        click.echo(row.error, err=True)
    if len(errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors", err=True)
    counts = f"{result.ok} ok, {result.failed} failed, {result.skipped} skipped"
    if result.dry_run:
        click.echo(f"dry run: {counts}; nothing was written", err=True)
    elif result.interrupted:
        click.echo(
            f"interrupted: {counts}, {result.not_run} not run → {out_dir} (manifest.json)",
            err=True,
        )
    else:
        click.echo(f"{counts} → {out_dir} (manifest.json)", err=True)
    if result.exit_code:
        click.get_current_context().exit(result.exit_code)


MAX_ERRORS_SHOWN = 20
"""Row errors printed to stderr; the manifest holds all of them."""


@cli.command()
@click.option("--guide", metavar="NAME|PATH", help="Built-in guide name or a guide .yaml file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def options(guide: str | None, as_json: bool) -> None:
    """List the guide's settings and education levels, the formats and the employer fields."""
    from .options import describe

    info = describe(guide)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"Guide: {info['guide']['occupation']} ({info['guide']['slug']})\n")
    for key, title, flag in (
        ("settings", "Settings", "--setting"),
        ("education", "Education levels", "--education"),
    ):
        click.echo(f"{title} ({flag}; a slug, an alias or a unique prefix):")
        for c in info[key]:
            also = f"  also: {', '.join(c['aliases'])}" if c["aliases"] else ""
            click.echo(f"  {c['slug']:<44} {c['name']}{also}")
        click.echo()
    click.echo("Formats (-f): " + ", ".join(f["name"] for f in info["formats"]) + "\n")
    click.echo("Employer fields (file keys, --set KEY=VALUE, or the JOBGEN_* variable):")
    for f in info["fields"]:
        allowed = f"  [{'|'.join(f['choices'])}]" if f["choices"] else ""
        click.echo(f"  {f['key']:<24} {f['help']}{allowed}")


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="jobgen")
    except Exception as exc:  # a bug: say so plainly instead of dumping a traceback
        if os.environ.get("JOBGEN_DEBUG"):
            raise
        click.echo(
            f"jobgen: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in jobgen; run again with JOBGEN_DEBUG=1 for details and report it.",
            err=True,
        )
        sys.exit(1)
