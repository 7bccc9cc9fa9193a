"""The service through a real gunicorn with 2 workers on 127.0.0.1 (see conftest.Server)."""
from concurrent.futures import ThreadPoolExecutor

import requests


def post(server, path, body):
    return requests.post(server.url + path, json=body, timeout=60)


def test_the_readme_examples(server):
    r = post(server, "/v1/check", {"claim": "Iraq has about 2,500 American military personnel still in the country."})
    body = r.json()
    assert r.status_code == 200 and body["verdict"] == "contradicted"
    f = [f for f in body["findings"] if f["kind"] == "number"][0]
    assert "about 5,000" in f["evidence"]["sentence"] and f["evidence"]["published"] == "2020-01-05"
    assert post(server, "/v1/check", {"claim": "The resolution was passed unanimously."}).json()["verdict"] == "contradicted"
    assert post(server, "/v1/check", {"claim": "The museum will reopen its modern art wing next spring."}).json()["verdict"] == "unverified"


def test_two_workers_answer_concurrently_without_hanging(server):
    claims = ["Resolutions, unlike laws, are binding.", "A new species of frog was discovered."] * 8
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda c: post(server, "/v1/check", {"claim": c}), claims))
    assert all(r.status_code == 200 for r in results)
    assert [r.json()["verdict"] for r in results] == ["contradicted", "unverified"] * 8
    # 8 concurrent clients against 2 sync workers: both workers answered
    assert len({r.headers["X-Factlint-Worker"] for r in results}) == 2


def test_errors_are_json_through_gunicorn(server):
    r = requests.post(server.url + "/v1/check", data="{oops", headers={"content-type": "application/json"}, timeout=10)
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = requests.get(server.url + "/nope", timeout=10)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
