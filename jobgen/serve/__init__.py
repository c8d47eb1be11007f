"""``jobgen serve``: the posting studio (a web page) and the HTTP API, over the library.

A thin layer like :mod:`jobgen.cli`: each route parses the request, calls the same library
function the matching command calls, and reports. Importing this package imports Starlette;
nothing else in jobgen imports it, so other commands start without the web stack.

Library use (any ASGI server runs the app)::

    from jobgen.serve import create_app
    app = create_app(guides=["mental-health-technician"], host="127.0.0.1", port=8000)
"""

from __future__ import annotations

from .app import API_PREFIX, create_app
from .guard import LOOPBACK, allowed_hosts

__all__ = ["API_PREFIX", "LOOPBACK", "allowed_hosts", "create_app"]
