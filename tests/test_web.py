"""The web page, GET /report and GET /v1/contradictions through the Flask app (in process, on the
shared seeded workspace); the real-browser tests are in test_browser.py."""
from __future__ import annotations

import re

import pytest

from factlint.api import create_app


@pytest.fixture(scope="module")
def client(seeded):
    app = create_app(seeded.settings, workspace=seeded)
    return app.test_client()


def test_page_has_the_draft_form_and_its_own_assets(client):
    resp = client.get("/")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert '<textarea id="draft"' in page and '<label id="draft-label" for="draft">' in page
    assert re.search(r'<button id="check" type="submit">Check</button>', page)
    assert 'name="viewport"' in page  # readable on a phone
    for asset, mimetype in (("/static/web/app.js", "text/javascript"), ("/static/web/factlint.css", "text/css")):
        assert asset in page
        r = client.get(asset)
        assert r.status_code == 200 and r.mimetype == mimetype and len(r.data) > 1000
        # no CDN, nothing fetched from elsewhere
        assert not re.search(rb"https?://", r.data)
    assert not re.search(r"(src|href)=\"https?://", page)


def test_page_script_calls_the_document_endpoint_and_never_injects_html(client):
    js = client.get("/static/web/app.js").get_data(as_text=True)
    assert '"/v1/check/document"' in js
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js


def test_report_page_shows_the_seed_conflicts_with_dates(client):
    resp = client.get("/report")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    for text in ('<mark class="hit">about 5,000</mark>', '<mark class="hit">some 2,500</mark>', "2020-01-05",
                 "after 2021-12-31", "The figure over time", "Major General", "Lieutenant General",
                 "Qassem Soleimani"):
        assert text in page, text
    assert "<style>" in page and "http" not in page.split("<body")[0]


def test_report_page_filters_by_kind(client):
    page = client.get("/report?kind=number").get_data(as_text=True)
    assert "about 5,000" in page and "Lieutenant General" not in page
    assert 'aria-current="page">number' in page
    bad = client.get("/report?kind=rumour")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_request"


def test_contradictions_api_pages_and_filters(client):
    body = client.get("/v1/contradictions").get_json()
    assert body["page"] == 1 and body["per_page"] == 20 and body["total"] == len(body["facts"]) >= 2
    assert body["documents"] == 5 and body["kinds"]["number"] >= 1
    troops = next(f for f in body["facts"] if {"about 5,000", "some 2,500"} <= set(f["values"]))
    assert {(s["text"], s["published"], s["not_before"]) for s in troops["statements"]} == {
        ("about 5,000", "2020-01-05", None), ("some 2,500", None, "2021-12-31")}
    assert [p["value"] for p in troops["timeline"]] == [5000.0, 2500.0]

    one = client.get("/v1/contradictions?per_page=1&page=2").get_json()
    assert one["pages"] == body["total"] and [f["id"] for f in one["facts"]] == [body["facts"][1]["id"]]
    beyond = client.get(f"/v1/contradictions?page={body['total'] + 1}").get_json()
    assert beyond["facts"] == [] and beyond["total"] == body["total"]

    entity = client.get("/v1/contradictions?kind=entity").get_json()
    assert entity["total"] == body["kinds"]["entity"]
    assert all(any(c["kind"] == "entity" for c in f["contradictions"]) for f in entity["facts"])
    assert any({"Major General", "Lieutenant General"} <= set(f["values"]) for f in entity["facts"])
    notes = client.get("/v1/contradictions?notes=1&per_page=100").get_json()
    assert notes["total"] >= body["total"]


@pytest.mark.parametrize("query", ["kind=rumour", "page=0", "page=x", "per_page=101", "per_page=0", "notes=maybe"])
def test_contradictions_api_rejects_bad_queries(client, query):
    resp = client.get(f"/v1/contradictions?{query}")
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "invalid_request"


def test_report_still_building_is_a_503(seeded):
    from factlint.report import ReportCache

    class Building(ReportCache):
        def get(self, ws, settings, wait=None):
            return None

    app = create_app(seeded.settings, workspace=seeded)
    app.extensions["factlint.report"] = Building()
    for url in ("/v1/contradictions", "/report"):
        resp = app.test_client().get(url)
        assert resp.status_code == 503 and resp.get_json()["error"]["code"] == "report_building"


def test_report_links_articles_by_their_address_only_when_it_is_a_web_one(workspace):
    from factlint.models import Document
    from factlint.report import build_report
    from factlint.web.render import render_report

    workspace.add([
        Document("a", "Troops stay", "Some 5,000 US troops remain in Iraq as advisers to the army.", "2020-01-05",
                 url="https://news.example/a"),
        Document("b", "Troops leave", "Some 2,500 US troops remain in Iraq as advisers to the army.", "2021-06-01",
                 url="javascript:alert(1)")])
    rep = build_report(workspace, workspace.settings.check)
    statements = {s["doc_id"]: s for f in rep.to_json()["facts"] for s in f["statements"]}
    assert statements["a"]["url"] == "https://news.example/a" and statements["b"]["url"] == "javascript:alert(1)"
    page = render_report(rep)
    assert '<a href="https://news.example/a" rel="noopener noreferrer"><strong>Troops stay</strong></a>' in page
    assert "javascript:" not in page and "<strong>Troops leave</strong>" in page
