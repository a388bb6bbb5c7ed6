"""The people on an activity's programme (speakers, panelists, facilitators) and its partners."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import enum_column

if TYPE_CHECKING:
    from .activities import Activity
    from .staff import StaffUser


class ProgrammeRole(enum.StrEnum):
    SPEAKER = "speaker"
    PANELIST = "panelist"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


# Lazy: forms list them at import, and they are read in the language of the request.
ROLE_LABELS = {
    ProgrammeRole.SPEAKER: lazy_gettext("Speaker"),
    ProgrammeRole.PANELIST: lazy_gettext("Panelist"),
    ProgrammeRole.FACILITATOR: lazy_gettext("Facilitator"),
    ProgrammeRole.MODERATOR: lazy_gettext("Moderator"),
}


class ProgrammePerson(Model):
    """Someone who speaks, sits on a panel or facilitates; shown to applicants."""

    __tablename__ = "programme_people"
    __table_args__ = (sa.CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[ProgrammeRole] = mapped_column(
        enum_column(ProgrammeRole, "programme_role"), default=ProgrammeRole.SPEAKER
    )
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    # A key in the file store (eventreg/files.py), checked by eventreg/images.py.
    photo_path: Mapped[str | None] = mapped_column(sa.String(300))
    # A facilitator who also has a trainer account: their sessions and sheets follow it.
    staff_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[Activity] = relationship(back_populates="people")
    staff_user: Mapped[StaffUser | None] = relationship()

    @property
    def trainer_account(self) -> str:
        """The name of the linked trainer account, or "" when none is linked."""
        return self.staff_user.name if self.staff_user else ""


class Partner(Model):
    """An organisation the activity is run with or supported by."""

    __tablename__ = "partners"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "name"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    # What the partner does here, e.g. "Co-organiser" or "Hosts the field visit".
    part: Mapped[str] = mapped_column(sa.String(200), default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[Activity] = relationship(back_populates="partners")
