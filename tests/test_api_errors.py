"""Bad input gets a JSON error with the right 4xx, never a 500 or an HTML page: through the Flask
app with small limits, then the same kinds of garbage through the real gunicorn server."""
from __future__ import annotations

import json

import pytest
import requests

from conftest import API_KEY, make_settings
from factlint.api import create_app
from factlint.config import LimitsSettings
from factlint.workspace import Workspace

KEY = "k"
AUTH = {"Authorization": f"Bearer {KEY}"}
LIMITS = LimitsSettings(max_body_bytes=20_000, max_claim_chars=100, max_batch=3, max_top_k=5,
                        max_document_chars=2_000, max_documents=2, max_page_size=10)


@pytest.fixture(scope="module")
def client(tmp_path_factory, embedder):
    settings = make_settings(tmp_path_factory.mktemp("errors") / "data", limits=LIMITS.model_dump(),
                             auth={"api_key": KEY})
    ws = Workspace(settings, embedder=embedder)
    ws.add_paths([__import__("conftest").SEEDS / "000_9739ead57b34b0a2.txt"])
    return create_app(settings, ws).test_client()


def raw(client, method, path, data=None, content_type="application/json", headers=AUTH):
    return client.open(path, method=method, data=data, content_type=content_type, headers=headers)


DOC = {"title": "T", "text": "A valid text with enough words in it."}
CASES = [
    # (method, path, body, content type, status, code)
    ("POST", "/v1/check", "{not json", "application/json", 400, "malformed_json"),
    ("POST", "/v1/check", "[" * 50_00 + "]" * 50_00, "application/json", 400, "malformed_json"),  # nesting
    ("POST", "/v1/check", b'{"claim": "\xff\xfe"}', "application/json", 400, "malformed_json"),  # not UTF-8
    ("POST", "/v1/check", '{"claim": "\\ud800 lone surrogate"}', "application/json", 400, "malformed_json"),
    ("POST", "/v1/check", '{"claim": "x"}', "text/plain", 415, "unsupported_media_type"),
    ("POST", "/v1/check", '{"claim": "x"}', None, 415, "unsupported_media_type"),
    ("POST", "/v1/check", "[]", "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", "null", "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", "{}", "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": 5}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": ["a"]}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": "   "}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", json.dumps({"claim": "x" * 101}), "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": "ok claim", "top_k": 6}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": "ok claim", "top_k": "3"}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": "ok claim", "top_k": 1e999}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", '{"claim": "ok claim", "extra": 1}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check", json.dumps({"claim": "x" * 30_000}), "application/json", 413, "request_entity_too_large"),
    ("POST", "/v1/check/batch", '{"claims": []}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check/batch", '{"claims": ["a b", "c d", "e f", "g h"]}', "application/json", 422,
     "invalid_request"),
    ("POST", "/v1/check/batch", '{"claims": ["a b", ""]}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/check/document", json.dumps({"text": "x" * 2_001}), "application/json", 422, "invalid_request"),
    ("POST", "/v1/check/document", '{"text": "a", "format": "pdf"}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/compare", '{"a": "x"}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", "{}", "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", '{"text": ""}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", '{"text": 12}', "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", json.dumps({**DOC, "text": "y " * 1_001}), "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", json.dumps({**DOC, "published": "5 Jan 2020"}), "application/json", 422,
     "invalid_request"),
    ("POST", "/v1/documents", json.dumps({**DOC, "published": "2020-02-30"}), "application/json", 422,
     "invalid_request"),
    ("POST", "/v1/documents", json.dumps({**DOC, "id": "a/b"}), "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", json.dumps({**DOC, "id": ""}), "application/json", 422, "invalid_request"),
    ("POST", "/v1/documents", json.dumps({"text": "Only a title line here"}), "application/json", 422,
     "invalid_request"),
    ("POST", "/v1/documents", json.dumps(DOC), "text/csv", 415, "unsupported_media_type"),
    ("POST", "/v1/documents", "\n".join([json.dumps(DOC)] * 3), "application/x-ndjson", 422, "too_many_documents"),
    ("POST", "/v1/documents", json.dumps(DOC) + "\n{oops", "application/x-ndjson", 400, "malformed_json"),
    ("POST", "/v1/documents", "[1, 2]\n", "application/x-ndjson", 422, "invalid_request"),
    ("POST", "/v1/documents", "\n \n", "application/x-ndjson", 422, "invalid_request"),
    ("POST", "/v1/documents", b"\xff\n", "application/x-ndjson", 400, "malformed_json"),
    ("GET", "/v1/documents/nope", None, None, 404, "not_found"),
    ("GET", "/v1/documents?limit=11", None, None, 422, "invalid_request"),
    ("GET", "/v1/nothing-here", None, None, 404, "not_found"),
    ("GET", "/v1/check", None, None, 405, "method_not_allowed"),
    ("PUT", "/v1/documents", None, None, 405, "method_not_allowed"),
    ("PATCH", "/v1/documents/x", None, None, 405, "method_not_allowed"),
    ("DELETE", "/v1/documents/nope", None, None, 404, "not_found"),
]


@pytest.mark.parametrize("method,path,body,ctype,status,code", CASES,
                         ids=[f"{c[0]} {c[1][:30]} {c[4]} {i}" for i, c in enumerate(CASES)])
def test_bad_input_is_a_json_4xx(client, method, path, body, ctype, status, code):
    r = raw(client, method, path, body, ctype)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/json"
    assert r.json["error"]["code"] == code and r.json["error"]["message"]


def test_405_says_which_methods_are_allowed(client):
    r = client.get("/v1/check")
    assert r.headers["Allow"] and "POST" in r.headers["Allow"]
    assert "use POST" in r.json["error"]["message"]


def test_limits_are_settings_with_env_overrides(tmp_path, embedder):
    from pydantic import ValidationError

    from factlint.config import load_settings

    s = load_settings(env={"FACTLINT_LIMITS_MAX_BATCH": "7", "FACTLINT_LIMITS_MAX_BODY_BYTES": "5000",
                           "FACTLINT_DATA_DIR": str(tmp_path / "data")})
    assert s.limits.max_batch == 7 and s.limits.max_body_bytes == 5000
    client = create_app(s, Workspace(s, embedder=embedder)).test_client()
    assert client.post("/v1/check", json={"claim": "x" * 6000}).status_code == 413
    r = client.post("/v1/check/batch", json={"claims": ["a b"] * 8})
    assert r.status_code == 422 and "at most 7" in r.json["error"]["message"]
    with pytest.raises(ValidationError):
        load_settings(env={"FACTLINT_LIMITS_MAX_BATCH": "0"})


# --- the same garbage through gunicorn ---------------------------------------------------------
@pytest.mark.parametrize("method,path,body,ctype,status", [
    ("POST", "/v1/check", "{not json", "application/json", 400),
    ("POST", "/v1/check", '{"claim": "x"}', "text/html", 415),
    ("POST", "/v1/check", json.dumps({"claim": "z" * 301}), "application/json", 422),
    ("POST", "/v1/check", json.dumps({"claim": "z" * 300_000}), "application/json", 413),
    ("POST", "/v1/documents", "\n".join(['{"text": "a b c d e"}'] * 6), "application/x-ndjson", 422),
    ("GET", "/no/such/route", None, None, 404),
    ("DELETE", "/v1/check", None, None, 405),
])
def test_the_real_server_answers_garbage_with_json(api_server, method, path, body, ctype, status):
    headers = {"Authorization": f"Bearer {API_KEY}"}
    if ctype:
        headers["Content-Type"] = ctype
    r = requests.request(method, api_server.url + path, data=body, headers=headers, timeout=60)
    assert r.status_code == status, r.text[:300]
    assert r.headers["Content-Type"].startswith("application/json")
    assert set(r.json()["error"]) == {"code", "message"}
