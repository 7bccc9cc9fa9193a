"""What the reliability and security review found (issue 13), through the Flask app over real
SQLite + FAISS workspaces: access to every route, headers, Host checks, bodies, the OpenAPI
document, a full disk and crashed index writes. The parts that need a real gunicorn (chunked
bodies, slow clients, gunicorn's own errors, time limits) are in test_hardening_server.py."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, make_settings
from factlint.api import create_app
from factlint.workspace import Workspace

KEY = "review-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
OPEN = {"/healthz", "/readyz", "/metrics", "/openapi.json", "/", "/static/web/<path:filename>"}


def app_for(ws, **sections):
    settings = ws.settings.model_copy(update={k: getattr(ws.settings, k).model_copy(update=v)
                                              for k, v in sections.items()})
    return create_app(settings, ws)


@pytest.fixture(scope="module")
def seeded_ws(tmp_path_factory, embedder):
    ws = Workspace(make_settings(tmp_path_factory.mktemp("hardening") / "data"), embedder=embedder)
    ws.add_paths([SEEDS])
    return ws


def call(client, rule, method, headers=None):
    path = rule.replace("<path:filename>", "app.js").replace("<doc_id>", "000_9739ead57b34b0a2")
    kw = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return client.open(path, method=method, headers=headers or {}, **kw)


# --- 1. every route that shows corpus content follows [auth] protect_reads ----------------------
def test_every_route_follows_protect_reads(seeded_ws):
    app = app_for(seeded_ws, auth={"api_key": KEY, "protect_reads": True})
    client = app.test_client()
    walked = set()
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            walked.add(rule.rule)
            anonymous = call(client, rule.rule, method)
            keyed = call(client, rule.rule, method, AUTH)
            if rule.rule in OPEN:
                assert anonymous.status_code == 200, (method, rule.rule, anonymous.status_code)
                continue
            assert anonymous.status_code == 401, (method, rule.rule, anonymous.status_code)
            assert anonymous.json["error"]["code"] == "unauthorized" and b"Iraq" not in anonymous.data
            assert keyed.status_code != 401, (method, rule.rule)
    assert {"/report", "/v1/contradictions", "/v1/check", "/v1/documents/<doc_id>"} <= walked
    # the review's case: the report page shows the protected documents' sentences
    assert "Iraq" in client.get("/report", headers=AUTH).get_data(as_text=True)


def test_without_protect_reads_only_writes_need_the_key(seeded_ws):
    client = app_for(seeded_ws, auth={"api_key": KEY}).test_client()
    assert client.get("/report").status_code == 200
    assert client.get("/v1/contradictions").status_code == 200
    assert client.post("/v1/documents", json={"text": "x y z"}).status_code == 401
    assert client.delete("/v1/documents/x").status_code == 401


# --- 8. the app is rooted at its package: no ./static ---------------------------------------------
def test_the_working_directorys_static_folder_is_not_served(seeded_ws, tmp_path, monkeypatch):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "secret.txt").write_text("private")
    monkeypatch.chdir(tmp_path)
    app = create_app(seeded_ws.settings, seeded_ws)
    assert Path(app.root_path) == ROOT / "service" / "factlint" / "api"
    assert "static" not in app.view_functions  # only the web page's own assets (web.static)
    r = app.test_client().get("/static/secret.txt")
    assert r.status_code == 404 and r.is_json
    assert app.test_client().get("/static/web/app.js").status_code == 200


# --- 9, 10, 13: JSON everywhere, JSON Lines, encodings, schema and server agree ------------------------
def test_a_double_slash_is_a_json_404_not_a_redirect(seeded_ws):
    r = create_app(seeded_ws.settings, seeded_ws).test_client().get("/v1//documents")
    assert r.status_code == 404 and r.is_json


def test_json_lines_split_on_newlines_only(workspace):
    client = create_app(workspace.settings, workspace).test_client()
    docs = [{"id": f"ls{i}", "title": f"Line {sep!r}", "text": f"The ferry carried {i + 10} cars{sep} on Monday."}
            for i, sep in enumerate(["\u2028", "\u2029", "\u0085"])]
    body = "\r\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n"
    r = client.post("/v1/documents", data=body.encode("utf-8"), content_type="application/x-ndjson")
    assert r.status_code == 201, r.json
    assert [d["id"] for d in r.json["documents"]] == ["ls0", "ls1", "ls2"]
    assert client.get("/v1/documents/ls1").json["text"] == docs[1]["text"]


@pytest.mark.parametrize("body", [
    '{"claim": "The resolution was passed unanimously."}'.encode("utf-16"),
    '{"claim": "The resolution was passed unanimously."}'.encode("utf-16-le"),
    '{"claim": "The resolution was passed unanimously."}'.encode("utf-32"),
    b"\xef\xbb\xbf" + b'{"claim": "The resolution was passed unanimously."}',
], ids=["utf-16", "utf-16-le", "utf-32", "utf-8 with BOM"])
def test_only_utf8_bodies_are_read(seeded_ws, body):
    r = create_app(seeded_ws.settings, seeded_ws).test_client().post(
        "/v1/check", data=body, content_type="application/json")
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_json"


def test_an_empty_or_blank_draft_is_a_422(seeded_ws):
    client = create_app(seeded_ws.settings, seeded_ws).test_client()
    for text in ("", "   \n\t ", "\u3000"):
        r = client.post("/v1/check/document", json={"text": text, "format": "markdown"})
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", text


def test_what_the_schema_admits_the_server_accepts(seeded_ws):
    """Request bodies checked against /openapi.json's schema and sent to the server: both say yes
    or both say no (the review: "top_k": 51.0 refused though integer admits it; "\\u001f" passes
    minLength but is refused)."""
    import jsonschema

    client = create_app(seeded_ws.settings, seeded_ws).test_client()
    spec = client.get("/openapi.json").json
    claim = "The resolution was passed unanimously."
    cases = [("/v1/check", "CheckRequest", {"claim": claim, "top_k": 51.0}),
             ("/v1/check", "CheckRequest", {"claim": claim, "top_k": 5}),
             ("/v1/check", "CheckRequest", {"claim": claim, "top_k": 5.5}),
             ("/v1/check", "CheckRequest", {"claim": "\u001f"}),
             ("/v1/check", "CheckRequest", {"claim": " \u0085\u00a0"}),
             ("/v1/check", "CheckRequest", {"claim": "\u001f" + claim}),
             ("/v1/compare", "CompareRequest", {"a": claim, "b": "\u001f"}),
             ("/v1/check/document", "DocumentCheckRequest", {"text": "\u2028"}),
             ("/v1/check/document", "DocumentCheckRequest", {"text": claim})]
    for path, name, body in cases:
        schema = {**spec["components"]["schemas"][name], "components": spec["components"]}
        admitted = jsonschema.Draft202012Validator(schema).is_valid(body)
        status = client.post(path, json=body).status_code
        assert admitted == (status == 200), (body, admitted, status)


def test_x_forwarded_for_is_believed_only_from_configured_proxies(seeded_ws, caplog):
    for proxies, logged in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        client = app_for(seeded_ws, server={"proxies": proxies}).test_client()
        with caplog.at_level("INFO", logger="factlint.access"):
            caplog.clear()
            client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"},
                       environ_base={"REMOTE_ADDR": "127.0.0.1"})
        lines = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
        assert lines and lines[-1]["remote"] == logged, (proxies, lines[-1:])


# --- 11. security headers and the Host check ---------------------------------------------------------
def test_every_answer_carries_the_security_headers(seeded_ws):
    client = create_app(seeded_ws.settings, seeded_ws).test_client()
    for path in ("/", "/report", "/v1/documents", "/nope", "/healthz", "/static/web/app.js"):
        r = client.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert r.headers["X-Frame-Options"] == "DENY" and r.headers["Referrer-Policy"] == "no-referrer", path
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
        assert "http" not in csp and "*" not in csp, path  # nothing from elsewhere
    page = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in page and "'unsafe-inline'" not in page and "'unsafe-eval'" not in page
    report = client.get("/report").headers["Content-Security-Policy"]
    assert "script-src" not in report  # the report runs no script at all


@pytest.mark.parametrize("host,allowed,status", [
    ("localhost:8000", [], 200), ("127.0.0.1:8000", [], 200), ("[::1]:8000", [], 200), ("LOCALHOST", [], 200),
    ("evil.example:8000", [], 400), ("127.0.0.1.evil.example", [], 400), ("localhost.evil.example", [], 400),
    ("news.example", ["news.example"], 200), ("a.news.example", [".news.example"], 200),
    ("localhost", ["news.example"], 400), ("evil.example", ["*"], 200),
])
def test_the_host_header_must_be_one_of_allowed_hosts(seeded_ws, host, allowed, status):
    """DNS rebinding: a page of evil.example that resolves its name to 127.0.0.1 sends its own name."""
    client = app_for(seeded_ws, server={"allowed_hosts": allowed}).test_client()
    r = client.get("/v1/documents", headers={"Host": host})
    assert r.status_code == status and r.is_json
    if status == 400:
        assert r.json["error"]["code"] == "host_not_allowed" and b"Iraq" not in r.data


def test_allowed_hosts_from_the_environment():
    from factlint.config import load_settings

    s = load_settings(env={"FACTLINT_SERVER_ALLOWED_HOSTS": "news.example, .cdn.example"})
    assert s.server.allowed_hosts == ["news.example", ".cdn.example"]
    assert load_settings(env={"FACTLINT_SERVER_HOST": "10.1.2.3"}).server.trusted_hosts()[0] == "10.1.2.3"


# --- issue 14 item 11: OpenAPI and /metrics ------------------------------------------------------------
@pytest.mark.parametrize("auth", [{}, {"api_key": KEY}, {"api_key": KEY, "protect_reads": True}],
                         ids=["no key", "key", "protected reads"])
def test_openapi_is_valid_and_declares_auth_limits_and_parameters(seeded_ws, auth):
    from openapi_spec_validator import validate

    app = app_for(seeded_ws, auth=auth)
    spec = app.test_client().get("/openapi.json").json
    validate(spec)
    ops = {(p, m): op for p, path in spec["paths"].items() for m, op in path.items()}
    for (path, method), op in ops.items():
        assert "414" in op["responses"], (path, method)
        if "requestBody" in op:
            assert "413" in op["responses"], (path, method)
    for (path, method), op in ops.items():
        needs = bool(auth) and (method in ("post", "delete") and path.startswith("/v1/documents")
                                or auth.get("protect_reads") and path not in OPEN)
        assert ("security" in op) == bool(needs) and ("401" in op["responses"]) == bool(needs), (path, method)
        if needs:
            assert op["security"] == [{"bearer": []}]
    params = {p["name"]: p for p in ops[("/v1/contradictions", "get")]["parameters"]}
    assert set(params) == {"kind", "notes", "page", "per_page"}
    assert params["per_page"]["schema"]["maximum"] == 100


def test_metrics_content_type_and_build_info(seeded_ws):
    r = create_app(seeded_ws.settings, seeded_ws).test_client().get("/metrics")
    assert r.headers["Content-Type"].count("charset") == 1
    assert 'factlint_build_info{python="' in r.get_data(as_text=True)


# --- 4 (in process): long requests have a share of the threads and a time limit ---------------------
def test_long_requests_beyond_their_share_are_503_busy(seeded_ws):
    from factlint.api.capacity import EXTENSION

    app = app_for(seeded_ws, server={"threads": 4, "long_requests": 1})
    limiter = app.extensions[EXTENSION][0]
    assert limiter.admitted == 2  # 4 threads, 2 kept for short requests
    limiter._held = limiter.admitted  # as if two long requests held their threads
    client = app.test_client()
    r = client.post("/v1/check/batch", json={"claims": ["The resolution was passed unanimously."]})
    assert r.status_code == 503 and r.json["error"]["code"] == "busy" and r.headers["Retry-After"]
    assert client.post("/v1/check", json={"claim": "The resolution was passed unanimously."}).status_code == 200
    assert client.get("/healthz").status_code == 200
    limiter._held = 0
    assert client.post("/v1/check/batch", json={"claims": ["The resolution was passed unanimously."]}).status_code == 200


def test_a_check_past_its_time_limit_is_a_json_503(seeded_ws):
    client = app_for(seeded_ws, server={"request_timeout": 0.05}).test_client()
    claims = [f"The council approved {i} new homes in Leeds on Monday." for i in range(200)]
    r = client.post("/v1/check/batch", json={"claims": claims})
    assert r.status_code == 503 and r.json["error"]["code"] == "request_timeout", r.json
    draft = "\n\n".join(claims)
    r = client.post("/v1/check/document", json={"text": draft, "format": "markdown"})
    assert r.status_code == 503 and r.json["error"]["code"] == "request_timeout"


def test_searches_never_see_the_index_in_the_middle_of_a_change(workspace):
    """gthread runs several requests per worker: a check searching the index while another thread
    applies a write to it (what Workspace.sync and add do, under the workspace's lock) must see the
    index before or after the change, never half of it (FAISS answers -1 or wrong ids then)."""
    import threading

    import numpy as np

    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((20_000, workspace.embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    workspace.index.add(np.arange(20_000, dtype=np.int64), vectors)
    queries, wrong, stop = vectors[:8], [], threading.Event()

    def searcher():
        while not stop.is_set():
            scores, ids = workspace.search(queries, 10)  # index.search here: 64 wrong in 3 s
            wrong.extend(int(i) for i in ids[:, 0] if i < 0 or i % 20_000 >= 8)

    def change():  # what Workspace._apply does to the index, under the lock
        at = 20_000
        while not stop.is_set():
            ids = np.arange(at, at + 100, dtype=np.int64)
            with workspace._lock:
                workspace.index.add(ids, vectors[:100])
                workspace.index.remove(ids)
            at += 100

    threads = [threading.Thread(target=searcher) for _ in range(3)] + [threading.Thread(target=change)]
    for t in threads:
        t.start()
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(60)
    assert not wrong, f"{len(wrong)} searches saw a half-changed index"


# --- 5. a full disk: the committed write is answered 2xx, the checkpoint retried ----------------------
@pytest.fixture
def small_disk(tmp_path):
    """A real 16 MB file system (tmpfs), mounted for the test; skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until only about ``leave`` bytes are free."""
    filler = disk / "filler"
    st = os.statvfs(disk)
    filler.write_bytes(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
    return filler


def test_a_write_committed_on_a_full_disk_is_2xx_and_the_checkpoint_is_retried(small_disk, embedder, caplog):
    ws = Workspace(make_settings(small_disk / "data"), embedder=embedder)
    ws.add_paths([SEEDS])  # an index file of ~150 KB
    client = create_app(ws.settings, ws).test_client()
    written = json.loads(ws.index_path.with_suffix(".json").read_text())["seq"]
    filler = fill(small_disk, leave=96 * 1024)  # room for the SQLite transaction, not for the index file
    body = {"id": "full-disk", "title": "Ferry", "text": "The island ferry carried 412 passengers on its first day."}
    with caplog.at_level("WARNING", logger="factlint"):
        r = client.post("/v1/documents", json=body)
    assert r.status_code == 201, r.json  # it is stored and searchable: the answer says so
    assert "checkpoint" in caplog.text and "retried" in caplog.text
    assert ws.store.document_info("full-disk") is not None
    hit = client.post("/v1/check", json={"claim": "The island ferry carried 412 passengers on its first day."}).json
    assert hit["evidence"][0]["doc_id"] == "full-disk"
    assert json.loads(ws.index_path.with_suffix(".json").read_text())["seq"] == written  # the old checkpoint
    assert not list(ws.dir.glob("*.tmp"))
    r = client.delete("/v1/documents/full-disk")
    assert r.status_code == 200  # the same for a delete

    filler.unlink()  # space again: the next write writes the checkpoint
    assert client.post("/v1/documents", json={**body, "id": "after"}).status_code == 201
    assert json.loads(ws.index_path.with_suffix(".json").read_text())["seq"] == ws.store.head() == ws.seq
    again = Workspace(ws.settings, embedder=embedder)
    assert len(again.index) == len(ws.index)


def test_a_checkpoint_that_failed_is_retried_without_a_write(small_disk, embedder, monkeypatch):
    import factlint.workspace as workspace

    ws = Workspace(make_settings(small_disk / "data"), embedder=embedder)
    ws.add_paths([SEEDS])
    filler = fill(small_disk, leave=96 * 1024)
    ws.add([__import__("factlint.models", fromlist=["Document"]).Document(
        id="late", title="T", text="The island ferry carried 412 passengers on its first day.")])
    assert ws._checkpoint_failed_at is not None
    filler.unlink()
    monkeypatch.setattr(workspace, "CHECKPOINT_RETRY", 0.0)
    ws.sync()
    assert ws._checkpoint_failed_at is None
    assert json.loads(ws.index_path.with_suffix(".json").read_text())["seq"] == ws.store.head()


def test_a_write_the_disk_cannot_hold_is_507_and_nothing_is_stored(small_disk, embedder):
    ws = Workspace(make_settings(small_disk / "data"), embedder=embedder)
    ws.add_paths([SEEDS])
    client = create_app(ws.settings, ws).test_client()
    before = ws.store.count_documents()
    fill(small_disk, leave=0)
    text = " ".join(f"The ferry to island {i} carried {100 + i} passengers." for i in range(300))
    r = client.post("/v1/documents", json={"id": "too-big", "title": "T", "text": text})
    assert r.status_code == 507 and r.json["error"]["code"] == "insufficient_storage"
    assert ws.store.count_documents() == before and ws.store.document_info("too-big") is None


# --- 6. temp files of a crashed index write are removed at start-up, under the index lock ------------
def test_temp_files_of_a_killed_checkpoint_writer_are_removed_at_start(tmp_path, embedder, caplog):
    settings = make_settings(tmp_path / "data")
    ws = Workspace(settings, embedder=embedder)
    ws.add_paths([SEEDS])
    # a process writing checkpoints in a loop, killed with SIGKILL while a temp file exists
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, json; from factlint.index import FlatIndex\n"
        "p = sys.argv[1]; idx, meta = FlatIndex.load(p)\n"
        "while True: idx.save(p, meta)\n"), str(ws.index_path)], cwd=ROOT)
    try:
        leaked: list[Path] = []
        deadline = time.time() + 60
        while not leaked and time.time() < deadline:
            if list(ws.dir.glob("*.tmp")):
                writer.send_signal(signal.SIGKILL)
                writer.wait()
                leaked = list(ws.dir.glob("*.tmp"))
                if not leaked:  # renamed between the look and the kill: again
                    writer = subprocess.Popen(writer.args, cwd=ROOT)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert leaked and all(f".{writer.pid}-" in f.name for f in leaked)
    with caplog.at_level("INFO", logger="factlint"):
        again = Workspace(settings, embedder=embedder)
    assert not list(ws.dir.glob("*.tmp")) and "temp file" in caplog.text
    assert len(again.index) == len(ws.index)
