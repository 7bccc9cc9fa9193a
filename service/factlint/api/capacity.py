"""How much work one worker takes on at once, and for how long.

A gthread worker answers ``[server] threads`` requests at once. Long requests (drafts, batches,
document writes, the corpus report) must not take every thread, or /healthz and short checks wait
behind them:

- at most ``[server] long_requests`` of them compute at once per worker; more wait for a turn;
- at most ``threads - RESERVED`` of them hold a thread at all (computing or waiting); one more is
  answered 503 ``busy`` at once, with ``Retry-After``, so RESERVED threads stay free for the rest;
- a request that computes past ``[server] request_timeout`` seconds (counted from its arrival,
  waiting included) is answered 503 ``request_timeout``. Checks stop between chunks of claims
  (``within_time``); a write is never cut short once its transaction may have begun.
"""
from __future__ import annotations

import functools
import threading
import time
from contextlib import contextmanager

from flask import Flask, current_app, g

from ..config import ServerSettings
from .errors import ApiError

RESERVED = 2  # threads per worker kept for health checks and short requests
EXTENSION = "factlint.capacity"


class LongRequests:
    def __init__(self, running: int, admitted: int):
        self.running = threading.BoundedSemaphore(running)
        self.admitted = max(running, admitted)
        self._held = 0
        self._lock = threading.Lock()

    @contextmanager
    def turn(self, deadline: float):
        with self._lock:
            if self._held >= self.admitted:
                raise ApiError(503, "busy", "this worker is already running its share of long requests "
                               "([server] long_requests); retry shortly", {"Retry-After": "1"})
            self._held += 1
        try:
            if not self.running.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise timed_out()
            try:
                yield
            finally:
                self.running.release()
        finally:
            with self._lock:
                self._held -= 1


def timed_out() -> ApiError:
    seconds = current_app.extensions[EXTENSION][1]
    return ApiError(503, "request_timeout", f"the request needed more than {seconds:g} s ([server] "
                    "request_timeout); send a shorter draft or fewer claims", {"Retry-After": "1"})


def within_time() -> None:
    """Raise the 503 when the current request is past its time limit."""
    if time.monotonic() > g.deadline:
        raise timed_out()


def long_request(view):
    """Mark a view as a long request: it waits for a turn (see the module docstring)."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with current_app.extensions[EXTENSION][0].turn(g.deadline):
            return view(*args, **kwargs)
    return wrapped


def register(app: Flask, settings: ServerSettings) -> None:
    app.extensions[EXTENSION] = (LongRequests(settings.long_requests, settings.threads - RESERVED),
                                 settings.request_timeout)

    @app.before_request
    def _deadline():
        g.deadline = time.monotonic() + settings.request_timeout
