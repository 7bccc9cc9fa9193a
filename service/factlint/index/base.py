"""The vector index interface: one small class per index kind behind it, chosen by config."""
from __future__ import annotations

import hashlib
import json
import os
import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

# FAISS threads (OpenMP) for a batch of queries: what the process was given (OMP_NUM_THREADS, which
# gunicorn's config sets to cores / workers), read once at import. One query always runs on one
# thread: on this 2-core machine, shared, one flat query at 10k sentences took 63 ms p50 on 2
# threads and 0.24 ms on 1, at 37k 64 against 16 ms (`python -m bench.ann`, bench/ann.json,
# 2026-12-01; issue 15 saw 5.8 against 1.9 ms quiet); a batch is split between the threads.
BATCH_THREADS = max(1, faiss.omp_get_max_threads())


# FAISS threads for a background (re)build (Workspace): the process's share, but never every core
# of the machine, so that the requests answered meanwhile keep one (on 2 cores: 1 thread, whether
# gunicorn runs 1 worker or 2). Only one process per data directory builds at a time.
BUILD_THREADS = max(1, min(BATCH_THREADS, (os.cpu_count() or 1) - 1))
_limit = threading.local()


def search_threads(queries: int) -> int:
    """FAISS threads for one search call of ``queries`` vectors."""
    return 1 if queries <= 1 else BATCH_THREADS


def add_threads() -> int:
    """FAISS threads for adding vectors (training, building a graph) in the calling thread:
    BATCH_THREADS, or fewer inside ``limited_threads``."""
    return getattr(_limit, "threads", BATCH_THREADS)


@contextmanager
def limited_threads(threads: int = BUILD_THREADS):
    """Every FAISS call of the calling thread (adds, training, calibration searches) on at most
    ``threads`` threads: for a build in the background while requests are answered."""
    before = getattr(_limit, "threads", None)
    _limit.threads = threads
    faiss.omp_set_num_threads(threads)
    try:
        yield
    finally:
        if before is None:
            del _limit.threads
        else:
            _limit.threads = before
        faiss.omp_set_num_threads(before or BATCH_THREADS)


class VectorIndex(ABC):
    """Inner-product search over unit vectors, keyed by int64 sentence ids."""

    kind: str = ""

    def __init__(self, dim: int):
        self.dim = dim

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def remove(self, ids: np.ndarray) -> None: ...

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each shaped (len(vectors), k); missing hits have id -1. All the vectors
        in one FAISS call, on search_threads(len(vectors)) threads (set for the calling thread)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        faiss.omp_set_num_threads(search_threads(len(vectors)))
        return self._search(vectors, k)

    @abstractmethod
    def _search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    @abstractmethod
    def __len__(self) -> int: ...

    def params(self) -> dict:
        """Build parameters saved in the metadata file and given back to ``_read``."""
        return {}

    def rebuild_reason(self, count: int) -> str:
        """Why an index holding ``count`` vectors should be rebuilt from the store ("" when it
        should not). Only said, never done here: the workspace rebuilds in the background."""
        return ""

    @abstractmethod
    def _write(self, path: Path) -> None: ...

    @classmethod
    @abstractmethod
    def _read(cls, path: Path, dim: int, meta: dict, mmap: bool = False) -> "VectorIndex": ...

    def save(self, path: str | Path, meta: dict) -> dict:
        """Write the index and its metadata atomically: temp file, fsync, rename, fsync the
        directory. Temp names are per process and thread, so concurrent writers never share one;
        the metadata carries the index file's SHA-256, so a torn pair (a crash between the two
        renames) or a damaged file is detected by ``load``. Returns the metadata written."""
        path = Path(path)
        tag = f"{os.getpid()}-{threading.get_ident()}"
        tmp = path.with_name(f"{path.name}.{tag}.tmp")
        meta_path = path.with_suffix(".json")
        tmp_meta = meta_path.with_name(f"{meta_path.name}.{tag}.tmp")
        try:
            self._write(tmp)
            _fsync(tmp)
            meta = {**meta, **self.params(), "kind": self.kind, "dim": self.dim, "sha256": _sha256(tmp)}
            tmp_meta.write_text(json.dumps(meta))
            _fsync(tmp_meta)
            os.replace(tmp, path)
            os.replace(tmp_meta, meta_path)
            _fsync_dir(path.parent)
            return meta
        finally:
            for t in (tmp, tmp_meta):
                t.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: str | Path, mmap: bool = False) -> tuple["VectorIndex", dict]:
        """Read an index file and its metadata; ValueError when they do not belong together.
        ``mmap`` maps its vectors where the kind allows it."""
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text())
        if meta.get("kind") != cls.kind:
            raise ValueError(f"index file is of kind {meta.get('kind')!r}, not {cls.kind!r}")
        if "sha256" in meta and meta["sha256"] != _sha256(path):
            raise ValueError("index file does not match the checksum in its metadata")
        return cls._read(path, int(meta["dim"]), meta, mmap), meta


def remove_temp_files(path: str | Path) -> list[Path]:
    """Delete the temp files ``save`` leaves when its process dies mid-write (``<index>.<tag>.tmp``
    and ``<meta>.<tag>.tmp``). Call it holding the lock that every ``save`` of ``path`` holds: then
    no temp file is in use. Returns what was removed."""
    path = Path(path)
    meta_path = path.with_suffix(".json")
    stale = [*path.parent.glob(f"{path.name}.*.tmp"), *path.parent.glob(f"{meta_path.name}.*.tmp")]
    for t in stale:
        t.unlink(missing_ok=True)
    return stale


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
