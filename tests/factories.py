"""Small factories: each makes a valid object with sensible defaults, overridable by keyword."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from eventreg.extensions import db
from eventreg.models import (
    Activity,
    ActivityKind,
    ActivitySession,
    ActivityStatus,
    Application,
    Contact,
    FeeComponent,
    Module,
    Role,
    StaffAssignment,
    StaffUser,
)

_counter = itertools.count(1)


class Factories:
    """Object makers for tests; every object is flushed so it has an id."""

    def activity(self, *, fees: tuple[int, ...] = (104_000, 96_000), **fields: Any) -> Activity:
        n = next(_counter)
        starts = fields.pop("starts_at", datetime.now(UTC) + timedelta(days=60))
        values: dict[str, Any] = dict(
            reference=f"T{n:06d}",
            slug=f"activity-{n}",
            kind=ActivityKind.WORKSHOP,
            status=ActivityStatus.PUBLISHED,
            title=f"Test activity {n}",
            venue="Turin (Italy)",
            timezone="Europe/Rome",
            starts_at=starts,
            ends_at=starts + timedelta(days=4, hours=8),
            opens_at=starts - timedelta(days=120),
            deadline_at=starts - timedelta(days=30),
            capacity=30,
        )
        values.update(fields)
        activity = Activity(**values)
        activity.fee_components = [
            FeeComponent(name=f"Component {i + 1}", amount=amount, position=i)
            for i, amount in enumerate(fees)
        ]
        db.session.add(activity)
        db.session.flush()
        return activity

    def module(self, activity: Activity, **fields: Any) -> Module:
        values: dict[str, Any] = dict(number=len(activity.modules) + 1, title="A module")
        values.update(fields)
        module = Module(**values)
        activity.modules.append(module)
        db.session.flush()
        return module

    def session(self, activity: Activity, **fields: Any) -> ActivitySession:
        starts = fields.pop("starts_at", activity.starts_at)
        values: dict[str, Any] = dict(
            title="A session", starts_at=starts, ends_at=starts + timedelta(hours=3)
        )
        values.update(fields)
        session = ActivitySession(**values)
        activity.sessions.append(session)
        db.session.flush()
        return session

    def contact(self, activity: Activity, **fields: Any) -> Contact:
        values: dict[str, Any] = dict(
            role="Course assistant", name="Sam Contact", email="contact@example.org"
        )
        values.update(fields)
        contact = Contact(**values)
        activity.contacts.append(contact)
        db.session.flush()
        return contact

    def application(self, activity: Activity, **fields: Any) -> Application:
        n = next(_counter)
        number = fields.pop("number", None) or (
            db.session.query(Application).filter_by(activity_id=activity.id).count() + 1
        )
        values: dict[str, Any] = dict(
            activity_id=activity.id,
            number=number,
            reference=f"{activity.reference}-{number:04d}",
            given_names="Amina",
            family_name=f"Applicant{n}",
            email=f"applicant{n}@example.net",
            country="NP",
            nationality="NP",
        )
        values.update(fields)
        application = Application(**values)
        db.session.add(application)
        db.session.flush()
        return application

    def staff(
        self, role: Role | None = None, activity: Activity | None = None, **fields: Any
    ) -> StaffUser:
        n = next(_counter)
        password = fields.pop("password", "correct horse battery")
        values: dict[str, Any] = dict(email=f"staff{n}@example.org", name=f"Staff {n}")
        values.update(fields)
        user = StaffUser(**values, is_admin=role == Role.ADMIN)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        if role not in (None, Role.ADMIN) and activity is not None:
            db.session.add(
                StaffAssignment(staff_user_id=user.id, activity_id=activity.id, role=role)
            )
            db.session.flush()
        return user
