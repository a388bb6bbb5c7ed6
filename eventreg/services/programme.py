"""The people on an activity's programme: their photo, checked and stored, and the trainer
account a facilitator may be linked to."""

from __future__ import annotations

import base64
import secrets
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import files
from ..extensions import db
from ..images import check_image
from ..models import (
    Activity,
    ProgrammePerson,
    Role,
    StaffAssignment,
    StaffUser,
)
from .activities import InvalidActivity, discard_photo, save_part

PHOTO_MAX_BYTES = 2 * 1024 * 1024
MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


def trainers_of(activity: Activity) -> list[StaffUser]:
    """The staff who hold the trainer role on the activity, by name."""
    return list(
        db.session.scalars(
            sa.select(StaffUser)
            .join(StaffAssignment)
            .where(StaffAssignment.activity_id == activity.id, StaffAssignment.role == Role.TRAINER)
            .order_by(StaffUser.name)
        )
    )


def save_person(
    activity: Activity,
    person: ProgrammePerson,
    values: dict[str, Any],
    *,
    photo: bytes | None,
    remove_photo: bool,
    by: StaffUser,
) -> ProgrammePerson:
    """Add or change a person on the programme, with their photo.

    Refuses (InvalidActivity / InvalidImage, with the field) a photo that is not a PNG or
    JPEG of at most 2 MB, and a trainer account that holds no trainer role on the activity.
    The photo is checked before anything changes.
    """
    suffix = check_image(photo, field="photo", max_bytes=PHOTO_MAX_BYTES) if photo else None
    linked = values.get("staff_user_id")
    if linked is not None and linked not in {user.id for user in trainers_of(activity)}:
        raise InvalidActivity(
            _("Only a trainer of this activity can be linked: give them the role first."),
            field="staff_user_id",
        )
    # A replaced or removed picture goes once the change is committed (files.discard).
    if suffix is not None and photo is not None:
        discard_photo(person)
        key = f"people/{activity.reference}/{secrets.token_hex(16)}.{suffix}"
        files.save_with_change(key, photo)
        values["photo_path"] = key
    elif remove_photo:
        discard_photo(person)
        values["photo_path"] = None
    save_part(activity, person, values, by=by)
    return person


def public_person(slug: str, person_id: int) -> ProgrammePerson | None:
    """A person on the programme of a public activity (not a draft), or None."""
    from .catalogue import VISIBLE

    return db.session.scalar(
        sa.select(ProgrammePerson)
        .join(Activity)
        .where(
            ProgrammePerson.id == person_id,
            Activity.slug == slug,
            Activity.status.in_(VISIBLE),
        )
    )


def photo_of(person: ProgrammePerson) -> tuple[bytes, str] | None:
    """The person's photo and its media type, or None when there is none (or it is gone)."""
    if not person.photo_path:
        return None
    try:
        content = files.store().read(person.photo_path)
    except (files.MissingFile, ValueError):
        return None
    return content, MEDIA_TYPES.get(person.photo_path.rsplit(".", 1)[-1], "image/jpeg")


def photo_data_uri(person: ProgrammePerson) -> str | None:
    """The photo as a data: URI for a PDF (documents fetch nothing else), or None."""
    found = photo_of(person)
    if found is None:
        return None
    content, media_type = found
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"
