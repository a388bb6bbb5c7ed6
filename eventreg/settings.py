"""Loads settings: defaults, then instance/config.py, then EVENTREG_* variables, then tests'."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config in order of precedence, and make sure a secret key exists."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object("eventreg.config")
    app.config.from_pyfile("config.py", silent=True)
    # EVENTREG_DATABASE_URL -> DATABASE_URL, EVENTREG_MAIL_PORT=587 -> MAIL_PORT (an int).
    app.config.from_prefixed_env("EVENTREG")
    if test_config is not None:
        app.config.update(test_config)

    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(
            app.instance_path, "eventreg.sqlite3"
        )
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["DATABASE_URL"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    if not app.config.get("BASE_URL"):
        app.config["BASE_URL"] = served_address()
    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.config["OUTBOX_DIR"] = app.config.get("OUTBOX_DIR") or os.path.join(
        app.instance_path, "outbox"
    )


def served_address() -> str:
    """The address `flask run` serves, as `make run HOST=... PORT=...` tells it.

    A server listening on every interface is reached from this machine at 127.0.0.1;
    anyone serving others sets EVENTREG_BASE_URL to the address they use.
    """
    host = os.environ.get("FLASK_RUN_HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('FLASK_RUN_PORT') or 5000}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the short form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret(instance: Path) -> str:
    """Read instance/secret_key, creating it (owner-only) on first start."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    secret = secrets.token_hex(32)
    # O_EXCL: if two processes start at once, one writes and both read the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret
