"""A private, real PostgreSQL for tests and benchmarks, from Debian's ``postgresql`` package.

Import it from a test (``from postgres import Postgres``, or ``tests.postgres``
from a benchmark). ``initdb`` makes a cluster in a temporary folder, the server
listens on a free port of 127.0.0.1 (and a socket in that folder), and the whole
folder is gone at the end. Each test asks ``new_database()`` for a fresh database.

Traps handled here (see COMPONENTS.md): PostgreSQL refuses to run as root, so as
root the cluster folder belongs to the ``postgres`` user and the binaries run
under ``runuser``; ``pg_ctl -w`` waits until the server accepts connections.
We start the server ourselves rather than through pytest-postgresql's
``postgresql_proc``: that runs ``pg_ctl`` as the current user, which as root
(CI here) PostgreSQL refuses.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin() -> Path:
    """$AUDITOR_PG_BIN, else Debian's newest installed server (15 on bookworm)."""
    if os.environ.get("AUDITOR_PG_BIN"):
        return Path(os.environ["AUDITOR_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BIN = _bin()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def available() -> bool:
    return (BIN / "pg_ctl").exists()


class Postgres:
    """One private cluster; ``url(db)`` is a SQLAlchemy/psycopg URL for one of its databases."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="auditor-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.root.chmod(0o755)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        return subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, cwd=self.root)

    def start(self) -> None:
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "-N")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Postgres:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "campaign") -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Postgres]:
    """One private PostgreSQL for the whole session (starts in about a second); tests use fresh databases."""
    if not available():  # a failure, not a skip: scripts/install.sh installs it
        raise RuntimeError(f"PostgreSQL binaries not at {BIN}: apt-get install postgresql (scripts/install.sh does)")
    with Postgres() as server:
        yield server
