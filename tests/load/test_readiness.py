"""/readyz on a real gunicorn while its PostgreSQL stops and comes back (a private cluster)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .private_postgres import private_postgres
from .processes import stop
from .test_concurrent_office import free_port

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 300


def probe(url: str, timeout: float = 30) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for(url: str, status: int, deadline: float) -> tuple[int, dict]:
    """Probe until it answers `status`; returns the last answer (the test then asserts it)."""
    answer: tuple[int, dict] = (0, {})
    while time.monotonic() < deadline:
        try:
            answer = probe(url)
        except OSError:
            answer = (0, {})
        if answer[0] == status:
            break
        time.sleep(0.3)
    return answer


def test_readyz_follows_postgres_down_and_back_without_a_restart(tmp_path):
    deadline = time.monotonic() + TIME_LIMIT
    with private_postgres() as postgres:
        env = {
            **os.environ,
            "EVENTREG_DATABASE_URL": postgres.url,
            "EVENTREG_SECRET_KEY": "readiness-test-only",
            "EVENTREG_LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "eventreg", "db", "upgrade"],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        port = free_port()
        with (tmp_path / "gunicorn.log").open("ab") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "2",
                 "--bind", f"127.0.0.1:{port}", "eventreg:create_app()"],
                cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        ready = f"http://127.0.0.1:{port}/readyz"
        try:
            assert wait_for(ready, 200, deadline) == (
                200,
                {"status": "ready", "checks": {"database": "ok"}},
            )
            # Both workers hold a pooled connection to the server about to stop.
            for _ in range(6):
                probe(ready)
            postgres.stop()
            down = wait_for(ready, 503, deadline)
            assert down[0] == 503, down
            assert down[1]["checks"]["database"].startswith("unreachable")
            assert probe(f"http://127.0.0.1:{port}/healthz")[0] == 200  # alive, not ready
            postgres.start()
            assert wait_for(ready, 200, deadline)[0] == 200
            assert server.poll() is None  # the same server, never restarted
        finally:
            stop(server)


def test_metrics_add_up_every_gunicorn_worker(app, db, tmp_path):
    """Workers replaced every 8 requests: /metrics still counts each request exactly once."""
    port = free_port()
    env = {
        **os.environ,
        "EVENTREG_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "EVENTREG_SECRET_KEY": "metrics-test-only",
        "EVENTREG_LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    with (tmp_path / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
             "--workers", "2", "--max-requests", "8", "--max-requests-jitter", "0",
             "--bind", f"127.0.0.1:{port}", "eventreg:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(base + "/healthz", 200, time.monotonic() + TIME_LIMIT)[0] == 200
        # A replaced worker may take a while to boot on a busy machine: wait, never retry
        # (a retried request could be counted twice).
        for _ in range(20):
            probe(base + "/healthz", timeout=180)
        with urllib.request.urlopen(base + "/metrics", timeout=180) as response:
            text = response.read().decode()
        served = [
            line
            for line in text.splitlines()
            if line.startswith("eventreg_http_request_duration_seconds_count")
            and 'endpoint="health.healthz"' in line
        ]
        assert len(served) == 1, text
        assert float(served[0].rsplit(" ", 1)[1]) == 21  # the first probe and the twenty
        # Three or more processes served them, one after the other.
        assert len(list((tmp_path / "metrics").glob("histogram_*.db"))) >= 3
    finally:
        stop(server)
