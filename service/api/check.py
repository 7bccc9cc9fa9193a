"""The checking endpoints: /v1/check, /v1/check/batch, /v1/check/document, /v1/compare."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..drafts import draft_sentences
from .errors import ApiError
from .schemas import BatchRequest, CheckRequest, CompareRequest, DocumentCheckRequest

bp = Blueprint("check", __name__, url_prefix="/v1")


def body(model):
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send a JSON body with content-type: application/json")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "malformed_json", "the body is not valid JSON")
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_request", "the body must be a JSON object")
    return model.model_validate(data)


def checker():
    return current_app.extensions["factlint"].get()


@bp.post("/check")
def check():
    req = body(CheckRequest)
    return jsonify(checker().check(req.claim, req.top_k).to_json())


@bp.post("/check/batch")
def check_batch():
    req = body(BatchRequest)
    return jsonify({"results": [r.to_json() for r in checker().check_many(req.claims, req.top_k)]})


@bp.post("/check/document")
def check_document():
    req = body(DocumentCheckRequest)
    sentences = draft_sentences(req.text, req.format)
    results = checker().check_many([s.text for s in sentences], req.top_k) if sentences else []
    return jsonify({"results": [
        {**r.to_json(), "span": [s.start, s.end], "line": s.line, "column": s.column}
        for s, r in zip(sentences, results)]})


@bp.post("/compare")
def compare():
    req = body(CompareRequest)
    rel, sim, conflicts = checker().compare(req.a, req.b)
    return jsonify({"verdict": rel, "similarity": round(sim, 4), "findings": [
        {"kind": c.kind, "severity": c.severity, "message": f"a says {c.claim_text}; b says {c.evidence_text}",
         "confidence": c.confidence, "a_span": list(c.claim_span), "b_span": list(c.evidence_span)}
        for c in conflicts]})
