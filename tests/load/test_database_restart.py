"""The database restarts under load: requests fail cleanly, then the app recovers by itself."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from eventreg.extensions import db as database

from .test_concurrent_office import ROOT, free_port

CLUSTER_ROOT = Path("/etc/postgresql")


def cluster() -> list[str]:
    version = sorted(p.name for p in CLUSTER_ROOT.iterdir())[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


@pytest.fixture
def restartable_postgres(db):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (EVENTREG_TEST_DATABASE_URL): SQLite has no server")
    if not (shutil.which("pg_ctlcluster") and CLUSTER_ROOT.is_dir() and os.geteuid() == 0):
        pytest.skip("needs root and a local PostgreSQL cluster to restart")
    url = database.engine.url
    if url.host not in ("127.0.0.1", "localhost"):
        pytest.skip("the test database is not on this machine")
    yield
    subprocess.run([*cluster(), "start"], capture_output=True)  # whatever happened, leave it up


def test_requests_fail_cleanly_while_postgres_restarts_and_recover(
    restartable_postgres, make_activity, db, tmp_path
):
    make_activity(slug="steady", title="Steady workshop")
    db.session.commit()
    database.engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "EVENTREG_DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
        "EVENTREG_SECRET_KEY": "restart-test-only",
        "EVENTREG_LOG_LEVEL": "WARNING",
        "EVENTREG_JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
    }
    with (tmp_path / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "eventreg:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/activities/steady"
    codes: list[tuple[float, int]] = []
    stop = threading.Event()

    def visitor() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=15) as response:
                    codes.append((started, response.status))
            except urllib.error.HTTPError as error:
                codes.append((started, error.code))
            except OSError:
                codes.append((started, -1))  # no answer at all: not clean
            time.sleep(0.05)

    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        visitors = [threading.Thread(target=visitor) for _ in range(4)]
        for thread in visitors:
            thread.start()
        time.sleep(2)
        subprocess.run([*cluster(), "stop", "--", "-m", "fast"], check=True, capture_output=True)
        time.sleep(2)
        subprocess.run([*cluster(), "start"], check=True, capture_output=True)
        restarted = time.monotonic()
        time.sleep(4)
        stop.set()
        for thread in visitors:
            thread.join(30)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    statuses = {code for _, code in codes}
    assert statuses <= {200, 503}, sorted(statuses)  # failures are clean 503 pages, never hangs
    assert 503 in statuses  # the outage was seen
    after = [code for started, code in codes if started > restarted + 1]
    assert after and set(after) == {200}  # recovered without restarting the app
