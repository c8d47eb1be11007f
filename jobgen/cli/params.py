"""Option declarations shared by several commands, each declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._completion import complete_choice, complete_formats, complete_set

if TYPE_CHECKING:
    from .. import PostingSources

F = TypeVar("F", bound=Callable[..., Any])


class Count(click.ParamType[int]):
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


ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def format_names() -> list[str]:
    from ..render import FORMATS

    return list(FORMATS)


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


def output_options(f: F) -> F:
    """-f/--format, -o/--output and --force, for a command that writes one document."""
    return _apply(
        f,
        click.option(
            "-f",
            "--format",
            "fmt",
            metavar="FORMAT",
            shell_complete=complete_formats,
            help="Output format: " + ", ".join(format_names()) + " (default: from -o, else md).",
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


def render_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose what to render; shared by render, lint and preview.

    The command receives --guide, --employer, --setting, --education and --set as one
    ``sources`` mapping (:class:`jobgen.PostingSources`, what :func:`jobgen.load_posting`
    takes), and --template as ``template``.
    """

    @functools.wraps(f)
    def command(
        *,
        guide: str | None,
        employer: Path | None,
        setting: str | None,
        education: str | None,
        assignments: tuple[str, ...],
        **rest: Any,
    ) -> Any:
        sources: PostingSources = {
            "guide": guide,
            "employer_file": employer,
            "setting": setting,
            "education": education,
            "assignments": assignments,
        }
        return f(sources=sources, **rest)

    return _apply(
        command,
        guide_option,
        employer_option,
        setting_option,
        education_option,
        set_option,
        template_option,
    )
