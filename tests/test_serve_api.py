"""The HTTP API of `jobgen serve`, through a real HTTP client against the real server."""

from __future__ import annotations

import base64
import http.client
import io
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from serving import DATE_EPOCH, ROOT, Server, running_server

from jobgen import generate
from jobgen.guide import load_guide
from jobgen.starter import starter_yaml

ENV = {"SOURCE_DATE_EPOCH": DATE_EPOCH}
FIELDS: dict[str, Any] = {
    "setting": "inpatient",
    "education": "associate",
    "employer": {"name": "Riverside Behavioral Health"},
    "location": {"city": "Denver", "region": "CO", "country": "US"},
    "salary": {"min": "19.50", "max": "26", "period": "hour"},
    "benefits": ["Medical insurance", "Paid time off"],
}
DOTTED: dict[str, Any] = {
    "setting": "inpatient",
    "education": "associate",
    "employer.name": "Riverside Behavioral Health",
    "location.city": "Denver",
    "location.region": "CO",
    "location.country": "US",
    "salary.min": "19.50",
    "salary.max": "26",
    "salary.period": "hour",
    "benefits": ["Medical insurance", "Paid time off"],
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with running_server(tmp_path_factory.mktemp("serve")) as running:
        yield running


def errors(body: bytes) -> list[dict[str, Any]]:
    data = json.loads(body)
    assert set(data) == {"errors"}
    for entry in data["errors"]:
        assert set(entry) == {"field", "message", "hint"}
    return list(data["errors"])


def test_cli_start_up_does_not_import_the_web_stack() -> None:
    code = (
        "import sys, jobgen.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'anyio'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_options_are_the_cli_json(server: Server) -> None:
    status, headers, body = server.request("/api/v1/options")
    assert status == 200 and headers["content-type"] == "application/json"
    cli = subprocess.run(
        [sys.executable, "-m", "jobgen", "options", "--json"],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(body) == json.loads(cli.stdout)


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("md", "text/markdown; charset=utf-8"),
        ("docx", DOCX_TYPE),
        ("html", "text/html; charset=utf-8"),
        ("jsonld", "application/ld+json"),
        ("json", "application/json"),
    ],
)
def test_render_every_format_as_the_library_does(server: Server, fmt: str, media: str) -> None:
    status, headers, body = server.request(f"/api/v1/render?format={fmt}", json_body=FIELDS)
    assert status == 200, body
    assert headers["content-type"] == media
    assert headers["content-disposition"] == (
        f'attachment; filename="riverside-behavioral-health-mental-health-technician.{fmt}"'
    )
    assert body == generate(values=FIELDS, environ=ENV, fmt=fmt)
    again = server.request(f"/api/v1/render?format={fmt}", json_body=FIELDS)[2]
    dotted = server.request(f"/api/v1/render?format={fmt}", json_body=DOTTED)[2]
    assert body == again == dotted  # identical requests, nested or dotted: identical bytes


def test_docx_opens_in_python_docx(server: Server) -> None:
    import docx

    body = server.request("/api/v1/render?format=docx", json_body=FIELDS)[2]
    document = docx.Document(io.BytesIO(body))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Riverside Behavioral Health" in text
    assert document.paragraphs[0].style.name == "Heading 1"


def test_default_format_is_markdown_and_a_placeholder_employer_names_the_title(
    server: Server,
) -> None:
    status, headers, body = server.request(
        "/api/v1/render", json_body={"setting": "outpatient", "education": "high"}
    )
    assert status == 200
    assert headers["content-disposition"] == 'attachment; filename="mental-health-technician.md"'
    assert body.startswith(b"# Mental Health Technician")


def test_render_warnings_come_in_a_header(server: Server) -> None:
    values = {"setting": "inpatient", "education": "associate"}
    status, headers, page = server.request("/api/v1/render?format=html", json_body=values)
    assert status == 200
    warnings = json.loads(headers["x-jobgen-warnings"])
    assert len(warnings) == 1 and "no JSON-LD" in warnings[0]
    assert b"application/ld+json" not in page
    assert headers["x-jobgen-warnings"].isascii()
    assert "x-jobgen-warnings" not in server.request("/api/v1/render", json_body=FIELDS)[1]


def test_bad_fields_are_422_naming_every_field(server: Server) -> None:
    bad = {**DOTTED, "salary.min": "abc", "apply.url": "ftp://example.com", "setting": "zoo"}
    status, _, body = server.request("/api/v1/render?format=html", json_body=bad)
    assert status == 422
    found = {e["field"]: e["message"] for e in errors(body)}
    assert set(found) == {"salary.min", "apply.url", "setting"}
    assert "'abc' is not a number" in found["salary.min"]
    assert "unknown setting 'zoo'" in found["setting"]
    assert "inpatient-facilities" in found["setting"]  # the choices, in the library's words


def test_cross_field_and_format_rules_are_422(server: Server) -> None:
    backwards = {**DOTTED, "salary.min": "30", "salary.max": "20"}
    status, _, body = server.request("/api/v1/render", json_body=backwards)
    assert status == 422
    [entry] = errors(body)
    assert entry["field"] is not None and entry["field"].startswith("salary.")
    no_place = {"setting": "inpatient", "education": "associate", "employer.name": "Acme"}
    status, _, body = server.request("/api/v1/render?format=jsonld", json_body=no_place)
    assert status == 422
    [entry] = errors(body)
    assert entry["field"] == "location.city" and entry["hint"]


def test_unknown_field_is_422(server: Server) -> None:
    status, _, body = server.request("/api/v1/render", json_body={**DOTTED, "salry.min": 1})
    assert status == 422
    assert "unknown field 'salry.min'" in errors(body)[0]["message"]


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "words"),
    [
        ("/api/v1/render", b"{nope", {"Content-Type": "application/json"}, 400, "not JSON"),
        ("/api/v1/render", b"[1, 2]", {"Content-Type": "application/json"}, 400, "JSON object"),
        ("/api/v1/lint", b"[" * 100_000, {"Content-Type": "application/json"}, 400, "too deeply"),
        ("/api/v1/render?format=pdf", b"{}", {"Content-Type": "application/json"}, 400, "pdf"),
        ("/api/v1/render?guide=nurse", b"{}", {"Content-Type": "application/json"}, 400, "nurse"),
        ("/api/v1/render", b"{}", {"Content-Type": "text/plain"}, 415, "application/json"),
        ("/api/v1/lint", b"{}", {}, 415, "application/json"),
        ("/api/v1/batch", b"{}", {"Content-Type": "application/json"}, 415, "application/jsonl"),
    ],
)
def test_bad_requests(
    server: Server, path: str, body: bytes, headers: dict[str, str], status: int, words: str
) -> None:
    got, _, answer = server.request(path, body, method="POST", headers=headers)
    assert got == status
    assert words in errors(answer)[0]["message"]


def test_host_header_must_be_the_bound_name(server: Server) -> None:
    port = server.url.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}"):
        status, _, body = server.request("/", headers={"Host": host})
        assert status == 403
        assert "answers to" in errors(body)[0]["message"]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert server.request("/api/v1/guides", headers={"Host": host})[0] == 200


def test_state_changing_requests_from_another_origin_are_refused(server: Server) -> None:
    for origin in ("http://evil.example", "https://127.0.0.1", "null"):
        status, _, body = server.request(
            "/api/v1/render", json_body=FIELDS, headers={"Origin": origin}
        )
        assert status == 403, origin
        assert "refused" in errors(body)[0]["message"]
    cross = server.request(
        "/api/v1/lint", json_body=FIELDS, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross[0] == 403
    same = server.request("/api/v1/render", json_body=FIELDS, headers={"Origin": server.url})
    assert same[0] == 200
    # reading is allowed from anywhere (the Host check still applies)
    assert server.request("/api/v1/options", headers={"Origin": "http://evil.example"})[0] == 200


def test_body_cap_by_declared_length_and_by_streamed_bytes(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    # declared: refused on the headers, before a byte of the body is read
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.putrequest("POST", "/api/v1/lint")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(10 * 1024 * 1024 + 1))
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 413
    assert "10,485,761 bytes" in errors(answer.read())[0]["message"]
    connection.close()

    def chunks() -> Any:  # no Content-Length: counted as it streams in
        yield b'{"employer.name": "'
        for _ in range(11):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request(
        "POST",
        "/api/v1/lint",
        body=chunks(),
        headers={"Content-Type": "application/json"},
        encode_chunked=True,
    )
    answer = connection.getresponse()
    assert answer.status == 413
    assert "10,485,760 bytes" in errors(answer.read())[0]["message"]
    connection.close()
    # the render route takes a reference document too: a larger cap
    status, _, _body = server.request(
        "/api/v1/render",
        b"{" + b" " * (11 * 1024 * 1024) + b"}",
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    assert status == 422  # read whole, then validated: no setting given


def test_lint_is_the_cli_json_report(server: Server, tmp_path: Path) -> None:
    status, _, body = server.request("/api/v1/lint", json_body=FIELDS)
    assert status == 200
    employer = tmp_path / "employer.json"
    employer.write_text(json.dumps(FIELDS))
    cli = subprocess.run(
        [sys.executable, "-m", "jobgen", "lint", "-e", str(employer), "--json"],
        capture_output=True,
        cwd=ROOT,
        env={"SOURCE_DATE_EPOCH": DATE_EPOCH, "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert json.loads(body) == json.loads(cli.stdout)


def test_lint_takes_the_cli_rule_options(server: Server) -> None:
    plain = json.loads(server.request("/api/v1/lint", json_body=FIELDS)[2])
    assert plain["readability"] is not None
    status, _, body = server.request(
        "/api/v1/lint?disable=readability&max_grade=5", json_body=FIELDS
    )
    assert status == 200
    report = json.loads(body)
    assert report["readability"] is None
    assert all(f["rule"] != "readability" for f in report["findings"])
    status, _, body = server.request("/api/v1/lint?disable=nosuchrule", json_body=FIELDS)
    assert status == 400
    assert "unknown rule 'nosuchrule'" in errors(body)[0]["message"]
    status, _, body = server.request("/api/v1/lint?max_grade=hard", json_body=FIELDS)
    assert status == 400


def test_batch_zip_holds_postings_and_manifest(server: Server) -> None:
    rows = [
        {**DOTTED, "requisition_id": "A-1"},
        {**DOTTED, "requisition_id": "A-2", "setting": "outpatient"},
        {**DOTTED, "requisition_id": "A-3", "salary.min": "lots"},
    ]
    lines = "".join(json.dumps(r) + "\n" for r in rows).encode()
    headers = {"Content-Type": "application/jsonl"}
    status, answer_headers, body = server.request(
        "/api/v1/batch?format=md,docx", lines, method="POST", headers=headers
    )
    assert status == 200, body
    assert answer_headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        manifest = json.loads(package.read("manifest.json"))
        assert [p["status"] for p in manifest["postings"]] == ["ok", "ok", "error"]
        assert manifest["postings"][2]["field"] == "salary.min"
        names = sorted(package.namelist())
        for posting in manifest["postings"][:2]:
            for entry in posting["files"]:
                assert entry["path"] in names
        first = manifest["postings"][0]["files"][0]["path"]
        assert package.read(first) == generate(values=rows[0], environ=ENV, fmt="md")
    again = server.request("/api/v1/batch?format=md,docx", lines, method="POST", headers=headers)
    assert again[2] == body  # identical requests, identical archive


def test_batch_refuses_a_bad_format(server: Server) -> None:
    status, _, body = server.request(
        "/api/v1/batch?format=pdf",
        b"{}\n",
        method="POST",
        headers={"Content-Type": "application/jsonl"},
    )
    assert status == 400
    assert "pdf" in errors(body)[0]["message"]


def test_reference_docx_upload_goes_through_the_cli_checks(server: Server) -> None:
    reference = (ROOT / "templates" / "reference.docx").read_bytes()
    body = {"fields": FIELDS, "reference_docx": base64.b64encode(reference).decode()}
    status, headers, data = server.request("/api/v1/render?format=docx", json_body=body)
    assert status == 200 and headers["content-type"] == DOCX_TYPE
    broken = {"fields": FIELDS, "reference_docx": base64.b64encode(b"not a zip").decode()}
    status, _, data = server.request("/api/v1/render?format=docx", json_body=broken)
    assert status == 422
    [entry] = errors(data)
    assert entry["field"] == "reference_docx"
    assert "not a readable Word document" in entry["message"]
    status, _, data = server.request("/api/v1/render?format=md", json_body=body)
    assert status == 400
    assert "Word documents only" in errors(data)[0]["message"]


def test_employer_file_save_is_the_init_file_and_reads_back(server: Server) -> None:
    status, headers, body = server.request("/api/v1/employer-file", json_body=DOTTED)
    assert status == 200 and headers["content-type"].startswith("application/yaml")
    answers = {k: ";".join(v) if isinstance(v, list) else v for k, v in DOTTED.items()}
    assert body.decode() == starter_yaml(load_guide(), answers)
    status, _, read = server.request(
        "/api/v1/employer-file/read",
        body,
        method="POST",
        headers={"Content-Type": "application/yaml"},
    )
    assert status == 200
    slugs = {"setting": "inpatient-facilities", "education": "associates-degree"}
    assert json.loads(read) == {"fields": {**DOTTED, **slugs}}  # the form lists slugs
    aliases = b"setting: inpatient\neducation: assoc\nworkplace: On-site\nemployment_type: gig\n"
    status, _, read = server.request(
        "/api/v1/employer-file/read",
        aliases,
        method="POST",
        headers={"Content-Type": "application/yaml"},
    )
    assert json.loads(read)["fields"] == {
        "setting": "inpatient-facilities",
        "education": "associates-degree",
        "workplace": "onsite",
        "employment_type": "gig",  # kept as written: the preview names the problem
    }
    bad = server.request(
        "/api/v1/employer-file/read",
        b"- a list",
        method="POST",
        headers={"Content-Type": "application/yaml"},
    )
    assert bad[0] == 422 and "mapping" in errors(bad[2])[0]["message"]


def test_variants_cover_every_setting_and_education(server: Server) -> None:
    status, _, body = server.request("/api/v1/variants", json_body=DOTTED)
    assert status == 200
    entries = json.loads(body)
    guide = load_guide()
    assert [(e["setting"], e["education"]) for e in entries] == [
        (s.slug, e.slug) for s in guide.setting_choices() for e in guide.education_choices()
    ]
    assert len({e["summary"] for e in entries}) > 1


def test_preview_is_a_draft_page_and_lint(server: Server) -> None:
    status, _, body = server.request(
        "/api/v1/preview", json_body={"setting": "inpatient", "education": "associate"}
    )
    assert status == 200
    data = json.loads(body)
    assert data["html"].startswith("<!DOCTYPE html>") and "application/ld+json" not in data["html"]
    assert {f["severity"] for f in data["lint"]["findings"]} <= {"error", "warning", "info"}


def test_concurrent_requests_do_not_mix(server: Server) -> None:
    results: dict[int, bytes] = {}

    def one(n: int) -> None:
        values = {**DOTTED, "employer.name": f"Employer number {n}"}
        fmt = ("md", "docx", "html")[n % 3]
        status, _, body = server.request(f"/api/v1/render?format={fmt}", json_body=values)
        assert status == 200
        results[n] = body == generate(values=values, environ=ENV, fmt=fmt)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == dict.fromkeys(range(24), True)


def test_openapi_document_validates(server: Server) -> None:
    from openapi_spec_validator import validate

    status, _, body = server.request("/api/v1/openapi.json")
    assert status == 200
    document = json.loads(body)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/render", "/api/v1/lint", "/api/v1/options", "/api/v1/batch"} <= set(
        document["paths"]
    )
    fields = document["components"]["schemas"]["EmployerFields"]["properties"]
    assert fields["salary.min"]["description"].startswith("Lowest pay")
    assert fields["workplace"]["enum"] == ["onsite", "hybrid", "remote"]


def test_static_files_and_no_user_templates(server: Server) -> None:
    assert server.request("/static/studio.js")[0] == 200
    assert server.request("/static/../api.py")[0] == 404
    status, _, _body = server.request("/api/v1/render", json_body={**DOTTED, "template": "x.j2"})
    assert status == 422  # `template` is not a field: no template comes in over HTTP


def test_another_host_warns_and_a_busy_port_is_an_error(tmp_path: Path) -> None:
    with running_server(tmp_path, host="127.0.0.2") as other:
        assert other.request("/api/v1/guides")[0] == 200
    log = other.stderr.read_text()
    assert "warning: listening on 127.0.0.2" in log and "no authentication" in log
    with running_server(tmp_path) as first:
        port = first.url.rsplit(":", 1)[1]
        done = subprocess.run(
            [sys.executable, "-m", "jobgen", "serve", "--port", port],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert done.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
        assert "--port" in done.stderr


def test_several_guides_and_the_guide_parameter(tmp_path: Path, guide_text: str) -> None:
    text = tmp_path / "copy.txt"
    text.write_text(guide_text.replace("Mental Health Technician", "Care Aide"))
    with running_server(tmp_path, "--guide", "mental-health-technician", "--guide", str(text)) as s:
        guides = json.loads(s.request("/api/v1/guides")[2])
        assert [g["occupation"] for g in guides] == ["Mental Health Technician", "Care Aide"]
        slug = guides[1]["slug"]
        page = s.request(f"/?guide={slug}")[2].decode()
        assert "Care Aide" in page and 'id="guide"' in page
        status, _, body = s.request(
            f"/api/v1/render?guide={slug}",
            json_body={"setting": "inpatient", "education": "associate"},
        )
        assert status == 200 and body.startswith(b"# Care Aide")


def test_worker_processes_serve_the_same_bytes(tmp_path: Path, guide_text: str) -> None:
    text = tmp_path / "care-aide.txt"
    text.write_text(guide_text.replace("Mental Health Technician", "Care Aide"))
    args = ("--workers", "2", "--guide", "mental-health-technician", "--guide", text.name)
    with running_server(tmp_path, *args) as server:  # the guide file relative to the cwd
        for fmt in ("md", "docx"):
            bodies = {
                server.request(f"/api/v1/render?format={fmt}", json_body=FIELDS)[2]
                for _ in range(6)
            }
            assert bodies == {generate(values=FIELDS, environ=ENV, fmt=fmt)}
        slug = json.loads(server.request("/api/v1/guides")[2])[1]["slug"]
        status, _, body = server.request(
            f"/api/v1/render?guide={slug}",
            json_body={"setting": "inpatient", "education": "associate"},
        )
        assert status == 200 and body.startswith(b"# Care Aide")
        assert server.request("/", headers={"Host": "evil.example"})[0] == 403
