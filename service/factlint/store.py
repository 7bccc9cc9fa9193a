"""Store: SQLite (WAL) is the source of truth for documents, sentences and their vectors."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .models import Document, Sentence

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    published TEXT,
    source TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    added REAL NOT NULL,
    url TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The change log: one row per document written or deleted, in commit order. Every process keeps
-- its FAISS index in step by applying the rows after the last one it has seen (Workspace.sync).
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    removed TEXT NOT NULL,  -- JSON list of the sentence ids that left the store
    added TEXT NOT NULL,    -- JSON list of the sentence ids that entered it
    at REAL NOT NULL        -- commit time (unix seconds)
);
"""

# Change rows kept; a process further behind than this rebuilds its index from the store.
CHANGES_KEPT = 20_000
PRUNE_EVERY = 1_000  # prune when the sequence number is a multiple of this


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document's metadata (no text)."""

    id: str
    title: str
    published: str | None
    source: str
    sentences: int
    added: float
    url: str = ""


@dataclass(frozen=True)
class Delta:
    """What changed in the store after change ``since``, up to ``head``, read in one snapshot.

    ``removed`` are sentence ids to drop from an index; ``ids``/``vectors`` the sentences to add
    (those still stored). ``complete`` is False when the log no longer reaches back to ``since``
    (pruned, or the store was replaced): then only a rebuild is right. ``count`` is the number of
    sentences in the store at ``head``; ``times`` the commit times of the changes."""

    since: int
    head: int
    removed: np.ndarray
    ids: np.ndarray
    vectors: np.ndarray
    count: int
    times: list[float]
    complete: bool


class Store:
    """Documents and sentences in one SQLite file. Safe to share between threads of one process."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as db:
            db.executescript(SCHEMA)
            columns = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
            if "url" not in columns:  # a store written before articles had a URL
                db.execute("ALTER TABLE documents ADD COLUMN url TEXT NOT NULL DEFAULT ''")

    def _conn(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    # --- writes -------------------------------------------------------------------------------
    def upsert(self, doc: Document, sentences: list[Sentence], vectors: np.ndarray) -> tuple[list[int], list[int]]:
        """Replace a document and its sentences in one transaction: (removed ids, new ids)."""
        (removed, added), = self.upsert_many([(doc, sentences, vectors)])[1]
        return removed, added

    def upsert_many(self, items: list[tuple[Document, list[Sentence], np.ndarray]]
                    ) -> tuple[int, list[tuple[list[int], list[int]]]]:
        """Replace documents (and their sentences) in ONE transaction, logging each change.
        Returns the change sequence number after the commit and (removed ids, new ids) per item."""
        for _, sentences, vectors in items:
            if len(sentences) != len(vectors):
                raise ValueError("one vector per sentence")
        out = []
        with self._write() as db:
            now = time.time()
            for doc, sentences, vectors in items:
                removed = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ?", (doc.id,))]
                db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc.id,))
                db.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
                db.execute("INSERT INTO documents (id, title, published, source, text, added, url) "
                           "VALUES (?,?,?,?,?,?,?)",
                           (doc.id, doc.title, doc.published, doc.source, doc.text, now, doc.url))
                db.executemany(
                    "INSERT INTO sentences (doc_id, idx, start, end, text, vector) VALUES (?,?,?,?,?,?)",
                    [(doc.id, s.index, s.start, s.end, s.text, np.asarray(v, dtype=np.float32).tobytes())
                     for s, v in zip(sentences, vectors)])
                added = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ? ORDER BY idx",
                                                  (doc.id,))]
                self._log(db, doc.id, "upsert", removed, added, now)
                out.append((removed, added))
            seq = self._prune(db)
        return seq, out

    def delete(self, doc_id: str) -> list[int] | None:
        """Delete a document; its sentence ids, or None when there was no such document."""
        removed, _ = self.delete_logged(doc_id)
        return removed

    def delete_logged(self, doc_id: str) -> tuple[list[int] | None, int]:
        """Delete a document, logging the change: (its sentence ids or None, change sequence number)."""
        with self._write() as db:
            removed = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ?", (doc_id,))]
            db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
            n = db.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
            if n:
                self._log(db, doc_id, "delete", removed, [], time.time())
            seq = self._head(db)
        return (removed if n else None), seq

    def _write(self):
        return _Transaction(self._conn(), "BEGIN IMMEDIATE")

    @staticmethod
    def _log(db, doc_id: str, op: str, removed: list[int], added: list[int], at: float) -> None:
        db.execute("INSERT INTO changes (doc_id, op, removed, added, at) VALUES (?,?,?,?,?)",
                   (doc_id, op, json.dumps(removed), json.dumps(added), at))

    def _prune(self, db) -> int:
        """Drop change rows beyond the newest CHANGES_KEPT; returns the newest sequence number."""
        head = self._head(db)
        if head > CHANGES_KEPT and head % PRUNE_EVERY == 0:  # now and then is enough
            db.execute("DELETE FROM changes WHERE seq <= ?", (head - CHANGES_KEPT,))
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('pruned_through', ?)",
                       (str(head - CHANGES_KEPT),))
        return head

    @staticmethod
    def _head(db) -> int:
        row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
        return int(row[0]) if row else 0

    # --- the change log -----------------------------------------------------------------------
    def head(self) -> int:
        """The sequence number of the newest change (0 for none): cheap, asked before every answer."""
        return self._head(self._conn())

    def delta(self, since: int, dim: int) -> Delta:
        """The changes after ``since`` with the vectors to add, read in one consistent snapshot."""
        with _Transaction(self._conn(), "BEGIN") as db:
            head = self._head(db)
            pruned = db.execute("SELECT value FROM meta WHERE key = 'pruned_through'").fetchone()
            complete = since <= head and since >= (int(pruned[0]) if pruned else 0)
            removed: set[int] = set()
            added: set[int] = set()
            times = []
            for rem, add, at in db.execute("SELECT removed, added, at FROM changes WHERE seq > ? ORDER BY seq",
                                           (since,)):
                removed.update(json.loads(rem))
                added.update(json.loads(add))
                times.append(at)
            ids, vecs = self._vectors(db, sorted(added), dim)
            count = db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        return Delta(since, head, np.asarray(sorted(removed), dtype=np.int64), ids, vecs, count, times, complete)

    @staticmethod
    def _vectors(db, wanted: list[int], dim: int) -> tuple[np.ndarray, np.ndarray]:
        ids, vecs = [], []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for sid, blob in db.execute(f"SELECT id, vector FROM sentences WHERE id IN ({marks}) ORDER BY id", chunk):
                ids.append(sid)
                vecs.append(np.frombuffer(blob, dtype=np.float32))
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
        return np.asarray(ids, dtype=np.int64), np.vstack(vecs)

    # --- reads --------------------------------------------------------------------------------
    def count_documents(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def state(self) -> tuple[int, int]:
        """(sentence count, highest sentence id): what an index built from the store must match."""
        n, top = self._conn().execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM sentences").fetchone()
        return n, top

    def document(self, doc_id: str) -> Document | None:
        row = self._conn().execute("SELECT id, title, text, published, source, url FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
        return Document(*row) if row else None

    def documents(self) -> list[Document]:
        rows = self._conn().execute("SELECT id, title, text, published, source, url FROM documents ORDER BY id")
        return [Document(*r) for r in rows]

    def vectors(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors), for building an index."""
        ids, vecs, _ = self.snapshot(dim)
        return ids, vecs

    def snapshot(self, dim: int) -> tuple[np.ndarray, np.ndarray, int]:
        """All (ids, vectors) and the change sequence number they reflect, read in one snapshot."""
        with _Transaction(self._conn(), "BEGIN") as db:
            ids, vecs = [], []
            for sid, blob in db.execute("SELECT id, vector FROM sentences ORDER BY id"):
                ids.append(sid)
                vecs.append(np.frombuffer(blob, dtype=np.float32))
            head = self._head(db)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32), head
        return np.asarray(ids, dtype=np.int64), np.vstack(vecs), head

    def list_documents(self, limit: int, after: str | None = None) -> list[DocumentInfo]:
        """One page of documents in id order, starting after the id ``after`` (keyset paging)."""
        rows = self._conn().execute(
            "SELECT d.id, d.title, d.published, d.source, "
            "(SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id), d.added, d.url "
            "FROM documents d WHERE d.id > ? ORDER BY d.id LIMIT ?", (after or "", limit))
        return [DocumentInfo(*r) for r in rows]

    def document_info(self, doc_id: str) -> DocumentInfo | None:
        row = self._conn().execute(
            "SELECT d.id, d.title, d.published, d.source, "
            "(SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id), d.added, d.url "
            "FROM documents d WHERE d.id = ?", (doc_id,)).fetchone()
        return DocumentInfo(*row) if row else None

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are stored documents."""
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._conn().execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
        return found

    def document_sentences(self, doc_id: str) -> list[Sentence]:
        rows = self._conn().execute("SELECT doc_id, idx, start, end, text FROM sentences WHERE doc_id = ? "
                                    "ORDER BY idx", (doc_id,))
        return [Sentence(*r) for r in rows]

    def sentences_by_id(self, ids: list[int]) -> dict[int, tuple[Sentence, Document]]:
        """Sentences with their documents (without the document text), keyed by sentence id."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            f"SELECT s.id, s.doc_id, s.idx, s.start, s.end, s.text, d.title, d.published, d.source, d.url "
            f"FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE s.id IN ({marks})", ids)
        return {r[0]: (Sentence(r[1], r[2], r[3], r[4], r[5]), Document(r[1], r[6], "", r[7], r[8], r[9]))
                for r in rows}


class _Transaction:
    """``with`` a transaction on a connection in autocommit mode: COMMIT on success, else ROLLBACK."""

    def __init__(self, db: sqlite3.Connection, begin: str):
        self.db, self.begin = db, begin

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute(self.begin)
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
