"""Exact search: a flat inner-product FAISS index. Right for small and medium corpora."""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from .base import VectorIndex


class FlatIndex(VectorIndex):
    kind = "flat"

    def __init__(self, dim: int, index: faiss.Index | None = None):
        super().__init__(dim)
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self))) if len(self) else 1
        return self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def _write(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def _read(cls, path: Path, dim: int) -> "FlatIndex":
        return cls(dim, faiss.read_index(str(path)))
