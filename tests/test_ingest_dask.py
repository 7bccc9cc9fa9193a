"""Bulk ingestion on a real Dask distributed cluster bound to 127.0.0.1: a folder of articles into
PostgreSQL with a worker SIGKILLed halfway (its batch is redone, nothing is half-written), and
`factlint index --dask local` into the embedded SQLite store."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import psutil
import pytest

from conftest import ROOT, SEEDS, make_settings
from factlint.config import load_settings
from factlint.corpus import iter_article_files, read_article
from factlint.sentences import split_sentences
from factlint.workspace import Workspace

pytest.importorskip("distributed", reason="dask[distributed] is not installed (make test installs factlint[scale])")

TOPICS = ["river", "bridge", "school", "hospital", "harbour", "railway", "library", "market"]


def articles(folder, n: int) -> dict[str, int]:
    """``n`` small articles; their ids and sentence counts."""
    folder.mkdir()
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        body = " ".join(f"The {topic} project number {i} employed {10 * i + k} workers in week {k}."
                        for k in range(2 + i % 4))
        (folder / f"a{i:03d}.txt").write_text(f"The {topic} report {i}\n\n{body}\n")
    return {read_article(p).id: len(split_sentences(read_article(p))) for p in iter_article_files([folder])}


@pytest.mark.slow
def test_dask_ingestion_with_a_worker_killed_halfway(tmp_path, pg_url, embedder):
    from factlint import ingest
    from factlint.store.postgres import PostgresStore

    expected = articles(tmp_path / "archive", 40)
    settings = load_settings(store={"data_dir": str(tmp_path / "data"), "url": pg_url})
    killed: list[int] = []
    listening: set[str] = set()

    def kill_one(batch: ingest.Batch) -> None:
        if not killed:  # after the first batch, while the others (two per worker) are in flight
            worker = psutil.Process(batch.worker)
            for proc in (psutil.Process(), worker, worker.parent()):  # scheduler (here), worker, its nanny
                listening.update(c.laddr.ip for c in proc.net_connections("inet") if c.status == psutil.CONN_LISTEN)
            os.kill(batch.worker, signal.SIGKILL)
            killed.append(batch.worker)

    report = ingest.run(settings, [tmp_path / "archive"], "local", batch=2, workers=2, on_batch=kill_one)
    assert killed
    assert listening == {"127.0.0.1"}  # the scheduler, the worker and its nanny listen on loopback only
    store = PostgresStore(pg_url)
    # every article exactly once, whole: no batch half-written, none lost
    assert {d.id: d.sentences for d in store.list_documents(1000)} == expected
    n, _ = store.state()
    ids, vectors = store.vectors(embedder.dim)
    assert n == len(ids) == sum(expected.values())
    # the batch the killed worker was processing was handed to another worker and redone
    assert report.redone >= 1 and report.documents == len(expected) and report.rate > 0
    workers = {b.worker for b in report.batches}
    assert len(workers - set(killed)) >= 1
    assert all(b.loads == 1 for b in report.batches)  # each worker process loaded the encoder once
    # the vectors are the encoder's
    (doc, sents, vecs), = store.items(["a007"])
    assert np.allclose(vecs, embedder.encode([s.text for s in sents]), atol=1e-4)
    # a replica opening the store afterwards holds every sentence
    ws = Workspace(settings, embedder=embedder)
    assert len(ws.index) == n and ws.seq == store.head()


@pytest.mark.slow
def test_index_dask_local_into_sqlite(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "FACTLINT_PROGRESS": "0"}
    r = subprocess.run([sys.executable, "-m", "factlint", "index", "--dask", "local", "--batch", "2",
                        "--data-dir", str(data), str(SEEDS)], cwd=ROOT, capture_output=True, text=True,
                       env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "indexed 5 documents" in r.stdout and "sentences/s" in r.stdout and "Dask workers" in r.stdout
    ws = Workspace(make_settings(data))
    assert ws.store.count_documents() == 5 and len(ws.index) == ws.store.state()[0]
    r = subprocess.run([sys.executable, "-m", "factlint", "index", "--dask", "tcp://127.0.0.1:1",
                        "--data-dir", str(data), str(SEEDS)], cwd=ROOT, capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 2 and r.stderr.startswith("factlint: error:"), r.stderr[-2000:]
