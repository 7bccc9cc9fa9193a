"""JSON errors everywhere: {"error": {"code": "...", "message": "..."}}; never an HTML page or a traceback."""
from __future__ import annotations

import logging
import sqlite3

from flask import Flask, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from ..store import StoreUnavailable

log = logging.getLogger("factlint")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def describe_validation(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e["loc"]) or "body"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.errorhandler(StoreUnavailable)
    def _store_down(exc: StoreUnavailable):
        log.warning("store unavailable: %s", exc)
        return error_response(503, "store_unavailable", f"{exc}; retry shortly", {"Retry-After": "1"})

    @app.errorhandler(ValidationError)
    def _invalid(exc: ValidationError):
        return error_response(422, "invalid_request", describe_validation(exc))

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge):
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(413, "request_entity_too_large",
                              f"the request body is larger than {limit} bytes ([limits] max_body_bytes)")

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        if exc.description != NotFound.description:  # a message set by the code that raised it
            return error_response(404, "not_found", exc.description)
        return error_response(404, "not_found", f"no such endpoint: {request.path[:200]}")

    @app.errorhandler(MethodNotAllowed)
    def _method(exc: MethodNotAllowed):
        allowed = sorted(set(exc.valid_methods or []) - {"HEAD", "OPTIONS"})
        return error_response(405, "method_not_allowed",
                              f"{request.method[:16]} is not allowed on {request.path[:200]}; use "
                              f"{' or '.join(allowed) or 'another method'}", {"Allow": ", ".join(exc.valid_methods or [])})

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
        return error_response(exc.code or 500, code, exc.description or exc.name, headers)

    @app.errorhandler(sqlite3.OperationalError)
    def _store(exc: sqlite3.OperationalError):
        if "full" in str(exc):  # SQLITE_FULL: the transaction was rolled back, nothing is stored
            log.error("store write refused: %s", exc)
            return error_response(507, "insufficient_storage", "the server's disk is full: nothing was written")
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error; the server log has the details")
