"""Calibration of an approximate index's search effort (IVF's nprobe, HNSW's efSearch): the
smallest value whose recall@k against exact search reaches the target on claim-like queries.

Two kinds of query: synthetic ones (sampled corpus vectors moved by Gaussian noise to cosine ~0.75,
as a reworded claim is from its evidence, or ~0.5, as a loosely related claim; half of them between
two random corpus vectors: a claim mixing topics, the hard case), and corpus vectors themselves with
their own hit left out (a claim restating an archived sentence). Measured on the bench's
100k-sentence corpus (2026-11-21): the synthetic queries alone under-probed an IVF index (nprobe 64
of 632 cells, held-out BBC claims then at recall@10 0.975); with the corpus-vector queries it asked
for 80 (held-out recall 0.984). The recall kept is the lower of the two kinds. Ties count as found:
a returned sentence exactly as similar as the exact k-th best is right (corpora repeat sentences;
by id alone, another copy of a duplicate counted as a miss and asked for more effort than needed)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import faiss
import numpy as np

CALIBRATION_QUERIES = 300
# Norms of the noise added to a unit vector: cosine ~0.75 and ~0.5 to its source; queries alternate.
CALIBRATION_NOISE = (0.88, 1.73)


@dataclass
class Queries:
    sample: np.ndarray      # synthetic claim-like queries
    sample_kth: np.ndarray  # the exact k-th best similarity of each
    own: np.ndarray         # corpus vectors (their own hit is the first of k + 1)
    own_kth: np.ndarray     # the exact (k+1)-th best similarity of each
    ids: np.ndarray         # the corpus: ids and, row by row, their vectors
    vectors: np.ndarray
    k: int

    def recall(self, queries: np.ndarray, kth: np.ndarray, got: np.ndarray, k: int) -> float:
        """Share of the top-k found: returned ids whose exact similarity reaches the k-th best."""
        order = np.argsort(self.ids)
        hits = 0
        for q, bound, row in zip(queries, kth, got):
            found = np.unique(row[:k][row[:k] >= 0])
            pos = order[np.clip(np.searchsorted(self.ids, found, sorter=order), 0, len(order) - 1)]
            pos = pos[self.ids[pos] == found]
            hits += min(k, int((self.vectors[pos] @ q >= bound - 1e-5).sum()))
        return hits / (k * len(queries)) if len(queries) else 1.0


def queries(ids: np.ndarray, vectors: np.ndarray, k: int = 10, count: int = CALIBRATION_QUERIES) -> Queries:
    """Calibration queries for the corpus ``vectors`` (ids ``ids``) with their exact answers."""
    dim = vectors.shape[1]
    rng = np.random.default_rng(0)
    rows = rng.choice(len(vectors), size=min(count, len(vectors)), replace=False)
    other = vectors[rng.choice(len(vectors), size=len(rows))]
    norms = np.resize(np.asarray(CALIBRATION_NOISE, dtype=np.float32), len(rows))[:, None]
    noise = rng.normal(0, 1 / math.sqrt(dim), (len(rows), dim)).astype(np.float32)
    half = np.arange(len(rows)) % 2 == 1
    sample = vectors[rows] + norms * noise
    sample[half] = vectors[rows][half] + other[half] + 0.5 * noise[half]
    sample /= np.linalg.norm(sample, axis=1, keepdims=True)
    own = vectors[rng.choice(len(vectors), size=min(count, len(vectors)), replace=False)]
    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    scores, _ = exact.search(sample, k)
    own_scores, _ = exact.search(own, k + 1)  # the vector itself ranks first: k more than it
    del exact
    return Queries(sample, scores[:, -1], own, own_scores[:, -1], ids, vectors, k)


def smallest(values: Sequence[int], search: Callable[[int, np.ndarray, int], np.ndarray], q: Queries,
             target: float) -> tuple[int, float]:
    """The first of ``values`` (ascending effort) at which ``search(value, queries, k)`` (ids)
    reaches ``target`` recall on both kinds of query, and that recall; the last value otherwise."""
    recall, value = 0.0, values[-1]
    for value in values:
        recall = min(q.recall(q.sample, q.sample_kth, search(value, q.sample, q.k), q.k),
                     q.recall(q.own, q.own_kth, search(value, q.own, q.k + 1), q.k + 1))
        if recall >= target:
            break
    return int(value), recall


def recall_at_k(truth: np.ndarray, got: np.ndarray, k: int = 10) -> float:
    """Share of the exact top-k ids found in the approximate top-k (rows of ids, -1 = none)."""
    hits = total = 0
    for t, g in zip(truth, got):
        want = {int(i) for i in t[:k] if i >= 0}
        hits += len(want & {int(i) for i in g[:k] if i >= 0})
        total += len(want)
    return hits / total if total else 1.0
