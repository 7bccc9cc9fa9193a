"""The web pages: GET / (check a draft in the browser) and GET /report (the corpus's own
contradictions). Plain HTML, CSS and a little JavaScript shipped inside the package: no build
step, nothing fetched from elsewhere, so each page's Content-Security-Policy allows only this
server (the page) or nothing but its inlined stylesheet (the report)."""
from __future__ import annotations

from flask import Blueprint, Response

from ..api.auth import access
from ..api.capacity import long_request
from ..api.contradictions import current_report, query
from .render import render_page, render_report

bp = Blueprint("web", __name__, static_folder="static", static_url_path="/static/web")

_FRAMING = "base-uri 'none'; frame-ancestors 'none'"
# The draft page: its own script and stylesheet, and fetch() to this API; nothing inline.
PAGE_CSP = (f"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            f"form-action 'self'; {_FRAMING}")
# The report: one self-contained file (its stylesheet inlined, bar widths in style attributes), no script.
REPORT_CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; {_FRAMING}"


def html(text: str, csp: str) -> Response:
    return Response(text, mimetype="text/html", headers={"Cache-Control": "no-cache",
                                                         "Content-Security-Policy": csp})


@bp.get("/")
@access("open")  # the empty form: nothing of the corpus until the script calls the (protected) API
def index():
    return html(render_page(), PAGE_CSP)


@bp.get("/report")
@access("read")
@long_request
def report():
    q = query()
    return html(render_report(current_report(), kind=q.kind, severity="note" if q.notes else "contradiction",
                              served=True), REPORT_CSP)
