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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from .config import PROJECT_DIR, Settings
from . import importers
from .embeddings import Embedder
from .index import FlatIndex, VectorIndex, index_class_for, load_index, new_index, rebuild_reason
from .index.base import BUILD_THREADS, limited_threads, remove_temp_files
from .models import Document
from .sentences import split_sentences
from .store import DB_FILE, Delta, Store, StoreUnavailable, open_store

log = logging.getLogger("factlint")

INDEX_FILE = "index.faiss"
LOCK_FILE = "index.lock"
BUILD_LOCK_FILE = "index.build.lock"  # held by the one process of a data directory that builds
CHECKPOINT_RETRY = 30.0  # seconds before a checkpoint or rebuild that failed is tried again


class Added(NamedTuple):
    """A document written by ``Workspace.add``: its id, its sentence count, and whether the id was
    new (decided inside the write transaction)."""

    id: str
    sentences: int
    created: bool


@dataclass
class Rebuild:
    """A rebuild in progress: the kind being built, why, since when (epoch seconds), and whether
    this process waits for another process of its data directory to build it."""

    kind: str
    reason: str
    since: float
    waiting: bool = False


class Workspace:
    """One process's view of a data directory and its store.

    The store is the truth; ``index`` is this process's FAISS copy of it, at change ``seq`` of the
    store's change log. Any number of processes may open the same store (the same directory, or
    one PostgreSQL from many machines): each write is logged, and ``sync()`` applies the changes
    other processes made (an incremental catch-up, not a reload). The index file in the data
    directory is a checkpoint: at start-up it is loaded and caught up; when it is missing, damaged,
    belongs to another store or cannot be caught up, the store's vectors are read into an exact
    (flat) index, which answers at once.

    The index's upkeep is one mechanism, ``_maintain``, run after start-up, writes and catch-ups:
    when the index wants a rebuild (``index.rebuild_reason``: the settings choose another kind for
    its size, IVF cells trained on far fewer sentences, an HNSW graph a tenth deleted, the exact
    index of a cold start) a new one is built from a snapshot of the store, written as the
    checkpoint, caught up from the change log and swapped in under the lock; a large index's
    checkpoint is rewritten every ``checkpoint_every`` changes. With ``background`` (the server)
    that work runs in a thread of its own, the old index answering meanwhile, and only one process
    per data directory builds (a file lock): the others load its checkpoint when it is written.
    Without (the CLI, the Python API) it runs in the calling thread.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: Store | None = None,
                 background: bool = False):
        self.settings = settings
        self.dir = Path(settings.store.data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.store = store or open_store(settings)
        self.store_id = self.store.id
        self.truth = DB_FILE if self.store.kind == "sqlite" else self.store.describe().get("url", self.store.kind)
        self.embedder = embedder or Embedder.from_settings(settings.model, self.dir)
        self.background = background
        self._lock = threading.RLock()  # the index and seq: held to search, to change, and to swap
        self._job: threading.Thread | None = None  # the background job thread, while it runs
        self.rebuild: Rebuild | None = None  # the rebuild in progress
        self.timings: dict[str, float | str] = {}  # the last rebuild's parts, in seconds
        self._snapshot: tuple[np.ndarray, np.ndarray, int] | None = None  # read at start, for the first build
        self._written = -1  # the newest checkpoint's change, as this process last saw it
        self._checkpoint_sha = ""  # the checkpoint this process last loaded or wrote
        self._unusable_sha = ""  # a checkpoint found damaged or stale: its metadata is not believed
        self._checkpoint_failed_at: float | None = None  # a checkpoint write failed: retried later
        self._rebuild_failed_at: float | None = None  # a rebuild failed: retried later
        self.index, self.seq = self._load_index()
        self._maintain()

    # --- the index file -----------------------------------------------------------------------
    @property
    def index_path(self) -> Path:
        return self.dir / INDEX_FILE

    @contextmanager
    def _file_lock(self):
        """Serialise index-file reads and writes between processes and threads (an flock on a
        descriptor of its own each time: never taken twice by one thread)."""
        with open(self.dir / LOCK_FILE, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextmanager
    def _build_lock(self):
        """One builder per data directory: taken at once, or waited for while another process
        builds (then its checkpoint is what this one loads)."""
        with open(self.dir / BUILD_LOCK_FILE, "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._snapshot = None  # its checkpoint will be loaded instead: free the vectors
                if self.rebuild is not None:
                    self.rebuild.waiting = True
                log.info("another process is building the index of %s: waiting for its checkpoint", self.dir)
                fcntl.flock(fh, fcntl.LOCK_EX)
                if self.rebuild is not None:
                    self.rebuild.waiting = False
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_checkpoint(self, mmap: bool) -> tuple[VectorIndex, int] | None:
        """The index file and its change, or None (logged) when it is missing or unusable. Call it
        holding ``_file_lock``."""
        if not self.index_path.exists():
            log.info("no index file in %s: building it from %s", self.dir, self.truth)
            return None
        try:
            index, meta = load_index(self.index_path, mmap=mmap)
            if meta.get("model") != self.settings.model.name or index.dim != self.embedder.dim:
                raise ValueError(f"it was built with model {meta.get('model')!r}, dim {index.dim}")
            if not isinstance(meta.get("seq"), int) or len(index) != meta.get("count"):
                raise ValueError("its metadata does not match it")
            if meta.get("store", self.store_id) != self.store_id:
                raise ValueError(f"it was built from another store ({meta.get('store')})")
        except Exception as exc:  # a damaged or foreign file: the store is the truth
            log.warning("index file %s is damaged or unusable (%s): rebuilding it from %s",
                        self.index_path, exc, self.truth)
            self._unusable_sha = self._file_meta().get("sha256", "")
            return None
        self._written, self._checkpoint_sha = meta["seq"], meta.get("sha256", "")
        return index, meta["seq"]

    def _file_meta(self) -> dict:
        """The checkpoint's metadata ({} when there is none, or it is of another model or a file
        found unusable)."""
        try:
            meta = json.loads(self.index_path.with_suffix(".json").read_text())
        except (OSError, ValueError):
            return {}
        if meta.get("model") != self.settings.model.name or meta.get("sha256", "") == self._unusable_sha != "":
            return {}
        return meta

    def _save(self, index: VectorIndex, seq: int, replace: bool = False) -> bool:
        """Write ``index`` (at change ``seq``) as the checkpoint unless the file is already at
        least as new (a rebuilt index ``replace``s it whatever its change). The store holds every
        write whatever happens here, so a failure (a full disk) is logged and the checkpoint
        retried later (the next write, or a sync once CHECKPOINT_RETRY seconds have passed), never
        reported as a write's failure: until then a process that opens the index catches up from
        the change log."""
        try:
            with self._file_lock():
                self._written = self._file_meta().get("seq", -1)
                if self._written >= seq and not replace:
                    return True
                meta = index.save(self.index_path, {"seq": seq, "count": len(index),
                                                    "model": self.settings.model.name, "store": self.store_id})
                self._written, self._checkpoint_sha = seq, meta["sha256"]
        except Exception as exc:  # OSError, or FAISS's RuntimeError "write error ... No space left on device"
            log.warning("index checkpoint %s not written (%s); the write is committed to %s and the "
                        "checkpoint will be retried", self.index_path, exc, self.truth)
            self._checkpoint_failed_at = time.monotonic()
            return False
        if self._checkpoint_failed_at is not None:
            log.info("index checkpoint %s written again", self.index_path)
        self._checkpoint_failed_at = None
        return True

    # --- loading and catching up ----------------------------------------------------------------
    def _load_index(self) -> tuple[VectorIndex, int]:
        """The checkpoint, caught up with the change log; else the store's vectors read into an
        exact (flat) index: the configured kind when the settings choose flat for this size,
        otherwise an interim one that answers (exactly, slower per query) until ``_maintain``
        has built the configured kind. Temp files of a checkpoint whose writer died are removed
        first (no writer holds the file lock now)."""
        with self._file_lock():
            stale = remove_temp_files(self.index_path)
            if stale:
                log.info("removed %d temp file(s) of an interrupted index write: %s", len(stale),
                         ", ".join(t.name for t in stale))
            loaded = self._read_checkpoint(mmap=self.settings.index.mmap)
        if loaded is not None:
            index, seq = loaded
            head = self._caught_up(index, seq, f"index file {self.index_path}")
            if head is not None:
                return index, head
            self._unusable_sha, self._written = self._checkpoint_sha, -1
        conf = self.settings.index
        t0 = time.perf_counter()
        ids, vecs, head = self.store.snapshot(self.embedder.dim)
        want = index_class_for(conf, len(ids))
        index = new_index(conf, self.embedder.dim, len(ids)) if want is FlatIndex else FlatIndex(self.embedder.dim)
        index.add(ids, vecs)
        self.timings = {"read": time.perf_counter() - t0}
        if want is FlatIndex:
            log.info("index rebuilt from %s: %d sentences at change %d", self.truth, len(index), head)
        else:
            self._snapshot = (ids, vecs, head)  # the build starts from these, not from a second read
            log.info("index read from %s into an exact (flat) index: %d sentences at change %d, answering "
                     "until the %s index is built", self.truth, len(index), head, want.kind)
        return index, head

    def _caught_up(self, index: VectorIndex, seq: int, what: str) -> int | None:
        """Apply the changes after ``seq`` to ``index`` (one this thread owns, or one it holds
        ``_lock`` for); the change reached, or None (logged) when the log no longer reaches back or
        the result does not match the store."""
        delta = self.store.delta(seq, self.embedder.dim)
        if not delta.complete:
            log.warning("%s is stale (change %d; the store %s is at %d and its log no longer reaches back)",
                        what, seq, self.truth, delta.head)
            return None
        if delta.head != seq:
            log.info("%s is %d changes behind the store: catching up", what, delta.head - seq)
        return delta.head if _apply(index, delta) else None

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Search the index, never while another thread of this process changes it (a FAISS index
        searched during an add or remove can answer -1 for a hit: gthread workers run several
        requests at once, and the report builds in a thread of its own). A rebuild holds the lock
        only for its swap."""
        with self._lock:
            return self.index.search(vectors, k)

    def sync(self) -> list[float]:
        """Catch the index up with changes any process committed since the last call (cheap when
        there are none: one read of the store). Returns the commit times of the changes applied. A
        checkpoint or rebuild that failed is retried here once CHECKPOINT_RETRY seconds have passed."""
        applied = []
        if self.store.head() != self.seq:
            with self._lock:
                applied = self._catch_up()
        if applied or self._checkpoint_failed_at is not None or self._rebuild_failed_at is not None:
            self._maintain()
        return applied

    def _catch_up(self) -> list[float]:
        """Apply the change log to the served index (holding ``_lock``). A log that no longer
        reaches back (a process more than store.CHANGES_KEPT changes behind) is no build either:
        the index is loaded again as at start-up, from the newest checkpoint or the store."""
        delta = self.store.delta(self.seq, self.embedder.dim)
        if delta.head == self.seq:
            return []
        if not delta.complete:
            log.warning("the change log no longer reaches back to change %d: loading the index again", self.seq)
        if not delta.complete or not _apply(self.index, delta):
            self.index, self.seq = self._load_index()
        else:
            self.seq = delta.head
        return delta.times

    def checkpoint(self) -> None:
        """The end of a bulk load: in the calling thread, rebuild the index if it wants it, then
        write the index file unless one at least as new is there."""
        self._run_jobs(force=True)

    def wait_for_background(self, timeout: float | None = None) -> bool:
        """Wait for the background job (a rebuild, a checkpoint write) to end; True when none runs."""
        job = self._job
        if job is not None:
            job.join(timeout)
        return job is None or not job.is_alive()

    # --- upkeep: rebuilds and checkpoints ---------------------------------------------------------
    def _maintain(self, write: bool = False) -> None:
        """Start what the index wants now (``_next_job``): in the calling thread, or, in a
        workspace opened with ``background``, in the background thread (one at a time; it looks
        again when its job is done), except a small index's checkpoint, written here as it is
        (cheap). After a ``write`` a checkpoint is tried even when the last attempt failed."""
        if not self.background:
            self._run_jobs(retry=write)
            return
        with self._lock:
            if self._job is not None:
                return
            job = self._next_job(retry=write)
            if job is None:
                return
            if job[0] == "checkpoint" and len(self.index) < self.settings.index.auto_threshold:
                self._do(job, here=True)
                return
            self._job = threading.Thread(target=self._background, args=(job,), name="factlint-index", daemon=True)
            self._job.start()

    def _background(self, job: tuple[str, str]) -> None:
        while True:
            self._do(job, here=False)
            with self._lock:
                job = self._next_job()
                if job is None:
                    self._job = None
                    return

    def _run_jobs(self, force: bool = False, retry: bool = False) -> None:
        while (job := self._next_job(force=force, retry=retry)) is not None:
            self._do(job, here=True)
            force = retry = False

    def _next_job(self, force: bool = False, retry: bool = False) -> tuple[str, str] | None:
        """("rebuild", why) when the index wants one (announced in ``rebuild`` from then on),
        ("checkpoint", "") when a checkpoint is due (``force``: unless the file is as new), else
        None. A job that failed waits CHECKPOINT_RETRY seconds (a checkpoint after a write,
        ``retry``, does not)."""
        if self.rebuild is not None:
            return None
        reason = rebuild_reason(self.index, self.settings.index)
        if reason and not _recent(self._rebuild_failed_at):
            kind = index_class_for(self.settings.index, len(self.index), self.index.kind).kind
            self.rebuild = Rebuild(kind, reason, time.time())
            return "rebuild", reason
        if self._checkpoint_due(force, retry):
            return "checkpoint", ""
        return None

    def _checkpoint_due(self, force: bool = False, retry: bool = False) -> bool:
        """Whether the served index should be written: when the file is older, and for a large
        index (``[index] auto_threshold`` sentences or more) only once it is ``checkpoint_every``
        changes behind, or when ``force``d."""
        conf = self.settings.index
        if self.rebuild is not None or self._written >= self.seq or (not retry and _recent(self._checkpoint_failed_at)):
            return False
        large = len(self.index) >= conf.auto_threshold
        if large and not force and self._written >= 0 and self.seq - self._written < conf.checkpoint_every:
            return False
        self._written = self._file_meta().get("seq", -1)  # another process may have written it
        return self._written < self.seq and (force or not large or self._written < 0
                                             or self.seq - self._written >= conf.checkpoint_every)

    def _do(self, job: tuple[str, str], here: bool) -> None:
        what, reason = job
        try:
            if what == "rebuild":
                self._rebuild(reason)
            elif here:
                with self._lock:  # nothing else to do in this thread meanwhile
                    self._save(self.index, self.seq)
            else:
                self._checkpoint_copy()
        except Exception as exc:  # the store went away, memory ran out: the served index stays
            log.warning("index %s failed (%s); the %s index keeps answering and it is retried in %.0f s",
                        what, exc, self.index.kind, CHECKPOINT_RETRY)
            if what == "rebuild":
                self._rebuild_failed_at = time.monotonic()
            else:
                self._checkpoint_failed_at = time.monotonic()

    def _rebuild(self, reason: str) -> None:
        """Build the kind the settings choose from a snapshot of the store at change S (or load the
        checkpoint another process of this data directory just built), catch it up from S, write
        it as the checkpoint, then swap it in under the lock, applying what was committed since:
        no write made meanwhile is lost, and deletes meanwhile are excluded. The lock is not held
        while building, so the old index answers meanwhile."""
        if self.rebuild is None:  # a rebuild asked for by a checkpoint without a usable file
            self.rebuild = Rebuild(self.index.kind, reason, time.time())
        kind = self.rebuild.kind
        log.info("index: building a %s index (%s)%s", kind, reason,
                 f"; the {self.index.kind} index answers meanwhile" if self.background else "")
        t0 = time.perf_counter()
        try:
            with self._build_lock():
                fresh = self._fresh_checkpoint(kind)
                if fresh is not None:
                    index, seq = fresh
                    self.timings = {"kind": kind, "loaded": time.perf_counter() - t0}
                else:
                    index, seq = self._build(kind)
                    t1 = time.perf_counter()
                    seq = self._caught_up(index, seq, f"the new {kind} index")
                    if seq is None:
                        raise RuntimeError("the change log moved past the new index while it was built")
                    t2 = time.perf_counter()
                    self._save(index, seq, replace=True)
                    self.timings.update(catch_up=t2 - t1, save=time.perf_counter() - t2)
            with self._lock:
                head = self._caught_up(index, seq, f"the new {kind} index")
                if head is None:
                    raise RuntimeError("the change log moved past the new index before it was swapped in")
                self.index, self.seq = index, head
            self.timings["total"] = time.perf_counter() - t0
            self._rebuild_failed_at = None
            log.info("index: the %s index answers now (%d sentences at change %d; %s)", kind, len(index), head,
                     ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items() if isinstance(v, float)))
        finally:
            self.rebuild = None

    def _build(self, kind: str) -> tuple[VectorIndex, int]:
        """A new ``kind`` index from the store's vectors (those read at start-up, when there are)
        on BUILD_THREADS FAISS threads: adding, training, calibrating."""
        t0 = time.perf_counter()
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is None:
            snapshot = self.store.snapshot(self.embedder.dim)
            self.timings = {"kind": kind, "read": time.perf_counter() - t0}
        else:  # read at start-up (for the interim index)
            self.timings = {"kind": kind, "read": self.timings.get("read", 0.0)}
        ids, vecs, seq = snapshot
        del snapshot
        t1 = time.perf_counter()
        index = new_index(self.settings.index, self.embedder.dim, len(ids), serving=kind)
        with limited_threads(BUILD_THREADS):
            index.add(ids, vecs)
        self.timings["build"] = time.perf_counter() - t1
        return index, seq

    def _fresh_checkpoint(self, kind: str) -> tuple[VectorIndex, int] | None:
        """The checkpoint another process wrote since this one last looked, when it is of ``kind``
        and wants no rebuild itself: loaded and caught up. Else None."""
        meta = self._file_meta()
        if not meta or meta.get("sha256") == self._checkpoint_sha or meta.get("kind") != kind:
            return None
        with self._file_lock():
            loaded = self._read_checkpoint(mmap=self.settings.index.mmap)
        if loaded is None or rebuild_reason(loaded[0], self.settings.index):
            return None
        head = self._caught_up(*loaded, f"index file {self.index_path}")
        return (loaded[0], head) if head is not None else None

    def _checkpoint_copy(self) -> None:
        """A large index's checkpoint, written without touching the served index (requests keep
        changing and searching it): the last checkpoint, caught up from the change log, saved.
        Without a usable checkpoint to start from, a rebuild writes one."""
        with self._file_lock():
            loaded = self._read_checkpoint(mmap=False)
        head = self._caught_up(*loaded, f"index file {self.index_path}") if loaded is not None else None
        if head is None:
            self._rebuild("no usable checkpoint to bring up to date")
        else:
            self._save(loaded[0], head)

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
            self._maintain(write=True)
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


def _apply(index: VectorIndex, delta: Delta) -> bool:
    """Apply a change-log delta to ``index``; False (logged) when the result does not match the
    store, which calls for loading it again."""
    # Removing the added ids first makes applying a delta twice harmless.
    index.remove(np.union1d(delta.removed, delta.ids).astype(np.int64))
    index.add(delta.ids, delta.vectors)
    if len(index) != delta.count:
        log.warning("index holds %d sentences after catching up to change %d, the store %d: rebuilding",
                    len(index), delta.head, delta.count)
        return False
    return True


def _recent(failed_at: float | None) -> bool:
    """Whether a job that failed at ``failed_at`` (monotonic) waits before it is tried again."""
    return failed_at is not None and time.monotonic() - failed_at <= CHECKPOINT_RETRY


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
