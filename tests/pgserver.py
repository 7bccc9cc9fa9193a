"""A throwaway PostgreSQL server for the tests and the benchmarks: Debian's binaries
(/usr/lib/postgresql/*/bin), a cluster in a temporary directory, listening on 127.0.0.1 only.

initdb and pg_ctl refuse to run as root, so as root they run as the ``postgres`` user (the Debian
package creates it). ``make test`` installs the package when it is missing.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """``start()``, ``url(dbname)``, ``restart()``, ``stop()``. For tests (``durable=False``) without
    fsync: the data directory is thrown away, and what the tests check is factlint's behaviour, not
    the disk's. The benchmarks keep PostgreSQL's defaults (``durable=True``)."""

    def __init__(self, bindir: Path, base: Path | None = None, durable: bool = False):
        self.bindir = bindir
        self.durable = durable
        self.base = Path(tempfile.mkdtemp(prefix="factlint-pg-", dir=base))
        self.data = self.base / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
            os.chmod(self.base, 0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> "PostgresServer":
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8", "--no-sync")
        self._pg_ctl("start")
        return self

    def _pg_ctl(self, action: str) -> None:
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.base} "
                "-c max_connections=200" + ("" if self.durable else " -c fsync=off"))
        result = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-t", "60",
                           "-m", "fast", "-o", opts, action, check=False)
        if result.returncode != 0:
            log = (self.base / "log").read_text()[-2000:] if (self.base / "log").exists() else ""
            raise RuntimeError(f"pg_ctl {action} failed: {result.stderr or result.stdout}\n{log}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def down(self) -> None:
        """Stop the server (fast: connections are cut); ``up()`` starts it again, same data."""
        self._pg_ctl("stop")

    def up(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        try:
            self._pg_ctl("stop")
        except RuntimeError:
            pass
        shutil.rmtree(self.base, ignore_errors=True)


def with_dbname(url: str, name: str) -> str:
    """``url`` naming the database ``name`` instead."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def create_database(url: str, name: str) -> str:
    """A new database on the server of ``url``; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_dbname(url, name)


def drop_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
