"""The organisation's settings: one place answers "the organisation's X" for every page,
email and document; admins change them here, checked first, saved in the caller's
transaction."""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from flask import Flask, current_app, g
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from .. import files
from ..extensions import db
from ..images import check_image
from ..models import OrganisationSettings, StaffUser
from . import audit
from .errors import DomainError

#: A logo or signature larger than this is refused (a letterhead needs far less).
PICTURE_MAX_BYTES = 2 * 1024 * 1024
#: What an admin types, by field; the pictures are handled apart.
TEXT_FIELDS = (
    "name",
    "postal_address",
    "letterhead",
    "signatory_name",
    "signatory_title",
    "default_timezone",
    "default_currency",
    "default_language",
    "email_footer",
)
_MEDIA = {"png": "image/png", "jpg": "image/jpeg"}


class InvalidSettings(DomainError):
    """A setting is not acceptable (an unknown timezone, a currency that is no ISO code)."""


@dataclass(frozen=True)
class Organisation:
    """The organisation as documents show it: saved settings, else the configured defaults."""

    name: str
    postal_address: str
    letterhead: str
    signatory_name: str
    signatory_title: str
    timezone: str
    currency: str
    language: str
    email_footer: str
    admins_need_two_factor: bool
    logo_key: str | None
    signature_key: str | None

    @property
    def logo_data_uri(self) -> str | None:
        """The logo as a data: URI (PDFs embed it without fetching anything), or None."""
        return _data_uri(self.logo_key)

    @property
    def signature_data_uri(self) -> str | None:
        """The signature picture as a data: URI, or None."""
        return _data_uri(self.signature_key)


def stored() -> OrganisationSettings | None:
    """The saved settings row, if an admin ever saved one.

    A page asks several times (title, header, footer): a saved row then comes from the
    session's identity map, and that there is none is remembered for the request (saving
    forgets it), so asking costs one query per request at most.
    """
    if g.get(_NONE_SAVED):
        return None
    # Pending changes cannot alter this row (saving flushes its own), so they are not
    # flushed for it: an email queued mid-transaction then costs no extra flush.
    with db.session.no_autoflush:
        row = db.session.get(OrganisationSettings, 1)
    if row is None:
        setattr(g, _NONE_SAVED, True)
    return row


_NONE_SAVED = "_organisation_none_saved"


def organisation() -> Organisation:
    """The organisation's name, address, signatory, defaults...: what is saved wins, the
    configuration (ORGANISER_NAME, DEFAULT_TIMEZONE, DEFAULT_CURRENCY, DEFAULT_LANGUAGE)
    fills what is not."""
    row = stored()
    config = current_app.config

    def value(name: str, default: str = "") -> str:
        saved = getattr(row, name, "") if row is not None else ""
        return (saved or "").strip() or default

    return Organisation(
        name=value("name", str(config["ORGANISER_NAME"])),
        postal_address=value("postal_address"),
        letterhead=value("letterhead"),
        signatory_name=value("signatory_name"),
        signatory_title=value("signatory_title"),
        timezone=value("default_timezone", str(config.get("DEFAULT_TIMEZONE") or "UTC")),
        currency=value("default_currency", str(config.get("DEFAULT_CURRENCY") or "EUR")),
        language=value("default_language", str(config.get("DEFAULT_LANGUAGE") or "en")),
        email_footer=value("email_footer"),
        admins_need_two_factor=bool(
            row.admins_need_two_factor
            if row is not None and row.admins_need_two_factor is not None
            else config.get("STAFF_ADMINS_NEED_TWO_FACTOR")
        ),
        logo_key=row.logo_key if row is not None else None,
        signature_key=row.signature_key if row is not None else None,
    )


def _data_uri(key: str | None) -> str | None:
    if not key:
        return None
    try:
        content = files.store().read(key)
    except files.MissingFile:
        return None
    media = _MEDIA.get(key.rsplit(".", 1)[-1], "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"


def update_organisation(
    values: dict[str, Any],
    *,
    logo: bytes | None = None,
    signature: bytes | None = None,
    remove_logo: bool = False,
    remove_signature: bool = False,
    admins_need_two_factor: bool | None = None,
    by: StaffUser,
) -> OrganisationSettings:
    """Save the settings (and a new logo or signature picture, checked by content and size).

    Refuses (InvalidSettings, InvalidImage) an unknown timezone, a currency that is not
    three letters, a language that is not a two-letter code, and a picture that is not a
    PNG or JPEG of acceptable size; nothing is changed then.
    """
    clean = {name: str(values.get(name) or "").strip() for name in TEXT_FIELDS}
    zone = clean["default_timezone"]
    if zone and zone not in available_timezones():
        raise InvalidSettings(_("Choose a timezone from the list."), field="default_timezone")
    currency = clean["default_currency"] = clean["default_currency"].upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise InvalidSettings(
            _("Give the currency as its three-letter code, e.g. EUR."), field="default_currency"
        )
    language = clean["default_language"] = clean["default_language"].lower()
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise InvalidSettings(
            _("Give the language as its two-letter code, e.g. en."), field="default_language"
        )
    logo_suffix = check_image(logo, field="logo", max_bytes=PICTURE_MAX_BYTES) if logo else None
    signature_suffix = (
        check_image(signature, field="signature", max_bytes=PICTURE_MAX_BYTES)
        if signature
        else None
    )

    row = stored()
    if row is None:
        row = OrganisationSettings(id=1)
        db.session.add(row)
        g.pop(_NONE_SAVED, None)
    fields = (*TEXT_FIELDS, "logo_key", "signature_key", "admins_need_two_factor")
    before = audit.snapshot(row, fields)
    for name, text in clean.items():
        setattr(row, name, text)
    if admins_need_two_factor is not None:
        row.admins_need_two_factor = admins_need_two_factor
    if logo is not None and logo_suffix:
        row.logo_key = _replace(row.logo_key, "logo", logo_suffix, logo)
    elif remove_logo:
        row.logo_key = _replace(row.logo_key, "logo", None, None)
    if signature is not None and signature_suffix:
        row.signature_key = _replace(row.signature_key, "signature", signature_suffix, signature)
    elif remove_signature:
        row.signature_key = _replace(row.signature_key, "signature", None, None)
    db.session.flush()
    audit.record(
        "organisation_updated", row, by=by, before=before, after=audit.snapshot(row, fields)
    )
    return row


def _replace(old: str | None, name: str, suffix: str | None, content: bytes | None) -> str | None:
    """Store a new picture under a fresh key (so cached PDFs change) and drop the old one
    with the change (files.discard: a refused save never loses the picture in use)."""
    files.discard(old)
    if content is None or suffix is None:
        return None
    key = f"organisation/{name}-{secrets.token_hex(8)}.{suffix}"
    files.save_with_change(key, content)
    return key


def organisation_name() -> str:
    """The organisation's name for page headers; the configured one if the database is
    unreachable (an error page must still render)."""
    try:
        return organisation().name
    except SQLAlchemyError:
        return str(current_app.config["ORGANISER_NAME"])


def init_app(app: Flask) -> None:
    """Let templates ask `organisation_name()`."""
    app.jinja_env.globals["organisation_name"] = organisation_name
