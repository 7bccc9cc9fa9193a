"""Store: SQLite (WAL) is the source of truth for documents, sentences and their vectors."""
from __future__ import annotations

import sqlite3
import threading
import time
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
    added REAL NOT NULL
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
"""


class Store:
    """Documents and sentences in one SQLite file. Safe to share between threads of one process."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as db:
            db.executescript(SCHEMA)

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
        if len(sentences) != len(vectors):
            raise ValueError("one vector per sentence")
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            removed = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ?", (doc.id,))]
            db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc.id,))
            db.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
            db.execute("INSERT INTO documents (id, title, published, source, text, added) VALUES (?,?,?,?,?,?)",
                       (doc.id, doc.title, doc.published, doc.source, doc.text, time.time()))
            db.executemany(
                "INSERT INTO sentences (doc_id, idx, start, end, text, vector) VALUES (?,?,?,?,?,?)",
                [(doc.id, s.index, s.start, s.end, s.text, np.asarray(v, dtype=np.float32).tobytes())
                 for s, v in zip(sentences, vectors)])
            added = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ? ORDER BY idx", (doc.id,))]
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return removed, added

    def delete(self, doc_id: str) -> list[int] | None:
        """Delete a document; its sentence ids, or None when there was no such document."""
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            removed = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ?", (doc_id,))]
            db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
            n = db.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return removed if n else None

    # --- reads --------------------------------------------------------------------------------
    def count_documents(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def state(self) -> tuple[int, int]:
        """(sentence count, highest sentence id): what an index built from the store must match."""
        n, top = self._conn().execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM sentences").fetchone()
        return n, top

    def document(self, doc_id: str) -> Document | None:
        row = self._conn().execute("SELECT id, title, text, published, source FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
        return Document(*row) if row else None

    def documents(self) -> list[Document]:
        rows = self._conn().execute("SELECT id, title, text, published, source FROM documents ORDER BY id")
        return [Document(*r) for r in rows]

    def vectors(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors), for building an index."""
        ids, vecs = [], []
        for sid, blob in self._conn().execute("SELECT id, vector FROM sentences ORDER BY id"):
            ids.append(sid)
            vecs.append(np.frombuffer(blob, dtype=np.float32))
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
        return np.asarray(ids, dtype=np.int64), np.vstack(vecs)

    def sentences_by_id(self, ids: list[int]) -> dict[int, tuple[Sentence, Document]]:
        """Sentences with their documents (without the document text), keyed by sentence id."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._conn().execute(
            f"SELECT s.id, s.doc_id, s.idx, s.start, s.end, s.text, d.title, d.published, d.source "
            f"FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE s.id IN ({marks})", ids)
        return {r[0]: (Sentence(r[1], r[2], r[3], r[4], r[5]), Document(r[1], r[6], "", r[7], r[8]))
                for r in rows}
