"""Alembic environment for eventreg: runs against the app's engine and metadata."""

from __future__ import annotations

import logging
from typing import Any

from alembic import context
from flask import current_app

from eventreg.models.base import UTCDateTime

config = context.config
logger = logging.getLogger("alembic.env")
migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types as plain SQLAlchemy ones, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def skip_empty_autogenerate(context: Any, revision: Any, directives: list[Any]) -> None:
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online() -> None:
    options = dict(migrate_ext.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    options.setdefault("render_item", render_item)
    options.setdefault("compare_type", True)
    with migrate_ext.db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            run_sqlite_migrations(connection, options)
            return
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


def run_sqlite_migrations(connection: Any, options: dict[str, Any]) -> None:
    """All of a SQLite upgrade in one real transaction, foreign keys checked at the end.

    Batch migrations copy and drop tables, which fails with foreign keys on once rows exist,
    and the sqlite3 module does not put DDL inside a transaction: a failure halfway would
    leave a half-migrated database. So: keys off, explicit BEGIN, check, then COMMIT.
    """
    driver = connection.connection.driver_connection
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    driver.isolation_level = None
    try:
        connection.exec_driver_sql("BEGIN")
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        context.run_migrations()
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration would break foreign keys: {broken[:5]}")
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        driver.isolation_level = ""
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run them online.")
run_migrations_online()
