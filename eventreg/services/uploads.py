"""Files applicants upload (their CV): checked by content and size, kept in the file store
(eventreg/files.py) under random names."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from .. import files
from .errors import DomainError

PDF_MAGIC = b"%PDF-"


class InvalidUpload(DomainError):
    """The attached CV is not a PDF, or is too large."""


@dataclass(frozen=True)
class UploadedCV:
    """A CV as the applicant sent it: the name they gave it and its bytes."""

    filename: str
    content: bytes


def check_cv(cv: UploadedCV | None) -> None:
    """Refuse (InvalidUpload) a CV larger than CV_MAX_BYTES or that is not a PDF."""
    if cv is None:
        return
    limit = int(current_app.config["CV_MAX_BYTES"])
    if len(cv.content) > limit:
        raise InvalidUpload(
            _(
                "The CV is larger than %(size)s MB: please attach a smaller PDF.",
                size=limit // (1024 * 1024),
            ),
            field="cv",
        )
    if not cv.content.startswith(PDF_MAGIC):
        raise InvalidUpload(
            _("This file is not a PDF, whatever its name says: attach a PDF."),
            field="cv",
        )


def store_cv(reference: str, cv: UploadedCV) -> tuple[str, str]:
    """Store the CV of an application to the activity with this reference under a random
    key; return (name to show, its key in the file store)."""
    key = f"cv/{reference}/{secrets.token_hex(16)}.pdf"
    files.save_with_change(key, cv.content)
    shown = "".join(c for c in Path(cv.filename).name if c.isprintable())[:200] or "cv.pdf"
    return shown, key
