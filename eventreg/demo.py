"""Demo data: the reference workshop in 2009 and a future edition, webinars, a ToT, a congress
session, staff."""

from __future__ import annotations

import random
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from . import demo_content as text
from .demo_programme import add_facilitators, congress_session
from .extensions import db
from .models import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    Application,
    ApplicationStatus,
    Attendance,
    AudienceGroup,
    AudienceTier,
    Contact,
    CostShareGrant,
    FeeComponent,
    Gender,
    Module,
    Payment,
    PaymentMethod,
    PaymentSource,
    Proficiency,
    Role,
    SessionKind,
    StaffAssignment,
    StaffUser,
    Title,
)
from .models.money import amount_due

DEMO_STAFF = [
    ("admin@example.org", "Ada Admin", None),
    ("manager@example.org", "Valeria Manager", Role.ACTIVITY_MANAGER),
    ("assistant@example.org", "Sofia Assistant", Role.COURSE_ASSISTANT),
    ("trainer@example.org", "Tomás Trainer", Role.TRAINER),
]


@dataclass
class DemoReport:
    """What one run of the loader did, for the CLI to print."""

    created: list[str]
    skipped: list[str]
    logins: list[tuple[str, str, str]]


DEMO_KEEP_DAYS = 100 * 365


def at(zone: str, day: date, hhmm: str) -> datetime:
    """A local wall-clock time on a day, as an aware UTC datetime."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), ZoneInfo(zone)).astimezone(UTC)


def load_demo(instance_path: str, *, now: datetime) -> DemoReport:
    """Create whatever demo data is missing; running it again creates nothing twice."""
    report = DemoReport(created=[], skipped=[], logins=[])
    staff = _ensure_staff(Path(instance_path), report)
    # The future editions are dated from today's year so that the demo stays alive.
    year = now.year + 1
    future_webinar = _first_weekday_after(now.date() + timedelta(days=45), 1)
    builders = [
        ("A901357", lambda: _partnerships(2009, "A901357", ActivityStatus.ARCHIVED)),
        (
            f"A9{year % 100:02d}357",
            lambda: _partnerships(year, f"A9{year % 100:02d}357", ActivityStatus.PUBLISHED),
        ),
        ("W180612", lambda: _webinar(date(2018, 6, 12), "W180612", ActivityStatus.ARCHIVED)),
        (
            f"W{year % 100:02d}001",
            lambda: _webinar(future_webinar, f"W{year % 100:02d}001", ActivityStatus.PUBLISHED),
        ),
        (f"T{year % 100:02d}020", lambda: _training_of_trainers(year, f"T{year % 100:02d}020")),
        (f"X{year % 100:02d}001", lambda: _draft_exchange_visit(year)),
        (f"C{year % 100:02d}014", lambda: congress_session(year, f"C{year % 100:02d}014")),
    ]
    rng = random.Random(1357)
    for reference, build in builders:
        if db.session.scalar(sa.select(Activity.id).where(Activity.reference == reference)):
            report.skipped.append(reference)
            continue
        activity = build()
        # The demo's past editions stay to be looked at: retention would erase them.
        activity.keep_others_days = activity.keep_participants_days = DEMO_KEEP_DAYS
        db.session.add(activity)
        db.session.flush()
        _assign_staff(activity, staff)
        if activity.kind == ActivityKind.TRAINING_OF_TRAINERS:
            add_facilitators(activity, staff["trainer@example.org"])
        _add_applications(activity, rng, now=now)
        report.created.append(reference)
    db.session.flush()
    return report


def _first_weekday_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _ensure_staff(instance: Path, report: DemoReport) -> dict[str, StaffUser]:
    """Create the demo staff once; their passwords are random and kept in instance/."""
    logins_file = instance / "demo-logins.txt"
    known: dict[str, str] = {}
    if logins_file.exists():
        for line in logins_file.read_text().splitlines():
            if "\t" in line:
                email, password = line.split("\t", 1)
                known[email] = password
    staff: dict[str, StaffUser] = {}
    for email, name, _role in DEMO_STAFF:
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email))
        # A password on file that no longer opens the account (another database, a reset)
        # is replaced, so the logins printed are always ones that work.
        stale = user is not None and email in known and not user.check_password(known[email])
        if user is None or email not in known or stale:
            password = secrets.token_urlsafe(9)
            if user is None:
                user = StaffUser(email=email, name=name, is_admin=email.startswith("admin@"))
                db.session.add(user)
            user.set_password(password)
            known[email] = password
        staff[email] = user
        report.logins.append((email, known[email], "admin" if user.is_admin else str(_role)))
    logins_file.write_text("".join(f"{e}\t{p}\n" for e, p in known.items()))
    logins_file.chmod(0o600)
    db.session.flush()
    return staff


def _assign_staff(activity: Activity, staff: dict[str, StaffUser]) -> None:
    for email, _name, role in DEMO_STAFF:
        if role is not None:
            db.session.add(
                StaffAssignment(staff_user_id=staff[email].id, activity_id=activity.id, role=role)
            )
    trainer = staff["trainer@example.org"]
    for session in activity.sessions:
        session.trainers.append(trainer)


def _partnerships(year: int, reference: str, status: ActivityStatus) -> Activity:
    zone = "Europe/Rome"
    # The 2009 edition ran 13-17 July; later editions take the Monday of the same week.
    first_day = date(2009, 7, 13) if year == 2009 else _first_weekday_after(date(year, 7, 12), 0)
    activity = Activity(
        reference=reference,
        slug=f"multi-stakeholder-partnerships-{year}",
        kind=ActivityKind.WORKSHOP,
        status=status,
        title="Multi-stakeholder partnerships for local service delivery",
        subtitle="Interregional training and knowledge sharing workshop",
        summary=(
            "Five days on partnerships between local government, business and civil society that "
            "bring water, waste collection and jobs to poor neighbourhoods."
        ),
        background=text.PARTNERSHIPS_BACKGROUND,
        objectives=text.PARTNERSHIPS_OBJECTIVES,
        outcomes=text.PARTNERSHIPS_OUTCOMES,
        methodology=text.PARTNERSHIPS_METHODOLOGY,
        evaluation_note=text.PARTNERSHIPS_EVALUATION,
        audience_note=text.AUDIENCE_NOTE,
        language_requirement=text.LANGUAGE_REQUIREMENT,
        languages=["en"],
        venue="International Training Centre campus, Turin (Italy)",
        timezone=zone,
        starts_at=at(zone, first_day, "09:00"),
        ends_at=at(zone, first_day + timedelta(days=4), "16:00"),
        opens_at=at(zone, date(2009, 3, 1) if year == 2009 else date(year - 1, 11, 1), "00:00"),
        deadline_at=at(zone, date(year, 6, 15), "23:59"),
        capacity=30,
        currency="EUR",
        not_included=text.NOT_INCLUDED,
        costshare_offer=text.COSTSHARE_OFFER,
        costshare_budget=1_600_000,  # EUR 16,000: eight full fees
        costshare_cap=8,
        certificate_threshold=80,
    )
    activity.fee_components = [
        FeeComponent(name="Tuition", amount=104_000, covers=text.TUITION_COVERS, position=1),
        FeeComponent(
            name="Participant subsistence",
            amount=96_000,
            covers=text.SUBSISTENCE_COVERS,
            position=2,
        ),
    ]
    activity.contacts = [
        Contact(
            role="Activity manager",
            name="Valter Nebuloni",
            phone="+39 011 693 6432",
            email="v.nebuloni@itcilo.org",
            position=1,
        ),
        Contact(
            role="Course assistant",
            name="Sophie Ouine",
            phone="+39 011 693 6522",
            email="s.ouine@itcilo.org",
            position=2,
        ),
    ]
    activity.audience_groups = [
        AudienceGroup(tier=AudienceTier.PRIMARY, name=name, position=i)
        for i, name in enumerate(text.PARTNERSHIPS_AUDIENCE_PRIMARY)
    ] + [
        AudienceGroup(tier=AudienceTier.ALSO, name=name, position=i)
        for i, name in enumerate(text.PARTNERSHIPS_AUDIENCE_ALSO)
    ]
    activity.modules = [
        Module(number=i + 1, title=title, description=description)
        for i, (title, description) in enumerate(text.PARTNERSHIPS_MODULES)
    ]
    by_number = {module.number: module for module in activity.modules}
    for day_index, start, end, title, module_number, kind in text.PARTNERSHIPS_TIMETABLE:
        day = first_day + timedelta(days=day_index)
        activity.sessions.append(
            ActivitySession(
                title=title,
                module=by_number.get(module_number) if module_number else None,
                kind=SessionKind(kind),
                starts_at=at(zone, day, start),
                ends_at=at(zone, day, end),
                room="Pavilion E, room 2" if kind == "plenary" else "Pavilion E, group rooms",
            )
        )
    return activity


def _webinar(day: date, reference: str, status: ActivityStatus) -> Activity:
    starts = datetime.combine(day, time(13, 0), UTC)
    activity = Activity(
        reference=reference,
        slug=f"platform-workers-webinar-{day.isoformat()}",
        kind=ActivityKind.WEBINAR,
        status=status,
        title="Organising platform workers: what unions have learned",
        summary=text.WEBINAR_SUMMARY,
        languages=["en", "fr", "es"],
        translations=text.WEBINAR_TRANSLATIONS,
        online_url="https://meet.example.org/platform-workers",
        timezone="UTC",
        display_timezones=["Europe/Rome", "Asia/Kolkata", "Asia/Bangkok"],
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        opens_at=starts - timedelta(days=60),
        deadline_at=starts - timedelta(hours=2),
        capacity=500,
        currency="EUR",
        certificate_threshold=100,
    )
    activity.sessions = [
        ActivitySession(
            title="Panel and questions from participants",
            kind=SessionKind.PLENARY,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
        )
    ]
    activity.modules = [
        Module(number=n, title=title, description=about, translations=translations)
        for n, (title, about, translations) in enumerate(text.WEBINAR_MODULES, start=1)
    ]
    host = Contact(role="Webinar host", name="Sophie Ouine", email="s.ouine@itcilo.org")
    host.translations = text.WEBINAR_HOST_ROLE
    activity.contacts = [host]
    return activity


def _training_of_trainers(year: int, reference: str) -> Activity:
    zone = "Asia/Kathmandu"
    first_day = _first_weekday_after(date(year, 3, 1), 0)
    days = [first_day + timedelta(days=week * 7 + d) for week in range(4) for d in range(5)]
    activity = Activity(
        reference=reference,
        slug=f"osh-training-of-trainers-{year}",
        kind=ActivityKind.TRAINING_OF_TRAINERS,
        status=ActivityStatus.PUBLISHED,
        title="Occupational safety and health: training of trainers",
        summary=text.TOT_SUMMARY,
        languages=["en"],
        venue="Trade union training centre, Kathmandu (Nepal)",
        timezone=zone,
        starts_at=at(zone, days[0], "09:00"),
        ends_at=at(zone, days[-1], "17:00"),
        opens_at=at(zone, date(year - 1, 11, 1), "00:00"),
        deadline_at=at(zone, first_day - timedelta(days=30), "17:00"),
        capacity=24,
        currency="USD",
        costshare_budget=1_000_000,
        costshare_cap=10,
        costshare_offer=text.COSTSHARE_OFFER,
        certificate_threshold=80,
    )
    activity.fee_components = [
        FeeComponent(
            name="Tuition",
            amount=90_000,
            covers="Facilitation, materials, certificate.",
            position=1,
        ),
        FeeComponent(
            name="Board and lodging",
            amount=110_000,
            covers="Twenty days of accommodation and meals at the centre.",
            position=2,
        ),
    ]
    activity.modules = [
        Module(number=i + 1, title=title, description=description)
        for i, (title, description) in enumerate(text.TOT_MODULES)
    ]
    for index, day in enumerate(days):
        module = activity.modules[index // 5]
        activity.sessions.append(
            ActivitySession(
                title=f"Day {index + 1}: morning",
                module=module,
                kind=SessionKind.PLENARY,
                starts_at=at(zone, day, "09:00"),
                ends_at=at(zone, day, "12:30"),
            )
        )
        activity.sessions.append(
            ActivitySession(
                title=f"Day {index + 1}: afternoon",
                module=module,
                kind=SessionKind.GROUP_WORK,
                starts_at=at(zone, day, "13:30"),
                ends_at=at(zone, day, "17:00"),
            )
        )
    activity.contacts = [
        Contact(
            role="Activity manager", name="Valeria Manager", email="manager@example.org", position=1
        )
    ]
    return activity


def _draft_exchange_visit(year: int) -> Activity:
    zone = "America/La_Paz"
    return Activity(
        reference=f"X{year % 100:02d}001",
        slug=f"water-cooperatives-exchange-{year}",
        kind=ActivityKind.EXCHANGE_VISIT,
        status=ActivityStatus.DRAFT,
        title="Exchange visit: community water cooperatives",
        languages=["es", "en"],
        venue="Santa Cruz (Bolivia)",
        timezone=zone,
        starts_at=at(zone, date(year, 9, 6), "09:00"),
        ends_at=at(zone, date(year, 9, 10), "17:00"),
        deadline_at=at(zone, date(year, 7, 1), "23:59"),
        capacity=15,
    )


# How the applications of each demo edition spread over the statuses.
FUTURE_SPREAD = {
    ApplicationStatus.SUBMITTED: 110,
    ApplicationStatus.UNDER_REVIEW: 50,
    ApplicationStatus.ACCEPTED: 10,
    ApplicationStatus.CONFIRMED: 15,
    ApplicationStatus.WAITLISTED: 12,
    ApplicationStatus.REJECTED: 20,
    ApplicationStatus.DECLINED: 4,
    ApplicationStatus.WITHDRAWN: 6,
    ApplicationStatus.CANCELLED: 3,
}
PAST_SPREAD = {
    ApplicationStatus.ATTENDED: 26,
    ApplicationStatus.REJECTED: 6,
    ApplicationStatus.DECLINED: 2,
    ApplicationStatus.LAPSED: 2,
    ApplicationStatus.CANCELLED: 1,
}


def _add_applications(activity: Activity, rng: random.Random, *, now: datetime) -> None:
    """Fictitious applicants, spread over every status; grants, payments, attendance to match."""
    if activity.status == ActivityStatus.DRAFT:
        return
    past = activity.ends_at < now
    if activity.kind == ActivityKind.WORKSHOP:
        spread = PAST_SPREAD if past else FUTURE_SPREAD
    elif activity.kind == ActivityKind.WEBINAR:
        spread = {ApplicationStatus.ATTENDED if past else ApplicationStatus.CONFIRMED: 40}
    else:
        spread = {
            ApplicationStatus.SUBMITTED: 20,
            ApplicationStatus.UNDER_REVIEW: 8,
            ApplicationStatus.ACCEPTED: 6,
            ApplicationStatus.WAITLISTED: 3,
            ApplicationStatus.REJECTED: 3,
        }
    statuses = [status for status, count in spread.items() for _ in range(count)]
    rng.shuffle(statuses)
    groups = [group.name for group in activity.audience_groups] or ["Workers' organisation"]
    opened = activity.opens_at or activity.deadline_at - timedelta(days=90)
    window = max((min(activity.deadline_at, now) - opened).total_seconds(), 3600)
    grants_left = activity.costshare_cap or 0
    budget_left = activity.costshare_budget
    for number, status in enumerate(statuses, start=1):
        given = rng.choice(text.GIVEN_NAMES)
        family = rng.choice(text.FAMILY_NAMES)
        submitted = opened + timedelta(seconds=rng.uniform(0, window))
        gender = rng.choices(
            [Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.UNDISCLOSED], weights=[48, 46, 2, 4]
        )[0]
        wants_costshare = rng.random() < 0.4 and activity.fee_total > 0
        application = Application(
            activity_id=activity.id,
            number=number,
            reference=f"{activity.reference}-{number:04d}",
            status=status,
            title={Gender.FEMALE: Title.MS, Gender.MALE: Title.MR}.get(gender, ""),
            given_names=given,
            family_name=family,
            gender=gender,
            nationality=(country := rng.choice(text.COUNTRIES)),
            country=country,
            email=f"{_ascii(given)}.{_ascii(family)}.{number}@example.net",
            phone=f"+{rng.randint(20, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            language=rng.choice(activity.languages),
            organisation=rng.choice(text.ORGANISATIONS),
            organisation_type=rng.choice(groups),
            position=rng.choice(text.POSITIONS),
            proficiency=rng.choices(list(Proficiency), weights=[1, 3, 4, 2])[0],
            motivation="I want to use what I learn in the partnerships my organisation builds.",
            payment_source=rng.choice(list(PaymentSource)),
            costshare_requested=wants_costshare,
            costshare_reason="Our organisation cannot cover the full fee."
            if wants_costshare
            else "",
            consent_at=submitted,
            submitted_at=submitted,
            status_changed_at=submitted,
            waitlisted_at=submitted if status == ApplicationStatus.WAITLISTED else None,
        )
        if application.payment_source == PaymentSource.SPONSOR:
            application.sponsor_name = "National Federation of Municipalities"
        db.session.add(application)
        takes_part = status.takes_part
        if takes_part and wants_costshare and grants_left > 0:
            component = activity.fee_components[-1]
            if component.amount <= budget_left:
                application.grants.append(
                    CostShareGrant(fee_component=component, amount=component.amount)
                )
                grants_left -= 1
                budget_left -= component.amount
        if takes_part and activity.fee_total > 0 and rng.random() < 0.6:
            application.payments.append(
                Payment(
                    amount=amount_due(
                        activity.fee_total, sum(g.amount for g in application.grants), 0
                    ),
                    received_on=(submitted + timedelta(days=20)).date(),
                    method=PaymentMethod.BANK_TRANSFER,
                )
            )
        if status == ApplicationStatus.ATTENDED:
            db.session.flush()
            for session in activity.sessions:
                db.session.add(
                    Attendance(
                        application_id=application.id,
                        session_id=session.id,
                        present=rng.random() < 0.9,
                    )
                )


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())
