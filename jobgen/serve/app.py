"""The Starlette application: the studio page, its static files and the versioned HTTP API.

Every route parses the request, calls the library (the calls ``jobgen render``, ``lint``,
``options``, ``batch`` and ``init`` make) off the event loop, and reports. Errors are JSON,
``{"errors": [{"field", "message", "hint"}]}``: 422 for bad fields, 400/413/415 for bad requests.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import JobgenError, UsageError
from . import api
from .guard import Guard, allowed_hosts
from .openapi import openapi_document
from .page import studio_page

API_PREFIX = "/api/v1"
"""Every API route lives under this prefix; a change that breaks clients gets a new one."""

MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "jsonld": "application/ld+json",
    "json": "application/json",
}

WARNINGS_HEADER = "X-Jobgen-Warnings"
"""A rendered document's warnings (a JSON list of strings), when it has any."""
JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "application/json")
JSONL_TYPES = ("application/jsonl", "application/x-ndjson", "application/json-lines")


class RequestError(Exception):
    """A request the server refuses: the HTTP status and the API's error entries."""

    def __init__(self, status: int, errors: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(status)
        self.status = status
        self.errors = [dict(e) for e in errors]


def _bad(status: int, message: str, hint: str | None = None) -> RequestError:
    return RequestError(status, [{"field": None, "message": message, "hint": hint}])


def _from_library(exc: JobgenError) -> RequestError:
    error = api.describe_error(exc)
    status = 400 if isinstance(exc, UsageError) and error["field"] is None else 422
    return RequestError(status, [error])


@dataclass
class _Server:
    guides: api.Guides
    limits: Mapping[str, int]

    # ------------------------------------------------------------------ request parts

    def served(self, request: Request) -> api.ServedGuide:
        try:
            return self.guides.get(request.query_params.get("guide"))
        except JobgenError as exc:
            raise _from_library(exc) from None

    async def body(self, request: Request, allowed: Sequence[str]) -> bytes:
        """The request body, refused when its type is not ``allowed`` (415) or it passes the
        route's cap (413; the guard refuses a too-large Content-Length before this runs)."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in allowed:
            raise _bad(
                415,
                f"this route reads {' or '.join(allowed)}, not {kind or 'a body without a type'}",
                f"send the header Content-Type: {allowed[0]}",
            )
        limit = self.limits.get(request.url.path, api.MAX_BODY)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _bad(413, f"the request body passes {limit:,} bytes, this route's limit")
            chunks.append(chunk)
        return b"".join(chunks)

    async def fields(self, request: Request) -> tuple[dict[str, Any], bytes | None]:
        """The employer fields of a JSON body, and an uploaded reference document if any."""
        data = await self.body(request, JSON_TYPES)
        try:
            value = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _bad(400, f"the request body is not JSON ({exc})") from None
        except RecursionError:
            raise _bad(400, "the request body is nested too deeply to read") from None
        if not isinstance(value, dict):
            raise _bad(
                400,
                "the request body must be a JSON object of employer fields, nested or dotted "
                '({"employer": {"name": "Acme"}, "salary.min": 18})',
            )
        if "fields" in value and set(value) <= {"fields", "reference_docx"}:
            fields = value["fields"]
            if not isinstance(fields, dict):
                raise _bad(400, '"fields" must be a JSON object of employer fields')
            encoded = value.get("reference_docx")
            if encoded is None:
                return fields, None
            if not isinstance(encoded, str):
                raise _bad(400, '"reference_docx" must be the .docx file in base64')
            try:
                return fields, base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise _bad(400, '"reference_docx" is not valid base64') from None
        return value, None

    async def call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Run library work on a worker thread, so the event loop keeps serving others."""
        try:
            return await run_in_threadpool(function, *args, **kwargs)
        except api.FieldErrors as exc:
            raise RequestError(422, exc.errors) from None
        except JobgenError as exc:
            raise _from_library(exc) from None

    # ------------------------------------------------------------------ routes

    async def studio(self, request: Request) -> HTMLResponse:
        served = self.served(request)
        return HTMLResponse(studio_page(self.guides, served))

    async def list_guides(self, request: Request) -> JSONResponse:
        """
        summary: The guides this server was started with
        responses:
          200:
            description: One entry per guide; pass its slug as ?guide= to the other routes.
        """
        return JSONResponse(
            [{"slug": s.guide.slug, "occupation": s.guide.occupation} for s in self.guides]
        )

    async def options(self, request: Request) -> JSONResponse:
        """
        summary: Settings, education levels, formats and employer fields
        description: The same JSON as `jobgen options --json`.
        parameters:
          - {name: guide, in: query, required: false, schema: {type: string}}
        responses:
          200:
            description: The guide's choices and the employer field table.
          400: {$ref: "#/components/responses/BadRequest"}
        """
        return JSONResponse(self.served(request).options)

    async def render(self, request: Request) -> Response:
        """
        summary: Render one posting
        description: >-
          The body is the employer's fields as a JSON object (nested or dotted keys, validated
          as an employer file is); or {"fields": {...}, "reference_docx": BASE64} to brand a
          DOCX with a reference document, checked as --reference-docx is.
        parameters:
          - name: format
            in: query
            schema: {type: string, enum: [md, docx, html, jsonld, json], default: md}
          - {name: guide, in: query, required: false, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/json:
              schema: {$ref: "#/components/schemas/RenderRequest"}
        responses:
          200:
            description: >-
              The document, with a Content-Disposition file name; its warnings (what
              `jobgen render` prints to stderr), if any, as a JSON list in X-Jobgen-Warnings.
            content:
              text/markdown: {}
              text/html: {}
              application/ld+json: {}
              application/json: {}
              application/vnd.openxmlformats-officedocument.wordprocessingml.document: {}
          400: {$ref: "#/components/responses/BadRequest"}
          413: {$ref: "#/components/responses/TooLarge"}
          415: {$ref: "#/components/responses/WrongType"}
          422: {$ref: "#/components/responses/BadFields"}
        """
        served = self.served(request)
        fmt = request.query_params.get("format", "md")
        values, reference = await self.fields(request)
        document = await self.call(api.render_document, served, values, fmt, reference)
        headers = {"Content-Disposition": api.disposition(document.posting, document.fmt)}
        if document.warnings:  # what `jobgen render` prints to stderr, as JSON in ASCII
            headers[WARNINGS_HEADER] = json.dumps(list(document.warnings))
        return Response(document.data, media_type=MEDIA_TYPES[document.fmt], headers=headers)

    async def lint(self, request: Request) -> JSONResponse:
        """
        summary: Check a posting
        description: The report of `jobgen lint --json` for the posting these fields render.
        parameters:
          - {name: guide, in: query, required: false, schema: {type: string}}
          - name: disable
            in: query
            description: rules to turn off, comma-separated (as --disable)
            schema: {type: string}
          - name: enable
            in: query
            description: rules to turn on, comma-separated (as --enable)
            schema: {type: string}
          - name: max_grade
            in: query
            description: highest Flesch-Kincaid grade before the readability warning
            schema: {type: number, default: 12}
        requestBody:
          required: true
          content:
            application/json:
              schema: {$ref: "#/components/schemas/EmployerFields"}
        responses:
          200:
            description: Findings (rule, severity, message, line), gender coding, readability.
          400: {$ref: "#/components/responses/BadRequest"}
          413: {$ref: "#/components/responses/TooLarge"}
          415: {$ref: "#/components/responses/WrongType"}
          422: {$ref: "#/components/responses/BadFields"}
        """
        served = self.served(request)
        query = request.query_params

        def rules(name: str) -> list[str]:
            return [r.strip() for item in query.getlist(name) for r in item.split(",") if r.strip()]

        values, _ = await self.fields(request)
        report = await self.call(
            api.lint_report,
            served,
            values,
            disable=rules("disable"),
            enable=rules("enable"),
            max_grade=query.get("max_grade"),
        )
        return JSONResponse(report)

    async def preview(self, request: Request) -> JSONResponse:
        """
        summary: The studio's preview
        description: >-
          A draft HTML page of the posting (without the JSON-LD, so it shows before the address
          is complete) and its lint report; every field with a bad value is named at once.
        parameters:
          - {name: guide, in: query, required: false, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/json:
              schema: {$ref: "#/components/schemas/EmployerFields"}
        responses:
          200:
            description: '{"html": PAGE, "lint": REPORT}'
          422: {$ref: "#/components/responses/BadFields"}
        """
        served = self.served(request)
        values, _ = await self.fields(request)
        return JSONResponse(await self.call(api.preview, served, values))

    async def variants(self, request: Request) -> JSONResponse:
        """
        summary: Every setting × education variant of these answers
        parameters:
          - {name: guide, in: query, required: false, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/json:
              schema: {$ref: "#/components/schemas/EmployerFields"}
        responses:
          200:
            description: One entry per variant, with its summary and lint counts.
          422: {$ref: "#/components/responses/BadFields"}
        """
        served = self.served(request)
        values, _ = await self.fields(request)
        return JSONResponse(await self.call(api.variants, served, values))

    async def save_employer(self, request: Request) -> Response:
        """
        summary: These fields as an employer file
        description: The commented YAML that `jobgen init` writes, with these answers filled in.
        parameters:
          - {name: guide, in: query, required: false, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/json:
              schema: {$ref: "#/components/schemas/EmployerFields"}
        responses:
          200:
            description: employer.yaml
            content:
              application/yaml: {}
          422: {$ref: "#/components/responses/BadFields"}
        """
        served = self.served(request)
        values, _ = await self.fields(request)
        text = await self.call(api.employer_yaml, served, values)
        return Response(
            text.encode("utf-8"),
            media_type="application/yaml; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="employer.yaml"'},
        )

    async def read_employer(self, request: Request) -> JSONResponse:
        """
        summary: Read an employer file (YAML or JSON) into fields
        parameters:
          - {name: guide, in: query, required: false, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/yaml: {}
            application/json: {}
        responses:
          200:
            description: '{"fields": {DOTTED KEY: TEXT or [TEXT]}}'
          400: {$ref: "#/components/responses/BadRequest"}
          422: {$ref: "#/components/responses/BadFields"}
        """
        served = self.served(request)
        data = await self.body(request, YAML_TYPES)
        name = request.headers.get("x-file-name", "employer file")
        return JSONResponse({"fields": await self.call(api.read_employer, served, data, name)})

    async def batch(self, request: Request) -> Response:
        """
        summary: Render one posting per JSON line
        description: >-
          JSON Lines in (one object of employer fields a line), a zip of the postings and
          manifest.json out, as `jobgen batch` writes them. A row's error is in the manifest.
        parameters:
          - name: format
            in: query
            description: comma-separated, e.g. md,docx
            schema: {type: string, default: md}
          - {name: guide, in: query, required: false, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/jsonl: {}
        responses:
          200:
            description: postings.zip
            content:
              application/zip: {}
          400: {$ref: "#/components/responses/BadRequest"}
          413: {$ref: "#/components/responses/TooLarge"}
          415: {$ref: "#/components/responses/WrongType"}
        """
        served = self.served(request)
        formats = [f for f in request.query_params.get("format", "md").split(",") if f.strip()]
        data = await self.body(request, JSONL_TYPES)
        archive = await self.call(api.batch_zip, served, data, formats)
        return StreamingResponse(
            _chunks(archive),
            media_type="application/zip",
            headers={
                "Content-Disposition": 'attachment; filename="postings.zip"',
                "Content-Length": str(os.fstat(archive.fileno()).st_size),
            },
            background=BackgroundTask(archive.close),
        )

    async def openapi(self, request: Request) -> JSONResponse:
        return JSONResponse(openapi_document(self.guides, self.api_routes()))

    def api_routes(self) -> list[Route]:
        p = API_PREFIX
        return [
            Route(f"{p}/guides", self.list_guides, methods=["GET"]),
            Route(f"{p}/options", self.options, methods=["GET"]),
            Route(f"{p}/render", self.render, methods=["POST"]),
            Route(f"{p}/lint", self.lint, methods=["POST"]),
            Route(f"{p}/preview", self.preview, methods=["POST"]),
            Route(f"{p}/variants", self.variants, methods=["POST"]),
            Route(f"{p}/employer-file", self.save_employer, methods=["POST"]),
            Route(f"{p}/employer-file/read", self.read_employer, methods=["POST"]),
            Route(f"{p}/batch", self.batch, methods=["POST"]),
        ]


async def _chunks(archive: Any) -> AsyncIterator[bytes]:
    for chunk in _read(archive):
        yield chunk


def _read(archive: Any, size: int = 64 * 1024) -> Iterator[bytes]:
    archive.seek(0)
    while chunk := archive.read(size):
        yield chunk


def create_app(
    guides: Sequence[str | None] = (None,),
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    environ: Mapping[str, str] | None = None,
) -> Any:
    """The ASGI application serving ``guides`` (built-in names or guide files; ``None`` is the
    default guide), guarded for a server bound to ``host``:``port``.

    Requests see no ``JOBGEN_*`` variables of the server's environment (each request's fields
    are the whole input); ``SOURCE_DATE_EPOCH`` in ``environ`` (default ``os.environ``) fixes
    the posting date, as it does for the CLI.
    """
    env = os.environ if environ is None else environ
    served = api.Guides.load(guides, environ=api.request_environ(env))
    server = _Server(served, api.body_limits(API_PREFIX))

    async def failed(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestError)
        return JSONResponse({"errors": exc.errors}, status_code=exc.status)

    async def broken(request: Request, exc: Exception) -> JSONResponse:
        # a bug in jobgen: say so in the API's shape, as the CLI does, without a traceback
        message = f"internal error: {type(exc).__name__}: {exc}; this is a bug in jobgen"
        return JSONResponse(
            {"errors": [{"field": None, "message": message, "hint": None}]}, status_code=500
        )

    routes = [
        Route("/", server.studio, methods=["GET"]),
        *server.api_routes(),
        Route(
            f"{API_PREFIX}/openapi.json", server.openapi, methods=["GET"], include_in_schema=False
        ),
        Mount("/static", StaticFiles(packages=[("jobgen.serve", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={RequestError: failed, Exception: broken})
    return Guard(
        app,
        hosts=allowed_hosts(host, port),
        limits=server.limits,
        default_limit=api.MAX_BODY,
    )
