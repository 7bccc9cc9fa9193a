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

from factlint.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# --- ONNX exports: one per test session -----------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def shared_onnx_dir(tmp_path_factory) -> Path:
    """One directory for the session's ONNX exports: every server and CLI process the tests start
    (their data directories are fresh) finds the export made by the first one instead of making
    its own (FACTLINT_MODEL_ONNX_DIR, unless already set)."""
    path = Path(os.environ.get("FACTLINT_MODEL_ONNX_DIR") or tmp_path_factory.getbasetemp() / "onnx")
    os.environ["FACTLINT_MODEL_ONNX_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def embedder():
    from factlint.embeddings import Embedder

    return Embedder()


def make_settings(data_dir: Path, **sections) -> Settings:
    return load_settings(store={"data_dir": str(data_dir)}, **sections)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def workspace(settings, embedder):
    """An empty workspace in a temporary data directory."""
    from factlint.workspace import Workspace

    return Workspace(settings, embedder=embedder)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory, embedder):
    """A workspace holding the five seed articles (shared: do not write to it)."""
    from factlint.workspace import Workspace

    ws = Workspace(make_settings(tmp_path_factory.mktemp("seeded")), embedder=embedder)
    ws.add_paths([SEEDS])
    return ws


@pytest.fixture(scope="session")
def checker(seeded):
    from factlint.checker import Checker

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
        self.workers = workers
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "factlint", "serve", "--port", str(self.port),
             "--workers", str(workers), "--data-dir", str(data_dir)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})}, start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> None:
        """Until every worker has answered /readyz with 200 (a worker still loading answers 503, and
        is slow to accept while it loads: tests that need both workers would see one only)."""
        deadline = time.time() + timeout
        ready: set[str] = set()
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                r = requests.get(self.url + "/readyz", timeout=2)
                if r.status_code == 200:
                    ready.add(r.headers.get("X-Factlint-Worker", ""))
                    if len(ready) >= self.workers:
                        return
            except requests.RequestException:
                pass
            time.sleep(0.1)
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


# --- the production-service tests (documents API, sync, errors, fuzz) -------------------------
API_KEY = "test-key-0123456789"
SERVER_START_TIMEOUT = 400  # seconds; generous because other work may share the CPU
# Small limits keep the fuzzing fast and let the tests reach every limit cheaply.
API_LIMITS = {"FACTLINT_LIMITS_MAX_BODY_BYTES": "200000", "FACTLINT_LIMITS_MAX_CLAIM_CHARS": "300",
              "FACTLINT_LIMITS_MAX_BATCH": "4", "FACTLINT_LIMITS_MAX_TOP_K": "20",
              "FACTLINT_LIMITS_MAX_DOCUMENT_CHARS": "3000", "FACTLINT_LIMITS_MAX_DOCUMENTS": "5",
              "FACTLINT_LIMITS_MAX_PAGE_SIZE": "50"}


def seeded_data_dir(data_dir: Path, embedder) -> Path:
    """A data directory holding the seeds, indexed in this process with the session's model, so
    the server's start-up hook finds a corpus and does not load a model of its own first."""
    from factlint.workspace import Workspace

    Workspace(make_settings(data_dir), embedder=embedder).add_paths([SEEDS])
    return data_dir


@pytest.fixture(scope="session")
def api_server(tmp_path_factory, embedder):
    """A 2-worker gunicorn with an API key and small limits, over its own data directory (seeds);
    the tests that use it may write (documents they add carry unique ids)."""
    data = seeded_data_dir(tmp_path_factory.mktemp("api-server") / "data", embedder)
    srv = Server(data, workers=2, env={"FACTLINT_API_KEY": API_KEY, **API_LIMITS})
    try:
        srv.wait_ready(timeout=SERVER_START_TIMEOUT)
        yield srv
    finally:
        srv.stop()


# --- PostgreSQL: one server per test session ----------------------------------------------------
class Postgres:
    """The session's PostgreSQL: ``url`` (its maintenance database), ``database()`` for a fresh one,
    and ``server`` (a PostgresServer the tests may restart; None for FACTLINT_TEST_POSTGRES_URL)."""

    def __init__(self, url: str, server=None):
        self.url, self.server = url, server

    def database(self) -> tuple[str, str]:
        import uuid

        import pgserver

        name = f"factlint_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        return name, pgserver.create_database(self.url, name)


@pytest.fixture(scope="session")
def postgres():
    """FACTLINT_TEST_POSTGRES_URL when set (a database on a server of your own: the tests create
    and drop databases there), else a throwaway server from Debian's postgresql package in a
    temporary directory, started once for the session."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (make test installs factlint[scale])")
    import pgserver

    url = os.environ.get("FACTLINT_TEST_POSTGRES_URL")
    if url:
        yield Postgres(url)
        return
    bindir = pgserver.binaries()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed: make test installs Debian's postgresql package")
    server = pgserver.PostgresServer(bindir).start()  # in /tmp: the postgres user must reach it
    try:
        yield Postgres(server.url(), server)
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres):
    """A fresh, empty database on the session's PostgreSQL (dropped afterwards)."""
    import pgserver

    name, url = postgres.database()
    yield url
    pgserver.drop_database(postgres.url, name)
