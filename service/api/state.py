"""The loaded engine of one worker: loaded in a background thread so /healthz answers at once and
/readyz says when the model and index are in."""
from __future__ import annotations

import logging
import threading

from ..checker import Checker
from ..config import Settings
from ..workspace import Workspace
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
            self._set(workspace)
        else:
            threading.Thread(target=self._load, name="factlint-load", daemon=True).start()

    def _set(self, ws: Workspace) -> None:
        self.workspace = ws
        self.checker = Checker(ws, self.settings.check)
        self.ready.set()

    def _load(self) -> None:
        try:
            self._set(Workspace(self.settings))
            log.info("ready: %d sentences indexed", len(self.workspace.index))
        except Exception as exc:  # reported by /readyz and every request
            log.exception("loading failed")
            self.error = str(exc)

    def get(self) -> Checker:
        """The checker, waiting for the load to finish (up to ``server.ready_wait`` seconds)."""
        if self.error:
            raise ApiError(503, "not_ready", f"the service failed to load: {self.error}")
        if not self.ready.wait(self.settings.server.ready_wait):
            raise ApiError(503, "not_ready", "the model and index are still loading; retry shortly")
        return self.checker
