"""Shared by the benchmarks: a throwaway app on a fresh database, and writing results."""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

RESULTS = Path(__file__).resolve().parent / "results"


@contextmanager
def bench_app(**config: Any) -> Iterator[Flask]:
    """An app on a new SQLite file (or EVENTREG_BENCH_DATABASE_URL), migrated, in context."""
    from flask_migrate import upgrade

    from eventreg import create_app
    from eventreg.extensions import db

    with tempfile.TemporaryDirectory(prefix="eventreg-bench-") as folder:
        settings: dict[str, Any] = {
            "DATABASE_URL": os.environ.get("EVENTREG_BENCH_DATABASE_URL")
            or f"sqlite:///{folder}/bench.sqlite3",
            "SECRET_KEY": "bench-only",
            "OUTBOX_DIR": f"{folder}/outbox",
            "JOBS_SQLITE_PATH": f"{folder}/jobs.sqlite3",
            "LOG_LEVEL": "WARNING",
            "BASE_URL": "http://127.0.0.1:5000",
        }
        settings.update(config)
        app = create_app(settings)
        with app.app_context():
            upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(name: str, figures: dict[str, float | int | str]) -> None:
    """Print `name: value` lines (ratio last) and write bench/results/<name>.json."""
    ordered = {k: v for k, v in figures.items() if k != "ratio"}
    if "ratio" in figures:
        ordered["ratio"] = figures["ratio"]
    for key, value in ordered.items():
        print(f"{key}: {value}")
    RESULTS.mkdir(exist_ok=True)
    payload = {
        "figures": ordered,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
