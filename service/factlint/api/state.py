"""The loaded engine of one worker: loaded in a background thread so /healthz answers at once and
/readyz says when the model and index are in. Before it hands out the checker or the workspace it
catches the worker's index up with writes made by any other worker or replica (Workspace.sync).

Over PostgreSQL a follower thread also keeps the index caught up between requests (woken by
LISTEN/NOTIFY); a store that cannot be reached is waited for, at start-up and later, and the
requests meanwhile answer 503 (errors.py)."""
from __future__ import annotations

import logging
import threading
import time

from ..analyzers import warm_up
from ..checker import Checker
from ..config import Settings
from ..embeddings import Embedder
from ..store import Store, StoreUnavailable, open_store
from ..workspace import Workspace
from . import metrics
from .errors import ApiError

log = logging.getLogger("factlint")


class Engine:
    def __init__(self, settings: Settings, workspace: Workspace | None = None):
        self.settings = settings
        self.ready = threading.Event()
        self.error: str | None = None
        self.waiting: str | None = None  # why the load is waiting (the store is unavailable)
        self.workspace: Workspace | None = None
        self.checker: Checker | None = None
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self._stop = threading.Event()  # ends the follower thread (else it ends with the process)
        if workspace is not None:
            self._store = workspace.store
            self._set(workspace)
        else:
            threading.Thread(target=self._load, name="factlint-load", daemon=True).start()

    @property
    def store(self) -> Store:
        """The store, opened on first use: reads of it (GET /v1/documents) do not wait for the model,
        and a store that is down at start-up raises StoreUnavailable (503) until it is back."""
        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = open_store(self.settings)
        return self._store

    def _set(self, ws: Workspace) -> None:
        self.workspace = ws
        self.checker = Checker.configured(ws, self.settings)
        metrics.observe_index(ws)
        self.ready.set()

    def _load(self) -> None:
        delay, embedder = 0.5, None
        while True:
            try:
                embedder = embedder or Embedder.from_settings(self.settings.model, self.settings.store.data_dir)
                ws = Workspace(self.settings, embedder=embedder, store=self.store, background=True)
                warm_up()
                break
            except StoreUnavailable as exc:  # wait for it: the replica recovers by itself
                if self.waiting is None:
                    log.warning("waiting for the store: %s", exc)
                self.waiting = str(exc)
                time.sleep(delay)
                delay = min(2 * delay, 5.0)
            except Exception as exc:  # reported by /readyz and every request
                log.exception("loading failed")
                self.error = str(exc)
                return
        self.waiting = None
        self._set(ws)
        log.info("ready: %d sentences indexed (change %d), a %s index%s", len(ws.index), ws.seq, ws.index.kind,
                 f"; a {ws.rebuild.kind} index is being built" if ws.rebuild else "")
        if ws.store.notifies:
            threading.Thread(target=ws.follow, args=(self._stop, self._followed), name="factlint-follow",
                             daemon=True).start()

    def _followed(self, applied: list[float]) -> None:
        if applied:
            metrics.observe_sync(0, applied)
            metrics.observe_index(self.workspace)
            metrics.observe_lag(self.workspace, self.workspace.seq)

    def _wait(self) -> Workspace:
        if self.error:
            raise ApiError(503, "not_ready", f"the service failed to load: {self.error}")
        if self.waiting and not self.ready.is_set():
            raise StoreUnavailable(self.waiting)
        if not self.ready.wait(self.settings.server.ready_wait):
            raise ApiError(503, "not_ready", "the model and index are still loading; retry shortly")
        return self.workspace

    def sync(self) -> Workspace:
        """The workspace, its index caught up with every change committed so far."""
        ws = self._wait()
        behind = ws.store.head() - ws.seq
        applied = ws.sync() if behind else []
        metrics.observe_sync(behind, applied)
        if applied:
            metrics.observe_index(ws)
        return ws

    def get(self) -> Checker:
        """The checker, waiting for the load to finish (up to ``server.ready_wait`` seconds) and
        caught up with the store."""
        self.sync()
        return self.checker
