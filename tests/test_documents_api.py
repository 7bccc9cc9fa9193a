"""The documents API (POST/GET/DELETE /v1/documents), auth and /openapi.json, through the Flask app
over a real SQLite + FAISS workspace (and, for auth and access logs, the real gunicorn server)."""
from __future__ import annotations

import json
import uuid

import pytest
import requests

from conftest import SEEDS, make_settings
from factlint.api import create_app
from factlint.workspace import Workspace

KEY = "s3cret-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
ARTICLE = ("The county council approved 300 new homes on Monday. The plan was passed unanimously. "
           "Building will start in May and cost 45 million pounds.")


@pytest.fixture
def ws(tmp_path, embedder):
    return Workspace(make_settings(tmp_path / "data"), embedder=embedder)


def client_for(ws, **sections):
    settings = ws.settings.model_copy(update={k: getattr(ws.settings, k).model_copy(update=v)
                                              for k, v in sections.items()})
    return create_app(settings, ws).test_client()


@pytest.fixture
def client(ws):
    return client_for(ws, auth={"api_key": KEY})


def post(client, body, **kw):
    return client.post("/v1/documents", json=body, headers=AUTH, **kw)


def ndjson(client, docs: list[dict], headers=AUTH):
    data = "\n".join(json.dumps(d) for d in docs) + "\n"
    return client.post("/v1/documents", data=data, content_type="application/x-ndjson", headers=headers)


def evidence_ids(client, claim: str) -> list[str]:
    r = client.post("/v1/check", json={"claim": claim})
    assert r.status_code == 200, r.json
    return [e["doc_id"] for e in r.json["evidence"]]


def test_post_one_document_then_check_get_and_delete_it(client):
    r = post(client, {"id": "homes", "title": "Council backs homes", "published": "2024-02-05",
                      "source": "Gazette", "text": ARTICLE})
    assert r.status_code == 201
    assert r.json == {"documents": [{"id": "homes", "sentences": 3, "created": True}]}
    assert r.headers["Location"] == "/v1/documents/homes"

    res = client.post("/v1/check", json={"claim": "The county council approved 500 new homes on Monday."}).json
    assert res["verdict"] == "contradicted" and res["evidence"][0]["doc_id"] == "homes"
    assert res["evidence"][0]["published"] == "2024-02-05" and res["evidence"][0]["source"] == "Gazette"

    got = client.get("/v1/documents/homes").json
    assert got["title"] == "Council backs homes" and got["text"] == ARTICLE and got["published"] == "2024-02-05"
    assert [s["index"] for s in got["sentences"]] == [0, 1, 2]
    for s in got["sentences"]:
        assert ARTICLE[s["start"]:s["end"]] == s["text"]

    r = client.delete("/v1/documents/homes", headers=AUTH)
    assert r.status_code == 200 and r.json == {"id": "homes", "deleted": True}
    assert client.get("/v1/documents/homes").status_code == 404
    assert "homes" not in evidence_ids(client, "The county council approved 300 new homes on Monday.")
    r = client.delete("/v1/documents/homes", headers=AUTH)
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def test_reposting_an_id_replaces_the_document(client, ws):
    post(client, {"id": "p", "title": "Pool", "text": "The new pool in Hull will have eight lanes."})
    r = post(client, {"id": "p", "title": "Pool (corrected)",
                      "text": "The new pool in Hull will have ten lanes. It opens in June."})
    assert r.status_code == 200 and r.json["documents"] == [{"id": "p", "sentences": 2, "created": False}]
    got = client.get("/v1/documents/p").json
    assert got["title"] == "Pool (corrected)" and len(got["sentences"]) == 2
    assert ws.store.count_documents() == 1 and len(ws.index) == 2
    hit = client.post("/v1/check", json={"claim": "The new pool in Hull will have eight lanes."}).json
    assert [e["sentence"] for e in hit["evidence"]][:1] == ["The new pool in Hull will have ten lanes."]


def test_ndjson_batch_is_validated_whole_then_written_in_one_go(client, ws):
    docs = [{"id": f"n{i}", "title": f"Item {i}", "text": f"Market stall {i} sold {i + 5} pies before noon."}
            for i in range(4)]
    bad = docs[:2] + [{"id": "n9", "title": 5, "text": "x"}] + docs[2:]
    r = ndjson(client, bad)
    assert r.status_code == 422 and r.json["error"]["message"].startswith("line 3: title")
    assert ws.store.count_documents() == 0  # nothing of a rejected batch is written

    r = ndjson(client, docs)
    assert r.status_code == 201 and [d["id"] for d in r.json["documents"]] == ["n0", "n1", "n2", "n3"]
    assert ws.store.count_documents() == 4 and len(ws.index) == 4


def test_a_document_without_id_or_title_is_read_like_an_article_file(client):
    raw = "Harbour wall repaired after storm\n5 Jan, 2020\nShare this\nWorkers rebuilt 40 metres of the harbour wall."
    r = post(client, {"text": raw, "source": "Coast News"})
    assert r.status_code == 201
    doc_id = r.json["documents"][0]["id"]
    got = client.get(f"/v1/documents/{doc_id}").json
    assert got["title"] == "Harbour wall repaired after storm" and got["published"] == "2020-01-05"
    assert got["text"] == "Workers rebuilt 40 metres of the harbour wall."
    again = post(client, {"text": raw, "source": "Coast News"})  # the id is the text's hash: no duplicate
    assert again.status_code == 200 and again.json["documents"][0]["id"] == doc_id


def test_list_is_paged_by_id(client):
    ndjson(client, [{"id": f"doc-{i:02d}", "title": "T", "text": f"Bus route {i} will run every {i + 10} minutes."}
                    for i in range(5)])
    first = client.get("/v1/documents?limit=2").json
    assert [d["id"] for d in first["documents"]] == ["doc-00", "doc-01"] and first["next"] == "doc-01"
    assert first["total"] == 5 and first["documents"][0]["sentences"] == 1
    second = client.get(f"/v1/documents?limit=2&after={first['next']}").json
    third = client.get(f"/v1/documents?limit=2&after={second['next']}").json
    assert [d["id"] for d in second["documents"] + third["documents"]] == ["doc-02", "doc-03", "doc-04"]
    assert third["next"] is None
    for q in ("limit=0", "limit=x", "limit=100000"):
        r = client.get(f"/v1/documents?{q}")
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", q


def test_factlint_index_and_the_api_share_one_write_path(client, ws):
    """A file indexed like `factlint index` does is replaced by posting its id (its file stem)."""
    ws.add_paths([SEEDS / "000_9739ead57b34b0a2.txt"])
    listed = client.get("/v1/documents").json["documents"]
    assert [d["id"] for d in listed] == ["000_9739ead57b34b0a2"]
    r = post(client, {"id": "000_9739ead57b34b0a2", "title": "Replaced", "text": "A short replacement text here."})
    assert r.json["documents"][0]["created"] is False
    assert ws.store.count_documents() == 1 and len(ws.index) == 1


# --- auth ---------------------------------------------------------------------------------------
def test_writes_need_the_key_and_reads_stay_open(client, ws):
    body = {"id": "a", "title": "T", "text": "Some text about the harbour in Leith."}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}, {"Authorization": f"Basic {KEY}"}):
        r = client.post("/v1/documents", json=body, headers=headers)
        assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized", headers
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        assert client.delete("/v1/documents/a", headers=headers).status_code == 401
    assert ws.store.count_documents() == 0
    assert post(client, body).status_code == 201
    assert client.get("/v1/documents").status_code == 200
    assert client.get("/v1/documents/a").status_code == 200
    assert client.post("/v1/check", json={"claim": "The harbour in Leith."}).status_code == 200


def test_protect_reads_puts_the_key_on_reads_too_but_not_on_operations(ws):
    client = client_for(ws, auth={"api_key": KEY, "protect_reads": True})
    assert client.get("/v1/documents").status_code == 401
    assert client.post("/v1/check", json={"claim": "x y z"}).status_code == 401
    assert client.get("/v1/documents", headers=AUTH).status_code == 200
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_without_a_key_configured_writes_are_open(ws):
    client = client_for(ws)
    assert client.post("/v1/documents", json={"title": "T", "text": "Open writes when no key is set."}).status_code == 201


def test_the_key_comes_from_the_environment(tmp_path):
    from factlint.config import load_settings

    s = load_settings(env={"FACTLINT_API_KEY": "k1"})
    assert s.auth.api_key == "k1"
    s = load_settings(env={"FACTLINT_API_KEY": "k1", "FACTLINT_AUTH_API_KEY": "k2", "FACTLINT_AUTH_PROTECT_READS": "true"})
    assert s.auth.api_key == "k2" and s.auth.protect_reads is True


# --- OpenAPI --------------------------------------------------------------------------------------
def test_openapi_lists_every_route_with_the_validating_schemas(ws):
    app = create_app(ws.settings.model_copy(update={"limits": ws.settings.limits.model_copy(
        update={"max_claim_chars": 123, "max_documents": 7})}), ws)
    spec = app.test_client().get("/openapi.json").json
    routes = {(r.rule.replace("<", "{").replace(">", "}"), m.lower()) for r in app.url_map.iter_rules()
              if not r.endpoint.endswith("static") for m in r.methods - {"HEAD", "OPTIONS"}}
    documented = {(p, m) for p, ops in spec["paths"].items() for m in ops}
    assert routes == documented
    schemas = spec["components"]["schemas"]
    assert schemas["CheckRequest"]["properties"]["claim"]["maxLength"] == 123
    assert set(schemas["DocumentIn"]["required"]) == {"text"}
    post_docs = spec["paths"]["/v1/documents"]["post"]
    assert set(post_docs["requestBody"]["content"]) == {"application/json", "application/x-ndjson"}
    assert {"400", "413", "415", "422"} <= set(post_docs["responses"])
    assert spec["paths"]["/v1/documents/{doc_id}"]["delete"]["responses"]["404"]


# --- the real server: access logs ---------------------------------------------------------------
def test_access_log_lines_are_json(api_server):
    rid = f"req-{uuid.uuid4().hex[:8]}"
    r = requests.get(api_server.url + "/v1/documents?limit=1", headers={"X-Request-ID": rid}, timeout=30)
    assert r.status_code == 200 and r.headers["X-Request-ID"] == rid
    lines = [json.loads(ln) for ln in api_server.output().splitlines() if ln.startswith("{") and rid in ln]
    assert lines and lines[0]["route"] == "/v1/documents" and lines[0]["status"] == 200
    assert lines[0]["method"] == "GET" and lines[0]["duration_ms"] >= 0 and lines[0]["pid"] > 0


def test_a_documents_url_is_stored_listed_and_shown_on_its_evidence(client):
    url = "https://gazette.example/2024/02/homes"
    assert post(client, {"id": "homes", "title": "Council backs homes", "url": url, "text": ARTICLE}).status_code == 201
    assert client.get("/v1/documents/homes").json["url"] == url
    assert client.get("/v1/documents").json["documents"][0]["url"] == url
    res = client.post("/v1/check", json={"claim": "The county council approved 500 new homes on Monday."}).json
    assert res["evidence"][0]["url"] == url and res["findings"][0]["evidence"]["url"] == url
