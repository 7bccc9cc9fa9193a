"""Workspace: a data directory opened for use: the store (SQLite in the directory, or a shared
PostgreSQL), the FAISS index derived from it, and the embedder. Writes go through here so that
store and index move together."""
from __future__ import annotations

import fcntl
import json
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from .config import PROJECT_DIR, Settings
from . import importers
from .embeddings import Embedder
from .index import VectorIndex, index_class_for, new_index
from .index.base import remove_temp_files
from .models import Document
from .sentences import split_sentences
from .store import DB_FILE, Delta, Store, StoreUnavailable, open_store

log = logging.getLogger("factlint")

INDEX_FILE = "index.faiss"
LOCK_FILE = "index.lock"
CHECKPOINT_RETRY = 30.0  # seconds before sync() retries a checkpoint that failed


class Added(NamedTuple):
    """A document written by ``Workspace.add``: its id, its sentence count, and whether the id was
    new (decided inside the write transaction)."""

    id: str
    sentences: int
    created: bool


class Workspace:
    """One process's view of a data directory and its store.

    The store is the truth; ``index`` is this process's FAISS copy of it, at change ``seq`` of the
    store's change log. Any number of processes may open the same store (the same directory, or
    one PostgreSQL from many machines): each write is logged, and ``sync()`` applies the changes
    other processes made (an incremental catch-up, not a reload). The index file in the data
    directory is a checkpoint: at start-up it is loaded and caught up, or rebuilt from the store
    when it is damaged, belongs to another store or cannot be caught up.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: Store | None = None):
        self.settings = settings
        self.dir = Path(settings.store.data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.store = store or open_store(settings)
        self.store_id = self.store.id
        self.truth = DB_FILE if self.store.kind == "sqlite" else self.store.describe().get("url", self.store.kind)
        self.embedder = embedder or Embedder.from_settings(settings.model, self.dir)
        self._lock = threading.RLock()
        self._flock_depth = 0
        self._checkpoint_failed_at: float | None = None  # a checkpoint write failed: retried later
        self.seq = 0
        self.index = self._open_index()

    # --- index ------------------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.dir / INDEX_FILE

    def _meta(self) -> dict:
        return {"seq": self.seq, "count": len(self.index), "model": self.settings.model.name,
                "store": self.store_id}

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
        is missing, damaged or cannot be caught up. Each outcome is logged. Temp files of a
        checkpoint whose writer died are removed first (no writer holds the lock now)."""
        with self._lock, self._file_lock():
            stale = remove_temp_files(self.index_path)
            if stale:
                log.info("removed %d temp file(s) of an interrupted index write: %s", len(stale),
                         ", ".join(t.name for t in stale))
            if not self.index_path.exists():
                log.info("no index file in %s: building it from %s", self.dir, self.truth)
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
                if meta.get("store", self.store_id) != self.store_id:
                    raise ValueError(f"it was built from another store ({meta.get('store')})")
                if meta.get("quantization", "none") != conf.quantization:
                    raise ValueError(f"it is quantized {meta.get('quantization', 'none')!r}, "
                                     f"the settings ask for {conf.quantization!r}")
                if index.needs_rebuild(count):
                    raise ValueError(f"its cells were trained on {meta.get('trained_on')} sentences, "
                                     f"the store holds {count}")
            except Exception as exc:  # a damaged or foreign file: the store is the truth
                log.warning("index file %s is damaged or unusable (%s): rebuilding it from %s",
                            self.index_path, exc, self.truth)
                return self.rebuild_index()
            self.index, self.seq = index, meta["seq"]
            delta = self.store.delta(self.seq, self.embedder.dim)
            if not delta.complete:
                log.warning("index file %s is stale (change %d; the store is at %d and its log no longer "
                            "reaches back): rebuilding it from %s", self.index_path, self.seq, delta.head, self.truth)
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
        """Build the index from every vector in the store and write the index file."""
        with self._lock:
            ids, vecs, head = self.store.snapshot(self.embedder.dim)
            index = new_index(self.settings.index, self.embedder.dim, len(ids))
            index.add(ids, vecs)
            del vecs
            self.index, self.seq = index, head
            with self._file_lock():
                index.save(self.index_path, self._meta())
            log.info("index rebuilt from %s: %d sentences at change %d", self.truth, len(index), head)
            return index

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Search the index, never while another thread of this process changes it (a FAISS index
        searched during an add or remove can answer -1 for a hit: gthread workers run several
        requests at once, and the report builds in a thread of its own)."""
        with self._lock:
            return self.index.search(vectors, k)

    def sync(self) -> list[float]:
        """Catch the index up with changes any process committed since the last call (cheap when
        there are none: one read of the store). Returns the commit times of the changes applied. A
        checkpoint that failed is retried here once CHECKPOINT_RETRY seconds have passed."""
        if self._checkpoint_failed_at is not None and time.monotonic() - self._checkpoint_failed_at > CHECKPOINT_RETRY:
            with self._lock:
                self._checkpoint_after_write()
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

    def checkpoint(self) -> None:
        """Write the index file now unless one at least as new is there (the end of a bulk load)."""
        with self._lock:
            self._checkpoint(force=True)

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

    def _checkpoint_after_write(self) -> None:
        """The checkpoint after a committed write. The write is durable in SQLite whatever happens
        here, so a failure (a full disk) is logged and the checkpoint retried later (the next
        write, or ``sync`` after CHECKPOINT_RETRY seconds), never reported as the write's failure:
        until then a process that opens the index catches up from the change log."""
        try:
            self._checkpoint()
        except Exception as exc:  # OSError, or FAISS's RuntimeError "write error ... No space left on device"
            log.warning("index checkpoint %s not written (%s); the write is committed to %s and the "
                        "checkpoint will be retried", self.index_path, exc, DB_FILE)
            self._checkpoint_failed_at = time.monotonic()
        else:
            if self._checkpoint_failed_at is not None:
                log.info("index checkpoint %s written again", self.index_path)
            self._checkpoint_failed_at = None

    # --- writes -----------------------------------------------------------------------------
    def add(self, docs: list[Document]) -> list[tuple[str, int]]:
        """Split, embed and store documents (replacing any with the same id) in one transaction,
        then bring the index up to date. Returns (doc id, sentence count) for each.

        This is the one write path: the CLI (`factlint index`) and POST /v1/documents both use it
        (the API through ``upsert``, which also says which ids were new). When it returns, the
        documents are durable in the store (SQLite: WAL, synchronous=FULL)."""
        return [(a.id, a.sentences) for a in self.upsert(docs)]

    def upsert(self, docs: list[Document]) -> list[Added]:
        """``add``, saying for each document whether its id was new (decided in the transaction)."""
        items = embed_documents(self.embedder, docs)
        if not items:
            return []
        _, written = self.store.upsert_many(items)
        self._committed()
        return [Added(w.doc_id, len(w.added), w.created) for w in written]

    def delete(self, doc_id: str) -> bool:
        """Delete a document from the store and the index; False when there is no such document."""
        removed, _ = self.store.delete_logged(doc_id)
        if removed is None:
            return False
        self._committed()
        return True

    def _committed(self) -> None:
        """After a write has committed: bring the index (and its file) up to date. A store that goes
        away in between does not undo the write, so it is no error here: the index catches up at
        the next sync."""
        try:
            with self._lock:
                self._catch_up()
                self._checkpoint_after_write()
        except StoreUnavailable as exc:
            log.warning("a write committed, then the store went away before this index caught up (%s); "
                        "it catches up when the store is back", exc)

    def add_paths(self, paths: list[str | Path], chunk: int = 100, columns: importers.Columns | None = None,
                  on_problem=None, on_progress=None) -> list[tuple[str, int]]:
        """Index article files and exports (``importers``), ``chunk`` documents per transaction.
        What cannot be read goes to ``on_problem`` (default: a logged warning) and the rest is
        indexed; ``on_progress(n)`` hears of every ``n`` sources' documents done."""
        done: list[tuple[str, int]] = []
        batch: list[Document] = []
        seen = 0  # sources' documents (and problems) since the last progress report
        for item in importers.read(paths, columns):
            seen += 1
            if isinstance(item, importers.Problem):
                (on_problem or (lambda p: log.warning("not indexed: %s", p)))(item)
                continue
            batch.append(item)
            if len(batch) >= chunk:
                done += self.add(batch)
                batch = []
                if on_progress:
                    on_progress(seen)
                seen = 0
        if batch:
            done += self.add(batch)
        if on_progress and seen:
            on_progress(seen)
        self.checkpoint()
        return done

    def seed_if_empty(self) -> int:
        """Index the seed articles when the store holds no document; returns how many were added."""
        if not self.settings.store.seed_dir:  # FACTLINT_STORE_SEED_DIR="": no seeding
            return 0
        seed_dir = Path(self.settings.store.seed_dir)
        if not seed_dir.is_absolute() and not seed_dir.is_dir():
            seed_dir = PROJECT_DIR / seed_dir
        if self.store.count_documents() or not seed_dir.is_dir():
            return 0
        log.info("empty data directory: indexing the seed articles from %s", seed_dir)
        return len(self.add_paths([seed_dir]))

    # --- replicas ---------------------------------------------------------------------------
    def follow(self, stop: threading.Event, on_sync: Callable[[list[float]], None] | None = None,
               poll: float = 5.0) -> None:
        """Keep the index caught up between requests until ``stop`` is set: woken by the store's
        notifications (PostgreSQL LISTEN/NOTIFY), and every ``poll`` seconds anyway, since the
        change log, not the notification, is the truth. A store that goes away is retried every
        second; once it is back the index catches up with whatever was committed meanwhile."""
        down = False
        while not stop.is_set():
            try:
                self.store.wait_for_change(poll)
                applied = self.sync()
            except StoreUnavailable as exc:
                if not down:
                    log.warning("store unavailable, retrying every second: %s", exc)
                down = True
                stop.wait(1.0)
                continue
            if down:
                log.info("store reachable again: index at change %d", self.seq)
                down = False
            if on_sync is not None:
                on_sync(applied)


def embed_documents(embedder: Embedder, docs: list[Document]) -> list[tuple[Document, list, np.ndarray]]:
    """Documents split into sentences and embedded, as the store's ``upsert_many`` takes them: one
    encoder call for all of them (full, length-sorted batches instead of one per document)."""
    split = [(doc, split_sentences(doc)) for doc in docs]
    vectors = embedder.encode([s.text for _, sentences in split for s in sentences])
    items, at = [], 0
    for doc, sentences in split:
        items.append((doc, sentences, vectors[at:at + len(sentences)]))
        at += len(sentences)
    return items
