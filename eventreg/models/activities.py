"""Activities and what an applicant reads about them: modules, sessions, fees, contacts."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .base import UTCDateTime, enum_column, utcnow
from .content import Translated

if TYPE_CHECKING:
    from .programme import Partner, ProgrammePerson
    from .staff import StaffUser


class ActivityKind(enum.StrEnum):
    WORKSHOP = "workshop"
    TRAINING_COURSE = "training_course"
    TRAINING_OF_TRAINERS = "training_of_trainers"
    WEBINAR = "webinar"
    CONGRESS_SESSION = "congress_session"
    EXCHANGE_VISIT = "exchange_visit"

    @property
    def label(self) -> str:
        """The kind as the reader's language names it."""
        return {
            "workshop": _("Workshop"),
            "training_course": _("Training course"),
            "training_of_trainers": _("Training of trainers"),
            "webinar": _("Webinar"),
            "congress_session": _("Congress session"),
            "exchange_visit": _("Exchange visit"),
        }[self.value]


class ActivityStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"


class SessionKind(enum.StrEnum):
    PLENARY = "plenary"
    GROUP_WORK = "group_work"
    FIELD_VISIT = "field_visit"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The kind as the reader's language names it."""
        return {
            "plenary": _("Plenary"),
            "group_work": _("Group work"),
            "field_visit": _("Field visit"),
            "other": _("Other"),
        }[self.value]


class AudienceTier(enum.StrEnum):
    PRIMARY = "primary"  # "primarily addressed to"
    ALSO = "also"  # "also open to"


session_trainers = sa.Table(
    "session_trainers",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "staff_user_id", sa.ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    ),
)


def call_is_open(
    status: ActivityStatus, opens_at: datetime | None, deadline_at: datetime, at: datetime
) -> bool:
    """Whether an activity with this status and call accepts an application at `at`."""
    if status != ActivityStatus.PUBLISHED:
        return False
    if opens_at is not None and at < opens_at:
        return False
    return at <= deadline_at


class Activity(Translated, Model):
    """One workshop, course, ToT series, webinar, congress session or exchange visit."""

    TRANSLATED = (
        "title",
        "subtitle",
        "summary",
        "background",
        "objectives",
        "outcomes",
        "methodology",
        "evaluation_note",
        "audience_note",
        "language_requirement",
        "not_included",
        "costshare_offer",
    )

    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(
            "opens_at IS NULL OR opens_at < deadline_at", name="opens_before_deadline"
        ),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint(
            "certificate_threshold >= 0 AND certificate_threshold <= 100",
            name="threshold_is_percentage",
        ),
        sa.CheckConstraint("costshare_budget >= 0", name="budget_not_negative"),
        sa.CheckConstraint(
            "costshare_cap IS NULL OR costshare_cap >= 0", name="costshare_cap_not_negative"
        ),
        sa.CheckConstraint("length(currency) = 3", name="currency_is_iso_code"),
        sa.CheckConstraint("length(reference) > 0", name="reference_not_empty"),
        sa.CheckConstraint("paper_size IN ('A4', 'Letter')", name="paper_size_known"),
        sa.CheckConstraint("confirm_within_days > 0", name="confirm_within_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(32), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    status: Mapped[ActivityStatus] = mapped_column(
        enum_column(ActivityStatus, "activity_status"), default=ActivityStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    subtitle: Mapped[str] = mapped_column(sa.String(300), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    background: Mapped[str] = mapped_column(sa.Text, default="")
    objectives: Mapped[str] = mapped_column(sa.Text, default="")
    outcomes: Mapped[str] = mapped_column(sa.Text, default="")
    methodology: Mapped[str] = mapped_column(sa.Text, default="")
    evaluation_note: Mapped[str] = mapped_column(sa.Text, default="")
    audience_note: Mapped[str] = mapped_column(sa.Text, default="")
    # ISO 639-1 codes; the first one is the working (main) language, which the text columns
    # are written in; `translations` holds the others' (models/content.py).
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["en"])
    language_requirement: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    # Extra zones to show times in, e.g. a webinar's "15:00 Europe / 18:30 Delhi".
    display_timezones: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(default=30)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    not_included: Mapped[str] = mapped_column(sa.Text, default="")
    costshare_offer: Mapped[str] = mapped_column(sa.Text, default="")
    costshare_budget: Mapped[int] = mapped_column(default=0)  # minor units
    costshare_cap: Mapped[int | None] = mapped_column()  # participants, None = no cap
    certificate_threshold: Mapped[int] = mapped_column(default=80)  # percent of sessions
    # Branding and paper for PDFs; an empty organiser name falls back to ORGANISER_NAME.
    organiser_name: Mapped[str] = mapped_column(sa.String(200), default="")
    logo_path: Mapped[str | None] = mapped_column(sa.String(300))
    paper_size: Mapped[str] = mapped_column(sa.String(8), default="A4")
    # [{"name": "...", "title": "..."}] printed under the certificate.
    certificate_signatories: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    # Selection and evaluation settings.
    confirm_within_days: Mapped[int] = mapped_column(default=14)
    waitlist_auto_offer: Mapped[bool] = mapped_column(default=False)
    evaluation_anonymous: Mapped[bool] = mapped_column(default=True)
    evaluation_per_module: Mapped[bool] = mapped_column(default=False)
    # Optional built-in fields of the application form this activity does not ask.
    builtin_off: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The last day accepted applicants answer the follow-up form (travel, passport, diet).
    follow_up_by: Mapped[date | None] = mapped_column(sa.Date)
    # Days after the end to keep applicants who did not take part / participants before
    # the retention job erases them; None: the organisation's RETENTION_* defaults.
    keep_others_days: Mapped[int | None] = mapped_column()
    keep_participants_days: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="activity", order_by="Module.number", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[ActivitySession]] = relationship(
        back_populates="activity",
        order_by="ActivitySession.starts_at",
        cascade="all, delete-orphan",
    )
    fee_components: Mapped[list[FeeComponent]] = relationship(
        back_populates="activity", order_by="FeeComponent.position", cascade="all, delete-orphan"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="activity", order_by="Contact.position", cascade="all, delete-orphan"
    )
    audience_groups: Mapped[list[AudienceGroup]] = relationship(
        back_populates="activity",
        order_by="(AudienceGroup.tier, AudienceGroup.position)",
        cascade="all, delete-orphan",
    )
    people: Mapped[list[ProgrammePerson]] = relationship(
        back_populates="activity",
        order_by="(ProgrammePerson.position, ProgrammePerson.id)",
        cascade="all, delete-orphan",
    )
    partners: Mapped[list[Partner]] = relationship(
        back_populates="activity",
        order_by="(Partner.position, Partner.id)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Activity {self.reference}>"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue

    @property
    def fee_total(self) -> int:
        """The full fee in minor units: the sum of the components."""
        return sum(component.amount for component in self.fee_components)

    @property
    def working_language(self) -> str:
        return self.languages[0] if self.languages else "en"

    @property
    def start_date(self) -> date:
        return self.starts_at.astimezone(self.zone).date()

    @property
    def end_date(self) -> date:
        return self.ends_at.astimezone(self.zone).date()

    def content_fallback(self, language: str) -> str:
        """How much of what a reader in `language` sees of the activity is in the main
        language instead: "" (none), "some" or "all" (nothing entered in `language`)."""
        if language == self.working_language:
            return ""
        parts: list[Translated] = [self, *self.modules, *self.fee_components, *self.contacts]
        if not any(part.untranslated(language) for part in parts):
            return ""
        return "some" if any(part.translations.get(language) for part in parts) else "all"

    def is_open_for_applications(self, at: datetime) -> bool:
        """Whether the public form accepts a submission at this moment."""
        return call_is_open(self.status, self.opens_at, self.deadline_at, at)

    def audience(self, tier: AudienceTier) -> list[AudienceGroup]:
        return [group for group in self.audience_groups if group.tier == tier]

    def days(self) -> list[tuple[date, list[ActivitySession]]]:
        """The timetable grouped by day, in the activity's own timezone."""
        by_day: dict[date, list[ActivitySession]] = {}
        for session in self.sessions:
            by_day.setdefault(session.starts_at.astimezone(self.zone).date(), []).append(session)
        return sorted(by_day.items())

    @property
    def duration_days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def total_hours(self) -> float:
        seconds = sum(
            (session.ends_at - session.starts_at) / timedelta(seconds=1)
            for session in self.sessions
        )
        return round(seconds / 3600, 1)

    @property
    def total_minutes(self) -> int:
        """The sessions' length in whole minutes, for "31 hours 15 minutes"."""
        return round(sum((s.ends_at - s.starts_at) / timedelta(minutes=1) for s in self.sessions))


class Module(Translated, Model):
    """A numbered part of the programme that sessions belong to."""

    TRANSLATED = ("title", "description")

    __tablename__ = "modules"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    activity: Mapped[Activity] = relationship(back_populates="modules")
    sessions: Mapped[list[ActivitySession]] = relationship(
        back_populates="module", order_by="ActivitySession.starts_at"
    )


class ActivitySession(Model):
    """One slot of the timetable: a plenary, a group work, a field visit."""

    __tablename__ = "sessions"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("modules.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[SessionKind] = mapped_column(
        enum_column(SessionKind, "session_kind"), default=SessionKind.PLENARY
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    activity: Mapped[Activity] = relationship(back_populates="sessions")
    module: Mapped[Module | None] = relationship(back_populates="sessions")
    trainers: Mapped[list[StaffUser]] = relationship(secondary=session_trainers)

    def facilitators(self) -> list[str]:
        """The names, as on the programme, of this session's trainers who are linked to a
        person on it; trainers who are not on the programme are not named in public."""
        names = {p.staff_user_id: p.name for p in self.activity.people if p.staff_user_id}
        return [names[trainer.id] for trainer in self.trainers if trainer.id in names]

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.activity.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.activity.zone)


class FeeComponent(Translated, Model):
    """A part of the fee (tuition, subsistence) with what it covers; amount in minor units."""

    TRANSLATED = ("name", "covers")

    __tablename__ = "fee_components"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "name"),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    amount: Mapped[int] = mapped_column()
    covers: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[Activity] = relationship(back_populates="fee_components")


class Contact(Translated, Model):
    """Someone applicants may write to or call about the activity."""

    TRANSLATED = ("role",)

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(120))
    name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str] = mapped_column(sa.String(60), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[Activity] = relationship(back_populates="contacts")


class AudienceGroup(Model):
    """A target-audience category; also the organisation types applicants choose from."""

    __tablename__ = "audience_groups"
    __table_args__ = (sa.UniqueConstraint("activity_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    tier: Mapped[AudienceTier] = mapped_column(enum_column(AudienceTier, "audience_tier"))
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[Activity] = relationship(back_populates="audience_groups")
