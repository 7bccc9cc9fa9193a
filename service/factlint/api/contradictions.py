"""GET /v1/contradictions: the conflicts between the corpus's own articles, grouped by fact.

Query: kind (number, date, entity, …), notes=1 to include facts whose conflicts are only notes,
page (from 1) and per_page (1-100, default 20). The report is built once per corpus state per
worker, in the background (see factlint.report.ReportCache): a request waits for it up to
server.ready_wait seconds, then answers 503 report_building."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from ..report import KINDS, Report, ReportCache
from .auth import access
from .errors import ApiError

bp = Blueprint("contradictions", __name__, url_prefix="/v1")
MAX_PER_PAGE = 100


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(422, "invalid_request", f"{name}: must be an integer") from None
    if not low <= value <= high:
        raise ApiError(422, "invalid_request", f"{name}: must be between {low} and {high}")
    return value


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
def contradictions():
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ApiError(422, "invalid_request", f"kind: must be one of {', '.join(KINDS)}")
    notes = request.args.get("notes", "0").lower()
    if notes not in ("0", "1", "true", "false", "yes", "no"):
        raise ApiError(422, "invalid_request", "notes: must be 0 or 1")
    severity = "note" if notes in ("1", "true", "yes") else "contradiction"
    page = _int_arg("page", 1, 1, 1_000_000)
    per_page = _int_arg("per_page", 20, 1, MAX_PER_PAGE)

    body = current_report().to_json(kind, severity)
    facts = body.pop("facts")
    start = (page - 1) * per_page
    return jsonify({**body, "page": page, "per_page": per_page,
                    "pages": (len(facts) + per_page - 1) // per_page, "facts": facts[start:start + per_page]})
