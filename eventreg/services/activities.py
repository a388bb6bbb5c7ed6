"""Managing activities: create, edit, publish, close, archive, duplicate for the next edition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa

from .. import files
from ..extensions import db
from ..models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    AudienceGroup,
    Contact,
    FeeComponent,
    Module,
    Partner,
    ProgrammePerson,
    Role,
    StaffAssignment,
    StaffUser,
    utcnow,
)
from ..models.content import Translated
from . import audit, decisions, questions
from .content import copied_texts
from .errors import DomainError
from .lifecycle import places_taken

# A part of an activity with texts per language (module, fee component, contact).
T = TypeVar("T", bound=Translated)

# The fields of an activity that staff edit on its main form; audited when they change.
EDITABLE = (
    "reference",
    "slug",
    "kind",
    *Activity.TRANSLATED,  # the texts applicants read, each also entered per language
    "languages",
    "venue",
    "online_url",
    "timezone",
    "display_timezones",
    "starts_at",
    "ends_at",
    "opens_at",
    "deadline_at",
    "capacity",
    "currency",
    "costshare_budget",
    "costshare_cap",
    "certificate_threshold",
    "organiser_name",
    "paper_size",
    "confirm_within_days",
    "waitlist_auto_offer",
    "evaluation_anonymous",
    "evaluation_per_module",
    "keep_others_days",
    "keep_participants_days",
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

# Which status may follow which.
NEXT_STATUS = {
    ActivityStatus.DRAFT: {ActivityStatus.PUBLISHED, ActivityStatus.ARCHIVED},
    ActivityStatus.PUBLISHED: {ActivityStatus.CLOSED, ActivityStatus.DRAFT},
    ActivityStatus.CLOSED: {ActivityStatus.PUBLISHED, ActivityStatus.ARCHIVED},
    ActivityStatus.ARCHIVED: set(),
}


class InvalidActivity(DomainError):
    """The activity's details do not hold together."""


class NotReadyToPublish(DomainError):
    """Something an applicant needs is missing."""


class InvalidStatusChange(DomainError):
    """That status cannot follow the current one."""


def known_timezones() -> list[str]:
    return sorted(available_timezones())


def local_to_utc(moment: datetime, zone: str, *, field: str) -> datetime:
    """A wall-clock time in a timezone, as UTC; refuses times that do not exist there.

    When clocks go forward an hour, the times in that hour never happen: such an input is
    refused with a message rather than silently moved.
    """
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidActivity("Choose a timezone from the list.", field="timezone") from error
    local = moment.replace(tzinfo=tz)
    back = local.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise InvalidActivity(
            f"{moment:%d %B %Y %H:%M} does not exist in {zone} (the clocks change then).",
            field=field,
        )
    return local.astimezone(ZoneInfo("UTC"))


def _check(values: dict[str, Any], *, activity_id: int | None) -> None:
    """Refuse values that do not fit together; each message names its field."""
    if not REFERENCE.match(values["reference"]):
        raise InvalidActivity(
            "Use letters, digits, dots, dashes or underscores (up to 32).", field="reference"
        )
    if not SLUG.match(values["slug"]):
        raise InvalidActivity(
            "Use lower-case letters, digits and single dashes, e.g. partnerships-2027.",
            field="slug",
        )
    for field in ("reference", "slug"):
        clash = db.session.scalar(
            sa.select(Activity.id).where(
                getattr(Activity, field) == values[field],
                Activity.id != (activity_id or -1),
            )
        )
        if clash:
            raise InvalidActivity(f"Another activity already uses this {field}.", field=field)
    if values["ends_at"] <= values["starts_at"]:
        raise InvalidActivity("The activity must end after it starts.", field="ends_at")
    if values["deadline_at"] > values["ends_at"]:
        raise InvalidActivity("The deadline cannot be after the end.", field="deadline_at")
    if values.get("opens_at") is not None and values["opens_at"] >= values["deadline_at"]:
        raise InvalidActivity("Applications must open before the deadline.", field="opens_at")
    if values["capacity"] < 0:
        raise InvalidActivity("Capacity cannot be negative.", field="capacity")
    if values["costshare_budget"] < 0:
        raise InvalidActivity("The budget cannot be negative.", field="costshare_budget")
    if not 0 <= values["certificate_threshold"] <= 100:
        raise InvalidActivity("Give a percentage from 0 to 100.", field="certificate_threshold")
    for zone in values.get("display_timezones") or []:
        if zone not in available_timezones():
            raise InvalidActivity(f"Unknown timezone {zone}.", field="display_timezones")


def create_activity(values: dict[str, Any], *, by: StaffUser) -> Activity:
    """A new draft activity; its creator becomes its activity manager (unless an admin)."""
    _check(values, activity_id=None)
    activity = Activity(status=ActivityStatus.DRAFT, **values)
    db.session.add(activity)
    db.session.flush()
    if not by.is_admin:
        db.session.add(
            StaffAssignment(
                staff_user_id=by.id, activity_id=activity.id, role=Role.ACTIVITY_MANAGER
            )
        )
    audit.record("activity_created", activity, by=by, after=audit.snapshot(activity, EDITABLE))
    return activity


def update_activity(activity: Activity, values: dict[str, Any], *, by: StaffUser) -> None:
    """Change an activity's details; refuses inconsistent values and changes nothing then.

    A capacity raised offers the new places to the waiting list when the activity offers
    freed places automatically.
    """
    _check(values, activity_id=activity.id)
    raised = values["capacity"] > activity.capacity
    if values["capacity"] < activity.capacity:
        taken = places_taken(activity.id)
        if values["capacity"] < taken:
            raise InvalidActivity(
                f"{taken} places are already taken: capacity cannot go below that.",
                field="capacity",
            )
    before = audit.snapshot(activity, EDITABLE)
    for name, value in values.items():
        setattr(activity, name, value)
    db.session.flush()
    audit.record(
        "activity_updated", activity, by=by, before=before, after=audit.snapshot(activity, EDITABLE)
    )
    if raised:
        decisions.offer_freed_places(activity.id, by=by)


def problems_before_publishing(activity: Activity) -> list[str]:
    """What an applicant would miss on the public page; empty when it can be published."""
    problems = []
    if not activity.summary.strip():
        problems.append("a summary")
    if not activity.contacts:
        problems.append("at least one contact")
    if not activity.venue and not activity.online_url:
        problems.append("a venue or an online link")
    if activity.capacity == 0:
        problems.append("a capacity above zero")
    return problems


def change_status(activity: Activity, status: ActivityStatus, *, by: StaffUser) -> None:
    """Publish, close, reopen, unpublish or archive, in the allowed order."""
    if status not in NEXT_STATUS[activity.status]:
        raise InvalidStatusChange(f"An activity that is {activity.status} cannot become {status}.")
    if status == ActivityStatus.PUBLISHED:
        missing = problems_before_publishing(activity)
        if missing:
            raise NotReadyToPublish("Before publishing, add " + ", ".join(missing) + ".")
    before = {"status": activity.status.value}
    activity.status = status
    db.session.flush()
    audit.record("activity_status", activity, by=by, before=before, after={"status": status.value})


@dataclass(frozen=True)
class Edition:
    """What changes between an activity and its next edition."""

    reference: str
    slug: str
    starts_at: datetime  # the new first day's start, UTC


def duplicate_activity(source: Activity, edition: Edition, *, by: StaffUser) -> Activity:
    """Copy an activity as a draft next edition, every date moved by the same amount.

    Modules, sessions (with their trainers), fee components, contacts, the people on the
    programme and partners, audience groups, the forms' questions and staff roles come
    along, with the texts in every language; applications and answers do not.
    """
    shift = edition.starts_at - source.starts_at
    values = {name: getattr(source, name) for name in EDITABLE}
    values.update(
        reference=edition.reference,
        slug=edition.slug,
        starts_at=source.starts_at + shift,
        ends_at=source.ends_at + shift,
        deadline_at=source.deadline_at + shift,
        opens_at=source.opens_at + shift if source.opens_at else None,
        languages=list(source.languages),
        display_timezones=list(source.display_timezones),
    )
    _check(values, activity_id=None)
    copy = Activity(status=ActivityStatus.DRAFT, **values)
    copy.certificate_signatories = [dict(s) for s in source.certificate_signatories]
    copy.translations = copied_texts(source)
    modules = {m.id: _copy_of(m, "number", "title", "description") for m in source.modules}
    copy.modules = list(modules.values())
    copy.sessions = [
        ActivitySession(
            title=s.title,
            kind=s.kind,
            room=s.room,
            description=s.description,
            starts_at=s.starts_at + shift,
            ends_at=s.ends_at + shift,
            module=modules.get(s.module_id) if s.module_id else None,
            trainers=list(s.trainers),
        )
        for s in source.sessions
    ]
    copy.fee_components = [
        _copy_of(f, "name", "amount", "covers", "position") for f in source.fee_components
    ]
    copy.contacts = [
        _copy_of(c, "role", "name", "phone", "email", "position") for c in source.contacts
    ]
    copy.audience_groups = [
        AudienceGroup(tier=g.tier, name=g.name, position=g.position) for g in source.audience_groups
    ]
    copy.people = [
        ProgrammePerson(
            name=p.name,
            organisation=p.organisation,
            role=p.role,
            bio=p.bio,
            photo_path=p.photo_path,
            staff_user_id=p.staff_user_id,
            position=p.position,
        )
        for p in source.people
    ]
    copy.partners = [
        Partner(name=p.name, part=p.part, url=p.url, position=p.position) for p in source.partners
    ]
    db.session.add(copy)
    db.session.flush()
    for assignment in db.session.scalars(
        sa.select(StaffAssignment).where(StaffAssignment.activity_id == source.id)
    ):
        db.session.add(
            StaffAssignment(
                staff_user_id=assignment.staff_user_id, activity_id=copy.id, role=assignment.role
            )
        )
    questions.copy_questions(source, copy)
    audit.record(
        "activity_duplicated",
        copy,
        by=by,
        after={"from": source.reference, "shift_days": shift.days},
    )
    return copy


def _copy_of(part: T, *names: str) -> T:
    """A new part with the same `names` and the same texts in every language."""
    values = {name: getattr(part, name) for name in names}
    model: Any = type(part)  # a mapped class: its constructor takes the columns
    return model(**values, translations=copied_texts(part))  # type: ignore[no-any-return]


def suggest_next_edition(source: Activity) -> Edition:
    """The same week next year (same weekday), with a reference and slug to start from."""
    starts = source.starts_at + timedelta(weeks=52)  # keeps the weekday
    year = starts.astimezone(source.zone).year
    slug = re.sub(r"-\d{4}$", "", source.slug) + f"-{year}"
    return Edition(reference=f"{source.reference}-{year}"[:32], slug=slug, starts_at=starts)


# The parts of an activity's programme and page, edited one row at a time.
Part = Module | ActivitySession | FeeComponent | Contact | AudienceGroup | ProgrammePerson | Partner


def save_part(activity: Activity, part: Part, values: dict[str, Any], *, by: StaffUser) -> Part:
    """Add a part to the activity, or change one of its parts; refuses what does not fit."""
    kind = type(part).__name__
    if isinstance(part, ActivitySession):
        if values["ends_at"] <= values["starts_at"]:
            raise InvalidActivity("A session must end after it starts.", field="ends_at")
        if values["starts_at"] < activity.starts_at - timedelta(days=1) or values[
            "ends_at"
        ] > activity.ends_at + timedelta(days=1):
            raise InvalidActivity(
                "The session falls outside the activity's dates.", field="starts_at"
            )
    if isinstance(part, FeeComponent):
        if values["amount"] < 0:
            raise InvalidActivity("An amount cannot be negative.", field="amount")
        granted = _largest_grant(part) if part.id else 0
        if values["amount"] < granted:
            raise InvalidActivity(
                "Cost-sharing already granted on this component is larger than that amount.",
                field="amount",
            )
    if isinstance(part, Module):
        clash = db.session.scalar(
            sa.select(Module.id).where(
                Module.activity_id == activity.id,
                Module.number == values["number"],
                Module.id != (part.id or -1),
            )
        )
        if clash:
            raise InvalidActivity("Another module has this number.", field="number")
    before = audit.snapshot(part, values) if part.id else {}
    for name, value in values.items():
        setattr(part, name, value)
    if part.id is None:
        part.activity_id = activity.id
        db.session.add(part)
    # A part is part of the activity: pages and files cached per activity version see it.
    activity.updated_at = utcnow()
    db.session.flush()
    audit.record(
        f"{kind.lower()}_saved",
        activity,
        by=by,
        before=before,
        after=audit.snapshot(part, values),
        note=f"{kind} {part.id}",
    )
    return part


def delete_part(activity: Activity, part: Part, *, by: StaffUser) -> None:
    """Remove a part; a fee component with cost-sharing granted on it stays."""
    if isinstance(part, FeeComponent) and _largest_grant(part) > 0:
        raise InvalidActivity("Cost-sharing was granted on this component: it cannot be removed.")
    kind = type(part).__name__
    audit.record(f"{kind.lower()}_deleted", activity, by=by, note=f"{kind} {part.id}")
    activity.updated_at = utcnow()
    if isinstance(part, ProgrammePerson):
        discard_photo(part)
    db.session.delete(part)
    db.session.flush()


def discard_photo(person: ProgrammePerson) -> None:
    """Drop the person's photo with the change, unless a copy of them on another edition
    (duplicate_activity shares the picture) still shows it."""
    if not person.photo_path:
        return
    shared = db.session.scalar(
        sa.select(ProgrammePerson.id)
        .where(ProgrammePerson.photo_path == person.photo_path, ProgrammePerson.id != person.id)
        .limit(1)
    )
    if shared is None:
        files.discard(person.photo_path)


def _largest_grant(component: FeeComponent) -> int:
    from ..models import CostShareGrant

    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(CostShareGrant.amount), 0)).where(
                CostShareGrant.fee_component_id == component.id
            )
        )
        or 0
    )
