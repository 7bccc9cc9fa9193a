"""The gunicorn worker of the service: gunicorn's threaded worker (gthread) with two changes.

- **No thread waits for a request's head.** gthread hands a connection to a thread as soon as it is
  readable, and the thread then reads the request line and headers with a blocking socket: a
  client that never finishes its headers holds that thread for ever, and a few of them stop the
  worker (its idle connections hold one for 5 s too). Here a thread takes only the bytes already
  there; until the head is complete the connection goes back to the worker's poller, holding no
  thread. A head not complete within ``[server] read_timeout`` seconds of its first byte is
  answered 408; a connection that sends nothing for gunicorn's ``keepalive`` seconds is closed.
- **A read deadline for the body.** Once the head is in, the body is read by the app in a thread:
  the parser reads it through ``DeadlineSocket``, so it too must arrive within ``read_timeout``
  seconds (then 408, connection closed).
- **Connections spread over the workers.** A gthread worker's main thread accepts connections
  whatever its threads are doing, so a busy worker could take most of them (a keep-alive client
  stays with the worker that accepted it). Here a worker that holds connections waits a moment
  (1 ms per connection, at most 5) before it accepts, so the worker holding fewer takes it first.
- **JSON error pages.** Errors gunicorn answers itself (a bad request line, a URI over its limit,
  too many or too large headers, a malformed chunked body before the app reads it, a crash) are
  written as ``{"error": {"code", "message"}}`` like every answer of the app, not as gunicorn's
  HTML page. Which status each error gets stays gunicorn's decision.

config/gunicorn.conf.py selects it: ``worker_class = "factlint.api.gworker.ThreadWorker"``.
"""
from __future__ import annotations

import errno
import json
import re
import socket
import time

from gunicorn import util
from gunicorn.workers import gthread


class ReadTimeout(Exception):
    """The client did not send its whole request within the read deadline (answered 408).

    Not an OSError: gunicorn's worker turns socket errors into a silent close, and the app must be
    able to tell it from a client that went away."""


class DeadlineSocket:
    """The connection as the request parser sees it: every ``recv`` waits at most until the
    current request's deadline (``start()``); without a deadline (once the app has the request) it
    is the socket itself. Everything else is the socket's."""

    def __init__(self, sock: socket.socket, seconds: float):
        self._sock, self.seconds = sock, seconds
        self.deadline: float | None = None

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def recv(self, size: int) -> bytes:
        if self.deadline is None:
            return self._sock.recv(size)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ReadTimeout(f"the request was not received within {self.seconds:g} s ([server] read_timeout)")
        prior = self._sock.gettimeout()
        self._sock.settimeout(remaining if prior is None else min(prior, remaining))
        try:
            return self._sock.recv(size)
        except TimeoutError:
            if prior is not None and prior < remaining:
                raise  # the caller's own, shorter timeout (gunicorn draining a body)
            raise ReadTimeout(f"the request was not received within {self.seconds:g} s "
                              "([server] read_timeout)") from None
        finally:
            self._sock.settimeout(prior)

    def __getattr__(self, name):
        return getattr(self._sock, name)


HEAD_MAX = 65536  # bytes of a request head gathered without a thread; a longer one goes to the parser
_HEAD_END = (b"\r\n\r\n", b"\n\n")


class Conn(gthread.TConn):
    """A connection whose HTTP/1 parser reads through a DeadlineSocket."""

    reader: DeadlineSocket | None = None
    read_timeout: float = 15.0
    head_deadline: float | None = None  # when the head being gathered must be complete

    def init(self):
        super().init()
        unreader = getattr(self.parser, "unreader", None)
        if self.reader is None and isinstance(getattr(unreader, "sock", None), socket.socket):
            self.reader = unreader.sock = DeadlineSocket(unreader.sock, self.read_timeout)

    def gather_head(self) -> bool | None:
        """Take what the socket holds into the parser's buffer without waiting: True once a whole
        request head is buffered (or the parser must decide: too long, or the client closed),
        False when more is to come, None when the connection has nothing and should be closed."""
        buf = self.parser.unreader.buf
        held = buf.getvalue()
        if any(end in held for end in _HEAD_END) or len(held) >= HEAD_MAX:
            return True
        self.sock.setblocking(False)
        try:
            data = self.sock.recv(HEAD_MAX)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return None
        finally:
            self.sock.setblocking(True)
        if not data:
            return True if held else None  # closed mid-head: the parser says so; closed idle: done
        if not held:
            self.head_deadline = time.monotonic() + self.read_timeout
        buf.seek(0, 2)
        buf.write(data)
        held += data
        return any(end in held for end in _HEAD_END) or len(held) >= HEAD_MAX


class _Capture:
    """Stands in for the client socket while gunicorn writes its HTML error, to learn the status."""

    def __init__(self):
        self.data = b""

    def gettimeout(self):
        return 0.0

    def sendall(self, data):
        self.data += data

    send = sendall


def json_error(status: int, reason: str, message: str) -> bytes:
    code = re.sub(r"[^a-z0-9]+", "_", reason.lower()).strip("_") or "error"
    if status == 500:
        code, message = "internal_error", "internal error; the server log has the details"
    body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class ThreadWorker(gthread.ThreadWorker):
    read_timeout = 15.0

    def init_process(self):
        from ..config import load_settings

        self.read_timeout = load_settings().server.read_timeout
        super().init_process()  # runs the worker's loop

    def accept(self, listener):
        # gthread's accept(), with this module's Conn, after a pause as long as the worker is loaded
        if self.nr_conns:
            time.sleep(min(0.005, 0.001 * self.nr_conns))
        try:
            client_sock, client_addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        client_sock.setblocking(True)
        conn = Conn(self.cfg, client_sock, client_addr, listener.getsockname())
        conn.read_timeout = self.read_timeout
        self.enqueue_req(conn)

    def handle(self, conn):
        """gthread's handle(), once the request head is buffered; until then the connection waits
        in the poller (gthread's deferral) and holds no thread."""
        if isinstance(conn, Conn) and not conn.is_http2:
            try:
                conn.init()
            except Exception as exc:
                self.handle_error(None, conn.sock, conn.client, exc)
                return False
            if conn.reader is not None and hasattr(conn.parser, "unreader"):
                ready = conn.gather_head()
                if ready is None:
                    return False
                if not ready:
                    if conn.head_deadline is not None and time.monotonic() > conn.head_deadline:
                        self.handle_error(None, conn.sock, conn.client, ReadTimeout(
                            f"the request head was not received within {conn.read_timeout:g} s ([server] read_timeout)"))
                        # closed here, in this thread: gunicorn's graceful close drains what the client
                        # still sends for up to 2 s, and it would do that in the worker's main loop
                        util.close_graceful(conn.sock, timeout=1.0)
                        return False
                    return gthread._DEFER
                conn.head_deadline = None
                conn.reader.start()  # the body, read by the app, has read_timeout seconds from here
                conn.data_ready = True
        return super().handle(conn)

    def handle_request(self, req, conn):
        try:
            return super().handle_request(req, conn)
        finally:
            if conn.reader is not None:
                conn.reader.deadline = None  # the app has read what it wanted; gunicorn drains the rest

    def handle_error(self, req, client, addr, exc):
        if isinstance(exc, ReadTimeout):
            self.log.info("request from %s not received in time: %s", (addr or ("",))[0], exc)
            status, reason, message = 408, "Request Timeout", str(exc)
        else:
            captured = _Capture()
            super().handle_error(req, captured, addr, exc)  # gunicorn's status and logging
            first = captured.data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            if len(first) < 3 or not first[1].isdigit():
                status, reason = 500, "Internal Server Error"
            else:
                status, reason = int(first[1]), first[2]
            message = f"{reason}: {exc}"[:300] if str(exc) else reason
        try:
            util.write_nonblock(client, json_error(status, reason, message))
        except Exception:
            self.log.debug("Failed to send error message.")
