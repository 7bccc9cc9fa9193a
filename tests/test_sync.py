"""Every worker sees every write: the store's change log and Workspace.sync (an incremental
catch-up, not a reload), first between two workspaces in one process, then across the two
workers of a real gunicorn."""
from __future__ import annotations

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import requests

from conftest import API_KEY, make_settings
from factlint.store import base as store_mod
from factlint.models import Document
from factlint.workspace import Workspace

AUTH = {"Authorization": f"Bearer {API_KEY}"}


def doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, title=f"Title of {doc_id}", text=text, published="2021-03-04", source="test")


def no_rebuild(ws: Workspace, monkeypatch) -> None:
    def fail(*_):
        raise AssertionError("sync must catch up incrementally, not rebuild or reload")
    monkeypatch.setattr(ws, "_rebuild", fail)
    monkeypatch.setattr(ws, "_load_index", fail)


def index_ids(ws: Workspace) -> set[int]:
    import faiss

    return {int(i) for i in faiss.vector_to_array(ws.index.index.id_map)}


def store_ids(ws: Workspace) -> set[int]:
    return {int(i) for i in ws.store.vectors(ws.embedder.dim)[0]}


@pytest.fixture
def pair(tmp_path, embedder):
    """Two workspaces over one data directory: two workers of one server."""
    settings = make_settings(tmp_path / "data")
    return Workspace(settings, embedder=embedder), Workspace(settings, embedder=embedder)


def test_writes_of_one_workspace_reach_the_other_incrementally(pair, monkeypatch):
    a, b = pair
    no_rebuild(b, monkeypatch)
    a.add([doc("d1", "The mayor opened a bridge over the Tyne on Friday. It cost 40 million pounds.")])
    assert len(b.index) == 0 and b.seq < a.seq
    applied = b.sync()
    assert len(applied) == 1 and b.seq == a.seq
    assert len(b.index) == len(a.index) == 2
    assert index_ids(b) == store_ids(b)

    # an upsert replaces the old sentences in the other worker's index too
    old = store_ids(b)
    a.add([doc("d1", "The mayor opened a bridge over the Wear on Saturday. It cost 45 million pounds. "
                     "Thousands watched the opening.")])
    b.sync()
    assert store_ids(b).isdisjoint(old)
    assert index_ids(b) == store_ids(b) and len(b.index) == 3

    # writes from both sides, then a delete
    b.add([doc("d2", "Rail fares will rise by 3 percent in January, the operator said.")])
    a.sync()
    assert len(a.index) == len(b.index) == 4
    assert a.delete("d1")
    assert b.sync() and len(b.index) == 1
    assert index_ids(b) == store_ids(b) == index_ids(a)


def test_sync_without_changes_is_a_no_op(pair, monkeypatch):
    a, b = pair
    a.add([doc("d1", "Ten new schools will open in the county next year.")])
    b.sync()
    monkeypatch.setattr(b.store, "delta", lambda *a, **k: pytest.fail("no delta read without a change"))
    assert b.sync() == []


def test_search_in_the_other_workspace_finds_the_new_document(pair, embedder):
    a, b = pair
    a.add([doc("news", "The hospital hired 120 extra nurses for the winter.")])
    b.sync()
    scores, ids = b.index.search(embedder.encode(["The hospital hired 120 extra nurses for the winter."]), 1)
    hit = b.store.sentences_by_id([int(ids[0][0])])
    assert hit[int(ids[0][0])][0].doc_id == "news" and scores[0][0] > 0.99


def test_a_worker_behind_a_pruned_change_log_rebuilds(pair, monkeypatch, caplog):
    a, b = pair
    monkeypatch.setattr(store_mod, "CHANGES_KEPT", 2)
    monkeypatch.setattr(store_mod, "PRUNE_EVERY", 1)
    for i in range(5):
        a.add([doc(f"d{i}", f"Story number {i} says the council met on day {i} of the month.")])
    assert a.store.delta(0, a.embedder.dim).complete is False
    with caplog.at_level("WARNING", logger="factlint"):
        b.sync()
    assert "no longer reaches back" in caplog.text
    assert b.seq == a.seq and index_ids(b) == store_ids(a) and len(b.index) == 5


def test_concurrent_writers_keep_the_index_file_consistent(pair):
    """Both workspaces write; the index file on disk is always a whole, matching pair."""
    a, b = pair
    for i in range(4):
        (a if i % 2 else b).add([doc(f"w{i}", f"Writer {i} reports that {i + 2} trains were late on Monday.")])
    from factlint.index import FlatIndex

    index, meta = FlatIndex.load(a.index_path)
    assert meta["seq"] == a.store.head() and len(index) == meta["count"] == 4


# --- two real gunicorn workers ----------------------------------------------------------------
def worker_answers(url: str, claim: str, want_both: int = 2, within: float = 60) -> dict[str, list[dict]]:
    """Check ``claim`` on fresh connections, two at a time, until answers from ``want_both`` workers
    are in (or ``within`` seconds pass). A worker still loading (the server is ready when one is)
    is slow to accept, and the other one takes every connection meanwhile."""
    def one(_):
        r = requests.post(url + "/v1/check", json={"claim": claim}, headers={"Connection": "close"}, timeout=60)
        assert r.status_code == 200, r.text
        return r.headers["X-Factlint-Worker"], r.json()

    seen: dict[str, list[dict]] = {}
    with ThreadPoolExecutor(2) as pool:
        deadline = time.time() + within
        while time.time() < deadline:
            for pid, answer in pool.map(one, range(2)):
                seen.setdefault(pid, []).append(answer)
            if len(seen) >= want_both and all(len(v) >= 2 for v in seen.values()):
                break
    return seen


def test_every_worker_sees_a_write_and_a_delete_at_once(api_server):
    url = api_server.url
    doc_id = f"sync-{uuid.uuid4().hex[:8]}"
    claim = "The lighthouse at Skerryvore was repainted orange by 17 volunteers in March."
    r = requests.post(url + "/v1/documents", headers=AUTH, timeout=60,
                      json={"id": doc_id, "title": "Lighthouse repainted", "published": "2024-03-30",
                            "text": claim})
    assert r.status_code == 201, r.text
    acked = time.time()
    seen = worker_answers(url, claim)
    assert len(seen) == 2, f"only worker(s) {list(seen)} answered"
    for pid, answers in seen.items():
        for a in answers:
            assert a["evidence"] and a["evidence"][0]["doc_id"] == doc_id, f"worker {pid} missed the write"
    assert time.time() - acked < 30  # every answer above already had it: no waiting on a timer

    r = requests.delete(f"{url}/v1/documents/{doc_id}", headers=AUTH, timeout=60)
    assert r.status_code == 200 and r.json() == {"id": doc_id, "deleted": True}
    seen = worker_answers(url, claim)
    assert len(seen) == 2
    for pid, answers in seen.items():
        for a in answers:
            assert all(e["doc_id"] != doc_id for e in a["evidence"]), f"worker {pid} still has the deleted document"


def test_metrics_show_both_workers_index_in_step(api_server):
    url = api_server.url
    worker_answers(url, "Rail fares rose again this year.")  # both workers have answered and synced
    text = requests.get(url + "/metrics", timeout=10).text
    sizes = {pid: float(v) for pid, v in
             re.findall(r'^factlint_index_sentences\{pid="(\d+)"\} (\S+)$', text, re.M)}
    assert len(sizes) >= 2 and len(set(sizes.values())) == 1, sizes
    assert re.search(r'^factlint_http_requests_total\{method="POST",route="/v1/check",status="200"\} \d',
                     text, re.M)
    assert re.search(r'^factlint_http_request_duration_seconds_bucket\{le="0.5",method="POST",route="/v1/check",'
                     r'status="200"\}', text, re.M)
    assert "factlint_sync_lag_seconds_count" in text
    assert np.isfinite(float(re.search(r"^factlint_store_documents (\S+)$", text, re.M).group(1)))
