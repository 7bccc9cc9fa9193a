"""Workspace: a data directory opened for use: the SQLite store, the FAISS index derived from it,
and the embedder. Writes go through here so that store and index move together."""
from __future__ import annotations

import fcntl
import json
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .config import PROJECT_DIR, Settings
from .corpus import iter_article_files, read_article
from .embeddings import Embedder
from .index import VectorIndex, index_class_for, new_index
from .models import Document
from .sentences import split_sentences
from .store import Delta, Store

log = logging.getLogger("factlint")

DB_FILE = "factlint.sqlite3"
INDEX_FILE = "index.faiss"
LOCK_FILE = "index.lock"


class Workspace:
    """One process's view of a data directory.

    SQLite is the truth; ``index`` is this process's FAISS copy of it, at change ``seq`` of the
    store's change log. Any number of processes may open the same directory: each write is logged,
    and ``sync()`` applies the changes other processes made (an incremental catch-up, not a
    reload). The index file on disk is a checkpoint: at start-up it is loaded and caught up, or
    rebuilt from SQLite when it is damaged or cannot be caught up.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.dir = Path(settings.store.data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.dir / DB_FILE)
        self.embedder = embedder or Embedder.from_settings(settings.model, self.dir)
        self._lock = threading.RLock()
        self._flock_depth = 0
        self.seq = 0
        self.index = self._open_index()

    # --- index ------------------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.dir / INDEX_FILE

    def _meta(self) -> dict:
        return {"seq": self.seq, "count": len(self.index), "model": self.settings.model.name}

    @contextmanager
    def _file_lock(self):
        """Serialise index-file writes (and the start-up load) between processes. Re-entrant for
        the thread holding ``_lock`` (an flock on a second descriptor would wait for the first)."""
        with self._lock:
            if self._flock_depth:
                self._flock_depth += 1
                try:
                    yield
                finally:
                    self._flock_depth -= 1
                return
            with open(self.dir / LOCK_FILE, "a+") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                self._flock_depth = 1
                try:
                    yield
                finally:
                    self._flock_depth = 0
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def _open_index(self) -> VectorIndex:
        """Load the index file and catch it up with the change log; rebuild it from SQLite when it
        is missing, damaged or cannot be caught up. Each outcome is logged."""
        with self._lock, self._file_lock():
            if not self.index_path.exists():
                log.info("no index file in %s: building it from %s", self.dir, DB_FILE)
                return self.rebuild_index()
            count, _ = self.store.state()
            conf = self.settings.index
            cls = index_class_for(conf, count)
            try:
                index, meta = cls.load(self.index_path, mmap=conf.mmap)
                if meta.get("model") != self.settings.model.name or index.dim != self.embedder.dim:
                    raise ValueError(f"it was built with model {meta.get('model')!r}, dim {index.dim}")
                if not isinstance(meta.get("seq"), int) or len(index) != meta.get("count"):
                    raise ValueError("its metadata does not match it")
                if meta.get("quantization", "none") != conf.quantization:
                    raise ValueError(f"it is quantized {meta.get('quantization', 'none')!r}, "
                                     f"the settings ask for {conf.quantization!r}")
                if index.needs_rebuild(count):
                    raise ValueError(f"its cells were trained on {meta.get('trained_on')} sentences, "
                                     f"the store holds {count}")
            except Exception as exc:  # a damaged or foreign file: the store is the truth
                log.warning("index file %s is damaged or unusable (%s): rebuilding it from %s",
                            self.index_path, exc, DB_FILE)
                return self.rebuild_index()
            self.index, self.seq = index, meta["seq"]
            delta = self.store.delta(self.seq, self.embedder.dim)
            if not delta.complete:
                log.warning("index file %s is stale (change %d; the store is at %d and its log no longer "
                            "reaches back): rebuilding it from %s", self.index_path, self.seq, delta.head, DB_FILE)
                return self.rebuild_index()
            if delta.head != self.seq:
                log.info("index file %s is %d changes behind the store: catching up", self.index_path,
                         delta.head - self.seq)
            if not self._apply(delta):
                return self.rebuild_index()
            self._checkpoint()
            return self.index

    def _apply(self, delta: Delta) -> bool:
        """Apply a change-log delta to the in-memory index; False (logged) when the result does not
        match the store, which calls for a rebuild."""
        # Removing the added ids first makes applying a delta twice harmless.
        self.index.remove(np.union1d(delta.removed, delta.ids).astype(np.int64))
        self.index.add(delta.ids, delta.vectors)
        if len(self.index) != delta.count:
            log.warning("index holds %d sentences after catching up to change %d, the store %d: rebuilding",
                        len(self.index), delta.head, delta.count)
            return False
        self.seq = delta.head
        return True

    def rebuild_index(self) -> VectorIndex:
        """Build the index from every vector in SQLite and write the index file."""
        with self._lock:
            ids, vecs, head = self.store.snapshot(self.embedder.dim)
            index = new_index(self.settings.index, self.embedder.dim, len(ids))
            index.add(ids, vecs)
            del vecs
            self.index, self.seq = index, head
            with self._file_lock():
                index.save(self.index_path, self._meta())
            log.info("index rebuilt from %s: %d sentences at change %d", DB_FILE, len(index), head)
            return index

    def sync(self) -> list[float]:
        """Catch the index up with changes any process committed since the last call (cheap when
        there are none: one SQLite read). Returns the commit times of the changes applied."""
        if self.store.head() == self.seq:
            return []
        with self._lock:
            return self._catch_up()

    def _catch_up(self) -> list[float]:
        delta = self.store.delta(self.seq, self.embedder.dim)
        if delta.head == self.seq:
            return []
        if not delta.complete:
            log.warning("the change log no longer reaches back to change %d: rebuilding the index", self.seq)
            self.rebuild_index()
        elif not self._apply(delta):
            self.rebuild_index()
        return delta.times

    def _checkpoint(self, force: bool = False) -> None:
        """Write the index file unless another process already wrote one at least as new. A large
        index (``[index] auto_threshold`` sentences or more) is written only once it is
        ``[index] checkpoint_every`` changes ahead of the file, or when ``force``d: a process that
        opens an older file catches up from the change log."""
        conf = self.settings.index
        with self._file_lock():
            try:
                meta = json.loads(self.index_path.with_suffix(".json").read_text())
                written = meta.get("seq", -1) if meta.get("model") == self.settings.model.name else -1
            except (OSError, ValueError):
                written = -1
            if written >= self.seq:
                return
            if not force and written >= 0 and len(self.index) >= conf.auto_threshold \
                    and self.seq - written < conf.checkpoint_every:
                return
            self.index.save(self.index_path, self._meta())

    # --- writes -----------------------------------------------------------------------------
    def add(self, docs: list[Document]) -> list[tuple[str, int]]:
        """Split, embed and store documents (replacing any with the same id) in one transaction,
        then bring the index up to date. Returns (doc id, sentence count) for each.

        This is the one write path: the CLI (`factlint index`) and POST /v1/documents both use it.
        When it returns, the documents are durable in SQLite (WAL, synchronous=FULL)."""
        split = [(doc, split_sentences(doc)) for doc in docs]
        # one encoder call for all documents: full, length-sorted batches instead of one per document
        vectors = self.embedder.encode([s.text for _, sentences in split for s in sentences])
        items, at = [], 0
        for doc, sentences in split:
            items.append((doc, sentences, vectors[at:at + len(sentences)]))
            at += len(sentences)
        if not items:
            return []
        self.store.upsert_many(items)
        with self._lock:
            self._catch_up()
            self._checkpoint()
        return [(doc.id, len(sentences)) for doc, sentences, _ in items]

    def delete(self, doc_id: str) -> bool:
        """Delete a document from the store and the index; False when there is no such document."""
        removed, _ = self.store.delete_logged(doc_id)
        if removed is None:
            return False
        with self._lock:
            self._catch_up()
            self._checkpoint()
        return True

    def add_paths(self, paths: list[str | Path], chunk: int = 100) -> list[tuple[str, int]]:
        """Index article files, ``chunk`` documents per transaction."""
        files, done = list(iter_article_files(paths)), []
        for i in range(0, len(files), chunk):
            done += self.add([read_article(p) for p in files[i:i + chunk]])
        with self._lock:
            self._checkpoint(force=True)
        return done

    def seed_if_empty(self) -> int:
        """Index the seed articles when the store holds no document; returns how many were added."""
        seed_dir = Path(self.settings.store.seed_dir)
        if not seed_dir.is_absolute() and not seed_dir.is_dir():
            seed_dir = PROJECT_DIR / seed_dir
        if self.store.count_documents() or not seed_dir.is_dir():
            return 0
        log.info("empty data directory: indexing the seed articles from %s", seed_dir)
        return len(self.add_paths([seed_dir]))
