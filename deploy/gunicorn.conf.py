"""gunicorn settings for eventreg in production.

    gunicorn -c deploy/gunicorn.conf.py 'eventreg:create_app()'

Environment: EVENTREG_BIND (default 127.0.0.1:8000: a reverse proxy in front),
WEB_CONCURRENCY (workers; default 2 per CPU + 1), EVENTREG_WEB_TIMEOUT (seconds, 60).
Options given on the command line win over this file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

bind = os.environ.get("EVENTREG_BIND", "127.0.0.1:8000")
# Sync workers: on few cores they beat threads on tail latency (docs/ and bench/ show it).
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
# A request that takes longer is a bug or a job that should run in the worker.
timeout = int(os.environ.get("EVENTREG_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Behind a proxy that keeps connections open to us.
keepalive = 5
# A worker is replaced now and then, so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
# Client addresses and https behind the proxy come from EVENTREG_TRUSTED_PROXIES (the app's
# ProxyFix), the one place that decides which forwarded headers are believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket has one default path per user: two nodes on one machine
# would fight over it, and nothing here uses it.
control_socket_disable = True
accesslog = os.environ.get("EVENTREG_ACCESS_LOG", "-")
errorlog = "-"

# Prometheus: every worker writes its request figures into one folder so that /metrics
# adds up the whole node. The folder must exist before a worker imports prometheus_client,
# so it is chosen here, in the master, before the app is loaded.
_own_metrics_folder = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _own_metrics_folder:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="eventreg-metrics-")
_metrics_folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_starting(server: Any) -> None:
    """Start from zero: figures left by an earlier run of this node would be added in."""
    _metrics_folder.mkdir(parents=True, exist_ok=True)
    for stale in _metrics_folder.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ended keeps its counts; its live gauges are dropped."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    if _own_metrics_folder:
        shutil.rmtree(_metrics_folder, ignore_errors=True)
