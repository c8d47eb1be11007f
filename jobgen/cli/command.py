"""Click commands whose library errors become exit codes: the one place that happens.

``jobgen.errors.UsageError`` exits 2 with the usage line, every other ``JobgenError`` exits 1
with its message; Ctrl-C exits 130; a closed pipe on stdout is not an error.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import JobgenError, UsageError


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
        discard_stdout()
        ctx.exit(0)
    except OSError as exc:
        # files are read and written by the library, which names them in a JobgenError; what
        # is left is the terminal or pipe: `jobgen render > /dev/full`
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise click.ClickException(f"could not write the output: {reason}") from None


def discard_stdout() -> None:
    """Send what is still written to stdout nowhere: its reader went away."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class Command(click.Command):
    """A command whose library errors become exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        return _translate(ctx, lambda: super(Command, self).invoke(ctx))

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


class Group(click.Group):
    """A group whose commands (and subgroups) are :class:`Command` and :class:`Group`."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        return _translate(ctx, lambda: super(Group, self).invoke(ctx))


Group.group_class = Group
