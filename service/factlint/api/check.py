"""The checking endpoints: /v1/check, /v1/check/batch, /v1/check/document, /v1/compare."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..checker import comparison_json
from ..drafts import draft_sentences
from ..models import iso_date
from . import schemas as S
from .auth import access
from .bodies import json_object
from .capacity import long_request, within_time
from .openapi import doc

bp = Blueprint("check", __name__, url_prefix="/v1")
CHUNK = 32  # claims checked between two looks at the request's time limit


def body(name: str):
    """The JSON body validated by the app's request model ``name`` (built for its [limits])."""
    return json_object(getattr(current_app.extensions["factlint.schemas"], name))


def checker():
    return current_app.extensions["factlint"].get()


def check_all(claims: list[str], top_k, published, draft: str | None = None):
    """check_many over ``claims``, CHUNK at a time, within the request's time limit (503 past it);
    ``draft``: the text they are sentences of."""
    engine, results = checker(), []
    for at in range(0, len(claims), CHUNK):
        within_time()
        results += engine.check_many(claims[at:at + CHUNK], top_k, published, draft)
    return results


@bp.post("/check")
@access("read")
@doc("Check a claim", request="CheckRequest", response=S.CheckResult,
     description="The claim's verdict with findings and the related corpus sentences.")
def check():
    req = body("CheckRequest")
    return jsonify(checker().check(req.claim, req.top_k, iso_date(req.published)).to_json())


@bp.post("/check/batch")
@access("read")
@doc("Check several claims", request="BatchRequest", response=S.BatchResult)
@long_request
def check_batch():
    req = body("BatchRequest")
    results = check_all(req.claims, req.top_k, iso_date(req.published))
    return jsonify({"results": [r.to_json() for r in results]})


@bp.post("/check/document")
@access("read")
@doc("Check a draft", request="DocumentCheckRequest", response=S.DocumentCheckResult,
     description="Every prose sentence of a plain-text, Markdown or HTML draft, with line and column.")
@long_request
def check_document():
    req = body("DocumentCheckRequest")
    sentences = draft_sentences(req.text, req.format)
    results = check_all([s.text for s in sentences], req.top_k, iso_date(req.published), req.text)
    return jsonify({"results": [
        {**r.to_json(), "span": [s.start, s.end], "line": s.line, "column": s.column}
        for s, r in zip(sentences, results)]})


@bp.post("/compare")
@access("read")
@doc("Compare two sentences", request="CompareRequest", response=S.CompareResult)
def compare():
    req = body("CompareRequest")
    rel, sim, conflicts = checker().compare(req.a, req.b, iso_date(req.a_published), iso_date(req.b_published))
    return jsonify(comparison_json(rel, sim, conflicts))
