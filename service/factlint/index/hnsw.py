"""Approximate search for the largest corpora: a graph index (FAISS HNSW over float32 vectors).

A query walks a navigable small-world graph (``M`` links per vector, 48) from an entry point towards
its neighbours, keeping the ``ef_search`` best candidates; it reads a few thousand vectors where
an IVF scan reads tens of thousands, which is why it is the index from ``hnsw_threshold``
sentences on (measured by `python -m bench.ann`; README "Performance"). ``ef_search`` is calibrated
when the index is built, as IVF's nprobe is (index/calibrate.py).

FAISS's HNSW cannot remove a vector. A removed sentence is *excluded*: its position joins a deleted
set that every search passes to FAISS as a selector (faiss.IDSelectorNot over an IDSelectorBatch),
so it is never returned while the graph still routes through it. ``remove`` only marks: once
deleted positions reach ``COMPACT_FRACTION`` of the graph, ``rebuild_reason`` says so, and the
workspace builds a new graph from the store in the background (never inside a request: at 1M
sentences a build takes minutes) and swaps it in.
Positions map to sentence ids through ``labels`` (saved after the graph in the index file); a
sentence removed and added again gets a new position. FAISS cannot memory-map an HNSW graph: it is
read into memory.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import faiss
import numpy as np

from . import calibrate
from .base import VectorIndex, add_threads

log = logging.getLogger("factlint")

# Graph links per vector (2*M on the bottom layer: 8*M bytes beside the vector's 1,536) and the
# candidates kept while inserting. At 1M sentences (bench/search1m, 2026-12-01) M=32 with
# efConstruction 64 (1,816 B per sentence) needed efSearch ~1,500 to find 98% of the calibration's
# synthetic queries' top 10 (0.974 at 1,024), 4-5 ms a query; M=48 with efConstruction 128
# (1,944 B) reaches it at a third of that effort. The graph takes ~3.7x as long to build.
M = 48
EF_CONSTRUCTION = 128
EF_SEARCH = (16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512, 768, 1024)
COMPACT_FRACTION = 0.1  # the graph wants a rebuild once this share of its positions is deleted


class HNSWIndex(VectorIndex):
    kind = "hnsw"

    def __init__(self, dim: int, index: faiss.IndexHNSWFlat | None = None, labels: np.ndarray | None = None,
                 deleted: np.ndarray | None = None, ef_search: int = 0, target_recall: float = 0.98,
                 quantization: str = "none", **_):
        super().__init__(dim)
        if quantization != "none":
            raise ValueError("the hnsw index keeps float32 vectors: set [index] quantization = \"none\"")
        self.quantization = quantization
        self.index = index if index is not None else self._empty()
        self.labels = labels if labels is not None else np.zeros(0, dtype=np.int64)
        self.deleted = set(int(i) for i in (deleted if deleted is not None else ()))
        self.fixed_ef = ef_search  # 0 = calibrate when the graph is first built
        self.ef_search = ef_search or EF_SEARCH[-1]
        self.target_recall = target_recall
        self.calibrated_recall = float("nan")  # what calibration reached (saved in the metadata)
        self._params: faiss.SearchParametersHNSW | None = None
        self._selectors: tuple = ()  # the selectors the parameters point to must stay alive
        self._graph_bytes = 0

    def _empty(self) -> faiss.IndexHNSWFlat:
        index = faiss.IndexHNSWFlat(self.dim, M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        return index

    # --- writing ----------------------------------------------------------------------------
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        first = self.index.ntotal == 0
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.omp_set_num_threads(add_threads())
        self.index.add(vectors)
        self.labels = np.concatenate([self.labels, np.asarray(ids, dtype=np.int64)])
        if first and not self.fixed_ef:
            self.calibrate(np.asarray(ids, dtype=np.int64), vectors)

    def remove(self, ids: np.ndarray) -> None:
        """Exclude the sentences ``ids`` from every search (their positions are marked deleted)."""
        if not len(ids) or not len(self.labels):
            return
        positions = np.flatnonzero(np.isin(self.labels, np.asarray(ids, dtype=np.int64)))
        new = {int(p) for p in positions} - self.deleted
        if new:
            self.deleted |= new
            self._params = None

    def rebuild_reason(self, count: int) -> str:
        if self.index.ntotal and len(self.deleted) >= COMPACT_FRACTION * self.index.ntotal:
            return f"{len(self.deleted)} of its {self.index.ntotal} graph positions are deleted"
        return ""

    def calibrate(self, ids: np.ndarray, vectors: np.ndarray, k: int = 10) -> float:
        """The smallest efSearch reaching ``target_recall`` on calibration queries (index/calibrate.py)."""
        q = calibrate.queries(ids, vectors, k)
        self.ef_search, recall = calibrate.smallest(
            EF_SEARCH, lambda ef, queries, kk: self._search(queries, kk, ef)[1], q, self.target_recall)
        self.calibrated_recall = round(recall, 4)
        self._params = None
        log.info("hnsw index: M=%d, efSearch=%d gives recall@%d=%.3f on %d sample queries",
                 self.m, self.ef_search, k, recall, len(q.sample))
        return recall

    # --- searching --------------------------------------------------------------------------
    def _search_params(self, ef: int) -> faiss.SearchParametersHNSW:
        if self._params is None or self._params.efSearch != ef:
            params = faiss.SearchParametersHNSW(efSearch=ef)
            self._selectors = ()
            if self.deleted:
                batch = faiss.IDSelectorBatch(np.fromiter(self.deleted, dtype=np.int64))
                self._selectors = (batch, faiss.IDSelectorNot(batch))
                params.sel = self._selectors[1]
            self._params = params
        return self._params

    def _search(self, vectors: np.ndarray, k: int, ef: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        n = len(self)
        if not n:
            return (np.full((len(vectors), 1), -np.inf, dtype=np.float32),
                    np.full((len(vectors), 1), -1, dtype=np.int64))
        k = max(1, min(k, n))
        ef = max(ef or self.ef_search, k)
        scores, pos = self.index.search(vectors, k, params=self._search_params(ef))
        ids = np.where(pos >= 0, self.labels[np.maximum(pos, 0)], -1)
        return scores, ids

    def __len__(self) -> int:
        return int(self.index.ntotal) - len(self.deleted)

    @property
    def m(self) -> int:
        """The graph's links per vector: M for a new graph, what it was built with for a loaded one."""
        return int(self.index.hnsw.nb_neighbors(1))

    def params(self) -> dict:
        return {"quantization": self.quantization, "m": self.m,
                "ef_construction": int(self.index.hnsw.efConstruction), "ef_search": self.ef_search,
                "deleted": len(self.deleted), "target_recall": self.target_recall,
                "calibrated_recall": self.calibrated_recall, "graph_bytes": self._graph_bytes}

    # --- files ------------------------------------------------------------------------------
    # One file: the FAISS graph, then the labels and the deleted positions, each as a .npy record.
    def _write(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))
        self._graph_bytes = path.stat().st_size  # saved in the metadata (params), read back by _read
        with open(path, "ab") as fh:
            np.save(fh, self.labels)
            np.save(fh, np.fromiter(sorted(self.deleted), dtype=np.int64))

    @classmethod
    def _read(cls, path: Path, dim: int, meta: dict, mmap: bool = False) -> "HNSWIndex":
        index = faiss.read_index(str(path))  # reads the graph and stops at its end
        with open(path, "rb") as fh:
            fh.seek(int(meta["graph_bytes"]), os.SEEK_SET)
            labels, deleted = np.load(fh), np.load(fh)
        if len(labels) != index.ntotal:
            raise ValueError("hnsw index file: its labels do not match its graph")
        out = cls(dim, index, labels=labels, deleted=deleted, ef_search=int(meta["ef_search"]),
                  target_recall=float(meta.get("target_recall", 0.98)))
        out._graph_bytes = int(meta["graph_bytes"])
        out.calibrated_recall = float(meta.get("calibrated_recall", float("nan")))
        return out
