"""Bulk ingestion on a Dask distributed cluster: `factlint index PATH... --dask ADDRESS|local`.

The client reads the articles (every format ``factlint index`` reads: ``importers``) and hands
them out in batches of documents; each worker process loads the encoder once (the first batch it
gets), then for every batch splits and embeds its articles and writes them to the store in ONE
transaction (``Store.upsert_many``). A worker killed mid-batch
has committed nothing of it (the transaction dies with its connection) and the scheduler gives the
batch to another worker; a batch redone after its commit replaces the same documents by id. So the
store ends with every article exactly once, never half of a batch.

Workers write to the configured store: PostgreSQL for a cluster of several machines (each worker
connects itself; the articles travel with their batch, so the workers need no access to the
files), or the SQLite file of ``data_dir`` for ``local``. Replicas catch up from the change log as batches commit
(NOTIFY wakes them); the client catches up its own index checkpoint at the end.

``local`` starts a LocalCluster of one single-threaded worker process per core, bound to
127.0.0.1 with no dashboard: the scheduler, the workers, their nannies and the scheduler's small
HTTP status server listen on the loopback interface only.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .models import Document

_WORKER: dict = {}  # per worker process: the encoder and the store, made by its first batch


@dataclass(frozen=True)
class Batch:
    """What one batch wrote, and by which worker process (``loads``: encoders it has loaded)."""

    documents: int
    sentences: int
    worker: int
    loads: int


@dataclass(frozen=True)
class IngestReport:
    documents: int
    sentences: int
    seconds: float
    workers: int
    batches: list[Batch]
    redone: int = 0  # batches a lost worker was processing, handed to another
    problems: list = field(default_factory=list)  # importers.Problem: what could not be read

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else 0.0


def ingest_batch(settings: Settings, docs: list[Document]) -> Batch:
    """Run on a worker: split, embed and store ``docs`` in one transaction."""
    from .embeddings import Embedder
    from .store import open_store
    from .workspace import embed_documents

    key = settings.model_dump_json()
    if _WORKER.get("key") != key:
        _WORKER.update(key=key, embedder=Embedder.from_settings(settings.model, settings.store.data_dir),
                       store=open_store(settings), loads=_WORKER.get("loads", 0) + 1)
    items = embed_documents(_WORKER["embedder"], docs)
    _WORKER["store"].upsert_many(items)
    return Batch(len(items), sum(len(s) for _, s, _ in items), os.getpid(), _WORKER["loads"])


def local_cluster(workers: int | None = None):
    """A LocalCluster of single-threaded worker processes, everything on 127.0.0.1, no dashboard."""
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                        host="127.0.0.1", dashboard_address=None, protocol="tcp://")


def run(settings: Settings, paths: list[str | Path], address: str, batch: int = 32,
        workers: int | None = None, on_batch: Callable[[Batch], None] | None = None,
        columns: "importers.Columns | None" = None) -> IngestReport:
    """Index ``paths`` on the Dask cluster at ``address`` (``local``: one started here). The
    articles are read here as the batches go out, at most two batches per worker in flight, so an
    archive of any size streams through; what cannot be read is in the report's ``problems``."""
    from distributed import Client, as_completed

    from . import importers
    from .embeddings import prepare_model
    from .progress import bar

    sources, problems = importers.find_sources(paths)
    total = importers.total(sources)

    def batches():
        docs: list[Document] = []
        for item in importers.read_sources(sources, columns):
            if isinstance(item, importers.Problem):
                problems.append(item)
                continue
            docs.append(item)
            if len(docs) >= batch:
                yield docs
                docs = []
        if docs:
            yield docs

    prepare_model(settings.model, settings.store.data_dir)  # the ONNX export once, before the workers
    cluster = local_cluster(workers) if address == "local" else None
    client = Client(cluster if cluster is not None else address, timeout=5)
    try:
        n_workers = max(1, len(client.scheduler_info()["workers"]))
        # each worker process its share of the cores, unless the configuration fixes the threads
        model = settings.model
        if not model.threads and cluster is not None:
            model = model.model_copy(update={"threads": max(1, (os.cpu_count() or 1) // n_workers)})
        task_settings = settings.model_copy(update={"model": model})
        todo = batches()
        done: list[Batch] = []
        pending = as_completed([])

        keys: set = set()

        def submit() -> None:
            docs = next(todo, None)
            if docs is not None:
                future = client.submit(ingest_batch, task_settings, docs, pure=False)
                keys.add(future.key)
                pending.add(future)

        started = time.perf_counter()
        for _ in range(2 * n_workers):
            submit()
        with bar(total=total, desc="indexing", unit="doc") as progress:
            for future in pending:
                result = future.result()
                done.append(result)
                progress.update(result.documents)
                if on_batch is not None:
                    on_batch(result)
                submit()
        seconds = time.perf_counter() - started
        redone = len(keys & {k for _, e in client.get_events("all") if e.get("action") == "remove-worker"
                             for k in e.get("processing-tasks", ())})
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return IngestReport(sum(b.documents for b in done), sum(b.sentences for b in done), seconds, n_workers, done,
                        redone, problems)


