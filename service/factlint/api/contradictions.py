"""GET /v1/contradictions: the conflicts between the corpus's own articles, grouped by fact.

Query (schemas.ContradictionsQuery): kind (number, date, entity, …), notes=1 to include facts whose
conflicts are only notes, page (from 1) and per_page (1-100, default 20). The report is built once
per corpus state per worker, in the background (see factlint.report.ReportCache): a request waits
for it up to server.ready_wait seconds, then answers 503 report_building."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, ValidationError

from ..report import Report, ReportCache
from .auth import access
from .capacity import long_request
from .errors import ApiError, describe_validation
from .openapi import doc

bp = Blueprint("contradictions", __name__, url_prefix="/v1")


def query() -> BaseModel:
    """The request's query as schemas.ContradictionsQuery (422 when it does not fit)."""
    try:
        return current_app.extensions["factlint.schemas"].ContradictionsQuery.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", describe_validation(exc)) from None


def current_report() -> Report:
    """The report of the corpus as it is now; 503 while the model loads or the report is built."""
    engine = current_app.extensions["factlint"]
    engine.get()
    cache = current_app.extensions.setdefault("factlint.report", ReportCache())
    report = cache.get(engine.workspace, engine.settings.check, wait=engine.settings.server.ready_wait)
    if report is None:
        raise ApiError(503, "report_building",
                       "the report of the corpus is still being built; retry shortly")
    return report


@bp.get("/contradictions")
@access("read")
@doc("The corpus's own contradictions", query="ContradictionsQuery",
     description="The conflicts between the corpus's own articles, grouped by fact, one page at a time.")
@long_request
def contradictions():
    q = query()
    body = current_report().to_json(q.kind, "note" if q.notes else "contradiction")
    facts = body.pop("facts")
    start = (q.page - 1) * q.per_page
    return jsonify({**body, "page": q.page, "per_page": q.per_page,
                    "pages": (len(facts) + q.per_page - 1) // q.per_page, "facts": facts[start:start + q.per_page]})
