"""API keys. A view declares its access with ``@access("write")``, ``@access("read")`` or
``@access("open")``; one before-request hook enforces it:

- writes need ``Authorization: Bearer <key>`` whenever ``[auth] api_key`` (FACTLINT_API_KEY) is set;
- reads need it only with ``[auth] protect_reads = true``;
- open views (/healthz, /readyz, /metrics, /openapi.json, the empty web page and its assets) never
  need it: they show nothing of the corpus.

A view that declares nothing counts as a read, so a new page or route that shows corpus content
follows ``protect_reads`` without anyone remembering to mark it.

Keys are compared in constant time (hmac.compare_digest).
"""
from __future__ import annotations

import hmac
from typing import Callable, Literal

from flask import Flask, current_app, request

from ..config import AuthSettings
from .errors import ApiError

Access = Literal["open", "read", "write"]
# Endpoints Flask makes itself: the web page's own script and stylesheet.
OPEN_ENDPOINTS = {"web.static"}
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="factlint"'}


def access(kind: Access) -> Callable:
    """Mark a view as reading or writing (see the module docstring)."""
    def mark(view):
        view.access = kind
        return view
    return mark


def view_access(view, endpoint: str | None = None) -> Access:
    if endpoint in OPEN_ENDPOINTS:
        return "open"
    return getattr(view, "access", "read")


def needs_key(settings: AuthSettings, kind: Access) -> bool:
    return bool(settings.api_key) and (kind == "write" or (kind == "read" and settings.protect_reads))


def key_matches(header: str | None, key: str) -> bool:
    """Whether an Authorization header carries ``key`` as a bearer token (constant-time compare)."""
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode("utf-8"), key.encode("utf-8"))


def register(app: Flask, settings: AuthSettings) -> None:
    @app.before_request
    def _authorize():
        if request.endpoint is None:  # no route: 404 or 405, nothing shown
            return None
        view = current_app.view_functions.get(request.endpoint)
        if not needs_key(settings, view_access(view, request.endpoint)):
            return None
        header = request.headers.get("Authorization")
        if not header:
            raise ApiError(401, "unauthorized", "this endpoint needs an API key: send "
                           "'Authorization: Bearer <key>'", CHALLENGE)
        if not key_matches(header, settings.api_key):
            raise ApiError(401, "unauthorized", "the API key is not valid", CHALLENGE)
        return None
