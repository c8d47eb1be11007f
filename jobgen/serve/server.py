"""Run the studio and the API on a port with uvicorn: what ``jobgen serve`` does past parsing.

The socket is bound first (:func:`bind_server`), so a port in use is a clear error before anything
is announced; :meth:`Server.run` then serves until Ctrl-C, in this process or in ``workers``
fresh processes that each build the same app (see :func:`jobgen.serve.app_from_environ`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import JobgenError
from . import APP_VARIABLE, LOOPBACK, app_arguments, create_app

_UVICORN_SETTINGS: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,
    "lifespan": "off",
    "ws": "none",
    "http": "h11",
}


@dataclass
class Server:
    """The studio's app and the socket it will serve on."""

    guides: list[str | None]
    host: str
    port: int
    app: Any
    sock: socket.socket

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}/"

    @property
    def public(self) -> bool:
        """Whether other computers can reach it (the server has no authentication)."""
        return self.host not in LOOPBACK

    def run(self, *, workers: int = 1, open_browser: bool = False) -> None:
        """Serve until Ctrl-C, then return; ``open_browser`` opens the studio once it listens."""
        import uvicorn

        if workers > 1:
            from uvicorn.supervisors import Multiprocess

            # each worker is a fresh process that builds the same app from this variable
            os.environ[APP_VARIABLE] = app_arguments(self.guides, self.host, self.port)
            config = uvicorn.Config(
                "jobgen.serve:app_from_environ",
                factory=True,
                workers=workers,
                **_UVICORN_SETTINGS,
            )
            if open_browser:
                webbrowser.open(self.url)
            with contextlib.suppress(KeyboardInterrupt):
                Multiprocess(config, sockets=[self.sock]).run()
            return
        server = uvicorn.Server(uvicorn.Config(self.app, **_UVICORN_SETTINGS))
        if open_browser:

            def open_when_started() -> None:
                while not server.started and not server.should_exit:
                    threading.Event().wait(0.05)
                if server.started:
                    webbrowser.open(self.url)

            threading.Thread(target=open_when_started, daemon=True).start()
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn shuts down, then passes it on
            server.run(sockets=[self.sock])


def bind_server(guides: Sequence[str | None], *, host: str, port: int) -> Server:
    """The app for ``guides`` (``None``: the built-in guide) with its socket bound to
    ``host:port``. Raises :class:`~jobgen.errors.JobgenError` for a guide that does not load or
    a port that cannot be had."""
    served = list(guides) or [None]
    app = create_app(served, host=host, port=port)  # a bad guide stops us here
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
    return Server(served, host, port, app, sock)
