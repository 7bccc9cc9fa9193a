"""The corpus over HTTP: POST/GET /v1/documents, GET/DELETE /v1/documents/<id>.

Writes go through Workspace.add / Workspace.delete, the same path as `factlint index`: SQLite
first (one transaction per request, durable when the response is sent), then this worker's index;
the other workers pick the change up from the store's change log before they next answer.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for
from pydantic import ValidationError

from ..corpus import document_from
from ..models import Document
from . import metrics
from . import schemas as S
from .auth import access
from .bodies import json_objects
from .capacity import long_request
from .errors import ApiError, describe_validation
from .openapi import doc

bp = Blueprint("documents", __name__, url_prefix="/v1")


def engine():
    return current_app.extensions["factlint"]


def schemas() -> S.Schemas:
    return current_app.extensions["factlint.schemas"]


def to_document(d) -> Document:
    """A validated DocumentIn as a Document (``corpus.document_from``)."""
    try:
        return document_from(d.text, d.id, d.title, d.published, d.source, d.url)
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from None


@bp.post("/documents")
@access("write")
@doc("Add or replace documents", request="DocumentIn", ndjson=True, response=S.DocumentsWritten, status=201,
     description="One document as a JSON object (application/json) or many as JSON Lines "
                 "(application/x-ndjson, at most [limits] max_documents). A document whose id is already "
                 "stored is replaced. All are validated before any is written; the write is one "
                 "transaction, durable when the answer is sent. 201 when a document was created, 200 when "
                 "all replaced existing ones.")
@long_request
def post_documents():
    items = json_objects(schemas().DocumentIn, schemas().limits.max_documents)
    docs = [to_document(d) for d in items]
    ws = engine().sync()
    done = ws.upsert(docs)  # created or replaced: decided inside the write transaction
    metrics.observe_index(ws)
    out = [{"id": a.id, "sentences": a.sentences, "created": a.created} for a in done]
    status = 201 if any(o["created"] for o in out) else 200
    resp = jsonify({"documents": out})
    resp.status_code = status
    if len(out) == 1:
        resp.headers["Location"] = url_for("documents.get_document", doc_id=out[0]["id"])
    return resp


@bp.get("/documents")
@access("read")
@doc("List documents", query="ListQuery", response=S.DocumentPage,
     description="One page of documents in id order; follow `next` with ?after= for the next page.")
def list_documents():
    try:
        q = schemas().ListQuery.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", describe_validation(exc)) from None
    store = engine().store
    page = store.list_documents(q.limit + 1, q.after)
    more = len(page) > q.limit
    page = page[:q.limit]
    return jsonify({"documents": [vars(d) for d in page],
                    "next": page[-1].id if more else None,
                    "total": store.count_documents()})


@bp.get("/documents/<doc_id>")
@access("read")
@doc("Get a document", response=S.DocumentDetail, path_param="doc_id",
     description="The document's metadata, text and sentences (with offsets into the text).")
def get_document(doc_id: str):
    store = engine().store
    info = store.document_info(doc_id)
    document = store.document(doc_id) if info else None
    if info is None or document is None:
        raise ApiError(404, "not_found", f"no document with id {doc_id!r}")
    return jsonify({"id": info.id, "title": info.title, "published": info.published, "source": info.source,
                    "url": info.url, "added": info.added, "text": document.text,
                    "sentences": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text}
                                  for s in store.document_sentences(doc_id)]})


@bp.delete("/documents/<doc_id>")
@access("write")
@doc("Delete a document", response=S.Deleted, path_param="doc_id",
     description="Removes the document and its sentences from the store and from every worker's index.")
def delete_document(doc_id: str):
    ws = engine().sync()
    if not ws.delete(doc_id):
        raise ApiError(404, "not_found", f"no document with id {doc_id!r}")
    metrics.observe_index(ws)
    return jsonify({"id": doc_id, "deleted": True})
