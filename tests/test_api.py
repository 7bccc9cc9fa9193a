"""The HTTP API through Flask's test client over a real seeded workspace."""
import pytest

from factlint.api import create_app


@pytest.fixture(scope="module")
def client(seeded):
    return create_app(seeded.settings, workspace=seeded).test_client()


def test_health_and_ready(client):
    assert client.get("/healthz").json == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json["documents"] == 5 and r.json["sentences"] > 50


def test_check_contract(client):
    r = client.post("/v1/check", json={"claim": "Iraq has about 2,500 American military personnel still in the country."})
    assert r.status_code == 200
    body = r.json
    assert set(body) >= {"claim", "verdict", "confidence", "findings", "evidence"}
    assert body["verdict"] == "contradicted"
    f = body["findings"][0]
    assert set(f) >= {"kind", "message", "confidence", "claim_span", "evidence_span", "evidence"}
    assert set(f["evidence"]) >= {"doc_id", "title", "published", "source", "sentence", "span", "similarity"}
    assert 0 <= body["confidence"] <= 1


def test_batch_document_and_compare(client):
    r = client.post("/v1/check/batch", json={"claims": ["The resolution was passed unanimously.",
                                                         "A new species of frog was discovered."]})
    assert [x["verdict"] for x in r.json["results"]] == ["contradicted", "unverified"]
    draft = "# Draft\n\nA frog was found in the forest today.\nThe resolution was passed unanimously.\n"
    r = client.post("/v1/check/document", json={"text": draft, "format": "markdown"})
    res = r.json["results"]
    hit = next(x for x in res if x["verdict"] == "contradicted")
    assert (hit["line"], hit["column"]) == (4, 1)
    assert draft[hit["span"][0]:hit["span"][1]] == "The resolution was passed unanimously."
    r = client.post("/v1/compare", json={"a": "The resolution was passed unanimously.",
                                         "b": "The resolution was passed anonymously."})
    assert r.json["verdict"] == "contradiction" and r.json["findings"][0]["kind"] == "wording"


@pytest.mark.parametrize("kwargs,status,code", [
    ({"data": "{not json", "content_type": "application/json"}, 400, "malformed_json"),
    ({"data": "claim=x", "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ({"json": ["a list"]}, 422, "invalid_request"),
    ({"json": {}}, 422, "invalid_request"),
    ({"json": {"claim": 5}}, 422, "invalid_request"),
    ({"json": {"claim": "   "}}, 422, "invalid_request"),
    ({"json": {"claim": "x" * 5000}}, 422, "invalid_request"),
    ({"json": {"claim": "ok claim", "top_k": 0}}, 422, "invalid_request"),
    ({"json": {"claim": "ok claim", "extra": 1}}, 422, "invalid_request"),
    ({"data": "x" * 2_000_000, "content_type": "application/json"}, 413, "request_entity_too_large"),
])
def test_bad_input_gets_a_json_4xx(client, kwargs, status, code):
    r = client.post("/v1/check", **kwargs)
    assert r.status_code == status, r.data[:200]
    assert r.json["error"]["code"] == code and r.json["error"]["message"]


def test_unknown_route_and_method(client):
    r = client.get("/v1/nope")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    r = client.get("/v1/check")
    assert r.status_code == 405 and r.is_json


def test_the_texts_dates_resolve_relative_dates(client):
    a, b = "The minister resigned yesterday.", "The minister resigned on January 2."
    r = client.post("/v1/compare", json={"a": a, "b": b, "a_published": "2020-01-05", "b_published": "2020-01-05"})
    assert r.status_code == 200 and r.json["verdict"] == "contradiction"
    (f,) = [f for f in r.json["findings"] if f["kind"] == "date"]
    assert f["message"] == ("a says yesterday; b says January 2 (read against the texts' dates: "
                            "'yesterday' is 2020-01-04)")
    r = client.post("/v1/compare", json={"a": a, "b": "The minister resigned on January 4.",
                                         "a_published": "2020-01-05", "b_published": "2020-01-05"})
    assert not [f for f in r.json["findings"] if f["kind"] == "date"]
    # /v1/check reads the claim's relative dates against the claim's date, the corpus's against each
    # article's: the seed of 2020-01-05 (a Sunday) says the resolution was adopted "on Sunday"
    claim = "A resolution calling for the withdrawal of foreign troops was adopted by the Iraqi parliament yesterday."
    def dates_found(day):
        body = client.post("/v1/check", json={"claim": claim, "published": day}).json
        return [f["message"] for f in body["findings"] if f["kind"] == "date" and f["severity"] == "contradiction"]
    assert dates_found("2020-01-06") == []
    assert any("'yesterday' is 2020-01-08, 'Sunday' is 2020-01-05" in m for m in dates_found("2020-01-09"))
    r = client.post("/v1/check", json={"claim": claim, "published": "9 January 2020"})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json["error"]["message"]
