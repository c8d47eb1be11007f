"""``jobgen serve``: the posting studio and the HTTP API (see :mod:`jobgen.serve.server`)."""

from __future__ import annotations

import click

from .command import Command


@click.command(cls=Command)
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
    from ..serve.server import bind_server

    server = bind_server(guides, host=host, port=port)  # a bad guide or a busy port stops here
    if server.public:
        click.echo(
            f"jobgen: warning: listening on {host}, so other computers can reach this server, "
            "and it has no authentication: anyone who can reach it can use it",
            err=True,
        )
    url = server.url
    click.echo(f"jobgen studio: {url}  (API: {url}api/v1/, Ctrl-C stops it)", err=True)
    server.run(workers=workers, open_browser=open_browser)
    click.echo("jobgen: server stopped", err=True)
