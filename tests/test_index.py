"""Index kinds behind VectorIndex: exact flat, approximate IVF and HNSW (calibrated recall),
quantization, memory-mapped loading without prefetch threads, threads per search, HNSW's deletes
(excluded; a rebuild asked for, never done by remove), the "auto" choice with its hysteresis, and the
batch read path (one encode, one search).
Correctness only: the timings live in the bench."""
from __future__ import annotations

import faiss
import numpy as np
import pytest

from factlint.config import IndexSettings, load_settings
from factlint.index import FlatIndex, HNSWIndex, IVFIndex, index_class, index_class_for, new_index, recall_at_k
from factlint.index import base as index_base
from factlint.index import hnsw as hnsw_module

DIM = 64


def clustered(n: int, clusters: int = 100, seed: int = 0) -> np.ndarray:
    """Unit vectors around random cluster centres: structured like sentence embeddings."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, DIM)).astype(np.float32)
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact_top(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    return ids[np.argsort(-(queries @ vectors.T), axis=1)[:, :k]]


@pytest.fixture(scope="module")
def data():
    x = clustered(20_200)  # the last 200 are held-out queries from the same distribution
    return np.arange(1, 20_001, dtype=np.int64), x[:20_000], x[20_000:]


def test_auto_chooses_by_size_and_rejects_unknown_kinds():
    assert index_class("auto", 999, threshold=1000) is FlatIndex
    assert index_class("auto", 1000, threshold=1000) is IVFIndex
    assert index_class("flat", 10**7) is FlatIndex
    with pytest.raises(ValueError, match="unknown index kind"):
        index_class("hnsw-ish")
    with pytest.raises(Exception):
        load_settings(env={"FACTLINT_INDEX_KIND": "bogus"})
    with pytest.raises(Exception):
        load_settings(env={"FACTLINT_INDEX_QUANTIZATION": "int4"})


def test_ivf_recall_against_exact_meets_target_with_fewer_cells(data, tmp_path):
    ids, x, queries = data
    index = new_index(IndexSettings(kind="ivf"), DIM, len(ids))
    index.add(ids, x)
    assert isinstance(index, IVFIndex) and index.nlist > 50
    assert index.nprobe < index.nlist  # calibrated: it really scans only part of the cells
    _, got = index.search(queries, 10)
    assert recall_at_k(exact_top(x, ids, queries), got, 10) >= 0.97  # held-out queries
    # saved and loaded (memory-mapped): same answers, same parameters
    index.save(tmp_path / "i.faiss", {"count": len(ids)})
    mapped, meta = IVFIndex.load(tmp_path / "i.faiss", mmap=True)
    assert meta["nprobe"] == index.nprobe and meta["kind"] == "ivf"
    assert mapped._mapped_from is not None
    np.testing.assert_array_equal(mapped.search(queries, 10)[1], got)


def test_mapped_ivf_index_becomes_writable_and_removes(data, tmp_path):
    ids, x, _ = data
    index = IVFIndex(DIM, nlist=32)
    index.add(ids[:5000], x[:5000])
    index.save(tmp_path / "i.faiss", {})
    before = (tmp_path / "i.faiss").read_bytes()
    mapped, _ = IVFIndex.load(tmp_path / "i.faiss", mmap=True)
    mapped.remove(np.array([1, 2, 3]))
    mapped.add(np.array([99_999]), x[:1])
    assert len(mapped) == 5000 - 3 + 1
    found = mapped.search(x[:1], 3)[1][0]
    assert 1 not in found and 99_999 in found
    assert (tmp_path / "i.faiss").read_bytes() == before  # the mapped file was not written through


@pytest.mark.parametrize("quantization,max_bytes", [("fp16", 2 * DIM + 16), ("int8", DIM + 16)])
@pytest.mark.parametrize("kind", ["flat", "ivf"])
def test_quantized_indexes_are_smaller_and_still_find_neighbours(data, tmp_path, kind, quantization, max_bytes):
    ids, x, queries = data
    ids, x = ids[:8000], x[:8000]
    index = new_index(IndexSettings(kind=kind, quantization=quantization), DIM, len(ids))
    index.add(ids, x)
    index.save(tmp_path / "q.faiss", {})
    per_vector = (tmp_path / "q.faiss").stat().st_size / len(ids)
    assert per_vector <= max_bytes + (8 if kind == "flat" else 0) + 4  # codes + id (+ id map)
    loaded, meta = index_class(kind).load(tmp_path / "q.faiss")
    assert meta["quantization"] == quantization
    _, got = loaded.search(queries, 10)
    assert recall_at_k(exact_top(x, ids, queries), got, 10) >= 0.9


def test_empty_ivf_index_saves_loads_and_trains_on_first_add(tmp_path):
    index = IVFIndex(DIM)
    assert index.search(clustered(2), 5)[1].tolist() == [[-1], [-1]]
    index.save(tmp_path / "e.faiss", {})
    loaded, _ = IVFIndex.load(tmp_path / "e.faiss")
    assert len(loaded) == 0 and loaded.rebuild_reason(10)
    x = clustered(300)
    loaded.add(np.arange(300), x)
    assert loaded.search(x[:1], 1)[1][0, 0] == 0


def test_workspace_switches_to_ivf_past_the_threshold_and_reloads(tmp_path, seeded):
    import sqlite3

    from conftest import make_settings
    from factlint.workspace import DB_FILE, Workspace

    (tmp_path / "d").mkdir()
    with sqlite3.connect(seeded.store.path) as src, sqlite3.connect(tmp_path / "d" / DB_FILE) as dst:
        src.backup(dst)  # the seeded store (flat index), without embedding the seeds again
    embedder = seeded.embedder
    small = make_settings(tmp_path / "d", index={"auto_threshold": 10})
    ws = Workspace(small, embedder=embedder)  # more than 10 sentences -> ivf, built from the store
    assert ws.index.kind == "ivf" and len(ws.index) == ws.store.state()[0]
    again = Workspace(small, embedder=embedder)  # loaded from the file, not rebuilt
    assert again.index.kind == "ivf" and again.index.params() == ws.index.params()
    # asking for quantization rebuilds the file with it
    q = Workspace(make_settings(tmp_path / "d", index={"auto_threshold": 10, "quantization": "fp16"}),
                  embedder=embedder)
    assert q.index.params()["quantization"] == "fp16"
    claim = "Voters will choose a new president."
    res = __import__("factlint.checker", fromlist=["Checker"]).Checker(q, q.settings.check).check(claim)
    assert res.verdict in ("contradicted", "supported", "unverified")


def test_check_many_encodes_once_and_searches_once(checker, monkeypatch):
    calls = {"encode": 0, "search": 0}
    ws = checker.ws
    encode, search = ws.embedder.encode, ws.index.search

    def counting_encode(texts):
        calls["encode"] += 1
        return encode(texts)

    def counting_search(vectors, k):
        calls["search"] += 1
        assert len(vectors) == 3
        return search(vectors, k)

    monkeypatch.setattr(ws.embedder, "encode", counting_encode)
    monkeypatch.setattr(ws.index, "search", counting_search)
    results = checker.check_many(["One claim here.", "Another claim there.", "A third one."])
    assert len(results) == 3 and calls == {"encode": 1, "search": 1}


def test_document_endpoint_checks_in_one_batch(seeded, monkeypatch):
    from factlint.api import create_app

    app = create_app(seeded.settings, seeded)
    calls = []
    encode = seeded.embedder.encode
    monkeypatch.setattr(seeded.embedder, "encode", lambda texts: calls.append(len(texts)) or encode(texts))
    text = "# Draft\n\nThe first sentence is here. The second one follows.\n\nA third paragraph sentence."
    resp = app.test_client().post("/v1/check/document", json={"text": text, "format": "markdown"})
    assert resp.status_code == 200 and len(resp.get_json()["results"]) == 3
    assert calls == [3]
    calls.clear()
    resp = app.test_client().post("/v1/check/batch", json={"claims": ["A claim.", "Another claim."]})
    assert resp.status_code == 200 and calls == [2]


def test_mapped_ivf_has_no_prefetch_threads_and_answers_like_the_in_memory_index(data, tmp_path):
    ids, x, q = data
    ids, x = ids[:6000], x[:6000]
    index = IVFIndex(DIM)
    index.add(ids, x)
    index.save(tmp_path / "i.faiss", {})
    mapped, _ = IVFIndex.load(tmp_path / "i.faiss", mmap=True)
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(mapped.index).invlists)
    assert isinstance(lists, faiss.OnDiskInvertedLists) and lists.prefetch_nthread == 0
    want = index.search(q, 10)
    got = mapped.search(q, 10)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
    lists.prefetch_nthread = 32  # FAISS's default: the same answers, only slower
    np.testing.assert_array_equal(mapped.search(q, 10)[1], want[1])


def test_one_query_runs_on_one_thread_a_batch_on_all(data, monkeypatch):
    ids, x, q = data
    index = FlatIndex(DIM)
    index.add(ids, x)
    monkeypatch.setattr(index_base, "BATCH_THREADS", 2)
    seen = []
    monkeypatch.setattr(index_base.faiss, "omp_set_num_threads", seen.append)
    index.search(q[:1], 10)
    index.search(q[0], 10)  # one vector, not in a matrix
    index.search(q[:5], 10)
    assert seen == [1, 1, 2]
    assert index_base.search_threads(1) == 1 and index_base.search_threads(64) == 2


def test_hnsw_reaches_its_recall_excludes_deletes_and_saves_and_only_asks_for_a_rebuild(data, tmp_path, monkeypatch):
    ids, x, q = data
    ids, x = ids[:3000], x[:3000]
    index = new_index(IndexSettings(kind="hnsw"), DIM, len(ids))
    assert isinstance(index, HNSWIndex)
    index.add(ids, x)
    assert index.ef_search < hnsw_module.EF_SEARCH[-1]  # calibrated, not the maximum effort
    truth = exact_top(x, ids, q)
    assert recall_at_k(truth, index.search(q, 10)[1], 10) >= 0.97
    # a deleted sentence is never returned; one added again under its id is
    gone = np.unique(truth[:, :3])
    index.remove(gone)
    assert len(index) == len(ids) - len(gone)
    got = index.search(q, 10)[1]
    assert not np.isin(got, gone).any() and (got >= 0).all()
    index.add(gone[:1], x[gone[:1] - 1])
    assert gone[0] in index.search(x[gone[:1] - 1], 1)[1]
    # saved and loaded: same answers, same deletes
    index.save(tmp_path / "h.faiss", {"count": len(index)})
    loaded, meta = HNSWIndex.load(tmp_path / "h.faiss")
    assert meta["kind"] == "hnsw" and meta["deleted"] == len(index.deleted) and len(loaded) == len(index)
    np.testing.assert_array_equal(loaded.search(q, 10)[1], index.search(q, 10)[1])
    # past COMPACT_FRACTION deleted, remove() still only marks (a rebuild is the workspace's, in
    # the background): the graph keeps its positions and says it wants a rebuild
    monkeypatch.setattr(hnsw_module, "COMPACT_FRACTION", 0.2)
    assert len(loaded.deleted) < 0.2 * loaded.index.ntotal and not loaded.rebuild_reason(len(loaded))
    ntotal = loaded.index.ntotal
    many = ids[100:400]
    loaded.remove(many)
    live = np.setdiff1d(ids, np.concatenate([gone[1:], many]))
    assert loaded.index.ntotal == ntotal and len(loaded) == len(live)
    assert "deleted" in loaded.rebuild_reason(len(loaded))
    got = loaded.search(q, 10)[1]
    assert not np.isin(got, many).any()
    assert recall_at_k(exact_top(x[live - 1], live, q), got, 10) >= 0.97


def test_hnsw_refuses_quantization_and_auto_keeps_ivf_for_quantized_vectors():
    with pytest.raises(ValueError, match="float32"):
        HNSWIndex(DIM, quantization="int8")
    s = IndexSettings(auto_threshold=100, hnsw_threshold=1000)
    assert index_class_for(s, 99) is FlatIndex
    assert index_class_for(s, 100) is IVFIndex
    assert index_class_for(s, 1000) is HNSWIndex
    assert index_class_for(s.model_copy(update={"quantization": "int8"}), 10**6) is IVFIndex
    assert index_class("hnsw") is HNSWIndex


def test_an_empty_hnsw_index_saves_loads_and_calibrates_on_first_add(tmp_path):
    index = HNSWIndex(DIM)
    assert index.search(clustered(2), 5)[1].tolist() == [[-1], [-1]]
    index.save(tmp_path / "e.faiss", {})
    loaded, _ = HNSWIndex.load(tmp_path / "e.faiss")
    assert len(loaded) == 0
    x = clustered(500)
    loaded.add(np.arange(500), x)
    assert loaded.search(x[:1], 1)[1][0, 0] == 0


def test_workspace_serves_hnsw_and_its_deletes_survive_a_reload(tmp_path, seeded):
    import sqlite3

    from conftest import make_settings
    from factlint.workspace import DB_FILE, Workspace

    (tmp_path / "d").mkdir()
    with sqlite3.connect(seeded.store.path) as src, sqlite3.connect(tmp_path / "d" / DB_FILE) as dst:
        src.backup(dst)  # the seeded store, without embedding the seeds again
    settings = make_settings(tmp_path / "d", index={"kind": "hnsw"})
    ws = Workspace(settings, embedder=seeded.embedder)
    assert ws.index.kind == "hnsw" and len(ws.index) == ws.store.state()[0]
    doc = ws.store.documents()[0].id
    rows = {sid: s for sid, (s, d) in ws.store.sentences_by_id(list(range(1, 2000))).items() if d.id == doc}
    sentence_ids = list(rows)
    vectors = ws.embedder.encode([s.text for s in rows.values()])
    assert np.isin(ws.index.search(vectors, 5)[1], sentence_ids).any()
    assert ws.delete(doc)
    assert not np.isin(ws.index.search(vectors, 5)[1], sentence_ids).any()
    again = Workspace(settings, embedder=seeded.embedder)  # the file, caught up from the change log
    assert again.index.kind == "hnsw" and len(again.index) == again.store.state()[0]
    assert not np.isin(again.index.search(vectors, 5)[1], sentence_ids).any()
