"""One suite of store tests, run on both backends: SQLite (a real file) and PostgreSQL (a real
server: the session's, see conftest.postgres). Then what only one backend has: the in-place
upgrade of an old SQLite file, and PostgreSQL's commit-order race."""
from __future__ import annotations

import sqlite3
import threading
import time

import numpy as np
import pytest

from factlint.models import Document, Sentence
from factlint.store import SCHEMA_VERSION, SQLiteStore, StoreError, base
from factlint.store.postgres import PostgresStore


def vecs(n, dim=8, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def item(doc_id: str, n: int = 2, seed: int = 0, url: str = ""):
    text = " ".join(f"Sentence {i} of {doc_id}." for i in range(n))
    sents, at = [], 0
    for i in range(n):
        t = f"Sentence {i} of {doc_id}."
        sents.append(Sentence(doc_id, i, at, at + len(t), t))
        at += len(t) + 1
    return Document(doc_id, f"Title {doc_id}", text, "2020-01-05", "src", url), sents, vecs(n, seed=seed)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    """Where a store lives; ``open()`` opens it (again: as another process would)."""
    if request.param == "sqlite":
        path = tmp_path / "factlint.sqlite3"
        return lambda: SQLiteStore(path)
    url = request.getfixturevalue("pg_url")
    return lambda: PostgresStore(url)


@pytest.fixture
def store(location):
    return location()


def test_upsert_replaces_and_delete(store, location):
    doc, sents, v = item("a")
    removed, added = store.upsert(doc, sents, v)
    assert removed == [] and len(added) == 2
    removed2, added2 = store.upsert(doc, sents[:1], v[:1])
    assert removed2 == added and len(added2) == 1 and added2[0] > max(added)
    assert store.state() == (1, added2[0])
    assert store.document("a").published == "2020-01-05"
    assert location().count_documents() == 1  # another connection sees the committed rows
    assert store.delete("a") == added2
    assert store.delete("a") is None
    assert store.state()[0] == 0
    with pytest.raises(ValueError):
        store.upsert(doc, sents, v[:1])


def test_created_is_decided_in_the_write(store):
    seq, written = store.upsert_many([item("a"), item("b"), item("a", 3)])
    assert [(w.doc_id, w.created) for w in written] == [("a", True), ("b", True), ("a", False)]
    assert seq == store.head() == 3 and store.state()[0] == 5
    _, written = store.upsert_many([item("b", 1)])
    assert not written[0].created and written[0].removed == sorted(written[0].removed)


def test_concurrent_creates_of_one_id_make_exactly_one_created(location):
    """Issue 13 item 12: each writer on its own connection, all released at once."""
    stores = [location() for _ in range(4)]
    for round_ in range(5):
        barrier = threading.Barrier(len(stores))
        answers = []

        def create(s):
            barrier.wait()
            answers.append(s.upsert_many([item(f"same-{round_}", seed=round_)])[1][0].created)

        threads = [threading.Thread(target=create, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(answers) == [False, False, False, True], answers
    assert stores[0].count_documents() == 5


def test_documents_sentences_and_pages(store):
    store.upsert_many([item(f"d{i}", 1 + i % 3, seed=i, url=f"https://e.example/{i}") for i in range(7)])
    page = store.list_documents(3)
    assert [d.id for d in page] == ["d0", "d1", "d2"] and [d.sentences for d in page] == [1, 2, 3]
    assert [d.id for d in store.list_documents(3, after="d5")] == ["d6"]
    info = store.document_info("d4")
    assert (info.title, info.url, info.sentences) == ("Title d4", "https://e.example/4", 2)
    assert store.document_info("nope") is None and store.document("nope") is None
    assert store.existing_ids(["d1", "x", "d6"]) == {"d1", "d6"}
    assert [s.text for s in store.document_sentences("d2")] == [f"Sentence {i} of d2." for i in range(3)]
    ids, _ = store.vectors(8)
    rows = store.sentences_by_id([int(i) for i in ids[:4]] + [10 ** 9])
    assert len(rows) == 4
    sent, doc = rows[int(ids[1])]
    assert doc.id == sent.doc_id and doc.text == "" and doc.url.startswith("https://e.example/")
    assert [d.id for d in store.documents()] == [f"d{i}" for i in range(7)]


def test_vectors_round_trip_bit_for_bit_from_their_own_table(store):
    _, written = store.upsert_many([item("a", 3, seed=1), item("b", 2, seed=2)])
    ids, v, head = store.snapshot(8)
    assert head == 2 and list(ids) == written[0].added + written[1].added
    assert np.array_equal(v, np.vstack([vecs(3, seed=1), vecs(2, seed=2)]))
    (doc, sents, got), = store.items(["b"])
    assert doc.id == "b" and len(sents) == 2 and np.array_equal(got, vecs(2, seed=2))
    with store._session() as db:  # the evidence read path's table holds text only
        row = db.execute("SELECT * FROM sentences LIMIT 1").fetchone()
    assert len(row) == 6 and not any(isinstance(x, (bytes, memoryview)) for x in row)


def test_postgres_reads_every_vector_in_chunks(pg_url, monkeypatch):
    """The binary COPY is parsed in chunks: here smaller than one row, so rows and the header are
    split across them."""
    from factlint.store import postgres

    store = PostgresStore(pg_url)
    store.upsert_many([item(f"d{i}", 3, seed=i) for i in range(5)])
    whole_ids, whole = store.vectors(8)
    monkeypatch.setattr(postgres, "COPY_CHUNK", 7)
    ids, got = store.vectors(8)
    assert len(ids) == 15 and np.array_equal(ids, whole_ids) and np.array_equal(got, whole)
    assert np.array_equal(got, np.vstack([vecs(3, seed=i) for i in range(5)]))


def test_delta_and_pruned_log(store, monkeypatch):
    _, (a, b) = store.upsert_many([item("a"), item("b")])
    store.delete("a")
    d = store.delta(0, 8)
    assert (d.since, d.head, d.complete, d.count) == (0, 3, True, 2)
    assert set(d.removed) == set(a.added) and list(d.ids) == b.added and len(d.times) == 3
    assert store.delta(3, 8).ids.size == 0 and store.delta(99, 8).complete is False
    assert store.pending_since(1) is not None and store.pending_since(3) is None
    monkeypatch.setattr(base, "CHANGES_KEPT", 2)
    monkeypatch.setattr(base, "PRUNE_EVERY", 1)
    store.upsert_many([item("c")])
    assert store.delta(0, 8).complete is False and store.delta(2, 8).complete is True


def test_a_store_of_a_newer_schema_is_refused(store, location):
    assert store.schema_version() == SCHEMA_VERSION and len(store.id) == 32
    with store._write() as db:
        base.Store._meta_set(db, "schema_version", "99")
    store.close()
    with pytest.raises(StoreError, match="schema version 99; this factlint knows up to 2"):
        location()


# --- SQLite: a file of schema version 1 is upgraded in place ------------------------------------
V1 = """
CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, published TEXT,
    source TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, added REAL NOT NULL);
CREATE TABLE sentences (id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL);
CREATE INDEX sentences_doc ON sentences(doc_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')), removed TEXT NOT NULL, added TEXT NOT NULL,
    at REAL NOT NULL);
"""


def test_a_version_1_sqlite_file_is_upgraded_in_place_losing_nothing(tmp_path):
    path = tmp_path / "factlint.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(V1)
    v = vecs(4, seed=3)
    db.execute("INSERT INTO documents VALUES ('a', 'T', '2020-01-05', 's', 'One. Two. Three. Four.', 1)")
    db.execute("INSERT INTO documents VALUES ('gone', 'G', NULL, 's', 'Gone.', 1)")
    db.executemany("INSERT INTO sentences (doc_id, idx, start, end, text, vector) VALUES (?,?,?,?,?,?)",
                   [("a", i, 5 * i, 5 * i + 4, w, v[i].tobytes()) for i, w in enumerate(["One.", "Two.",
                                                                                        "Three.", "Four."])]
                   + [("gone", 0, 0, 5, "Gone.", v[0].tobytes())])
    db.execute("DELETE FROM sentences WHERE doc_id = 'gone'")  # id 5 was used: it must never come back
    db.execute("DELETE FROM documents WHERE id = 'gone'")
    db.execute("INSERT INTO changes (doc_id, op, removed, added, at) VALUES ('a', 'upsert', '[]', '[1,2,3,4]', 1)")
    db.commit()
    db.close()

    store = SQLiteStore(path)
    assert store.schema_version() == 2
    cols = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(sentences)")}
    assert "vector" not in cols and {"text", "end"} <= cols
    ids, got, head = store.snapshot(8)
    assert list(ids) == [1, 2, 3, 4] and np.array_equal(got, v) and head == 1
    assert store.document("a").url == "" and [s.text for s in store.document_sentences("a")][2] == "Three."
    assert store.delta(0, 8).complete and list(store.delta(0, 8).ids) == [1, 2, 3, 4]
    _, added = store.upsert(*item("b", 1))
    assert added == [6]  # AUTOINCREMENT carried over the upgrade
    assert SQLiteStore(path).state() == (5, 6)  # opening it again changes nothing


# --- PostgreSQL: change-log writes follow commit order ------------------------------------------
def test_a_slow_transaction_cannot_be_overtaken_by_a_later_change(pg_url, monkeypatch):
    """The race of a plain sequence: writer 1 takes change 1, writer 2 takes change 2 and commits
    first, a reader applies 2 and never looks at 1 again. Here writer 1 is held after it logged its
    change and before its commit: writer 2 must wait for it, and a reader following the log with
    ``delta(since)`` sees both, in commit order."""
    slow, fast, reader = PostgresStore(pg_url), PostgresStore(pg_url), PostgresStore(pg_url)
    logged, release = threading.Event(), threading.Event()
    log = PostgresStore._log

    def held_log(self, db, *args):
        seq = log(self, db, *args)
        if self is slow:
            logged.set()
            assert release.wait(30)
        return seq

    monkeypatch.setattr(PostgresStore, "_log", held_log)
    results = {}
    t1 = threading.Thread(target=lambda: results.setdefault("slow", slow.upsert_many([item("one")])))
    t1.start()
    assert logged.wait(30)
    t2 = threading.Thread(target=lambda: results.setdefault("fast", fast.upsert_many([item("two")])))
    t2.start()
    time.sleep(0.5)
    seen = reader.head()
    assert "fast" not in results and seen == 0  # writer 2 waits; nothing is visible yet
    release.set()
    t1.join(30)
    t2.join(30)
    assert results["slow"][0] == 1 and results["fast"][0] == 2
    d = reader.delta(seen, 8)
    assert d.head == 2 and len(d.ids) == 4 and d.complete


def test_concurrent_writers_and_a_follower_lose_no_change(pg_url):
    """Four writers on their own connections, a reader applying ``delta`` as it goes (as a replica
    does): at the end it holds exactly the store's sentences."""
    writers = [PostgresStore(pg_url) for _ in range(4)]
    reader = PostgresStore(pg_url)
    done = threading.Event()

    def write(k, s):
        for i in range(12):
            if i % 4 == 3:
                s.delete(f"w{k}-{i - 1}")
            else:
                s.upsert_many([item(f"w{k}-{i}", 1 + i % 3, seed=i)])

    applied: set[int] = set()
    seq = 0

    def follow():
        nonlocal seq
        while True:
            finished = done.is_set()
            d = reader.delta(seq, 8)
            assert d.complete
            applied.difference_update(int(i) for i in d.removed)
            applied.update(int(i) for i in d.ids)
            seq = d.head
            if finished:
                return

    threads = [threading.Thread(target=write, args=(k, s)) for k, s in enumerate(writers)]
    follower = threading.Thread(target=follow)
    follower.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    follower.join(30)
    ids, _, head = reader.snapshot(8)
    assert seq == head == 4 * 12 and applied == {int(i) for i in ids} and len(ids) > 0


def test_the_store_url_is_validated(tmp_path):
    from click.testing import CliRunner
    from pydantic import ValidationError

    from factlint.cli import cli
    from factlint.config import load_settings

    assert load_settings(env={}).store.url == ""
    assert load_settings(env={"FACTLINT_STORE_URL": " postgresql://u@h/db "}).store.url == "postgresql://u@h/db"
    with pytest.raises(ValidationError, match="postgresql://"):
        load_settings(env={"FACTLINT_STORE_URL": "mysql://u@h/db"})
    r = CliRunner().invoke(cli, ["report", "--store-url", "sqlite:///x", "--data-dir", str(tmp_path)])
    assert r.exit_code == 2 and r.output.startswith("factlint: error: bad configuration") and \
        len(r.output.strip().splitlines()) == 1


def test_the_password_never_leaves_the_store(pg_url):
    from factlint.config import load_settings
    from factlint.store import describe
    from factlint.store.postgres import redact

    assert redact("postgresql://news:s3cret@db.internal:5433/archive") == "postgresql://news@db.internal:5433/archive"
    settings = load_settings(env={"FACTLINT_STORE_URL": "postgresql://news:s3cret@db.internal/archive"})
    assert "s3cret" not in describe(settings)
    assert PostgresStore(pg_url).describe() == {"backend": "postgresql", "url": redact(pg_url)}
