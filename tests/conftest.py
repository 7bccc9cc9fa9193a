"""Shared fixtures: the embedding model is loaded once per test session; workspaces are real
SQLite + FAISS files in temporary directories."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from service.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def embedder():
    from service.embeddings import Embedder

    return Embedder()


def make_settings(data_dir: Path, **sections) -> Settings:
    return load_settings(store={"data_dir": str(data_dir)}, **sections)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def workspace(settings, embedder):
    """An empty workspace in a temporary data directory."""
    from service.workspace import Workspace

    return Workspace(settings, embedder=embedder)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory, embedder):
    """A workspace holding the five seed articles (shared: do not write to it)."""
    from service.workspace import Workspace

    ws = Workspace(make_settings(tmp_path_factory.mktemp("seeded")), embedder=embedder)
    ws.add_paths([SEEDS])
    return ws


@pytest.fixture(scope="session")
def checker(seeded):
    from service.checker import Checker

    return Checker(seeded, seeded.settings.check)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `factlint serve` (gunicorn) on 127.0.0.1 with its own data directory."""

    def __init__(self, data_dir: Path, workers: int = 2, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port),
             "--workers", str(workers), "--data-dir", str(data_dir)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})}, start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                if requests.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"server not ready: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A 2-worker gunicorn serving the seeds, shared by the HTTP tests of the session."""
    srv = Server(tmp_path_factory.mktemp("server") / "data", workers=2)
    try:
        srv.wait_ready()
        yield srv
    finally:
        srv.stop()
