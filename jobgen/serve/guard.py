"""The server's safety checks, before any route runs: the Host header (DNS rebinding), the
Origin of state-changing requests (cross-site requests while the studio runs on a laptop) and
the declared body size. Pure ASGI, so a refused request never reaches a route."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
"""Names of this machine that no other site can point a browser at."""
WILDCARD = frozenset({"0.0.0.0", "::", ""})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The ``Host`` header values a server bound to ``host``:``port`` accepts; ``None`` (any)
    for a wildcard address, whose names cannot be known."""
    if host in WILDCARD:
        return None
    names = LOOPBACK if host in LOOPBACK else frozenset({host})
    out: set[str] = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out.add(f"{shown}:{port}".lower())
        if port == 80:
            out.add(shown.lower())
    return frozenset(out)


def error_body(message: str, hint: str | None = None) -> bytes:
    """The API's error shape, ``{"errors": [{"field", "message", "hint"}]}``, as bytes."""
    return json.dumps(
        {"errors": [{"field": None, "message": message, "hint": hint}]}, ensure_ascii=False
    ).encode("utf-8")


class Guard:
    """Refuse a request whose Host is not the bound name (403), a state-changing request from
    another origin (403), and a body declared larger than its route's cap (413)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: frozenset[str] | None,
        limits: Mapping[str, int],
        default_limit: int,
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.limits = dict(limits)
        self.default_limit = default_limit

    def limit_for(self, path: str) -> int:
        """The body cap of the route at ``path``, in bytes."""
        return self.limits.get(path, self.default_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").strip().lower()
        if self.hosts is not None and host not in self.hosts:
            await _refuse(
                send,
                403,
                f"this server answers to {', '.join(sorted(self.hosts))}, not {host or 'no Host'}",
                "open the address the server printed when it started",
            )
            return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.lower() != f"http://{host}":
                await _refuse(
                    send,
                    403,
                    f"requests from {origin} are refused: only pages served by this server "
                    "may change anything",
                )
                return
            if headers.get("sec-fetch-site") == "cross-site":
                await _refuse(send, 403, "cross-site requests are refused")
                return
            declared = headers.get("content-length")
            limit = self.limit_for(scope["path"])
            if declared is not None and not declared.isdigit():
                await _refuse(send, 400, f"Content-Length {declared!r} is not a number")
                return
            if declared is not None and int(declared) > limit:
                await _refuse(
                    send,
                    413,
                    f"the request body is {int(declared):,} bytes; this route accepts up to "
                    f"{limit:,} bytes",
                )
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, message: str, hint: str | None = None) -> None:
    body = error_body(message, hint)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
