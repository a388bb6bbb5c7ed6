"""Files kept in the database, for the store every node reaches (eventreg/files.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import UTCDateTime, utcnow


class StoredFile(Model):
    """One file (an uploaded CV, a job's result) under its key, e.g. `jobs/12/A901357.zip`."""

    __tablename__ = "stored_files"
    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_not_negative"),)

    key: Mapped[str] = mapped_column(sa.String(400), primary_key=True)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
