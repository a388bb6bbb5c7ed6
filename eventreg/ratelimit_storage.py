"""A storage for the limits library that counts in the application's database.

Without Redis, this is what makes a limit hold across gunicorn workers and nodes: each
request adds one hit with a single upsert (INSERT ... ON CONFLICT DO UPDATE ...
RETURNING), atomic on PostgreSQL and SQLite alike, in its own short transaction on its
own connection, so the count stands whatever the request then does. It offers the
fixed-window strategy, Flask-Limiter's default.
"""

from __future__ import annotations

import random
import time
from typing import Any

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .models.ratelimits import RateLimitCounter

TABLE: sa.Table = RateLimitCounter.__table__  # type: ignore[assignment]

# One hit in this many also deletes the windows that have ended, so the table stays small.
SWEEP_ONE_IN = 200


class DatabaseStorage(Storage):
    """`database://`: counters in the rate_limit_counters table of the app's database."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sa.exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` hits to the key's window (a new window if it ended); the new count."""
        now = time.time()
        table = TABLE
        with db.engine.begin() as connection:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            insert = dialect.insert(table).values(key=key, hits=amount, expires_at=now + expiry)
            ended = table.c.expires_at <= now
            upsert = insert.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "hits": sa.case((ended, amount), else_=table.c.hits + amount),
                    "expires_at": sa.case((ended, now + expiry), else_=table.c.expires_at),
                },
            ).returning(table.c.hits)
            hits = int(connection.execute(upsert).scalar_one())
            if random.randrange(SWEEP_ONE_IN) == 0:
                connection.execute(sa.delete(table).where(table.c.expires_at < now))
        return hits

    def _row(self, key: str) -> tuple[int, float] | None:
        table = TABLE
        with db.engine.connect() as connection:
            row = connection.execute(
                sa.select(table.c.hits, table.c.expires_at).where(
                    table.c.key == key, table.c.expires_at > time.time()
                )
            ).first()
        return (int(row.hits), float(row.expires_at)) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(sa.delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        table = TABLE
        with db.engine.begin() as connection:
            connection.execute(sa.delete(table).where(table.c.key == key))
