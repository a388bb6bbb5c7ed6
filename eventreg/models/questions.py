"""The organiser's own questions on an activity's forms, their options and the answers given."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .activities import Activity
    from .applications import Application


class FormKind(enum.StrEnum):
    """Which form a question belongs to: the application, or the one after acceptance."""

    APPLICATION = "application"
    FOLLOW_UP = "follow_up"


def text_in(texts: dict[str, str], language: str | None = None) -> str:
    """A translated text in `language` when there is one, else in English."""
    if language and texts.get(language):
        return texts[language]
    return texts.get("en", "")


class Question(Model):
    """One question (or heading) on an activity's form.

    Labels, help texts and options are stored per language ({"en": ..., "fr": ...});
    English is required. A question with answers is archived, never deleted.
    """

    __tablename__ = "questions"
    __table_args__ = (sa.Index("ix_questions_activity_form", "activity_id", "form", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    form: Mapped[FormKind] = mapped_column(
        enum_column(FormKind, "form_kind"), default=FormKind.APPLICATION
    )
    # The type's name in eventreg.questions (a string: new types need no migration).
    type: Mapped[str] = mapped_column(sa.String(32))
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    help: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    required: Mapped[bool] = mapped_column(default=False)
    # Type-specific settings: min/max, length limit, picks, display, size limit.
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Shown only when this earlier question's answer is one of `condition_values`.
    condition_question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="SET NULL")
    )
    condition_values: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question",
        order_by="QuestionOption.position",
        cascade="all, delete-orphan",
    )
    condition_question: Mapped[Question | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.type} {self.label.get('en', '')!r}>"

    def text(self, language: str | None = None) -> str:
        return text_in(self.label, language)

    @property
    def live_options(self) -> list[QuestionOption]:
        return [option for option in self.options if option.archived_at is None]


class QuestionOption(Model):
    """A choice offered by a question, with an optional limit of places."""

    __tablename__ = "question_options"
    __table_args__ = (
        sa.CheckConstraint("places IS NULL OR places >= 0", name="places_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    places: Mapped[int | None] = mapped_column()
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    question: Mapped[Question] = relationship(back_populates="options")

    def text(self, language: str | None = None) -> str:
        return text_in(self.label, language)


class Answer(Model):
    """What an applicant answered to one question, with the wording it was given under."""

    __tablename__ = "answers"
    __table_args__ = (sa.UniqueConstraint("application_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="RESTRICT"), index=True
    )
    # The question's label and the answer as text, as the applicant saw them.
    label: Mapped[str] = mapped_column(sa.Text, default="")
    shown: Mapped[str] = mapped_column(sa.Text, default="")
    # The answer as typed data: text, number, ISO date, bool, option ids or a stored file.
    value: Mapped[Any] = mapped_column(sa.JSON)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    question: Mapped[Question] = relationship()
    choices: Mapped[list[AnswerChoice]] = relationship(
        back_populates="answer", cascade="all, delete-orphan"
    )


class AnswerChoice(Model):
    """One option picked in an answer: what places per option and the filters count."""

    __tablename__ = "answer_choices"
    __table_args__ = (
        sa.UniqueConstraint("answer_id", "option_id"),
        sa.Index("ix_answer_choices_option_application", "option_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"))
    # Repeated from the answer so that counting and filtering need no join through it.
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE")
    )
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_options.id", ondelete="RESTRICT")
    )

    answer: Mapped[Answer] = relationship(back_populates="choices")
