"""Schema-driven fuzzing of the real server: schemathesis reads /openapi.json (generated from the
same pydantic models that validate requests) and, for every operation, sends generated valid
(positive) and schema-violating (negative) requests to a 2-worker gunicorn. No answer may be a 5xx,
and every answer must be JSON; errors exactly {"error": {"code", "message"}}. Bounded: a few dozen
examples per operation and mode.

(schemathesis' own pytest plugin, ``from_fixture``, does not work with pytest 9, so the
operations' Hypothesis strategies are driven directly.)
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from conftest import API_KEY

AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXAMPLES = 20  # per operation and mode


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value):
    """NDJSON bodies: one generated object per line (a list: one line per item)."""
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(v) + "\n" for v in items).encode("utf-8")


JSON_PATHS = ("/v1/", "/healthz", "/readyz", "/openapi.json")  # the web pages and /metrics are not JSON


def json_answers(ctx, response, case):
    """Every answer of the JSON API is JSON; errors have exactly the error shape (no HTML, no trace)."""
    if not case.path.startswith(JSON_PATHS):
        return None
    headers = {k.lower(): v for k, v in response.headers.items()}
    ctype = headers.get("content-type", [""])
    ctype = ctype[0] if isinstance(ctype, list) else ctype
    assert ctype.startswith("application/json"), f"{response.status_code} with content type {ctype!r}"
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return None


def test_no_operation_fails_on_generated_input(api_server):
    schema = schemathesis.openapi.from_url(api_server.url + "/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "POST /v1/check", "POST /v1/check/batch", "POST /v1/check/document", "POST /v1/compare",
        "POST /v1/documents", "GET /v1/documents", "GET /v1/documents/{doc_id}", "DELETE /v1/documents/{doc_id}"}
    calls = 0
    statuses: dict[str, Counter] = defaultdict(Counter)
    for op in operations:
        for mode in GenerationMode:
            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal calls
                calls += 1
                r = case.call_and_validate(headers=AUTH, timeout=60,
                                           checks=[schemathesis.checks.not_a_server_error, json_answers])
                statuses[f"{op.method.upper()} {op.path} {mode.value}"][r.status_code] += 1
            try:
                run()
            except Unsatisfiable:  # no input to make invalid (GET /healthz...)
                assert mode is GenerationMode.NEGATIVE
            except Exception as exc:
                pytest.fail(f"{op.method.upper()} {op.path} ({mode.value}): {exc}")
    print("\n".join(f"{k}: {dict(v)}" for k, v in statuses.items()))
    assert calls >= 100
    # both kinds of answer were exercised: accepted requests and rejected ones
    assert sum(v[200] + v[201] for v in statuses.values()) >= 50
    assert sum(n for v in statuses.values() for code, n in v.items() if 400 <= code < 500) >= 50
