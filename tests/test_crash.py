"""Crash safety: the index file is a checkpoint that is caught up or rebuilt from SQLite at start;
an acknowledged write survives kill -9 of the whole server; SIGTERM lets the request in hand finish."""
from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time

import pytest
import requests

from conftest import SERVER_START_TIMEOUT, Server, make_settings, seeded_data_dir
from factlint.index import FlatIndex
from factlint.models import Document
from factlint.workspace import Workspace


def doc(i: int) -> Document:
    return Document(id=f"c{i}", title=f"Report {i}", published="2022-05-06", source="test",
                    text=f"The ferry to island {i} carried {100 + i} passengers on its first day. "
                         f"Tickets cost {i + 3} pounds.")


def reopen(settings, embedder, caplog) -> Workspace:
    with caplog.at_level("INFO", logger="factlint"):
        return Workspace(settings, embedder=embedder)


def ids_of(ws: Workspace) -> set[int]:
    import faiss

    return {int(i) for i in faiss.vector_to_array(ws.index.index.id_map)}


@pytest.fixture
def written(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    ws = Workspace(settings, embedder=embedder)
    ws.add([doc(i) for i in range(3)])
    return settings, ws


def test_a_damaged_index_file_is_rebuilt_with_a_log_line(written, embedder, caplog):
    settings, ws = written
    data = bytearray(ws.index_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    ws.index_path.write_bytes(bytes(data))
    again = reopen(settings, embedder, caplog)
    assert "damaged or unusable" in caplog.text and "rebuilt" in caplog.text
    assert ids_of(again) == ids_of(ws) and len(again.index) == 6
    FlatIndex.load(again.index_path)  # the file on disk is whole again


def test_a_truncated_or_missing_metadata_file_is_rebuilt(written, embedder, caplog):
    settings, ws = written
    ws.index_path.write_bytes(ws.index_path.read_bytes()[:100])
    again = reopen(settings, embedder, caplog)
    assert "damaged or unusable" in caplog.text and len(again.index) == 6
    caplog.clear()
    ws.index_path.with_suffix(".json").unlink()
    again = reopen(settings, embedder, caplog)
    assert "damaged or unusable" in caplog.text and len(again.index) == 6


def test_a_torn_pair_is_detected(written, embedder, caplog):
    """A crash between the two renames leaves a new index file with the old metadata."""
    settings, ws = written
    old_meta = ws.index_path.with_suffix(".json").read_text()
    ws.add([doc(9)])
    ws.index_path.with_suffix(".json").write_text(old_meta)
    again = reopen(settings, embedder, caplog)
    assert "damaged or unusable" in caplog.text
    assert ids_of(again) == ids_of(ws) and len(again.index) == 8


def test_a_stale_index_file_is_caught_up_from_the_change_log(written, embedder, caplog):
    settings, ws = written
    backup = ws.dir / "old"
    backup.mkdir()
    for f in (ws.index_path, ws.index_path.with_suffix(".json")):
        shutil.copy(f, backup / f.name)
    ws.add([doc(7)])
    ws.delete("c0")
    for f in backup.iterdir():
        shutil.copy(f, ws.dir / f.name)  # the checkpoint of before the two writes
    again = reopen(settings, embedder, caplog)
    assert "2 changes behind the store: catching up" in caplog.text
    assert ids_of(again) == ids_of(ws) and again.seq == ws.seq
    assert json.loads(again.index_path.with_suffix(".json").read_text())["seq"] == ws.seq


def test_an_index_file_ahead_of_the_store_is_rebuilt(written, embedder, caplog):
    """A data directory whose database was restored from an older backup."""
    settings, ws = written
    meta_path = ws.index_path.with_suffix(".json")
    meta = json.loads(meta_path.read_text())
    meta["seq"] += 5
    meta_path.write_text(json.dumps(meta))
    again = reopen(settings, embedder, caplog)
    assert "stale" in caplog.text and ids_of(again) == ids_of(ws)


def test_no_temporary_files_are_left_behind(written):
    _, ws = written
    ws.add([doc(5)])
    assert not list(ws.dir.glob("*.tmp"))


# --- kill -9 of a real server -----------------------------------------------------------------
def test_acknowledged_writes_survive_kill_9_and_sigterm_is_graceful(tmp_path, embedder):
    data = seeded_data_dir(tmp_path / "data", embedder)
    srv = Server(data, workers=2)
    acked: list[str] = []
    errors: list[str] = []
    stop = threading.Event()

    def writer(n: int):
        i = 0
        with requests.Session() as s:
            while not stop.is_set():
                doc_id = f"k{n}-{i}"
                body = {"id": doc_id, "title": f"Kill test {doc_id}",
                        "text": f"Crew {doc_id} reported that {i + 11} boats left the harbour at dawn."}
                try:
                    r = s.post(srv.url + "/v1/documents", json=body, timeout=60)
                except requests.RequestException:
                    return  # the server died mid-request: not acknowledged
                if r.status_code == 201:
                    acked.append(doc_id)
                else:
                    errors.append(f"{r.status_code} {r.text[:200]}")
                i += 1

    try:
        srv.wait_ready(timeout=SERVER_START_TIMEOUT)
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        deadline = time.time() + 60
        while len(acked) < 12 and time.time() < deadline and not errors:
            time.sleep(0.05)
        os.killpg(srv.proc.pid, signal.SIGKILL)  # the whole server, mid-write
        srv.proc.wait(10)
        stop.set()
        for t in threads:
            t.join(60)
        assert not errors and len(acked) >= 12, (errors, len(acked))
    finally:
        stop.set()
        if srv.proc.poll() is None:
            os.killpg(srv.proc.pid, signal.SIGKILL)
        srv.log.close()

    again = Server(data, workers=1)  # one is enough to read back; it starts faster on a busy machine
    try:
        again.wait_ready(timeout=SERVER_START_TIMEOUT)
        for doc_id in acked:
            r = requests.get(f"{again.url}/v1/documents/{doc_id}", timeout=30)
            assert r.status_code == 200, f"acknowledged {doc_id} lost"
            assert r.json()["sentences"], doc_id
        # the rebuilt/caught-up index holds exactly the store: every acknowledged document is found
        ready = requests.get(again.url + "/readyz", timeout=30).json()
        total = requests.get(again.url + "/v1/documents?limit=1", timeout=30).json()["total"]
        assert ready["documents"] == total
        claim = f"Crew {acked[-1]} reported that boats left the harbour at dawn."
        r = requests.post(again.url + "/v1/check", json={"claim": claim, "top_k": 50}, timeout=60)
        assert acked[-1] in {e["doc_id"] for e in r.json()["evidence"]}

        # SIGTERM while a request is in hand: it is answered, then the server exits cleanly
        result: dict = {}

        def slow():
            claims = [f"Crew k{i % 3}-{i} reported that {i} boats left the harbour." for i in range(256)]
            result["r"] = requests.post(again.url + "/v1/check/batch", json={"claims": claims}, timeout=120)
            result["answered"] = time.time()

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.3)
        os.kill(again.proc.pid, signal.SIGTERM)
        signalled = time.time()
        t.join(120)
        assert result["r"].status_code == 200 and len(result["r"].json()["results"]) == 256
        assert result["answered"] > signalled, "the request finished before the signal: make it longer"
        assert again.proc.wait(60) == 0
        assert "Handling signal: term" in again.output()
    finally:
        again.stop()
