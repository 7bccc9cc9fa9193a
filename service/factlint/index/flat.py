"""Exact search: a flat inner-product FAISS index. Right for small and medium corpora.

With quantization "fp16"/"int8" the vectors are stored as scalar-quantized codes (search is still
exhaustive, scores are approximate to ~1e-3 / ~1e-2)."""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from .base import VectorIndex
from .quant import sq_type


class FlatIndex(VectorIndex):
    kind = "flat"

    def __init__(self, dim: int, index: faiss.Index | None = None, quantization: str = "none", **_):
        super().__init__(dim)
        if index is None:
            qt = sq_type(quantization)
            inner = (faiss.IndexFlatIP(dim) if qt is None
                     else faiss.IndexScalarQuantizer(dim, qt, faiss.METRIC_INNER_PRODUCT))
            index = faiss.IndexIDMap2(inner)
        self.index = index
        self.quantization = quantization

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            if not self.index.is_trained:  # scalar quantizers learn nothing for fp16; int8 learns ranges
                self.index.train(vectors)
            self.index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def _search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self))) if len(self) else 1
        return self.index.search(vectors, k)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def params(self) -> dict:
        return {"quantization": self.quantization}

    def _write(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def _read(cls, path: Path, dim: int, meta: dict, mmap: bool = False) -> "FlatIndex":
        # FAISS can only memory-map inverted lists (IVF); a flat index is read into memory.
        return cls(dim, faiss.read_index(str(path)), quantization=meta.get("quantization", "none"))
