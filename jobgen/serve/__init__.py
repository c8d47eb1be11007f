"""``jobgen serve``: the posting studio (a web page) and the HTTP API, over the library.

A thin layer like :mod:`jobgen.cli`: each route parses the request, calls the same library
function the matching command calls, and reports. Importing this package imports Starlette;
nothing else in jobgen imports it, so other commands start without the web stack.

Library use (any ASGI server runs the app)::

    from jobgen.serve import create_app
    app = create_app(guides=["mental-health-technician"], host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .app import API_PREFIX, create_app
from .guard import LOOPBACK, allowed_hosts

__all__ = [
    "API_PREFIX",
    "APP_VARIABLE",
    "LOOPBACK",
    "allowed_hosts",
    "app_from_environ",
    "create_app",
]

APP_VARIABLE = "JOBGEN_SERVE_APP"
"""Holds ``create_app``'s arguments as JSON for worker processes (``jobgen serve --workers``),
which uvicorn starts afresh and which build their app with :func:`app_from_environ`."""


def app_arguments(guides: list[str | None], host: str, port: int) -> str:
    """The JSON :func:`app_from_environ` reads: guide files made absolute."""
    resolved = [str(Path(g).resolve()) if g and Path(g).exists() else g for g in guides]
    return json.dumps({"guides": resolved, "host": host, "port": port})


def app_from_environ() -> Any:
    """The app described by :data:`APP_VARIABLE` (an app factory for uvicorn's workers)."""
    arguments = json.loads(os.environ[APP_VARIABLE])
    return create_app(arguments["guides"], host=arguments["host"], port=arguments["port"])
