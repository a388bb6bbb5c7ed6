"""The evaluation questionnaire: an activity's own questions, or the default set."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..formatting import moment_in
from ..models import (
    TAKING_PART,
    Activity,
    Application,
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationQuestion,
    EvaluationResponse,
    Module,
    QuestionKind,
    StaffUser,
    utcnow,
)
from . import audit
from .errors import DomainError, TooEarly

# Asked when an activity has no questionnaire of its own: the announcement promises to
# measure "the perceived relevance of the programme and the effectiveness of the
# methodology and materials". Ratings run from 1 (poor) to 5 (excellent).
DEFAULT_QUESTIONS: tuple[tuple[QuestionKind, str], ...] = (
    (QuestionKind.RATING, "Relevance of the programme to your work"),
    (QuestionKind.RATING, "Effectiveness of the methodology"),
    (QuestionKind.RATING, "Quality and usefulness of the materials"),
    (QuestionKind.RATING, "Quality of the facilitation"),
    (QuestionKind.RATING, "Organisation and logistics"),
    (QuestionKind.OPEN, "What did you find most useful?"),
    (QuestionKind.OPEN, "What should be improved?"),
    (QuestionKind.OPEN, "How will you apply what you learned in your work?"),
)


def stored_questions(activity: Activity) -> list[EvaluationQuestion]:
    """The activity's own questions now asked, in order (possibly none): the general
    section first, then one section per module."""
    questions = [
        q
        for q in db.session.scalars(
            sa.select(EvaluationQuestion)
            .where(
                EvaluationQuestion.activity_id == activity.id,
                EvaluationQuestion.retired_at.is_(None),
            )
            .order_by(EvaluationQuestion.position, EvaluationQuestion.id)
        )
    ]
    return sorted(questions, key=_section_order)


def _section_order(question: EvaluationQuestion) -> tuple[int, int]:
    return (question.module.number if question.module else 0, question.position)


@dataclass(frozen=True)
class Section:
    """Questions about the whole activity (no module) or about one module, in order."""

    module: Module | None
    questions: list[EvaluationQuestion]

    def of_kind(self, kind: str) -> list[EvaluationQuestion]:
        return [q for q in self.questions if q.kind == kind]


def sections(questions: list[EvaluationQuestion]) -> list[Section]:
    """Questions grouped as the forms show them: the general section, then each module's."""
    grouped: list[Section] = []
    for question in questions:
        module = question.module if question.module_id else None
        if not grouped or grouped[-1].module is not module:
            grouped.append(Section(module, []))
        grouped[-1].questions.append(question)
    return grouped


def default_questions(activity: Activity) -> list[EvaluationQuestion]:
    """The organisation's default set (as edited by admins, else the built-in one) for an
    activity, as new objects that are not added to the session."""
    organisation_set = list(
        db.session.scalars(
            sa.select(EvaluationQuestion)
            .where(
                EvaluationQuestion.activity_id.is_(None),
                EvaluationQuestion.retired_at.is_(None),
            )
            .order_by(EvaluationQuestion.position, EvaluationQuestion.id)
        )
    )
    if organisation_set:
        return [
            EvaluationQuestion(
                activity_id=activity.id,
                position=position,
                kind=q.kind,
                text=q.text,
                low_label=q.low_label,
                high_label=q.high_label,
                options=list(q.options or []),
            )
            for position, q in enumerate(organisation_set, start=1)
        ]
    return [
        EvaluationQuestion(
            activity_id=activity.id,
            position=position,
            kind=kind,
            text=text,
            low_label="",
            high_label="",
            options=[],
        )
        for position, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    ]


def questions_for(activity: Activity) -> list[EvaluationQuestion]:
    """The questionnaire of an activity: its own questions, or the default set when it has none.

    The default questions are not saved (they have no id); `ensure_questions` saves them
    when answers need to point at them.
    """
    return stored_questions(activity) or default_questions(activity)


def ensure_questions(activity: Activity) -> list[EvaluationQuestion]:
    """The activity's questions, saving the default set first if it has none; flushes."""
    questions = stored_questions(activity)
    if questions:
        return questions
    questions = default_questions(activity)
    db.session.add_all(questions)
    db.session.flush()
    return questions


def asked_and_answered(activity: Activity) -> list[EvaluationQuestion]:
    """The questions now asked, then earlier versions that have answers (their words as
    they were): what the report and the CSV show."""
    earlier = list(
        db.session.scalars(
            sa.select(EvaluationQuestion)
            .where(
                EvaluationQuestion.activity_id == activity.id,
                EvaluationQuestion.retired_at.is_not(None),
                sa.exists().where(EvaluationAnswer.question_id == EvaluationQuestion.id),
            )
            .order_by(EvaluationQuestion.position, EvaluationQuestion.id)
        )
    )
    return questions_for(activity) + earlier


# --- Online evaluation: invitations, answers, and the report staff send upward ---------------

RATING_SCALE = (1, 2, 3, 4, 5)
SATISFIED = (4, 5)
OPEN_ANSWER_LIMIT = 3000


class EvaluationClosed(DomainError):
    """This evaluation link was used already, or is unknown."""


class InvalidAnswers(DomainError):
    """A rating is missing or out of range, or a text is too long."""


def why_no_invitations(activity: Activity, *, now: datetime | None = None) -> TooEarly | None:
    """The refusal inviting participants to evaluate would meet now, or None: invitations
    go once the activity has started. Pages show it before the click."""
    if (now or clock.now()) < activity.starts_at:
        return TooEarly(
            _(
                "Participants are invited to evaluate once the activity has started, "
                "on %(moment)s.",
                moment=moment_in(activity.starts_at, activity.timezone),
            )
        )
    return None


def invite_participants(
    activity: Activity, *, module: Module | None = None, by: StaffUser | None
) -> list[EvaluationInvitation]:
    """Send each confirmed or attended participant without one an evaluation link; flushes.

    One invitation per participant (and per module when the activity evaluates modules),
    so inviting again only reaches those added since. Refuses (TooEarly) an activity that
    has not started.
    """
    from ..emails import queue_email

    refusal = why_no_invitations(activity)
    if refusal is not None:
        raise refusal

    invited = set(
        db.session.scalars(
            sa.select(EvaluationInvitation.application_id)
            .join(Application)
            .where(
                Application.activity_id == activity.id,
                EvaluationInvitation.module_id == module.id
                if module
                else EvaluationInvitation.module_id.is_(None),
            )
        )
    )
    created = []
    for application in db.session.scalars(
        sa.select(Application).where(
            Application.activity_id == activity.id,
            Application.status.in_(TAKING_PART),
        )
    ):
        if application.id in invited:
            continue
        invitation = EvaluationInvitation(
            application_id=application.id, module_id=module.id if module else None
        )
        db.session.add(invitation)
        db.session.flush()
        queue_email(
            "evaluation_invitation",
            application=application,
            to=application.email,
            module=module,
            anonymous=activity.evaluation_anonymous,
            link=f"{current_app.config['BASE_URL'].rstrip('/')}/evaluate/{invitation.token}",
        )
        created.append(invitation)
    if created:
        audit.record("evaluation_invited", activity, by=by, after={"invited": len(created)})
    return created


def open_invitation(token: str) -> EvaluationInvitation:
    """The unused invitation behind a link; refuses a used or unknown one."""
    invitation = db.session.scalar(
        sa.select(EvaluationInvitation).where(EvaluationInvitation.token == token)
    )
    if invitation is None or invitation.used_at is not None:
        raise EvaluationClosed(_("This evaluation link was already used, or is not valid."))
    return invitation


def _answers(activity: Activity, values: Mapping[int, int | str | None]) -> list[EvaluationAnswer]:
    answers = []
    for question in ensure_questions(activity):
        value = values.get(question.id)
        asked, field = {"question": question.text}, f"q{question.id}"
        if question.kind == QuestionKind.RATING:
            if not isinstance(value, int) or value not in RATING_SCALE:
                raise InvalidAnswers(_("Rate “%(question)s” from 1 to 5.", **asked), field=field)
            answers.append(EvaluationAnswer(question_id=question.id, rating=value))
        elif question.kind == QuestionKind.CHOICE:
            chosen = str(value or "")
            if chosen and chosen not in question.options:
                refusal = _("Choose one of the answers offered to “%(question)s”.", **asked)
                raise InvalidAnswers(refusal, field=field)
            # The option's words are kept, as the question's are: later edits leave them.
            answers.append(EvaluationAnswer(question_id=question.id, text=chosen))
        else:
            text = str(value or "").strip()
            if len(text) > OPEN_ANSWER_LIMIT:
                limit = format_number(OPEN_ANSWER_LIMIT)
                refusal = _("Please keep each answer under %(count)s characters.", count=limit)
                raise InvalidAnswers(refusal, field=field)
            answers.append(EvaluationAnswer(question_id=question.id, text=text))
    return answers


def submit_online(
    invitation: EvaluationInvitation, values: Mapping[int, int | str | None]
) -> EvaluationResponse:
    """Record a participant's answers; an invitation answers once.

    The invitation is claimed with one conditional UPDATE, so two submissions of the same
    link (two tabs, a double click) cannot both count. The response is linked to the
    participant only when the activity does not evaluate anonymously.
    """
    activity = invitation.application.activity
    answers = _answers(activity, values)
    claimed = db.session.scalars(
        sa.update(EvaluationInvitation)
        .where(EvaluationInvitation.id == invitation.id, EvaluationInvitation.used_at.is_(None))
        .values(used_at=utcnow())
        .returning(EvaluationInvitation.id)
    ).first()
    if claimed is None:
        raise EvaluationClosed(_("This evaluation was already answered. Thank you!"))
    response = EvaluationResponse(
        activity_id=activity.id,
        module_id=invitation.module_id,
        application_id=None if activity.evaluation_anonymous else invitation.application_id,
        answers=answers,
    )
    db.session.add(response)
    db.session.flush()
    return response


def record_paper(
    activity: Activity,
    values: Mapping[int, int | str | None],
    *,
    module: Module | None = None,
    by: StaffUser | None,
) -> EvaluationResponse:
    """Type in a paper evaluation sheet; audited, never linked to a name."""
    response = EvaluationResponse(
        activity_id=activity.id,
        module_id=module.id if module else None,
        from_paper=True,
        answers=_answers(activity, values),
    )
    db.session.add(response)
    db.session.flush()
    audit.record("evaluation_typed_in", activity, by=by, after={"response": response.id})
    return response


@dataclass(frozen=True)
class QuestionResult:
    """One question's answers: the count, mean and distribution of ratings, or the texts."""

    question: EvaluationQuestion
    count: int
    distribution: dict[int, int]
    texts: list[str]

    @property
    def retired(self) -> bool:
        """Asked earlier only: removed, or replaced by a new version, after answers came."""
        return self.question.retired_at is not None

    @property
    def choices(self) -> dict[str, int]:
        """A choice question's options with how often each was chosen (earlier options too)."""
        counted = {option: 0 for option in self.question.options or []}
        for text in self.texts:
            counted[text] = counted.get(text, 0) + 1
        return counted

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return sum(rating * n for rating, n in self.distribution.items()) / self.count


@dataclass(frozen=True)
class EvaluationReport:
    """What staff report upward: response rate, satisfaction rate, per-question results."""

    participants: int
    responses: int
    ratings: int
    satisfied: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> Fraction:
        return Fraction(self.responses, self.participants) if self.participants else Fraction(0)

    @property
    def satisfaction_rate(self) -> Fraction:
        """Share of all ratings, across the rating questions, that are 4 or 5."""
        return Fraction(self.satisfied, self.ratings) if self.ratings else Fraction(0)


def report(activity: Activity, *, module: Module | None = None) -> EvaluationReport:
    """The evaluation results of an activity (or one of its modules), in four queries."""
    questions = asked_and_answered(activity)
    scope = [EvaluationResponse.activity_id == activity.id]
    if module is not None:
        scope.append(EvaluationResponse.module_id == module.id)
    responses = int(
        db.session.scalar(sa.select(sa.func.count(EvaluationResponse.id)).where(*scope)) or 0
    )
    counts: dict[int, dict[int, int]] = {}
    for question_id, rating, n in db.session.execute(
        sa.select(EvaluationAnswer.question_id, EvaluationAnswer.rating, sa.func.count())
        .join(EvaluationResponse)
        .where(*scope, EvaluationAnswer.rating.is_not(None))
        .group_by(EvaluationAnswer.question_id, EvaluationAnswer.rating)
    ):
        if rating is not None:
            counts.setdefault(question_id, {})[rating] = int(n)
    texts: dict[int, list[str]] = {}
    for question_id, text in db.session.execute(
        sa.select(EvaluationAnswer.question_id, EvaluationAnswer.text)
        .join(EvaluationResponse)
        .where(*scope, EvaluationAnswer.rating.is_(None), EvaluationAnswer.text != "")
        .order_by(EvaluationAnswer.id)
    ):
        texts.setdefault(question_id, []).append(text)
    participants = int(
        db.session.scalar(
            sa.select(sa.func.count(Application.id)).where(
                Application.activity_id == activity.id,
                Application.status.in_(TAKING_PART),
            )
        )
        or 0
    )
    results = []
    for question in questions:
        distribution = {r: counts.get(question.id or -1, {}).get(r, 0) for r in RATING_SCALE}
        results.append(
            QuestionResult(
                question=question,
                count=sum(distribution.values()),
                distribution=distribution,
                texts=texts.get(question.id or -1, []),
            )
        )
    rated = [r for r in results if r.question.kind == QuestionKind.RATING]
    return EvaluationReport(
        participants=participants,
        responses=responses,
        ratings=sum(r.count for r in rated),
        satisfied=sum(r.distribution[4] + r.distribution[5] for r in rated),
        questions=results,
    )


def answers_csv(activity: Activity) -> str:
    """Raw answers, one row per response; names only when the evaluation is not anonymous."""
    ensure_questions(activity)
    questions = asked_and_answered(activity)
    named = not activity.evaluation_anonymous
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["response", "submitted_at", "module", "on_paper"]
        + (["participant"] if named else [])
        + [_cell(q.text) for q in questions]
    )
    responses = db.session.scalars(
        sa.select(EvaluationResponse)
        .where(EvaluationResponse.activity_id == activity.id)
        .options(selectinload(EvaluationResponse.answers), selectinload(EvaluationResponse.module))
        .order_by(EvaluationResponse.id)
    )
    names: dict[int, str] = {}
    if named:
        rows = db.session.execute(
            sa.select(
                Application.id, Application.given_names + " " + Application.family_name
            ).where(Application.activity_id == activity.id)
        )
        names = {application_id: name for application_id, name in rows}
    for response in responses:
        by_question = {a.question_id: a for a in response.answers}
        row: list[Any] = [
            response.id,
            response.submitted_at.isoformat(timespec="seconds"),
            response.module.number if response.module else "",
            "yes" if response.from_paper else "no",
        ]
        if named:
            row.append(_cell(names.get(response.application_id or -1, "")))
        for question in questions:
            answer = by_question.get(question.id)
            value = "" if answer is None else (answer.rating if answer.rating else answer.text)
            row.append(_cell(value) if isinstance(value, str) else value)
        writer.writerow(row)
    return buffer.getvalue()


def _cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
