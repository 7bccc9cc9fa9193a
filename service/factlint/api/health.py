from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .auth import access

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@access("open")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@access("open")
def readyz():
    engine = current_app.extensions["factlint"]
    if engine.ready.is_set():
        return jsonify({"status": "ready", "sentences": len(engine.workspace.index),
                        "documents": engine.workspace.store.count_documents()})
    body = {"status": "failed" if engine.error else "loading"}
    if engine.error:
        body["error"] = engine.error
    return jsonify(body), 503
