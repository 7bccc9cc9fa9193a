"""Logging: the service's own lines as text, and one structured (JSON) access-log line per request
on the ``factlint.access`` logger, e.g.

  {"ts": "2026-11-21T07:00:00.123Z", "event": "request", "method": "POST", "path": "/v1/check",
   "route": "/v1/check", "status": 200, "duration_ms": 41.2, "bytes_in": 40, "bytes_out": 1234,
   "remote": "127.0.0.1", "pid": 4242, "request_id": "9f0c..."}

Each response carries ``X-Request-ID`` (the client's own, when it sent a sane one) and
``X-Factlint-Worker`` (the pid of the worker that answered).
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid

from flask import Flask, g, request

from .metrics import route_label

ACCESS = logging.getLogger("factlint.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class JsonFormatter(logging.Formatter):
    """A log record whose message is a dict, as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"
        body = record.msg if isinstance(record.msg, dict) else {"message": record.getMessage()}
        return json.dumps({"ts": ts, **body}, ensure_ascii=False)


def setup() -> None:
    """Configure logging once per process (create_app may run many times in tests)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not ACCESS.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        ACCESS.addHandler(handler)
        ACCESS.setLevel(logging.INFO)
        ACCESS.propagate = False


def register(app: Flask) -> None:
    @app.before_request
    def _request_id():
        rid = request.headers.get("X-Request-ID", "")
        g.request_id = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex

    @app.after_request
    def _log(resp):
        rid = g.get("request_id") or uuid.uuid4().hex
        resp.headers["X-Request-ID"] = rid
        resp.headers["X-Factlint-Worker"] = str(os.getpid())
        ACCESS.info({
            "event": "request", "method": request.method[:16], "path": request.path[:300],
            "route": route_label(), "status": resp.status_code,
            "duration_ms": round(g.get("elapsed", 0.0) * 1000, 2),
            "bytes_in": request.content_length or 0, "bytes_out": resp.calculate_content_length(),
            "remote": request.remote_addr,  # the peer, or the client named by trusted proxies ([server] proxies)
            "pid": os.getpid(), "request_id": rid})
        return resp
