"""The store interface: documents, sentences, their vectors and the change log, behind one class
per backend (sqlite.SQLiteStore, postgres.PostgresStore).

Both backends share the schema ideas and most of the SQL, which lives here: a document row; its
sentences (text and offsets only, so the evidence read path never touches a vector); one vector per
sentence in a table of its own; and the change log, one row per document written or deleted, whose
sequence numbers follow commit order. A backend supplies its connection, its transactions and the
few statements that differ (how sentence ids are allocated, how a change is logged and announced).
"""
from __future__ import annotations

import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..models import Document, Sentence

# The schema this code reads and writes. 1: the SQLite layout before vectors had their own table
# (upgraded in place); 2: vectors in their own table, documents with a url. A store of a higher
# version was written by a newer factlint: refused at start-up rather than misread.
SCHEMA_VERSION = 2

# Change rows kept; a process further behind than this rebuilds its index from the store.
CHANGES_KEPT = 20_000
PRUNE_EVERY = 1_000  # prune when the sequence number is a multiple of this


class StoreError(Exception):
    """The store cannot be used as configured (bad URL, schema too new, driver missing)."""


class StoreUnavailable(StoreError):
    """The store's server cannot be reached right now (it is down or restarting): retry later."""


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
class Written:
    """One document written by ``upsert_many``: the sentence ids it removed and added, and whether
    the id was new (decided inside the write transaction, so two concurrent creates of one id
    cannot both say ``created``)."""

    doc_id: str
    removed: list[int]
    added: list[int]
    created: bool


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


Item = tuple[Document, list[Sentence], np.ndarray]

DOC_COLUMNS = "id, title, text, published, source, url"
INFO_SELECT = ("SELECT d.id, d.title, d.published, d.source, "
               "(SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id), d.added, d.url FROM documents d ")


def no_vectors(dim: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)


def stack(ids: list[int], blobs: list[bytes], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) from stored rows; float32 vectors are stored as their raw bytes."""
    if not ids:
        return no_vectors(dim)
    return np.asarray(ids, dtype=np.int64), np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)


class Store(ABC):
    """Documents, sentences, vectors and the change log. Safe to share between the threads of one
    process (each thread has its own connection); any number of processes may open one store."""

    kind: str = ""

    #: whether ``wait_for_change`` is woken by other processes' commits (PostgreSQL's NOTIFY)
    notifies: bool = False

    # --- what a backend provides ---------------------------------------------------------------
    @abstractmethod
    def _session(self):
        """A context manager yielding this thread's connection (``execute(sql, params)`` with ``?``
        placeholders); a backend turns a lost server into StoreUnavailable here."""

    @abstractmethod
    def _write(self):
        """A context manager: one write transaction on this thread's connection."""

    @abstractmethod
    def _read(self):
        """A context manager: one read-only transaction seeing one consistent snapshot."""

    @abstractmethod
    def _head(self, db) -> int:
        """The newest change's sequence number (0 for none)."""

    @abstractmethod
    def _lock_document(self, db, doc_id: str) -> None:
        """Hold ``doc_id`` until the transaction ends, so concurrent writes of one id queue up."""

    @abstractmethod
    def _insert_sentences(self, db, doc_id: str, sentences: list[Sentence], vectors: np.ndarray) -> list[int]:
        """Insert sentences and their vectors; their new ids in sentence order."""

    @abstractmethod
    def _log(self, db, doc_id: str, op: str, removed: list[int], added: list[int], at: float) -> int:
        """Append one change row; its sequence number. Sequence numbers must follow commit order."""

    @abstractmethod
    def _ids_in(self, ids: list[int]) -> Iterator[tuple[str, list]]:
        """(SQL condition on a column named by ``{col}``, params) chunks matching ``ids``."""

    @staticmethod
    @abstractmethod
    def _decode_ids(value) -> list[int]:
        """A change row's ``removed``/``added`` column as a list of ints."""

    @abstractmethod
    def describe(self) -> dict:
        """Which store this is, for /readyz and logs (no password)."""

    def wait_for_change(self, timeout: float) -> bool:
        """Block until another process commits a change (True) or ``timeout`` passes (False).
        Backends without notifications just wait."""
        time.sleep(timeout)
        return False

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""

    # --- schema --------------------------------------------------------------------------------
    def _meta_get(self, db, key: str) -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _meta_set(db, key: str, value: str) -> None:
        db.execute("DELETE FROM meta WHERE key = ?", (key,))
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _check_version(self, db, where: str) -> None:
        """Refuse a store written by a newer factlint; give a store without an identity one."""
        version = int(self._meta_get(db, "schema_version") or 0)
        if version > SCHEMA_VERSION:
            raise StoreError(f"the store at {where} has schema version {version}; this factlint knows up to "
                             f"{SCHEMA_VERSION}: upgrade factlint")
        if version < SCHEMA_VERSION:
            self._meta_set(db, "schema_version", str(SCHEMA_VERSION))
        if self._meta_get(db, "store_id") is None:
            self._meta_set(db, "store_id", uuid.uuid4().hex)

    @property
    def id(self) -> str:
        """This store's identity (made when its schema was created): an index checkpoint built from
        another store is never mistaken for this one's."""
        with self._session() as db:
            return self._meta_get(db, "store_id") or ""

    def schema_version(self) -> int:
        with self._session() as db:
            return int(self._meta_get(db, "schema_version") or 0)

    # --- writes --------------------------------------------------------------------------------
    def upsert(self, doc: Document, sentences: list[Sentence], vectors: np.ndarray) -> tuple[list[int], list[int]]:
        """Replace a document and its sentences in one transaction: (removed ids, new ids)."""
        w, = self.upsert_many([(doc, sentences, vectors)])[1]
        return w.removed, w.added

    def upsert_many(self, items: list[Item]) -> tuple[int, list[Written]]:
        """Replace documents (and their sentences) in ONE transaction, logging each change.
        Returns the change sequence number after the commit and what was written, per item."""
        for _, sentences, vectors in items:
            if len(sentences) != len(vectors):
                raise ValueError("one vector per sentence")
        out = []
        with self._write() as db:
            for doc_id in sorted({doc.id for doc, _, _ in items}):  # one order: no deadlocks
                self._lock_document(db, doc_id)
            now = time.time()
            for doc, sentences, vectors in items:
                removed = self._delete_sentences(db, doc.id)
                existed = db.execute("DELETE FROM documents WHERE id = ?", (doc.id,)).rowcount > 0
                db.execute("INSERT INTO documents (id, title, published, source, text, added, url) "
                           "VALUES (?,?,?,?,?,?,?)",
                           (doc.id, doc.title, doc.published, doc.source, doc.text, now, doc.url))
                added = self._insert_sentences(db, doc.id, sentences, np.asarray(vectors, dtype=np.float32))
                self._log(db, doc.id, "upsert", removed, added, now)
                out.append(Written(doc.id, removed, added, created=not existed))
            seq = self._prune(db)
        return seq, out

    def delete(self, doc_id: str) -> list[int] | None:
        """Delete a document; its sentence ids, or None when there was no such document."""
        removed, _ = self.delete_logged(doc_id)
        return removed

    def delete_logged(self, doc_id: str) -> tuple[list[int] | None, int]:
        """Delete a document, logging the change: (its sentence ids or None, change sequence number)."""
        with self._write() as db:
            self._lock_document(db, doc_id)
            removed = self._delete_sentences(db, doc_id)
            n = db.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
            if n:
                self._log(db, doc_id, "delete", removed, [], time.time())
            seq = self._head(db)
        return (removed if n else None), seq

    @staticmethod
    def _delete_sentences(db, doc_id: str) -> list[int]:
        """Delete a document's sentences (their vectors go with them); their ids."""
        return sorted(r[0] for r in db.execute("DELETE FROM sentences WHERE doc_id = ? RETURNING id", (doc_id,)))

    def _prune(self, db) -> int:
        """Drop change rows beyond the newest CHANGES_KEPT; returns the newest sequence number."""
        head = self._head(db)
        if head > CHANGES_KEPT and head % PRUNE_EVERY == 0:  # now and then is enough
            db.execute("DELETE FROM changes WHERE seq <= ?", (head - CHANGES_KEPT,))
            self._meta_set(db, "pruned_through", str(head - CHANGES_KEPT))
        return head

    # --- the change log ------------------------------------------------------------------------
    def head(self) -> int:
        """The sequence number of the newest change (0 for none): cheap, asked before every answer."""
        with self._session() as db:
            return self._head(db)

    def delta(self, since: int, dim: int) -> Delta:
        """The changes after ``since`` with the vectors to add, read in one consistent snapshot."""
        with self._read() as db:
            head = self._head(db)
            pruned = int(self._meta_get(db, "pruned_through") or 0)
            complete = pruned <= since <= head
            removed: set[int] = set()
            added: set[int] = set()
            times = []
            for rem, add, at in db.execute("SELECT removed, added, at FROM changes WHERE seq > ? ORDER BY seq",
                                           (since,)).fetchall():
                removed.update(self._decode_ids(rem))
                added.update(self._decode_ids(add))
                times.append(at)
            ids, vecs = self._vectors_of(db, sorted(added), dim)
            count = db.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        return Delta(since, head, np.asarray(sorted(removed), dtype=np.int64), ids, vecs, count, times, complete)

    def _vectors_of(self, db, wanted: list[int], dim: int) -> tuple[np.ndarray, np.ndarray]:
        """The stored vectors of the sentence ids ``wanted`` (sorted), in id order."""
        ids, blobs = [], []
        for cond, params in self._ids_in(wanted):
            for sid, blob in db.execute(f"SELECT sentence_id, vector FROM vectors WHERE "
                                        f"{cond.format(col='sentence_id')} ORDER BY sentence_id", params).fetchall():
                ids.append(sid)
                blobs.append(bytes(blob))
        return stack(ids, blobs, dim)

    def pending_since(self, seq: int) -> float | None:
        """Commit time of the oldest change after ``seq`` (None when there is none): how long a
        replica at ``seq`` has been behind."""
        with self._session() as db:
            row = db.execute("SELECT MIN(at) FROM changes WHERE seq > ?", (seq,)).fetchone()
        return row[0] if row else None

    # --- reads ---------------------------------------------------------------------------------
    def count_documents(self) -> int:
        with self._session() as db:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def state(self) -> tuple[int, int]:
        """(sentence count, highest sentence id): what an index built from the store must match."""
        with self._session() as db:
            n, top = db.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM sentences").fetchone()
        return n, top

    def document(self, doc_id: str) -> Document | None:
        with self._session() as db:
            row = db.execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return Document(*row) if row else None

    def documents(self) -> list[Document]:
        with self._session() as db:
            rows = db.execute(f"SELECT {DOC_COLUMNS} FROM documents ORDER BY id").fetchall()
        return [Document(*r) for r in rows]

    def vectors(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors), for building an index."""
        ids, vecs, _ = self.snapshot(dim)
        return ids, vecs

    def snapshot(self, dim: int) -> tuple[np.ndarray, np.ndarray, int]:
        """All (ids, vectors) and the change sequence number they reflect, read in one snapshot."""
        with self._read() as db:
            ids, vecs = self._all_vectors(db, dim)
            head = self._head(db)
        return ids, vecs, head

    def _all_vectors(self, db, dim: int) -> tuple[np.ndarray, np.ndarray]:
        ids, blobs = [], []
        for sid, blob in db.execute("SELECT sentence_id, vector FROM vectors ORDER BY sentence_id").fetchall():
            ids.append(sid)
            blobs.append(bytes(blob))
        return stack(ids, blobs, dim)

    def list_documents(self, limit: int, after: str | None = None) -> list[DocumentInfo]:
        """One page of documents in id order, starting after the id ``after`` (keyset paging)."""
        with self._session() as db:
            rows = db.execute(INFO_SELECT + "WHERE d.id > ? ORDER BY d.id LIMIT ?", (after or "", limit)).fetchall()
        return [DocumentInfo(*r) for r in rows]

    def document_info(self, doc_id: str) -> DocumentInfo | None:
        with self._session() as db:
            row = db.execute(INFO_SELECT + "WHERE d.id = ?", (doc_id,)).fetchone()
        return DocumentInfo(*row) if row else None

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are stored documents."""
        found: set[str] = set()
        with self._session() as db:
            for cond, params in self._ids_in(ids):
                found.update(r[0] for r in db.execute(f"SELECT id FROM documents WHERE {cond.format(col='id')}",
                                                      params).fetchall())
        return found

    def document_sentences(self, doc_id: str) -> list[Sentence]:
        with self._session() as db:
            rows = db.execute('SELECT doc_id, idx, start, "end", text FROM sentences WHERE doc_id = ? '
                              "ORDER BY idx", (doc_id,)).fetchall()
        return [Sentence(*r) for r in rows]

    def sentences_by_id(self, ids: list[int]) -> dict[int, tuple[Sentence, Document]]:
        """Sentences with their documents (without the document text), keyed by sentence id: the
        evidence read path, which touches sentence text only, never a vector."""
        out: dict[int, tuple[Sentence, Document]] = {}
        with self._session() as db:
            for cond, params in self._ids_in(ids):
                rows = db.execute(
                    'SELECT s.id, s.doc_id, s.idx, s.start, s."end", s.text, d.title, d.published, d.source, d.url '
                    f"FROM sentences s JOIN documents d ON d.id = s.doc_id WHERE {cond.format(col='s.id')}",
                    params).fetchall()
                out.update({r[0]: (Sentence(r[1], r[2], r[3], r[4], r[5]), Document(r[1], r[6], "", r[7], r[8], r[9]))
                            for r in rows})
        return out

    def items(self, doc_ids: list[str]) -> list[Item]:
        """Documents with their sentences and vectors, as ``upsert_many`` takes them (to copy a store)."""
        out = []
        with self._read() as db:
            for doc_id in doc_ids:
                row = db.execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row is None:
                    continue
                rows = db.execute('SELECT s.doc_id, s.idx, s.start, s."end", s.text, v.vector FROM sentences s '
                                  "JOIN vectors v ON v.sentence_id = s.id WHERE s.doc_id = ? ORDER BY s.idx",
                                  (doc_id,)).fetchall()
                vecs = (np.frombuffer(b"".join(bytes(r[5]) for r in rows), dtype=np.float32).reshape(len(rows), -1)
                        if rows else np.zeros((0, 0), dtype=np.float32))
                out.append((Document(*row), [Sentence(*r[:5]) for r in rows], vecs))
        return out
