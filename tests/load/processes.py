"""Stopping the servers and workers a load test started, even on a slow, busy machine."""

from __future__ import annotations

import os
import signal
import subprocess


def stop(process: subprocess.Popen, *, grace: float = 60) -> None:
    """SIGTERM to the process group (gunicorn's master and workers); SIGKILL after `grace`.

    A test must never leave a process behind: that would fail a later test with a
    ResourceWarning, or keep a port or a database busy.
    """
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)
