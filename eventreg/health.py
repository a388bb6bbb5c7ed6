"""Probes for load balancers: /healthz (the process answers) and /readyz (it can serve).

/readyz checks what a request needs: the database answers, its schema is at the
migrations' head, and Redis answers when REDIS_URL is set. It answers 503 while any of
them fails and 200 again once they recover, without a restart (the pool pings first).
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from werkzeug.wrappers import Response

from .extensions import db
from .settings import MIGRATIONS_DIR

bp = Blueprint("health", __name__)

# A probe must answer before the balancer's own timeout (typically 2-5 s).
PROBE_TIMEOUT_SECONDS = 2


@cache
def migration_heads() -> frozenset[str]:
    """The revisions the code expects the database to be at (read once per process)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def check_database() -> str:
    """'ok', or why the database cannot serve: unreachable, or migrations not applied."""
    try:
        with db.engine.connect() as connection:
            found = set(
                connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
            )
    except sa.exc.SQLAlchemyError as error:
        return f"unreachable: {type(getattr(error, 'orig', None) or error).__name__}"
    expected = migration_heads()
    if found != expected:
        return f"migrations not current: at {sorted(found)}, expected {sorted(expected)}"
    return "ok"


def check_redis() -> str | None:
    """'ok', why Redis does not answer, or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis

    try:
        client = redis.Redis.from_url(
            url,
            socket_timeout=PROBE_TIMEOUT_SECONDS,
            socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        )
        with client:
            client.ping()
    except redis.RedisError as error:
        return f"unreachable: {type(error).__name__}"
    return "ok"


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive and answers; nothing else is checked."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """200 when the database (and Redis, if configured) can serve requests, else 503."""
    checks = {"database": check_database()}
    redis_state = check_redis()
    if redis_state is not None:
        checks["redis"] = redis_state
    ready = all(state == "ok" for state in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


def init_app(app: Flask) -> None:
    """Register the probes; they are exempt from sessions' side effects and rate limits."""
    app.register_blueprint(bp)
