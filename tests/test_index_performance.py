"""Issue 15's index changes, checked for correctness (no timings): a mapped IVF index starts no
prefetch threads and answers as the in-memory one does; one query runs on one FAISS thread and a
batch on all; the hnsw kind reaches its recall, excludes deleted sentences, compacts, and saves;
"auto" picks flat, ivf and hnsw by size."""
from __future__ import annotations

import faiss
import numpy as np
import pytest

from factlint.config import IndexSettings
from factlint.index import FlatIndex, HNSWIndex, IVFIndex, index_class, index_class_for, new_index, recall_at_k
from factlint.index import base as index_base
from factlint.index import hnsw as hnsw_module

DIM = 32


def clustered(n: int, clusters: int = 60, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, DIM)).astype(np.float32)
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact(x: np.ndarray, ids: np.ndarray, q: np.ndarray, k: int = 10) -> np.ndarray:
    return ids[np.argsort(-(q @ x.T), axis=1)[:, :k]]


@pytest.fixture(scope="module")
def data():
    x = clustered(6_100)
    return np.arange(1, 6_001, dtype=np.int64), x[:6_000], x[6_000:]


def test_mapped_ivf_has_no_prefetch_threads_and_answers_like_the_in_memory_index(data, tmp_path):
    ids, x, q = data
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


def test_hnsw_reaches_its_recall_excludes_deletes_compacts_and_saves(data, tmp_path, monkeypatch):
    ids, x, q = data
    index = new_index(IndexSettings(kind="hnsw"), DIM, len(ids))
    assert isinstance(index, HNSWIndex)
    index.add(ids, x)
    assert index.ef_search < hnsw_module.EF_SEARCH[-1]  # calibrated, not the maximum effort
    truth = exact(x, ids, q)
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
    # past COMPACT_FRACTION deleted, the graph is rebuilt from the live vectors
    monkeypatch.setattr(hnsw_module, "COMPACT_FRACTION", 0.05)
    many = ids[100:500]
    loaded.remove(many)
    live = np.setdiff1d(ids, np.concatenate([gone[1:], many]))
    assert not loaded.deleted and loaded.index.ntotal == len(loaded) == len(live)
    assert sorted(loaded.labels.tolist()) == live.tolist()
    got = loaded.search(q, 10)[1]
    assert recall_at_k(exact(x[live - 1], live, q), got, 10) >= 0.97


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
