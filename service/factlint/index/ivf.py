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

from .base import VectorIndex
from .quant import sq_type

log = logging.getLogger("factlint")

NPROBES = (1, 2, 4, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512)
CALIBRATION_QUERIES = 300
# ...and nprobe never goes below this share of the cells. On the bench's 1M-sentence corpus (96% of
# it noisy copies of 37k real sentences) both kinds of calibration queries were satisfied by 32 of
# 2,000 cells, where held-out BBC claims then reached recall@10 0.927 only; 1/12 of the cells gave
# them 0.995 (2026-11-21).
MIN_PROBE_FRACTION = 1 / 12
# Norms of the noise added to a unit vector: cosine ~0.75 (a reworded claim) and ~0.5 (a claim
# only loosely related to the corpus) to its source; calibration queries alternate between them.
CALIBRATION_NOISE = (0.88, 1.73)
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

    def calibrate(self, ids: np.ndarray, vectors: np.ndarray, k: int = 10,
                  queries: int = CALIBRATION_QUERIES) -> float:
        """Choose the smallest nprobe reaching ``target_recall``: recall@k against exact search, for
        claim-like queries (sampled corpus vectors moved by Gaussian noise to cosine ~0.75, as a
        reworded claim is from its evidence, or ~0.5, as a loosely related claim), and for corpus
        vectors themselves with their own hit left out. Measured on the bench's 100k-sentence corpus
        (2026-11-21): held-out BBC claims needed nprobe 80 of 632 cells for recall@10 0.984; the
        corpus-vector queries asked for 80 too (0.981), the synthetic ones for only 64 (held-out recall
        0.975). The floor MIN_PROBE_FRACTION applies after. Returns the recall reached (the lower of
        the two kinds)."""
        ivf = faiss.extract_index_ivf(self.index)
        if self.nprobe:  # fixed by configuration
            ivf.nprobe = self.nprobe
            return float("nan")
        rng = np.random.default_rng(0)
        rows = rng.choice(len(vectors), size=min(queries, len(vectors)), replace=False)
        other = vectors[rng.choice(len(vectors), size=len(rows))]
        norms = np.resize(np.asarray(CALIBRATION_NOISE, dtype=np.float32), len(rows))[:, None]
        noise = rng.normal(0, 1 / math.sqrt(self.dim), (len(rows), self.dim)).astype(np.float32)
        # half the queries: a corpus vector plus noise; half: between two random corpus vectors
        # (a claim mixing topics: its neighbours lie in several cells, the hard case)
        half = np.arange(len(rows)) % 2 == 1
        sample = vectors[rows] + norms * noise
        sample[half] = vectors[rows][half] + other[half] + 0.5 * noise[half]
        sample /= np.linalg.norm(sample, axis=1, keepdims=True)
        own = vectors[rng.choice(len(vectors), size=min(queries, len(vectors)), replace=False)]
        exact = faiss.IndexFlatIP(self.dim)
        exact.add(vectors)
        _, pos = exact.search(sample, k)
        _, own_pos = exact.search(own, k + 1)  # the vector itself ranks first: k more than it
        del exact
        truth = np.where(pos >= 0, ids[np.maximum(pos, 0)], -1)
        own_truth = np.where(own_pos >= 0, ids[np.maximum(own_pos, 0)], -1)
        recall = 1.0
        for nprobe in [p for p in NPROBES if p < self.nlist] + [self.nlist]:
            ivf.nprobe = nprobe
            _, got = self.index.search(sample, k)
            _, own_got = self.index.search(own, k + 1)
            recall = min(recall_at_k(truth, got, k), recall_at_k(own_truth[:, 1:], own_got, k + 1))
            if recall >= self.target_recall:
                break
        ivf.nprobe = max(int(ivf.nprobe), min(self.nlist, math.ceil(self.nlist * MIN_PROBE_FRACTION)))
        self.nprobe = int(ivf.nprobe)
        log.info("ivf index: nlist=%d, nprobe=%d gives recall@%d=%.3f on %d sample queries",
                 self.nlist, self.nprobe, k, recall, len(sample))
        return recall

    @property
    def trained(self) -> bool:
        return self.index is not None and self.index.is_trained

    def needs_rebuild(self, count: int) -> bool:
        """Cells trained on a much smaller corpus than the current one get unbalanced: retrain."""
        return (count > 0 and not self.trained) or count > 4 * max(self.trained_on, 1000)

    # --- searching --------------------------------------------------------------------------
    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
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
        return cls(dim, index, quantization=meta.get("quantization", "none"), nlist=int(meta["nlist"]),
                   nprobe=int(meta["nprobe"]), target_recall=float(meta.get("target_recall", 0.98)),
                   trained_on=int(meta.get("trained_on", 0)), path=path if mmap else None)


def recall_at_k(truth: np.ndarray, got: np.ndarray, k: int = 10) -> float:
    """Share of the exact top-k ids found in the approximate top-k (rows of ids, -1 = none)."""
    hits = total = 0
    for t, g in zip(truth, got):
        want = {int(i) for i in t[:k] if i >= 0}
        hits += len(want & {int(i) for i in g[:k] if i >= 0})
        total += len(want)
    return hits / total if total else 1.0

