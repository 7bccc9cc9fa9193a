"""The loaded engine of one worker: loaded in a background thread so /healthz answers at once and
/readyz says when the model and index are in. Before it hands out the checker or the workspace it
catches the worker's index up with writes made by any other worker (Workspace.sync)."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..analyzers import warm_up
from ..checker import Checker
from ..config import Settings
from ..store import Store
from ..workspace import DB_FILE, Workspace
from . import metrics
from .errors import ApiError

log = logging.getLogger("factlint")


class Engine:
    def __init__(self, settings: Settings, workspace: Workspace | None = None):
        self.settings = settings
        self.ready = threading.Event()
        self.error: str | None = None
        self.workspace: Workspace | None = None
        self.checker: Checker | None = None
        if workspace is not None:
            self.store = workspace.store
            self._set(workspace)
        else:
            # Reads of the store (GET /v1/documents) do not wait for the model.
            self.store = Store(Path(settings.store.data_dir) / DB_FILE)
            threading.Thread(target=self._load, name="factlint-load", daemon=True).start()

    def _set(self, ws: Workspace) -> None:
        self.workspace = ws
        self.checker = Checker.configured(ws, self.settings)
        metrics.observe_index(ws)
        self.ready.set()

    def _load(self) -> None:
        try:
            ws = Workspace(self.settings)
            warm_up()
            self._set(ws)
            log.info("ready: %d sentences indexed (change %d)", len(self.workspace.index), self.workspace.seq)
        except Exception as exc:  # reported by /readyz and every request
            log.exception("loading failed")
            self.error = str(exc)

    def _wait(self) -> Workspace:
        if self.error:
            raise ApiError(503, "not_ready", f"the service failed to load: {self.error}")
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
