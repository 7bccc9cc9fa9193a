"""Prometheus metrics and GET /metrics.

Under gunicorn every worker is its own process, so the metrics use prometheus_client's
multiprocess mode: config/gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR at a fresh directory
before the workers fork, each worker writes its samples there, and /metrics (answered by whichever
worker) merges them: counters and histograms are summed over workers, the per-worker gauges keep a
``pid`` label. Without PROMETHEUS_MULTIPROC_DIR (one process, e.g. the Flask test client) the
default registry is served.
"""
from __future__ import annotations

import os
import platform
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, multiprocess)

from ..index import KINDS
from ..store import StoreUnavailable
from .auth import access

UNMATCHED = "<unmatched>"  # the route label of requests no route matched (404, 405): bounded labels

REQUESTS = Counter("factlint_http_requests", "HTTP requests answered, by method, route and status.",
                   ["method", "route", "status"])
LATENCY = Histogram("factlint_http_request_duration_seconds", "Time to answer an HTTP request.",
                    ["method", "route", "status"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
INDEX_SENTENCES = Gauge("factlint_index_sentences", "Sentences in this worker's FAISS index.",
                        multiprocess_mode="liveall")
INDEX_KIND = Gauge("factlint_index_kind", "1 for the index kind this worker's searches use (0 for the others).",
                   ["kind"], multiprocess_mode="liveall")
INDEX_REBUILD = Gauge("factlint_index_rebuild", "1 for the index kind this worker is building in the background, "
                      "or waiting for another process of its data directory to build (0 for the others).",
                      ["kind"], multiprocess_mode="liveall")
INDEX_SEQ = Gauge("factlint_index_change_seq", "The store change (log sequence number) this worker's index "
                  "reflects.", multiprocess_mode="liveall")
STORE_SEQ = Gauge("factlint_store_change_seq", "The newest change in the store's change log.",
                  multiprocess_mode="max")
STORE_DOCUMENTS = Gauge("factlint_store_documents", "Documents in the store.", multiprocess_mode="max")
SYNC_BEHIND = Gauge("factlint_sync_behind_changes", "Changes this worker had not applied yet when its last "
                    "request arrived (it catches up before answering).", multiprocess_mode="liveall")
REPLICA_LAG_CHANGES = Gauge("factlint_replica_lag_changes", "Changes in the store this worker's index has not "
                            "applied yet, when /metrics was last asked (or its follower last caught up).",
                            multiprocess_mode="liveall")
REPLICA_LAG_SECONDS = Gauge("factlint_replica_lag_seconds", "Age of the oldest change in the store this worker's "
                            "index has not applied yet (0 when caught up).", multiprocess_mode="liveall")
STORE_UP = Gauge("factlint_store_up", "1 when the store answered the last /metrics, 0 when it could not be reached.",
                 multiprocess_mode="max")
SYNC_LAG = Histogram("factlint_sync_lag_seconds", "Time from a change's commit (by any process) to when "
                     "this worker applied it to its index.",
                     buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300))

BUILD_INFO = Gauge("factlint_build_info", "Always 1; the labels say which factlint and Python this is.",
                   ["version", "python"], multiprocess_mode="max")

bp = Blueprint("metrics", __name__)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("factlint")
    except Exception:  # not installed (running from a source tree)
        return "0"


VERSION = _version()


def observe_sync(behind: int, commit_times: list[float]) -> None:
    SYNC_BEHIND.set(behind)
    now = time.time()
    for t in commit_times:
        SYNC_LAG.observe(max(0.0, now - t))


def observe_index(workspace) -> None:
    INDEX_SENTENCES.set(len(workspace.index))
    INDEX_SEQ.set(workspace.seq)
    rebuild = workspace.rebuild
    for kind in KINDS:
        INDEX_KIND.labels(kind).set(int(workspace.index.kind == kind))
        INDEX_REBUILD.labels(kind).set(int(rebuild is not None and rebuild.kind == kind))


def observe_lag(workspace, head: int) -> None:
    """How far this worker's index is behind the store at ``head``: in changes and in seconds."""
    REPLICA_LAG_CHANGES.set(max(0, head - workspace.seq))
    oldest = workspace.store.pending_since(workspace.seq) if head > workspace.seq else None
    REPLICA_LAG_SECONDS.set(max(0.0, time.time() - oldest) if oldest else 0.0)


@bp.get("/metrics")
@access("open")
def metrics():
    engine = current_app.extensions["factlint"]
    try:
        store = engine.store
        head = store.head()
        STORE_SEQ.set(head)
        STORE_DOCUMENTS.set(store.count_documents())
        if engine.workspace is not None:
            observe_lag(engine.workspace, head)
        STORE_UP.set(1)
    except StoreUnavailable:  # the metrics still answer: that the store is down is one of them
        STORE_UP.set(0)
    if engine.workspace is not None:
        observe_index(engine.workspace)
    BUILD_INFO.labels(VERSION, platform.python_version()).set(1)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    # content_type, not mimetype: CONTENT_TYPE_LATEST carries its charset already
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def method_label() -> str:
    return request.method if request.method in METHODS else "OTHER"


def route_label() -> str:
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


def register(app: Flask) -> None:
    @app.before_request
    def _start():
        g.started = time.perf_counter()

    @app.after_request
    def _count(resp):
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        labels = (method_label(), route_label(), str(resp.status_code))
        REQUESTS.labels(*labels).inc()
        LATENCY.labels(*labels).observe(elapsed)
        g.elapsed = elapsed
        return resp

    app.register_blueprint(bp)
