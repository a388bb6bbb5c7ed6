"""Reminders sent to applicants: at most one of each kind per application."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow


class ReminderKind(enum.StrEnum):
    CONFIRM_BY = "confirm_by"  # an accepted applicant who has not confirmed yet
    PAYMENT_DUE = "payment_due"  # an amount due as the activity comes near
    FIRST_SESSION = "first_session"  # the first session is tomorrow
    EVALUATION = "evaluation"  # an evaluation invitation not answered yet
    FOLLOW_UP = "follow_up"  # the follow-up form not answered as its deadline comes near


class Reminder(Model):
    """That a reminder of one kind went to one application (the email is in the outbox).

    The unique constraint makes "at most once per person and kind" hold even when two
    workers remind at the same moment.
    """

    __tablename__ = "reminders"
    __table_args__ = (sa.UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind, "reminder_kind"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
