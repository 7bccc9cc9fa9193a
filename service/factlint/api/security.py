"""What every answer carries against the browser's attacks, and the Host header check.

- Security headers on every response: a strict Content-Security-Policy (the web pages set their own,
  just as strict: they load nothing from elsewhere), ``X-Content-Type-Options: nosniff``,
  ``X-Frame-Options: DENY`` and ``Referrer-Policy: no-referrer``.
- DNS rebinding: a page on another site that resolves its own name to 127.0.0.1 could read the
  archive through the visitor's browser when reads are open. The browser sends that site's name as
  the Host header, so a request whose Host is not one of ``[server] allowed_hosts`` (by default the
  bind address and localhost) is refused with 400 before any view runs.
"""
from __future__ import annotations

from flask import Flask, request

from ..config import ServerSettings
from .errors import ApiError

# JSON answers: nothing may be loaded or framed on their behalf.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def host_name(header: str) -> str:
    """The host name of a Host header value, lower case, without port or IPv6 brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    name, colon, port = header.rpartition(":")
    return name if colon and port.isdigit() else header


def host_allowed(name: str, allowed: list[str]) -> bool:
    """``name`` is in ``allowed``; an entry starting with a dot also admits its subdomains."""
    return any(name == a.strip("[]").lower() or (a.startswith(".") and (name.endswith(a.lower()) or name == a[1:].lower()))
               for a in allowed)


def register(app: Flask, settings: ServerSettings) -> None:
    allowed = settings.trusted_hosts()

    if allowed is not None:
        @app.before_request
        def _check_host():
            header = request.headers.get("Host")
            if header is not None and not host_allowed(host_name(header), allowed):
                raise ApiError(400, "host_not_allowed",
                               f"the Host header {header[:100]!r} is not one of this server's names "
                               "([server] allowed_hosts)")

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy", API_CSP)
        for name, value in HEADERS.items():
            resp.headers.setdefault(name, value)
        return resp
