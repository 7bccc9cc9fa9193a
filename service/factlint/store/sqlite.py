"""The embedded store: one SQLite file (WAL, synchronous=FULL) in the data directory.

Writers are serialised by SQLite itself (BEGIN IMMEDIATE), so change sequence numbers
(AUTOINCREMENT) follow commit order. A file of schema version 1 (vectors inside the sentence rows,
maybe without the url column) is upgraded in place, in one transaction, when it is opened.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..models import Sentence
from .base import Store

log = logging.getLogger("factlint")

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
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id);
-- float32 vectors as raw bytes, apart from the sentence text: rows the checker reads stay small
CREATE TABLE IF NOT EXISTS vectors (
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
    vector BLOB NOT NULL
);
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
)
"""


class SQLiteStore(Store):
    kind = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._write() as db:
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                self._check_version(db, str(self.path))  # a file of a newer factlint is refused untouched
            upgraded = self._upgrade(db)
            for statement in SCHEMA.split(";\n"):
                db.execute(statement)
            self._check_version(db, str(self.path))
        if upgraded:
            self._vacuum()

    def _conn(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    @staticmethod
    def _upgrade(db) -> bool:
        """Bring a version-1 file to the current layout: url column, vectors in their own table.
        True when rows moved (then the file is worth compacting)."""
        def columns(table: str) -> set[str]:
            return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}

        if "url" not in columns("documents") and columns("documents"):
            db.execute("ALTER TABLE documents ADD COLUMN url TEXT NOT NULL DEFAULT ''")
        if "vector" not in columns("sentences"):
            return False
        log.info("upgrading the store to schema version 2: vectors move to a table of their own")
        db.execute("CREATE TABLE vectors (sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) "
                   "ON DELETE CASCADE, vector BLOB NOT NULL)")
        db.execute("INSERT INTO vectors (sentence_id, vector) SELECT id, vector FROM sentences")
        db.execute("ALTER TABLE sentences DROP COLUMN vector")
        return True

    def _vacuum(self) -> None:
        """Rewrite the file compactly after the upgrade (best effort: another process may hold it)."""
        try:
            self._conn().execute("VACUUM")
        except sqlite3.OperationalError as exc:
            log.warning("could not compact %s after the upgrade (%s); it works as it is", self.path, exc)

    @contextmanager
    def _session(self):
        yield self._conn()

    @contextmanager
    def _transaction(self, begin: str):
        db = self._conn()
        db.execute(begin)
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _write(self):
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self):
        return self._transaction("BEGIN")

    def _head(self, db) -> int:
        row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
        return int(row[0]) if row else 0

    def _lock_document(self, db, doc_id: str) -> None:
        pass  # BEGIN IMMEDIATE already holds the whole file for writing

    def _insert_sentences(self, db, doc_id: str, sentences: list[Sentence], vectors: np.ndarray) -> list[int]:
        db.executemany('INSERT INTO sentences (doc_id, idx, start, "end", text) VALUES (?,?,?,?,?)',
                       [(doc_id, s.index, s.start, s.end, s.text) for s in sentences])
        ids = [r[0] for r in db.execute("SELECT id FROM sentences WHERE doc_id = ? ORDER BY idx", (doc_id,))]
        db.executemany("INSERT INTO vectors (sentence_id, vector) VALUES (?,?)",
                       [(i, v.tobytes()) for i, v in zip(ids, vectors)])
        return ids

    def _log(self, db, doc_id: str, op: str, removed: list[int], added: list[int], at: float) -> int:
        return db.execute("INSERT INTO changes (doc_id, op, removed, added, at) VALUES (?,?,?,?,?)",
                          (doc_id, op, json.dumps(removed), json.dumps(added), at)).lastrowid

    def _ids_in(self, ids):
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            yield "{col} IN (" + ",".join("?" * len(chunk)) + ")", chunk

    @staticmethod
    def _decode_ids(value) -> list[int]:
        return json.loads(value)

    def describe(self) -> dict:
        return {"backend": self.kind, "path": str(self.path)}

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
