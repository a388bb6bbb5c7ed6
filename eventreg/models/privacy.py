"""The privacy notice applicants accept: versioned, each version kept as published."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import UTCDateTime, utcnow


class PrivacyNotice(Model):
    """One published version of the privacy notice; a new text is a new version."""

    __tablename__ = "privacy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
