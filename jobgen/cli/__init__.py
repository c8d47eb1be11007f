"""The command line: parse, call the library, report. Nothing else lives here.

One module per command group: :mod:`.render` (render, preview, lint), :mod:`.batch`,
:mod:`.guide` (guide import, validate, show), :mod:`.start` (options, init, gallery) and
:mod:`.serve`; the options several commands share are declared once in :mod:`.params`.
Errors are translated in one place (:mod:`.command`): ``jobgen.errors.UsageError`` exits 2
with the usage line, every other ``JobgenError`` exits 1 with its message.
"""

from __future__ import annotations

import gc
import os
import sys

import click

from .. import __version__
from .batch import batch
from .command import Group
from .guide import guide
from .render import lint, preview, render
from .serve import serve
from .start import gallery, init, options

__all__ = ["cli", "main"]


@click.group(
    name="jobgen",
    cls=Group,
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
    from ..employer import env_warnings

    for message in env_warnings():
        click.echo(f"jobgen: warning: {message}", err=True)


for _command in (render, batch, lint, options, preview, init, guide, gallery, serve):
    cli.add_command(_command)


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
