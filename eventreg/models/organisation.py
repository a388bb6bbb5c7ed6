"""The organisation's own settings: one row, edited by admins, read by every document."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import UTCDateTime, utcnow


class OrganisationSettings(Model):
    """Who the organisation is and how its documents look. An empty value means "the
    configured default" (ORGANISER_NAME, DEFAULT_TIMEZONE...), so a first run needs none."""

    __tablename__ = "organisation_settings"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    postal_address: Mapped[str] = mapped_column(sa.Text, default="")
    letterhead: Mapped[str] = mapped_column(sa.String(300), default="")
    # Keys in the file store (eventreg/files.py); the pictures are checked before saving.
    logo_key: Mapped[str | None] = mapped_column(sa.String(400))
    signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_title: Mapped[str] = mapped_column(sa.String(200), default="")
    signature_key: Mapped[str | None] = mapped_column(sa.String(400))
    default_timezone: Mapped[str] = mapped_column(sa.String(64), default="")
    default_currency: Mapped[str] = mapped_column(sa.String(3), default="")
    default_language: Mapped[str] = mapped_column(sa.String(8), default="")
    email_footer: Mapped[str] = mapped_column(sa.Text, default="")
    # Admins must sign in with a one-time code too; None: STAFF_ADMINS_NEED_TWO_FACTOR decides.
    admins_need_two_factor: Mapped[bool | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
