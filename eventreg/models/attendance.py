"""After selection: attendance per session, evaluations, and certificates."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .activities import Activity, ActivitySession, Module
    from .applications import Application
    from .staff import StaffUser


class Attendance(Model):
    """Whether one participant was present at one session; last write wins and is audited."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("application_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    present: Mapped[bool] = mapped_column()
    marked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    session: Mapped[ActivitySession] = relationship()
    marked_by: Mapped[StaffUser | None] = relationship()


class QuestionKind(enum.StrEnum):
    RATING = "rating"  # 1 to 5, with labelled ends
    OPEN = "open"
    CHOICE = "choice"  # one of the question's options


class EvaluationQuestion(Model):
    """A question of an activity's evaluation questionnaire, or (no activity) of the
    organisation's default set.

    Once answered, a question's wording never changes: editing it retires it and adds a
    new version, so each answer keeps the words it was given under.
    """

    __tablename__ = "evaluation_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    text: Mapped[str] = mapped_column(sa.Text)
    # A rating's two ends, e.g. "poor" and "excellent".
    low_label: Mapped[str] = mapped_column(sa.String(60), default="")
    high_label: Mapped[str] = mapped_column(sa.String(60), default="")
    # A choice question's options, in order.
    options: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The module whose section the question is in; none: the general section.
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modules.id", ondelete="SET NULL"))
    # Set when the question was removed or replaced by a new version after answers came.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The question this one is a new version of.
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("evaluation_questions.id", ondelete="SET NULL")
    )

    activity: Mapped[Activity | None] = relationship()
    module: Mapped[Module | None] = relationship()

    @property
    def scale_ends(self) -> tuple[str, str]:
        """The words at either end of a rating: the question's own, else poor/excellent."""
        return (self.low_label or "poor", self.high_label or "excellent")


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class EvaluationInvitation(Model):
    """The right of one participant to answer one evaluation once.

    Kept apart from the response so that an anonymous answer is not linked to a name.
    """

    __tablename__ = "evaluation_invitations"
    __table_args__ = (sa.UniqueConstraint("application_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_invitation_token)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship()


class EvaluationResponse(Model):
    """One filled questionnaire, online or typed in from paper."""

    __tablename__ = "evaluation_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modules.id", ondelete="SET NULL"))
    # Set only when the activity does not evaluate anonymously.
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="SET NULL")
    )
    from_paper: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answers: Mapped[list[EvaluationAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    module: Mapped[Module | None] = relationship()


class EvaluationAnswer(Model):
    """The answer to one question in one response."""

    __tablename__ = "evaluation_answers"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "question_id"),
        sa.CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_questions.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int | None] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text, default="")

    response: Mapped[EvaluationResponse] = relationship(back_populates="answers")
    question: Mapped[EvaluationQuestion] = relationship()


def new_certificate_code() -> str:
    """A verification code people can type: 4 groups of 4, no ambiguous characters."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


class Certificate(Model):
    """A participant's certificate, verifiable by anyone who has its code."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"), unique=True
    )
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_certificate_code)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(sa.Text, default="")

    application: Mapped[Application] = relationship()

    @property
    def activity_id(self) -> int:
        """The activity the certificate is for (through its application)."""
        return self.application.activity_id
