"""Approximate search for big corpora: an inverted-file (IVF) FAISS index.

The vectors are clustered into ``nlist`` cells (k-means on a sample of the corpus); a query scans
the ``nprobe`` nearest cells only. ``nprobe`` is calibrated when the index is built: the smallest value whose
recall@10 against exact search reaches ``target_recall`` for two kinds of claim-like queries: corpus
sentences themselves (their neighbours other than themselves: a claim restating an archived
sentence), and synthetic ones (corpus vectors moved by noise, or between two corpus vectors). Both
values are stored in the index's metadata.

IVF keeps ids in its inverted lists (no id map), supports removal, and its lists can be
memory-mapped from the index file (faiss.IO_FLAG_MMAP): the OS page cache then holds the vectors,
shared between gunicorn workers. A mapped index is read-only; the first write re-reads it into
memory.
"""
from __future__ import annotations

import logging
import math
from pathlib import Path

import faiss
import numpy as np

from . import calibrate
from .base import VectorIndex, add_threads
from .quant import sq_type

log = logging.getLogger("factlint")

NPROBES = (1, 2, 4, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512)
# ...and nprobe never goes below this share of the cells. On the bench's 1M-sentence corpus (96% of
# it noisy copies of 37k real sentences) both kinds of calibration queries were satisfied by 32 of
# 2,000 cells, where held-out BBC claims then reached recall@10 0.927 only; 1/12 of the cells gave
# them 0.995 (2026-11-21).
MIN_PROBE_FRACTION = 1 / 12
MIN_POINTS_PER_CELL = 39  # FAISS warns below this many training points per centroid


TRAIN_POINTS_PER_CELL = 64  # k-means runs on at most this many sampled points per cell
TRAIN_ITERATIONS = 12


def default_nlist(n: int) -> int:
    """~2·sqrt(n) cells (2,000 at 1M sentences), with enough points per cell to train."""
    return int(max(1, min(2 * math.sqrt(max(n, 1)), n // MIN_POINTS_PER_CELL, 65536)))


class IVFIndex(VectorIndex):
    kind = "ivf"

    def __init__(self, dim: int, index: faiss.Index | None = None, quantization: str = "none",
                 nlist: int = 0, nprobe: int = 0, target_recall: float = 0.98, trained_on: int = 0,
                 path: Path | None = None, **_):
        super().__init__(dim)
        self.index = index
        self.quantization = quantization
        self.nlist = nlist
        self.nprobe = nprobe
        self.target_recall = target_recall
        self.trained_on = trained_on
        self._mapped_from = path  # set when the inverted lists are memory-mapped from this file
        if index is not None and nprobe:
            faiss.extract_index_ivf(index).nprobe = nprobe

    # --- building ---------------------------------------------------------------------------
    def _train(self, vectors: np.ndarray) -> None:
        n = len(vectors)
        nlist = self.nlist or default_nlist(n)
        nlist = max(1, min(nlist, n))
        quantizer = faiss.IndexFlatIP(self.dim)
        qt = sq_type(self.quantization)
        if qt is None:
            index = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        else:
            index = faiss.IndexIVFScalarQuantizer(quantizer, self.dim, nlist, qt, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = 1234
        index.cp.niter = TRAIN_ITERATIONS
        index.cp.max_points_per_centroid = TRAIN_POINTS_PER_CELL
        index.train(vectors)
        self.index, self.nlist, self.trained_on = index, nlist, n

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.omp_set_num_threads(add_threads())  # a one-query search may have left this thread at 1
        if not self.trained:
            self._train(vectors)
            self.index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
            self.calibrate(np.asarray(ids, dtype=np.int64), vectors)
            return
        self._writable()
        self.index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids) and self.trained:
            self._writable()
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def calibrate(self, ids: np.ndarray, vectors: np.ndarray, k: int = 10) -> float:
        """Choose the smallest nprobe reaching ``target_recall`` on calibration queries
        (index/calibrate.py), then apply the floor MIN_PROBE_FRACTION. Returns the recall reached."""
        ivf = faiss.extract_index_ivf(self.index)
        if self.nprobe:  # fixed by configuration
            ivf.nprobe = self.nprobe
            return float("nan")
        q = calibrate.queries(ids, vectors, k)

        def search(nprobe, queries, kk):
            ivf.nprobe = nprobe
            return self.index.search(queries, kk)[1]

        nprobe, recall = calibrate.smallest([p for p in NPROBES if p < self.nlist] + [self.nlist], search, q,
                                            self.target_recall)
        self.nprobe = ivf.nprobe = max(nprobe, min(self.nlist, math.ceil(self.nlist * MIN_PROBE_FRACTION)))
        log.info("ivf index: nlist=%d, nprobe=%d gives recall@%d=%.3f on %d sample queries",
                 self.nlist, self.nprobe, k, recall, len(q.sample))
        return recall

    @property
    def trained(self) -> bool:
        return self.index is not None and self.index.is_trained

    def rebuild_reason(self, count: int) -> str:
        """Cells trained on a much smaller corpus than the current one get unbalanced: retrain."""
        if count > 0 and not self.trained:
            return "its cells are not trained"
        if count > 4 * max(self.trained_on, 1000):
            return f"its cells were trained on {self.trained_on} sentences, it holds {count}"
        return ""

    # --- searching --------------------------------------------------------------------------
    def _search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if not self.trained or not len(self):
            return (np.full((len(vectors), 1), -np.inf, dtype=np.float32),
                    np.full((len(vectors), 1), -1, dtype=np.int64))
        return self.index.search(vectors, max(1, min(k, len(self))))

    def __len__(self) -> int:
        return int(self.index.ntotal) if self.index is not None else 0

    def params(self) -> dict:
        return {"quantization": self.quantization, "nlist": self.nlist, "nprobe": self.nprobe,
                "trained_on": self.trained_on, "target_recall": self.target_recall}

    # --- files ------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self._mapped_from is not None:
            self.index = faiss.read_index(str(self._mapped_from))
            faiss.extract_index_ivf(self.index).nprobe = self.nprobe
            self._mapped_from = None

    def _write(self, path: Path) -> None:
        if self.index is None:  # nothing added yet: an untrained one-cell index stands for it
            self.index = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, 1, faiss.METRIC_INNER_PRODUCT)
        faiss.write_index(self.index, str(path))

    @classmethod
    def _read(cls, path: Path, dim: int, meta: dict, mmap: bool = False) -> "IVFIndex":
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        index = faiss.read_index(str(path), flags)
        if mmap:
            no_prefetch(index)
        return cls(dim, index, quantization=meta.get("quantization", "none"), nlist=int(meta["nlist"]),
                   nprobe=int(meta["nprobe"]), target_recall=float(meta.get("target_recall", 0.98)),
                   trained_on=int(meta.get("trained_on", 0)), path=path if mmap else None)


def no_prefetch(index: faiss.Index) -> None:
    """Mapped inverted lists (faiss.OnDiskInvertedLists) start ``prefetch_nthread`` (32) threads on
    every search to touch the probed lists' pages ahead of the scan: 3,233 thread creations in 101
    searches, which doubled search time at 1M sentences (12.6 vs 6.3 ms p50) and quadrupled it at
    100k (issue 15), for identical results. The scan reads the pages itself; no threads."""
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
    if hasattr(lists, "prefetch_nthread"):
        lists.prefetch_nthread = 0
