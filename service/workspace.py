"""Workspace: a data directory opened for use: the SQLite store, the FAISS index derived from it,
and the embedder. Writes go through here so that store and index move together."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from .config import PROJECT_DIR, Settings
from .corpus import iter_article_files, read_article
from .embeddings import Embedder
from .index import VectorIndex, index_class, new_index
from .models import Document
from .sentences import split_sentences
from .store import Store

log = logging.getLogger("factlint")

DB_FILE = "factlint.sqlite3"
INDEX_FILE = "index.faiss"


class Workspace:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.dir = Path(settings.store.data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.dir / DB_FILE)
        self.embedder = embedder or Embedder.from_settings(settings.model, self.dir)
        self._lock = threading.RLock()
        self.index = self._open_index()

    # --- index ------------------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.dir / INDEX_FILE

    def _meta(self) -> dict:
        count, top = self.store.state()
        return {"count": count, "max_id": top, "model": self.settings.model.name}

    def _open_index(self) -> VectorIndex:
        """Load the index file when it matches the store; otherwise rebuild it from SQLite."""
        count, _ = self.store.state()
        conf = self.settings.index
        cls = index_class(conf.kind, count, conf.auto_threshold)
        if self.index_path.exists():
            try:
                index, meta = cls.load(self.index_path, mmap=conf.mmap)
                if {k: meta.get(k) for k in ("count", "max_id", "model")} == self._meta() \
                        and index.dim == self.embedder.dim and len(index) == count \
                        and meta.get("quantization", "none") == conf.quantization \
                        and not index.needs_rebuild(count):
                    return index
                log.warning("index file %s is stale; rebuilding it from %s", self.index_path, DB_FILE)
            except Exception as exc:  # a damaged file: the store is the truth
                log.warning("index file %s is unreadable (%s); rebuilding it from %s",
                            self.index_path, exc, DB_FILE)
        return self.rebuild_index()

    def rebuild_index(self) -> VectorIndex:
        with self._lock:
            ids, vecs = self.store.vectors(self.embedder.dim)
            index = new_index(self.settings.index, self.embedder.dim, len(ids))
            index.add(ids, vecs)
            del vecs
            index.save(self.index_path, self._meta())
            self.index = index
            return index

    # --- writes -----------------------------------------------------------------------------
    def add(self, docs: list[Document]) -> list[tuple[str, int]]:
        """Split, embed and store documents (replacing any with the same id); update the index.
        Returns (doc id, sentence count) for each."""
        done = []
        with self._lock:
            for doc in docs:
                sentences = split_sentences(doc)
                vectors = self.embedder.encode([s.text for s in sentences])
                removed, added = self.store.upsert(doc, sentences, vectors)
                self.index.remove(np.asarray(removed, dtype=np.int64))
                self.index.add(np.asarray(added, dtype=np.int64), vectors)
                done.append((doc.id, len(sentences)))
            self.index.save(self.index_path, self._meta())
        return done

    def delete(self, doc_id: str) -> bool:
        with self._lock:
            removed = self.store.delete(doc_id)
            if removed is None:
                return False
            self.index.remove(np.asarray(removed, dtype=np.int64))
            self.index.save(self.index_path, self._meta())
            return True

    def add_paths(self, paths: list[str | Path]) -> list[tuple[str, int]]:
        return self.add([read_article(p) for p in iter_article_files(paths)])

    def seed_if_empty(self) -> int:
        """Index the seed articles when the store holds no document; returns how many were added."""
        seed_dir = Path(self.settings.store.seed_dir)
        if not seed_dir.is_absolute() and not seed_dir.is_dir():
            seed_dir = PROJECT_DIR / seed_dir
        if self.store.count_documents() or not seed_dir.is_dir():
            return 0
        log.info("empty data directory: indexing the seed articles from %s", seed_dir)
        return len(self.add_paths([seed_dir]))
