"""The web pages: GET / (check a draft in the browser) and GET /report (the corpus's own
contradictions). Plain HTML, CSS and a little JavaScript shipped inside the package: no build
step, nothing fetched from elsewhere."""
from __future__ import annotations

from flask import Blueprint, Response, request

from ..api.contradictions import current_report
from ..api.errors import ApiError
from ..report import KINDS
from .render import render_page, render_report

bp = Blueprint("web", __name__, static_folder="static", static_url_path="/static/web")


def html(text: str) -> Response:
    return Response(text, mimetype="text/html", headers={"Cache-Control": "no-cache"})


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
