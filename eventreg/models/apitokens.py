"""Personal API tokens: a staff member's key to the JSON API, stored only as a hash."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, utcnow
from .staff import StaffUser


class ApiToken(Model):
    """A token acts as its owner, with the owner's roles as they are at each request."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    # SHA-256 of the secret, hex: the secret itself is shown once and never stored.
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters of the secret, so its owner can tell their tokens apart.
    hint: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[StaffUser] = relationship()

    def usable(self, now: datetime) -> bool:
        """Not revoked, not expired, and its owner's account is active."""
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and self.expires_at <= now:
            return False
        return self.owner.active
