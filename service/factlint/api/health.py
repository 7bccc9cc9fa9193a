from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..store import StoreUnavailable
from .auth import access

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@access("open")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@access("open")
def readyz():
    """200 once this worker has loaded; ``store`` says which store it reads and at which change its
    index is (``change``) against the store's newest (``head``); ``index`` which kind answers and
    the rebuild in progress, if any (``null`` otherwise). 503 while loading, after a failed load,
    or while the store cannot be reached."""
    engine = current_app.extensions["factlint"]
    if engine.ready.is_set():
        ws = engine.workspace
        store = {**ws.store.describe(), "change": ws.seq}
        rebuild = ws.rebuild
        index = {"kind": ws.index.kind, "rebuild": rebuild and {
            "kind": rebuild.kind, "reason": rebuild.reason, "since": round(rebuild.since, 3),
            "by": "another process" if rebuild.waiting else "this process"}}
        try:
            store["head"] = ws.store.head()
            documents = ws.store.count_documents()
        except StoreUnavailable as exc:
            return jsonify({"status": "store_unavailable", "error": str(exc), "sentences": len(ws.index),
                            "index": index, "store": store}), 503
        return jsonify({"status": "ready", "sentences": len(ws.index), "documents": documents, "index": index,
                        "store": store})
    body = {"status": "failed" if engine.error else "loading"}
    if engine.error:
        body["error"] = engine.error
    elif engine.waiting:
        body["error"] = f"waiting for the store: {engine.waiting}"
    return jsonify(body), 503
