"""Emails waiting to be delivered: written in the same transaction as the change behind them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"


class EmailOutbox(Model):
    """One email, delivered by the worker; never sent inside a web request."""

    __tablename__ = "email_outbox"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.Index("ix_email_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(sa.String(80))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # Unbounded: the name is an applicant's given and family names together, and the
    # subject carries an activity's title or a staff subject with placeholders filled in.
    to_name: Mapped[str] = mapped_column(sa.Text, default="")
    reply_to: Mapped[str] = mapped_column(sa.String(254), default="")
    subject: Mapped[str] = mapped_column(sa.Text)
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    # Queued to be written by the worker just before sending (emails.queue_email_later):
    # subject and bodies are empty until then.
    unwritten: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    claimed_by: Mapped[str] = mapped_column(sa.String(120), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="email", cascade="all, delete-orphan"
    )


class OutboxAttachment(Model):
    """A file sent with an email: a PDF letter, a certificate, an .ics calendar."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(
        sa.ForeignKey("email_outbox.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)

    email: Mapped[EmailOutbox] = relationship(back_populates="attachments")
