"""The vector index interface: one small class per index kind behind it, chosen by config."""
from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np


class VectorIndex(ABC):
    """Inner-product search over unit vectors, keyed by int64 sentence ids."""

    kind: str = ""

    def __init__(self, dim: int):
        self.dim = dim

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def remove(self, ids: np.ndarray) -> None: ...

    @abstractmethod
    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each shaped (len(vectors), k); missing hits have id -1."""

    @abstractmethod
    def __len__(self) -> int: ...

    def params(self) -> dict:
        """Build parameters saved in the metadata file and given back to ``_read``."""
        return {}

    def needs_rebuild(self, count: int) -> bool:
        """True when an index holding ``count`` vectors should be rebuilt from the store."""
        return False

    @abstractmethod
    def _write(self, path: Path) -> None: ...

    @classmethod
    @abstractmethod
    def _read(cls, path: Path, dim: int, meta: dict, mmap: bool = False) -> "VectorIndex": ...

    def save(self, path: str | Path, meta: dict) -> None:
        """Write the index and its metadata atomically: temp file, fsync, rename."""
        path = Path(path)
        tmp = path.with_suffix(path.suffix + ".tmp")
        self._write(tmp)
        _fsync(tmp)
        os.replace(tmp, path)
        meta_path = path.with_suffix(".json")
        tmp_meta = meta_path.with_suffix(".json.tmp")
        tmp_meta.write_text(json.dumps({**meta, **self.params(), "kind": self.kind, "dim": self.dim}))
        _fsync(tmp_meta)
        os.replace(tmp_meta, meta_path)

    @classmethod
    def load(cls, path: str | Path, mmap: bool = False) -> tuple["VectorIndex", dict]:
        """Read an index file of this kind; ``mmap`` maps its vectors where the kind allows it."""
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text())
        if meta.get("kind") != cls.kind:
            raise ValueError(f"index file is of kind {meta.get('kind')!r}, not {cls.kind!r}")
        return cls._read(path, int(meta["dim"]), meta, mmap), meta


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
