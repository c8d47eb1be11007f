"""Start the real `jobgen serve` in a subprocess on a free port, for the API and studio tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


DATE_EPOCH = "1795824000"
"""2026-11-28, the date every test renders on."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    stderr: Path

    def request(
        self,
        path: str,
        body: bytes | None = None,
        *,
        method: str | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, lower-cased headers, body) of one request; errors are answers too."""
        sent = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=sent)
        try:
            with urllib.request.urlopen(req, timeout=60) as answer:
                return (
                    answer.status,
                    {k.lower(): v for k, v in answer.headers.items()},
                    answer.read(),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@contextlib.contextmanager
def running_server(tmp: Path, *args: str, host: str = "127.0.0.1") -> Iterator[Server]:
    """`jobgen serve --port FREE ARGS` until the block ends; then Ctrl-C, which must stop it
    cleanly (exit 0)."""
    port = free_port()
    stderr = tmp / f"serve-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBGEN_")}
    env.update(PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=DATE_EPOCH)
    with stderr.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jobgen", "serve", "--host", host, "--port", str(port), *args],
            stdout=subprocess.DEVNULL,
            stderr=log,
            cwd=tmp,
            env=env,
        )
    server = Server(f"http://{host}:{port}", process, stderr)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"jobgen serve exited: {stderr.read_text()}")
            try:
                with socket.create_connection((host, port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("jobgen serve did not start") from None
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError("jobgen serve did not stop on Ctrl-C") from None
    assert process.returncode == 0, stderr.read_text()
    assert "server stopped" in stderr.read_text()
