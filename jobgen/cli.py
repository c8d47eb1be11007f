"""The command line: parse, call the library, report. Nothing else lives here.

Errors are translated in one place (:class:`_Group`): ``jobgen.errors.UsageError`` exits 2 with
the usage line, every other ``JobgenError`` exits 1 with its message.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from ._completion import complete_choice, complete_formats, complete_set
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
    except OSError as exc:
        # files are read and written by the library, which names them in a JobgenError; what
        # is left is the terminal or pipe: `jobgen render > /dev/full`
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise click.ClickException(f"could not write the output: {reason}") from None


class _Command(click.Command):
    """A command whose library errors become exit codes: the one place that happens."""

    def invoke(self, ctx: click.Context) -> Any:
        return _translate(ctx, lambda: super(_Command, self).invoke(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Click's parsing, plus a hint when a file is given where no argument is taken
        (``jobgen render employer.yaml``): an employer file goes with ``-e``."""
        given = list(args)  # Click's parser consumes the list
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            hint = _extra_argument_hint(self, given) if "unexpected extra" in exc.message else None
            if hint is None:
                raise
            raise click.UsageError(f"{exc.message}\n  hint: {hint}", ctx=ctx) from None


def _extra_argument_hint(command: click.Command, args: list[str]) -> str | None:
    names = {p.name for p in command.params}
    for before, arg in zip(["", *args], args, strict=False):
        if before.startswith("-") or not arg.endswith((".yaml", ".yml", ".json")):
            continue
        if "employer" in names:
            return f"an employer file is given with -e: jobgen {command.name} -e {arg}"
    return None


class _Group(click.Group):
    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        return _translate(ctx, lambda: super(_Group, self).invoke(ctx))


_Group.group_class = _Group


class _Count(click.ParamType[int]):
    """A whole number of at least 1, shown as N in help (not Click's ``[x>=1]``)."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if number < 1:
            self.fail(f"{value} is not allowed; give 1 or more", param, ctx)
        return number


def _formats() -> list[str]:
    from .render import FORMATS

    return list(FORMATS)


# One declaration per option shared by several commands.
guide_option = click.option(
    "--guide",
    metavar="NAME|PATH",
    help="Built-in guide name, a guide .yaml file or a guide text .txt "
    "(default: mental-health-technician).",
)
employer_option = click.option(
    "-e",
    "--employer",
    type=click.Path(dir_okay=True, path_type=Path),
    metavar="FILE",
    help="Employer options file (YAML or JSON); in a batch, defaults for every row.",
)
setting_option = click.option(
    "-s",
    "--setting",
    metavar="SETTING",
    shell_complete=complete_choice("setting"),
    help="Work setting: a slug, alias or unique prefix (see `jobgen options`).",
)
education_option = click.option(
    "-E",
    "--education",
    metavar="LEVEL",
    shell_complete=complete_choice("education"),
    help="Required education level: a slug, alias or unique prefix.",
)
set_option = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    shell_complete=complete_set,
    help="Set one employer field, e.g. --set salary.min=18 (repeatable; list fields take "
    "entries separated by ';'; KEY= clears the field). In a batch, rows override it.",
)
template_option = click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Your own Jinja2 Markdown template (runs sandboxed).",
)
reference_docx_option = click.option(
    "--reference-docx",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A .docx whose styles, page setup, header and footer brand DOCX output "
    "(its body text is not copied).",
)
force_option = click.option("--force", is_flag=True, help="Replace files that already exist.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
lint_flag_option = click.option(
    "--lint",
    "run_lint",
    is_flag=True,
    help="Also check the posting(s) (see `jobgen lint`): findings go to stderr (render) or "
    "the manifest (batch); never changes the exit status.",
)


def _apply(f: F, *decorators: Callable[[F], F]) -> F:
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


def _output_options(f: F) -> F:
    return _apply(
        f,
        click.option(
            "-f",
            "--format",
            "fmt",
            metavar="FORMAT",
            shell_complete=complete_formats,
            help="Output format: " + ", ".join(_formats()) + " (default: from -o, else md).",
        ),
        click.option(
            "-o",
            "--output",
            metavar="PATH",
            help="Write to this file (atomically) instead of stdout; '-' is stdout. "
            "The format follows the extension when -f is not given.",
        ),
        force_option,
    )


def render_options(f: F) -> F:
    """The options that choose what to render; shared by render, lint and preview."""
    return _apply(
        f,
        guide_option,
        employer_option,
        setting_option,
        education_option,
        set_option,
        template_option,
    )


@click.group(
    name="jobgen",
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="jobgen")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Turn a career guide into tailored, publishable job postings.

    \b
    Quick start:
      jobgen options                                  settings, education levels, fields
      jobgen render --setting inpatient --education associate
      jobgen render -e employer.yaml -o posting.md    write a file (never overwrites)
      jobgen batch postings.csv --out-dir out         one posting per row, and a manifest
      jobgen serve --open                             the posting studio in your web browser

    Exit status: 0 ok, 1 the work failed (bad data, unwritable file), 2 bad usage.
    """
    if ctx.invoked_subcommand is None:  # bare `jobgen`: the help, and success
        click.echo(ctx.get_help())
        ctx.exit(0)
    from .employer import env_warnings

    for message in env_warnings():
        click.echo(f"jobgen: warning: {message}", err=True)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@cli.command()
@render_options
@_output_options
@reference_docx_option
@lint_flag_option
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
    from . import generate_document
    from .output import write_atomic
    from .render import BINARY_FORMATS, check_format, format_for_path

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
    if to_stdout and chosen in BINARY_FORMATS and _stdout_is_terminal():
        raise UsageError(
            f"will not write a {chosen.upper()} file (binary data) to the terminal",
            source="-o" if output == "-" else "stdout",
            hint=f"write a file with -o posting.{chosen}, or redirect: "
            f"jobgen render -f {chosen} ... > posting.{chosen}",
        )
    document = generate_document(
        guide=guide,
        employer_file=employer,
        setting=setting,
        education=education,
        assignments=assignments,
        fmt=chosen,
        template=template,
        reference_docx=reference_docx,
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
        from .lint import format_report, lint_composed

        report = lint_composed(document.posting, markdown=document.markdown, template=template)
        # line numbers are the Markdown's: name the file only when it is that Markdown
        source = output if output not in (None, "-") and chosen == "md" else "<posting>"
        click.echo(format_report(report, str(source)), err=True, nl=False)


_ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _lint_rules_table() -> str:
    from .lint import RULES

    lines = []
    width = max(len(rule_id) for rule_id in RULES) + 2
    for rule in RULES.values():
        default = "" if rule.default_enabled else "  (off unless --enable)"
        lines.append(f"{rule.id:<{width}}{rule.severity:<9}{rule.summary}{default}")
    return "\n".join(lines)


@cli.command()
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-d",
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False),  # a str: run_batch refuses '' (Path('') is '.')
    metavar="DIR",
    help="Folder for the postings and manifest.json (created if missing).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="FORMATS",
    shell_complete=complete_formats,
    help="Formats to write, comma-separated or repeated: "
    + ", ".join(_formats())
    + " (default md).",
)
@click.option(
    "-j",
    "--jobs",
    type=_Count(),
    help="Processes that render (default: the CPU count): this one and N-1 workers; "
    "1 renders in this process only.",
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
@employer_option
@set_option
@guide_option
@template_option
@reference_docx_option
@click.option(
    "--manifest",
    "manifest",
    metavar="-",
    help="'-' also streams one JSON line per row to stdout, in row order.",
)
@lint_flag_option
@force_option
@click.option("--dry-run", is_flag=True, help="Validate and render every row; write nothing.")
def batch(
    input_path: str,
    out_dir: str,
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
    run_lint: bool,
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
    from .guide import load_guide

    if manifest not in (None, "-"):
        raise UsageError(
            f"--manifest {manifest!r}: only '-' is accepted (stream one JSON line per row to "
            f"stdout); the manifest file is always DIR/manifest.json",
            source="--manifest",
        )
    # sys.stdin's bytes (click.get_binary_stream is deprecated since Click 8.5)
    source: Any = sys.stdin.buffer if input_path == "-" else Path(input_path)
    bar = _ProgressBar(sys.stderr.isatty())
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

    loaded = load_guide(guide)
    # what is loaded now lives until the end: keep it out of every garbage collection's way
    # (and, in forked workers, out of the pages a collection would copy)
    gc.freeze()
    with bar, _StopOnSignals() as stop:
        try:
            result = run_batch(
                source,
                out_dir=out_dir,
                formats=formats,
                input_format=input_format,
                input_name="stdin" if input_path == "-" else None,
                guide=loaded,
                employer_file=employer,
                assignments=assignments,
                template=template,
                reference_docx=reference_docx,
                name_pattern=DEFAULT_NAME_PATTERN if name_pattern is None else name_pattern,
                jobs=jobs,
                force=force,
                dry_run=dry_run,
                lint=run_lint,
                on_result=stream if streaming else None,
                progress=bar.update,
                keep_results=False,  # the manifest has every row; keep only what is shown
                cancel=stop.event,
                worker_setup=_worker_setup,
            )
        except BatchInterrupted as exc:
            result = exc.result
    errors = result.errors
    for row in errors[:MAX_ERRORS_SHOWN]:
        click.echo(row.error, err=True)
    if len(errors) > MAX_ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors", err=True)
    counts = f"{result.ok} ok, {result.failed} failed, {result.skipped} skipped"
    if result.changed:
        counts += f", {result.changed} changed (add --force to replace them)"
    if result.dry_run:
        click.echo(f"dry run: {counts}; nothing was written", err=True)
    elif result.interrupted:
        click.echo(
            f"interrupted: {counts}, {result.not_run} not run → {out_dir} (manifest.json)",
            err=True,
        )
    else:
        click.echo(f"{counts} → {out_dir} (manifest.json)", err=True)
    if result.manifest_error:
        click.echo(f"jobgen: the manifest was not written: {result.manifest_error}", err=True)
    code = 128 + stop.signal if result.interrupted and stop.signal else result.exit_code
    if code:
        click.get_current_context().exit(code)


class _ProgressBar:
    """A progress bar on a terminal (nothing otherwise), in how much of the input was read."""

    def __init__(self, shown: bool) -> None:
        self.shown = shown
        self.bars = contextlib.ExitStack()
        self.bar: Any = None
        self.at = 0

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.close()

    def update(self, done: int, total: int | None) -> None:
        if not self.shown or not total:
            return
        if self.bar is None:
            self.bar = self.bars.enter_context(
                click.progressbar(
                    length=total, label="Rendering", file=sys.stderr, show_percent=True
                )
            )
        self.bar.update(done - self.at)
        self.at = done


class _StopOnSignals:
    """While a batch runs, SIGINT, SIGTERM and SIGHUP stop it as Ctrl-C does: the first sets
    :attr:`event` (no new rows; the running ones finish and are recorded), a second raises
    KeyboardInterrupt (stop at once). :attr:`signal` is the first one's number."""

    NAMES = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self) -> None:
        import threading

        self.event = threading.Event()
        self.signal = 0
        self.previous: dict[int, Any] = {}

    def handle(self, signum: int, frame: Any) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        self.signal = signum
        self.event.set()

    def __enter__(self) -> _StopOnSignals:
        import signal

        for name in self.NAMES:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
                self.previous[number] = signal.signal(number, self.handle)  # nohup: stays off
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        for number, handler in self.previous.items():
            signal.signal(number, handler)


def _worker_setup() -> None:
    """A batch's worker processes leave SIGINT, SIGTERM and SIGHUP to the jobgen process, which
    stops them once the chunks they hold are finished and recorded."""
    import signal

    for name in _StopOnSignals.NAMES:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)


MAX_ERRORS_SHOWN = 20
"""Row errors printed to stderr; the manifest holds all of them."""


@cli.command()
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
    type=_ISO_DATE,
    metavar="YYYY-MM-DD",
    help="FILE only: the posting's date, which decides the pay-transparency laws in force.",
)
@click.option(
    "--today",
    type=_ISO_DATE,
    metavar="YYYY-MM-DD",
    help="Judge expiry (and undated postings) as of this date instead of today.",
)
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
def lint(
    file: Path | None,
    guide: str | None,
    employer: Path | None,
    setting: str | None,
    education: str | None,
    assignments: tuple[str, ...],
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
    from .lint import LintConfig, format_report, lint_file, lint_rendered

    if list_rules:
        click.echo(_lint_rules_table())
        return
    config = LintConfig(
        max_grade=max_grade,
        today=today.date() if today else None,
        disable=frozenset(disable),
        enable=frozenset(enable),
    )
    rendering = any((guide, employer, setting, education, assignments, template))
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
        report = lint_rendered(
            guide=guide,
            employer_file=employer,
            setting=setting,
            education=education,
            assignments=assignments,
            template=template,
            config=config,
        )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report, source), nl=False)
    if strict and report.has_errors:
        sys.exit(1)


@cli.command()
@guide_option
@json_option
def options(guide: str | None, as_json: bool) -> None:
    """List the guide's settings and education levels, the formats and the employer fields."""
    from .choices import describe_choices

    info = describe_choices(guide)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"Guide: {info['guide']['occupation']} ({info['guide']['slug']})\n")
    for key, title, flag in (
        ("settings", "Settings", "--setting"),
        ("education", "Education levels", "--education"),
    ):
        click.echo(f"{title} ({flag}; a slug, an alias or a unique prefix):")
        width = max(len(c["slug"]) for c in info[key]) + 2
        for c in info[key]:
            also = f"  also: {', '.join(c['aliases'])}" if c["aliases"] else ""
            click.echo(f"  {c['slug']:<{width}}{c['name']}{also}")
        click.echo()
    click.echo("Formats (-f): " + ", ".join(f["name"] for f in info["formats"]) + "\n")
    click.echo("Employer fields (file keys, --set KEY=VALUE, or the environment variable):")
    for f in info["fields"]:
        allowed = f"  [{'|'.join(f['choices'])}]" if f["choices"] else ""
        click.echo(f"  {f['key']:<24} {f['env']:<31} {f['help']}{allowed}")


def main() -> None:
    """Console entry point: runs a command, then exits the process."""
    try:
        cli(prog_name="jobgen")
    except SystemExit:
        # the process ends here: spare the interpreter's last garbage collections the objects
        # that are left (milliseconds for a big batch; the memory goes back all the same)
        gc.freeze()
        raise
    except KeyboardInterrupt:  # outside a command (commands handle it in _translate)
        click.echo("jobgen: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly instead of dumping a traceback
        if os.environ.get("JOBGEN_DEBUG"):
            raise
        click.echo(
            f"jobgen: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in jobgen; run again with JOBGEN_DEBUG=1 for details and report it.",
            err=True,
        )
        sys.exit(1)


@cli.command()
@render_options
def preview(
    guide: str | None,
    employer: Path | None,
    setting: str | None,
    education: str | None,
    assignments: tuple[str, ...],
    template: Path | None,
) -> None:
    """Show the posting styled for reading in the terminal.

    Headings, bold lead-ins and bullets are styled on a terminal, with a pager for long
    postings; piped output, or NO_COLOR set, gives plain text with no escape codes.

    \b
    Example:
      jobgen preview -e examples/riverside-inpatient.yaml
    """
    from . import generate
    from .render.terminal import render_terminal

    markdown = generate(
        guide=guide,
        employer_file=employer,
        setting=setting,
        education=education,
        assignments=assignments,
        template=template,
    ).decode("utf-8")
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


@cli.command()
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
    from .employer import parse_field
    from .errors import ValidationError
    from .guide import load_guide
    from .output import check_target, write_atomic
    from .starter import QUESTIONS, default_country, question_choices, starter_yaml

    g = load_guide(guide)
    if output != "-":
        check_target(output, force=force)  # before asking anything
    answers: dict[str, str] = {}
    if not no_input and sys.stdin.isatty():
        click.echo(f"Creating an employer file for a {g.occupation} posting.", err=True)
        click.echo("Press Enter to accept the [default]; leave optional answers blank.\n", err=True)
        for key, label in QUESTIONS:
            if key == "salary.period" and not (
                answers.get("salary.min") or answers.get("salary.max")
            ):
                continue
            choices = question_choices(g, key)
            if choices:
                click.echo(f"{label}: " + ", ".join(choices), err=True)
            default = choices[0] if key in ("setting", "education") else ""
            if key == "salary.period":
                default = "hour"
            if key == "employment_type":
                default = "full-time"
            if key == "location.country":
                default = default_country(answers.get("location.region", ""))

            def check(text: str, key: str = key) -> str:
                try:
                    value = parse_field(g, key, text)
                except ValidationError as exc:
                    raise click.BadParameter(exc.message) from None
                low = answers.get("salary.min")
                if key == "salary.max" and value and low and float(value) < float(low):
                    raise click.BadParameter(f"the highest pay is below the lowest ({low})")
                return value

            try:
                answers[key] = click.prompt(
                    label, default=default, value_proc=check, show_default=bool(default), err=True
                )
            except click.Abort:  # Ctrl-C (or end of input) at a question: nothing was written
                click.echo("\njobgen: interrupted; no file was written", err=True)
                click.get_current_context().exit(130)
    text = starter_yaml(g, answers)
    if output == "-":
        click.echo(text, nl=False)
        return
    path = write_atomic(output, text.encode("utf-8"), force=force)
    click.echo(f"wrote {path}; render it with: jobgen render -e {path}", err=True)


@cli.group()
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
    from ._yaml import read_stream
    from .guide import describe_guide, guide_from_data
    from .guide_import import dump_guide_yaml, guide_warnings, import_guide_file, import_guide_text
    from .output import write_atomic

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
    for s in info["sections"]:
        click.echo(f"  {s['kind']:<17} {s['heading']} ({_counts(s)})", err=True)
    click.echo(
        f"  notes: {info['notes']}, FAQ entries: {info['faq']}, "
        f"conclusion: {'yes' if info['conclusion'] else 'no'}",
        err=True,
    )
    for warning in guide_warnings(imported):
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"the tailoring layer in {path} is a draft: review it before publishing postings",
        err=True,
    )
    click.echo(f"use it with: jobgen options --guide {path}", err=True)


def _counts(section: dict[str, Any]) -> str:
    parts = [
        f"{section[key]} {key if section[key] != 1 else key[:-1]}"
        for key in ("items", "paragraphs")
        if section[key]
    ]
    return ", ".join(parts) or "empty"


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
    from .guide import describe_guide, load_guide
    from .guide_import import guide_warnings
    from .schemas import check_guide_file

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
    from .guide import describe_guide, load_guide

    info = describe_guide(load_guide(name))
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"{info['title']}  [{info['slug']}]")
    click.echo(f"Source: {info['source']}\n")
    click.echo("Sections:")
    for s in info["sections"]:
        click.echo(f"  {s['kind']:<17} {s['heading']} ({_counts(s)})")
    click.echo(
        f"  notes: {info['notes']}, FAQ entries: {info['faq']}, "
        f"conclusion: {'yes' if info['conclusion'] else 'no'}\n"
    )
    tailored = info["tailoring"]
    for key, title, flag in (
        ("settings", "Settings", "--setting"),
        ("education", "Education levels", "--education"),
    ):
        click.echo(f"{title} ({flag}):")
        width = max(len(c["slug"]) for c in info[key]) + 2
        for c in info[key]:
            mark = "" if c["slug"] in tailored[key] else "  (untailored: the guide's own text)"
            also = f"  also: {', '.join(c['aliases'])}" if c["aliases"] else ""
            click.echo(f"  {c['slug']:<{width}}{c['name']}{also}{mark}")
        click.echo()


@cli.command()
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
    from .gallery import build_gallery

    files = build_gallery(out_dir, guide=guide, employer_files=employers, force=force)
    click.echo(f"wrote {len(files)} files; open {files[0]}", err=True)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine's own (127.0.0.1, localhost, ::1) "
    "lets other computers in, and the server has no authentication.",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--guide",
    "guides",
    multiple=True,
    metavar="NAME|PATH",
    help="A guide to serve: built-in name, guide .yaml or guide text .txt (repeatable; "
    "default: mental-health-technician). The page offers a picker when there are several.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Server processes; more than 1 uses more CPUs for many clients at once.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the studio in a web browser.")
def serve(host: str, port: int, guides: tuple[str, ...], workers: int, open_browser: bool) -> None:
    """Run the posting studio (a web page) and the HTTP API until Ctrl-C.

    The studio at http://HOST:PORT/ is a form beside a live preview, the lint findings and
    downloads (DOCX, HTML, Markdown, JSON-LD); it opens and saves employer files. The API
    lives under /api/v1/ (its OpenAPI document: /api/v1/openapi.json). See docs/serve.md.

    \b
    Examples:
      jobgen serve --open
      jobgen serve --port 8080 --guide mental-health-technician --guide pharmacy-tech.yaml
    """
    import socket

    import uvicorn

    from .serve import APP_VARIABLE, LOOPBACK, app_arguments, create_app

    app = create_app(guides or (None,), host=host, port=port)  # a bad guide stops us here
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise JobgenError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            source="--port",
            hint="choose another port with --port, e.g. --port 8001",
        ) from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if host not in LOOPBACK:
        click.echo(
            f"jobgen: warning: listening on {host}, so other computers can reach this server, "
            "and it has no authentication: anyone who can reach it can use it",
            err=True,
        )
    click.echo(f"jobgen studio: {url}  (API: {url}api/v1/, Ctrl-C stops it)", err=True)
    settings: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "lifespan": "off",
        "ws": "none",
        "http": "h11",
    }
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        # each worker is a fresh process that builds the same app from this variable
        os.environ[APP_VARIABLE] = app_arguments(list(guides or (None,)), host, port)
        config = uvicorn.Config(
            "jobgen.serve:app_from_environ", factory=True, workers=workers, **settings
        )
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        with contextlib.suppress(KeyboardInterrupt):
            Multiprocess(config, sockets=[sock]).run()
        click.echo("jobgen: server stopped", err=True)
        return
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    if open_browser:
        import threading
        import webbrowser

        def open_when_started() -> None:
            while not server.started and not server.should_exit:
                threading.Event().wait(0.05)
            if server.started:
                webbrowser.open(url)

        threading.Thread(target=open_when_started, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn shuts down, then passes it on
        server.run(sockets=[sock])
    click.echo("jobgen: server stopped", err=True)
