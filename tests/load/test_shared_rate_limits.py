"""A rate limit holds across gunicorn's workers without Redis: they count in the database."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from eventreg.extensions import db as database

from .processes import stop
from .test_concurrent_office import Browser, free_port, token

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 240
LIMIT, CLIENTS, TRIES = 10, 6, 5


def test_sign_in_limit_is_counted_across_workers_without_redis(app, db, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "EVENTREG_DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
        "EVENTREG_SECRET_KEY": "rate-limit-test-only",
        "EVENTREG_LOG_LEVEL": "WARNING",
        "EVENTREG_RATE_LIMITS": f'{{"auth.sign_in": "{LIMIT} per minute"}}',
    }
    env.pop("EVENTREG_REDIS_URL", None)
    with (tmp_path / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "3",
             "--bind", f"127.0.0.1:{port}", "eventreg:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + TIME_LIMIT
    try:
        while True:
            assert time.monotonic() < deadline, "gunicorn did not start in time"
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:
                time.sleep(0.2)
        # Every worker answers before the count starts (a slow machine boots them one by one).
        for _ in range(6):
            urllib.request.urlopen(base + "/healthz", timeout=60).close()
        codes: list[int] = []

        def hammer() -> None:
            person = Browser(base)
            form = token(person.open("/staff/sign-in"))
            for _ in range(TRIES):
                person.open(
                    "/staff/sign-in",
                    {"email": "nobody@example.org", "password": "guess", "csrf_token": form},
                )
            codes.extend(person.codes[1:])

        threads = [threading.Thread(target=hammer) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 1))
        assert len(codes) == CLIENTS * TRIES
        # Every attempt came from 127.0.0.1: exactly the limit got through, whichever
        # worker answered; per-process counting let up to three times as many through.
        assert sorted(set(codes)) == [200, 429]
        assert codes.count(200) == LIMIT
    finally:
        stop(server)
