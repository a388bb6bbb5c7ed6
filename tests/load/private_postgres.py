"""A throw-away PostgreSQL cluster of a test's own, which the test may stop and start.

Never the shared server: this one lives in a temporary folder, on a free port, and is
removed afterwards. As root, the server runs as the `postgres` user (it refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .test_concurrent_office import free_port

BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """initdb'd into `folder`, listening on 127.0.0.1:`port` with trust authentication."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(
            str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync"
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c fsync=off"
        )
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "30",
            "-l", str(self.folder / "server.log"), "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running private cluster; skipped where PostgreSQL 15's binaries are not installed."""
    if not (BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {BIN}")
    folder = Path(tempfile.mkdtemp(prefix="eventreg-private-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = PrivatePostgres(folder, free_port())
    server.init()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped by the test
        shutil.rmtree(folder, ignore_errors=True)
