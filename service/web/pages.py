"""The web pages: GET / (check a draft in the browser) and GET /report (the corpus's own
contradictions). Plain HTML, CSS and a little JavaScript shipped inside the package: no build
step, nothing fetched from elsewhere."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..api.errors import ApiError
from ..report import KINDS, ReportCache
from .render import render_page, render_report

bp = Blueprint("web", __name__, static_folder="static", static_url_path="/static/web")


def html(text: str) -> Response:
    return Response(text, mimetype="text/html", headers={"Cache-Control": "no-cache"})


def report_cache() -> ReportCache:
    return current_app.extensions.setdefault("factlint.report", ReportCache())


def current_report():
    engine = current_app.extensions["factlint"]
    engine.get()  # waits for the model and index (503 JSON while loading)
    return report_cache().get(engine.workspace, engine.settings.check)


@bp.get("/")
def index():
    return html(render_page())


@bp.get("/report")
def report():
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise ApiError(422, "invalid_request", f"kind: must be one of {', '.join(KINDS)}")
    notes = request.args.get("notes", "0") in ("1", "true", "yes")
    return html(render_report(current_report(), kind=kind, severity="note" if notes else "contradiction",
                              served=True))
