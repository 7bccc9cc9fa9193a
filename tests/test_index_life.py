"""The index's upkeep off the request path (Workspace._maintain): a rebuild runs in a background
thread while the old index answers, is swapped in under the lock with every write and delete made
meanwhile, is done by one process per data directory (the others load its checkpoint), and a
large index's checkpoint is written in the background too. Real SQLite + FAISS; the build is
paused by a hook on the index it builds (no sleeps, no timed asserts)."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace

import faiss
import numpy as np
import pytest

import factlint.workspace as workspace_mod
from conftest import make_settings
from factlint.api import create_app
from factlint.models import Document, Sentence
from factlint.store import open_store
from factlint.workspace import Workspace

DIM = 384


def random_items(first: int, docs: int, per_doc: int = 5):
    """``docs`` documents of ``per_doc`` sentences with random unit vectors (distinct for every
    ``first``), as upsert_many takes them."""
    rng = np.random.default_rng(first)
    items = []
    for d in range(first, first + docs):
        doc_id = f"r{d}"
        texts = [f"Random sentence {i} of document {d}." for i in range(per_doc)]
        sentences, at = [], 0
        for i, t in enumerate(texts):
            sentences.append(Sentence(doc_id, i, at, at + len(t), t))
            at += len(t) + 1
        vecs = rng.standard_normal((per_doc, DIM)).astype(np.float32)
        items.append((Document(doc_id, f"Doc {d}", " ".join(texts), "2024-01-01", "test"), sentences,
                      vecs / np.linalg.norm(vecs, axis=1, keepdims=True)))
    return items


def index_ids(ws: Workspace) -> set[int]:
    """The sentence ids the served index holds (searched for exhaustively)."""
    ids, vecs = ws.store.vectors(DIM)
    got = ws.search(vecs, 1)[1][:, 0] if len(ids) else np.zeros(0)
    assert len(ws.index) == len(ids)
    return {int(i) for i in got if i >= 0}


def wait_until(condition, what: str, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"not reached within {within} s: {what}"
        time.sleep(0.01)


@pytest.fixture
def paused(monkeypatch):
    """Builds in the background thread wait for ``release``: the first add to an index that
    ``new_index`` makes there (the build itself) blocks; later adds (the catch-up) do not."""
    state = SimpleNamespace(started=threading.Event(), release=threading.Event(), built=[])
    real = workspace_mod.new_index

    def new_index(*args, **kwargs):
        index = real(*args, **kwargs)
        if threading.current_thread().name != "factlint-index":
            return index
        add = index.add

        def first_add(ids, vectors):
            index.add = add
            state.built.append(index.kind)
            state.started.set()
            assert state.release.wait(120)
            add(ids, vectors)
        index.add = first_add
        return index

    monkeypatch.setattr(workspace_mod, "new_index", new_index)
    yield state
    state.release.set()


def exact_ivf(tmp_path, **index):
    """auto: flat below 100 sentences, ivf from there with every cell scanned (exact results)."""
    return make_settings(tmp_path / "data", index={"auto_threshold": 100, "nlist": 4, "nprobe": 4, **index})


def test_a_cold_start_answers_from_an_exact_index_while_the_configured_one_builds(tmp_path, embedder, paused):
    """No checkpoint: ready at once with the store's vectors in a flat index; /readyz and /metrics
    say so; a check, a write and a delete during the build are answered; after the swap every
    write and delete made meanwhile is there, and the answers are those of before."""
    settings = exact_ivf(tmp_path)
    open_store(settings).upsert_many(random_items(0, 40))  # 200 sentences, no index file
    ws = Workspace(settings, embedder=embedder, background=True)
    assert ws.index.kind == "flat" and len(ws.index) == 200  # the interim index
    assert paused.started.wait(60) and ws.rebuild.kind == "ivf"
    client = create_app(settings, ws).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ready"
    assert ready.json["index"]["kind"] == "flat" and ready.json["index"]["rebuild"]["kind"] == "ivf"
    assert ready.json["index"]["rebuild"]["by"] == "this process"
    metrics = client.get("/metrics").text
    assert 'factlint_index_kind{kind="flat"} 1.0' in metrics and 'factlint_index_rebuild{kind="ivf"} 1.0' in metrics

    # meanwhile: a check, a write through the workspace, a write by another process, a delete
    claim = "The lighthouse at Skerryvore was repainted by 17 volunteers in March."
    r = client.post("/v1/check", json={"claim": claim})
    assert r.status_code == 200, r.json
    ws.add([Document("light", "Lighthouse", claim, "2024-03-30", "test")])
    open_store(settings).upsert_many(random_items(100, 4))
    ws.sync()
    assert ws.delete("r3") and ws.delete("r4")
    assert ws.index.kind == "flat" and ws.rebuild is not None  # still building
    queries = ws.store.vectors(DIM)[1][::7]
    before = ws.search(queries, 10)
    want = index_ids(ws)

    paused.release.set()
    assert ws.wait_for_background(120)
    assert ws.index.kind == "ivf" and ws.rebuild is None and paused.built == ["ivf"]
    assert index_ids(ws) == want  # nothing written meanwhile is lost, nothing deleted is back
    after = ws.search(queries, 10)
    np.testing.assert_array_equal(after[1], before[1])
    np.testing.assert_allclose(after[0], before[0], rtol=1e-5, atol=1e-5)
    assert client.post("/v1/check", json={"claim": claim}).json["evidence"][0]["doc_id"] == "light"
    ready = client.get("/readyz").json
    assert ready["index"] == {"kind": "ivf", "rebuild": None} and ready["store"]["change"] == ws.store.head()
    assert 'factlint_index_rebuild{kind="ivf"} 0.0' in client.get("/metrics").text
    # the checkpoint is the new index, caught up: a restart loads it
    again = Workspace(settings, embedder=embedder)
    assert again.index.kind == "ivf" and index_ids(again) == want


def test_a_second_process_loads_the_builders_checkpoint_instead_of_building(tmp_path, embedder, paused):
    settings = exact_ivf(tmp_path)
    open_store(settings).upsert_many(random_items(0, 40))
    a = Workspace(settings, embedder=embedder, background=True)
    assert paused.started.wait(60)
    b = Workspace(settings, embedder=embedder, background=True)  # another worker of the directory
    wait_until(lambda: b.rebuild is not None and b.rebuild.waiting, "b waits for a's build")
    assert b.index.kind == "flat" and len(b.index) == 200
    b.add([Document("late", "Late", "A document written by the waiting worker.", "2024-01-02", "test")])
    paused.release.set()
    assert a.wait_for_background(120) and b.wait_for_background(120)
    assert paused.built == ["ivf"]  # one build: b loaded a's checkpoint
    assert b.index.kind == "ivf" and b.index.params() == a.index.params()
    a.sync()
    assert index_ids(a) == index_ids(b) and b.seq == a.seq == a.store.head()


def test_hnsw_deletes_only_mark_and_the_graph_is_rebuilt_in_the_background(tmp_path, embedder, paused):
    settings = make_settings(tmp_path / "data", index={"kind": "hnsw"})
    open_store(settings).upsert_many(random_items(0, 30))
    first = Workspace(settings, embedder=embedder)  # builds the graph and its checkpoint here
    assert first.index.kind == "hnsw" and not first.index.deleted
    ws = Workspace(settings, embedder=embedder, background=True)
    graph = ws.index
    for d in range(4):  # 20 of 150 sentences: past the 10% that asks for a rebuild
        assert ws.delete(f"r{d}")
    assert ws.index is graph and len(graph.deleted) == 20 and graph.index.ntotal == 150  # only marked
    assert paused.started.wait(60) and ws.rebuild.kind == "hnsw" and "deleted" in ws.rebuild.reason
    assert ws.delete("r5")  # during the rebuild
    paused.release.set()
    assert ws.wait_for_background(120)
    # a new graph without the positions deleted before its snapshot (the 3rd delete asked for it);
    # those deleted while it was built are marked in it
    new = ws.index
    assert new is not graph and len(new) == 125 and new.index.ntotal == 125 + len(new.deleted)
    assert len(new.deleted) <= 10 and new.index.ntotal <= 135
    assert index_ids(ws) == {int(i) for i in ws.store.vectors(DIM)[0]}


def test_the_index_grows_from_flat_to_ivf_without_a_restart(tmp_path, embedder):
    settings = exact_ivf(tmp_path)
    open_store(settings).upsert_many(random_items(0, 10))  # 50 sentences: flat
    ws = Workspace(settings, embedder=embedder, background=True)
    assert ws.index.kind == "flat" and ws.wait_for_background(60)
    open_store(settings).upsert_many(random_items(10, 12))  # another process writes: 110 sentences
    ws.sync()
    assert ws.wait_for_background(120)
    assert ws.index.kind == "ivf" and index_ids(ws) == {int(i) for i in ws.store.vectors(DIM)[0]}
    # ...and back to flat only well below the threshold (no rebuilds to and fro around it)
    for d in range(2):
        ws.delete(f"r{d}")  # 100 sentences
    assert ws.wait_for_background(60) and ws.index.kind == "ivf"
    for d in range(2, 4):
        ws.delete(f"r{d}")  # 90: within 10% of the threshold, still ivf
    assert ws.wait_for_background(60) and ws.index.kind == "ivf"
    ws.delete("r4")  # 85
    assert ws.wait_for_background(60) and ws.index.kind == "flat" and len(ws.index) == 85


def test_a_large_index_is_checkpointed_in_the_background_from_its_last_checkpoint(tmp_path, embedder, monkeypatch):
    """auto_threshold 0: every index counts as large. The write returns before its checkpoint is
    written; the background thread writes it from the last checkpoint and the change log, never
    touching the index the requests use; a failure is logged and retried at the next write."""
    settings = make_settings(tmp_path / "data", index={"kind": "flat", "auto_threshold": 0, "checkpoint_every": 2})
    ws = Workspace(settings, embedder=embedder, background=True)
    assert ws.wait_for_background(60)
    saved: list[tuple[str, bool]] = []
    real_save = workspace_mod.Workspace._save

    def save(self, index, seq):
        saved.append((threading.current_thread().name, index is self.index))
        return real_save(self, index, seq)
    monkeypatch.setattr(workspace_mod.Workspace, "_save", save)
    store = open_store(settings)
    store.upsert_many(random_items(0, 2))
    ws.sync()
    assert ws.wait_for_background(60) and saved == [("factlint-index", False)]
    assert json_seq(ws) == ws.seq and Workspace(settings, embedder=embedder).seq == ws.seq

    failing = {"left": 1}
    real_index_save = type(ws.index).save

    def full_disk(index, path, meta):
        if failing["left"]:
            failing["left"] -= 1
            raise OSError(28, "No space left on device")
        return real_index_save(index, path, meta)
    monkeypatch.setattr(type(ws.index), "save", full_disk)
    store.upsert_many(random_items(2, 2))
    ws.sync()
    assert ws.wait_for_background(60) and ws._checkpoint_failed_at is not None and json_seq(ws) < ws.seq
    store.upsert_many(random_items(4, 1))
    ws.add([Document("next", "Next", "The next write retries the checkpoint.", "2024-01-03", "test")])
    assert ws.wait_for_background(60) and ws._checkpoint_failed_at is None and json_seq(ws) == ws.seq


def test_a_failed_rebuild_leaves_the_index_and_its_checkpoint_and_is_retried(tmp_path, embedder, monkeypatch, caplog):
    settings = exact_ivf(tmp_path, auto_threshold=1000)
    open_store(settings).upsert_many(random_items(0, 30))  # flat
    Workspace(settings, embedder=embedder)
    checkpoint = (tmp_path / "data" / "index.faiss").read_bytes()
    grown = exact_ivf(tmp_path, auto_threshold=100)  # the same directory, now asking for ivf
    real = workspace_mod.new_index

    def broken(*args, **kwargs):
        if threading.current_thread().name == "factlint-index":
            raise MemoryError("no room for the new index")
        return real(*args, **kwargs)
    monkeypatch.setattr(workspace_mod, "new_index", broken)
    with caplog.at_level("WARNING", logger="factlint"):
        ws = Workspace(grown, embedder=embedder, background=True)
        assert ws.wait_for_background(60)
    assert "rebuild failed" in caplog.text and ws.index.kind == "flat" and len(ws.index) == 150
    assert (tmp_path / "data" / "index.faiss").read_bytes() == checkpoint  # the old checkpoint, whole
    monkeypatch.setattr(workspace_mod, "new_index", real)
    monkeypatch.setattr(workspace_mod, "CHECKPOINT_RETRY", 0.0)
    ws.sync()
    assert ws.wait_for_background(120) and ws.index.kind == "ivf"


def json_seq(ws: Workspace) -> int:
    import json

    return json.loads(ws.index_path.with_suffix(".json").read_text())["seq"]


def test_builds_run_on_limited_faiss_threads():
    from factlint.index import base

    assert 1 <= base.BUILD_THREADS <= base.BATCH_THREADS
    with base.limited_threads(1):
        assert base.add_threads() == 1 and faiss.omp_get_max_threads() == 1
    assert base.add_threads() == base.BATCH_THREADS


@pytest.mark.slow
def test_two_gunicorn_workers_without_an_index_file_build_it_once(tmp_path, seeded):
    """A real server over a store without an index file: each worker is ready with the exact
    interim index; one builds the configured kind (hnsw here) in the background and the other
    loads its checkpoint; both end up serving it."""
    import re
    import shutil
    import sqlite3

    import requests

    from conftest import Server
    from factlint.workspace import DB_FILE

    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(seeded.store.path) as src, sqlite3.connect(data / DB_FILE) as dst:
        src.backup(dst)  # the seeded corpus, no index file
    srv = Server(data, workers=2, env={"FACTLINT_INDEX_KIND": "hnsw"})
    try:
        srv.wait_ready()
        kinds: dict[str, str] = {}

        def both_serve_hnsw() -> bool:
            r = requests.get(srv.url + "/readyz", headers={"Connection": "close"}, timeout=10).json()
            kinds[requests.get(srv.url + "/healthz", timeout=10).headers["X-Factlint-Worker"]] = r["index"]["kind"]
            metrics = requests.get(srv.url + "/metrics", timeout=10).text
            served = re.findall(r'^factlint_index_kind\{kind="hnsw",pid="(\d+)"\} 1\.0$', metrics, re.M)
            building = re.findall(r'^factlint_index_rebuild\{kind="hnsw",pid="\d+"\} 1\.0$', metrics, re.M)
            return len(set(served)) == 2 and not building
        wait_until(both_serve_hnsw, "both workers serve the hnsw index", within=120)
        srv.log.flush()
        log = Path(srv.log.name).read_text()
        # one worker built it (the other loaded its checkpoint, waiting for it or at its start)
        assert len(re.findall(r"the hnsw index answers now \([^)]*build [0-9.]+ s", log)) == 1, log
        assert len(re.findall(r"hnsw index: M=48, efSearch", log)) == 1, log  # one calibration
        assert (data / "index.faiss").exists() and not list(data.glob("*.tmp"))
    finally:
        srv.stop()
        shutil.rmtree(data, ignore_errors=True)
