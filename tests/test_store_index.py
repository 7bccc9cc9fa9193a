import numpy as np
import pytest

from factlint.index import FlatIndex, index_class
from factlint.models import Document, Sentence
from factlint.store import SQLiteStore as Store
from factlint.workspace import INDEX_FILE, Workspace


def _vecs(n, dim=8, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_store_upsert_replaces_and_delete(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    doc = Document("a", "Title", "One two three four. Five six seven eight.", "2020-01-05", "src")
    sents = [Sentence("a", 0, 0, 19, "One two three four."), Sentence("a", 1, 20, 41, "Five six seven eight.")]
    removed, added = store.upsert(doc, sents, _vecs(2))
    assert removed == [] and len(added) == 2
    removed2, added2 = store.upsert(doc, sents[:1], _vecs(1))
    assert removed2 == added and len(added2) == 1
    assert store.state() == (1, added2[0])
    assert store.document("a").published == "2020-01-05"
    # a second connection (another process would do the same) sees the committed rows
    assert Store(tmp_path / "db.sqlite3").count_documents() == 1
    assert store.delete("a") == added2
    assert store.delete("a") is None
    assert store.state()[0] == 0
    with pytest.raises(ValueError):
        store.upsert(doc, sents, _vecs(1))


def test_flat_index_search_remove_save_load(tmp_path):
    v = _vecs(50)
    idx = FlatIndex(8)
    idx.add(np.arange(100, 150), v)
    scores, ids = idx.search(v[:3], 1)
    assert list(ids[:, 0]) == [100, 101, 102]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    idx.remove(np.array([100]))
    assert len(idx) == 49 and idx.search(v[:1], 1)[1][0, 0] != 100
    idx.save(tmp_path / "i.faiss", {"count": 49})
    loaded, meta = FlatIndex.load(tmp_path / "i.faiss")
    assert len(loaded) == 49 and meta["count"] == 49 and meta["kind"] == "flat"
    assert not list(tmp_path.glob("*.tmp"))  # atomic writes leave no temp files


def test_unknown_index_kind():
    with pytest.raises(ValueError, match="unknown index kind"):
        index_class("nope")


def test_workspace_rebuilds_stale_or_damaged_index(settings, embedder, caplog):
    ws = Workspace(settings, embedder=embedder)
    ws.add([Document("d1", "T", "The parliament voted to expel the troops on Sunday.")])
    path = ws.dir / INDEX_FILE
    assert path.exists() and len(ws.index) == 1
    # stale: the store moved on without the index file
    ws.store.upsert(Document("d2", "T2", "x"), [Sentence("d2", 0, 0, 1, "A second sentence here.")],
                    embedder.encode(["A second sentence here."]))
    assert len(Workspace(settings, embedder=embedder).index) == 2
    # damaged: garbage in the index file
    path.write_bytes(b"not a faiss index")
    with caplog.at_level("WARNING", logger="factlint"):
        ws3 = Workspace(settings, embedder=embedder)
    assert len(ws3.index) == 2
    assert "rebuilding" in caplog.text
    # the replacement of a document replaces its vectors in the index too
    ws3.add([Document("d1", "T", "Entirely different words about a frog in the rainforest.")])
    assert len(ws3.index) == 2
    assert ws3.delete("d1") and len(ws3.index) == 1 and not ws3.delete("d1")


def test_a_large_index_file_is_a_checkpoint_every_n_changes(tmp_path, embedder):
    """With auto_threshold 0 every index counts as large: the file is written every 3 changes and
    at the end of add_paths, and a process opening an older file catches up from the change log."""
    import json

    from conftest import make_settings

    settings = make_settings(tmp_path / "data", index={"kind": "flat", "auto_threshold": 0, "checkpoint_every": 3})
    ws = Workspace(settings, embedder=embedder)
    meta = tmp_path / "data" / INDEX_FILE
    written = lambda: json.loads(meta.with_suffix(".json").read_text())["seq"]  # noqa: E731
    assert written() == 0  # the empty index, built at start
    for i in (1, 2):
        ws.add([Document(f"d{i}", f"T{i}", f"Sentence number {i} of the archive, about rivers.", None, "")])
    assert (ws.seq, written()) == (2, 0)  # two changes ahead of the file: not rewritten yet
    other = Workspace(settings, embedder=embedder)  # another process, opening the older file
    assert other.seq == 2 and len(other.index) == len(ws.index) == 2
    ws.add([Document("d3", "T3", "Sentence number 3 of the archive, about lakes.", None, "")])
    assert written() == 3
    (tmp_path / "a.txt").write_text("A title\n\nOne more article about the sea and its tides.\n")
    ws.add_paths([tmp_path / "a.txt"])
    assert written() == ws.seq == 4  # forced at the end of indexing


def test_a_store_written_before_urls_is_upgraded_in_place(tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, published TEXT, "
                     "source TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, added REAL NOT NULL);"
                     "INSERT INTO documents VALUES ('a', 'T', NULL, 's', 'text', 0);")
    db.commit()
    db.close()
    store = Store(path)
    assert store.document("a").url == ""
    store.upsert(Document("b", "T", "x", url="https://e.example/b"), [Sentence("b", 0, 0, 1, "x")], _vecs(1))
    assert store.document("b").url == "https://e.example/b"
