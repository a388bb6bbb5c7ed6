"""Rate-limit counters kept in the database, so every worker and node shares one count."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class RateLimitCounter(Model):
    """Requests counted under one key (address, route, limit) in the current window."""

    __tablename__ = "rate_limit_counters"
    __table_args__ = (sa.CheckConstraint("hits >= 0", name="hits_not_negative"),)

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    # When the window ends, in seconds since the epoch (what the limits library counts in).
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
