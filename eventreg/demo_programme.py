"""Demo data: the congress session on worker participation in water utilities, and the
people on the demo programmes (a facilitator linked to the demo trainer account)."""

from __future__ import annotations

from datetime import date, timedelta

from . import demo_content as text
from .models import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    Contact,
    Partner,
    ProgrammePerson,
    ProgrammeRole,
    SessionKind,
    StaffUser,
)

CONGRESS_ZONE = "Europe/Lisbon"


def people(entries: list[tuple[str, str, str, str]]) -> list[ProgrammePerson]:
    return [
        ProgrammePerson(
            name=name, organisation=organisation, role=ProgrammeRole(role), bio=bio, position=i
        )
        for i, (name, organisation, role, bio) in enumerate(entries, start=1)
    ]


def congress_session(year: int, reference: str) -> Activity:
    """A 90-minute panel at an international water congress, free, with a short form."""
    from .demo import at

    day = date(year, 10, 14)
    starts = at(CONGRESS_ZONE, day, "14:30")
    activity = Activity(
        reference=reference,
        slug=f"worker-participation-water-utilities-{year}",
        kind=ActivityKind.CONGRESS_SESSION,
        status=ActivityStatus.PUBLISHED,
        title="Worker participation strengthens water utilities at the roots",
        subtitle="A panel session of the international congress on public water services",
        summary=text.CONGRESS_SUMMARY,
        objectives=text.CONGRESS_OBJECTIVES,
        outcomes=text.CONGRESS_OUTCOMES,
        methodology=text.CONGRESS_METHODOLOGY,
        languages=["en", "fr", "es"],
        venue="Congress centre, room B, Lisbon (Portugal)",
        timezone=CONGRESS_ZONE,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        opens_at=at(CONGRESS_ZONE, date(year, 1, 15), "09:00"),
        deadline_at=at(CONGRESS_ZONE, day - timedelta(days=7), "23:59"),
        capacity=120,
        certificate_threshold=100,
    )
    activity.sessions = [
        ActivitySession(
            title="Panel: workers and communities in the running of water utilities",
            kind=SessionKind.PLENARY,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=60),
            room="Room B",
        ),
        ActivitySession(
            title="Questions from the floor and three proposals",
            kind=SessionKind.PLENARY,
            starts_at=starts + timedelta(minutes=60),
            ends_at=starts + timedelta(minutes=90),
            room="Room B",
        ),
    ]
    activity.people = people(text.CONGRESS_PANEL)
    activity.partners = [
        Partner(name=name, part=part, position=i)
        for i, (name, part) in enumerate(text.CONGRESS_PARTNERS, start=1)
    ]
    activity.contacts = [
        Contact(
            role="Session organiser",
            name="Hélène Marchetti",
            email="manager@example.org",
            position=1,
        )
    ]
    return activity


def add_facilitators(activity: Activity, trainer: StaffUser) -> None:
    """The ToT's facilitators, the first linked to the demo trainer account."""
    activity.people = people(text.TOT_FACILITATORS)
    activity.people[0].staff_user = trainer
