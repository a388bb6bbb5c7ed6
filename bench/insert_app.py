"""The yardstick for bench/apply.py: a bare Flask endpoint that inserts one row.

Served by gunicorn exactly like eventreg (same workers, same database file or server), so
that `ratio` compares a complete application with the cheapest write a Flask app can do.
The database URL comes from BENCH_DATABASE_URL; the table is created by bench/apply.py.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, request

metadata = sa.MetaData()
rows = sa.Table(
    "bench_rows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("payload", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


def engine_for(url: str) -> sa.Engine:
    """An engine with eventreg's SQLite settings (WAL, busy timeout), or plain PostgreSQL."""
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def configure(dbapi_connection: Any, _record: Any) -> None:
            """The same pragmas as eventreg.database."""
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def create_app() -> Flask:
    """The bare app: POST /rows inserts one row and answers 201."""
    app = Flask(__name__)
    engine = engine_for(os.environ["BENCH_DATABASE_URL"])

    @app.post("/rows")
    def insert_row() -> tuple[str, int]:
        """Insert one row."""
        with engine.begin() as connection:
            connection.execute(
                rows.insert().values(
                    payload=request.form.get("payload", "")[:200], created_at=datetime.now(UTC)
                )
            )
        return "created", 201

    @app.get("/ready")
    def ready() -> str:
        """For the benchmark to see that the server is up."""
        return "ok"

    return app
