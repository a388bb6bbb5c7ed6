"""Organisation settings: admins say who the organisation is, who signs, and the defaults
new activities start from; pages and emails follow; bad pictures change nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from eventreg import files
from eventreg.emails import queue_email
from eventreg.extensions import db as database
from eventreg.models import AuditLog, OrganisationSettings, Role

from ..applicant.conftest import post_form
from ..conftest import csrf_token_from
from .conftest import count


def picture(kind: str = "PNG", size: tuple[int, int] = (200, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, kind)
    return out.getvalue()


@pytest.fixture
def admin(sign_in_as):
    return sign_in_as(Role.ADMIN)


def send(client, data: dict, **files: tuple[bytes, str]):  # type: ignore[no-untyped-def]
    page = client.get("/staff/organisation")
    # As a browser sends it: every field, the ones not typed in empty.
    form = {"csrf_token": csrf_token_from(page.text), "default_timezone": "", **data}
    for name, (content, filename) in files.items():
        form[name] = (io.BytesIO(content), filename)
    return post_form(client, "/staff/organisation", form)


SETTINGS = {
    "name": "Turin Training Centre",
    "postal_address": "Viale Maestri del Lavoro 10\n10127 Turin, Italy",
    "letterhead": "Learning for decent work",
    "signatory_name": "Giulia Ferraris",
    "signatory_title": "Director of Training",
    "default_timezone": "Asia/Kathmandu",
    "default_currency": "usd",
    "default_language": "fr",
    "email_footer": "Turin Training Centre, a place to learn.",
}


def test_an_admin_saves_the_settings_and_pages_and_new_activities_follow(admin, db):
    response = send(admin, SETTINGS, logo=(picture(), "logo.png"))
    assert response.headers["Location"].endswith("/staff/organisation")
    row = database.session.get(OrganisationSettings, 1)
    assert row.name == "Turin Training Centre" and row.default_currency == "USD"
    assert row.logo_key and row.logo_key.endswith(".png")
    assert count(AuditLog, AuditLog.action == "organisation_updated") == 1

    page = admin.get("/staff/organisation").text
    assert "Turin Training Centre" in page and 'src="data:image/png;base64,' in page
    new = admin.get("/staff/activities/new").text
    assert '<option value="Asia/Kathmandu" selected>' in new
    assert 'value="USD"' in new and "Main language: French (fr)." in new


def test_emails_carry_the_organisation_name_and_footer(admin, db, workshop, make_application):
    send(admin, SETTINGS)
    application = make_application(workshop)
    email = queue_email(
        "private_link", to="a@example.org", application=application, private_link="http://x"
    )
    assert "Turin Training Centre, a place to learn." in email.body_text
    assert "Turin Training Centre, a place to learn." in (email.body_html or "")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"%PDF-1.7 this is a PDF", "logo.png"), "not a PNG or JPEG"),
        ((picture("GIF"), "logo.png"), "not a PNG or JPEG"),
        ((b"\x89PNG\r\n\x1a\n" + b"\0" * 3_000_000, "big.png"), "larger than 2 MB"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused_and_nothing_changes(
    admin, db, upload, message
):
    send(admin, {"name": "Before"}, logo=(picture(), "logo.png"))
    before = database.session.get(OrganisationSettings, 1)
    kept = (before.name, before.logo_key)
    database.session.commit()

    response = send(admin, {**SETTINGS, "name": "After"}, logo=upload)
    assert response.status_code == 422
    assert message in response.text
    database.session.expire_all()
    after = database.session.get(OrganisationSettings, 1)
    assert (after.name, after.logo_key) == kept


def test_a_20_mb_logo_is_refused_with_a_message_and_nothing_changes(admin, db):
    send(admin, {"name": "Before"})
    response = send(admin, {**SETTINGS}, logo=(b"\xff\xd8\xff" + b"\0" * 20 * 1024 * 1024, "x.jpg"))
    assert response.status_code == 413
    assert "too large" in response.text and "nothing was changed" in response.text
    database.session.expire_all()
    assert database.session.get(OrganisationSettings, 1).name == "Before"


def test_an_unknown_timezone_or_currency_is_refused_by_field(admin, db):
    response = send(admin, {**SETTINGS, "default_currency": "E1"})
    assert response.status_code == 422 and "three-letter code" in response.text
    assert database.session.get(OrganisationSettings, 1) is None


def test_managers_may_not_open_the_settings(sign_in_as, make_activity, db):
    activity = make_activity()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    assert manager.get("/staff/organisation").status_code == 403


def test_an_admin_can_require_two_factor_sign_in_for_admins(admin, sign_in_as, db):
    send(admin, {**SETTINGS, "admins_need_two_factor": "y"})
    assert database.session.get(OrganisationSettings, 1).admins_need_two_factor is True
    other = sign_in_as(Role.ADMIN)
    sent = other.get("/staff/outbox")
    assert sent.headers["Location"].endswith("/staff/account/two-factor")
    trainer = sign_in_as(Role.TRAINER)
    assert trainer.get("/staff/").status_code == 200  # the rule is for admins

    # The admin who ticked it has no code yet either: they set it up before anything else.
    assert (
        admin.get("/staff/organisation").headers["Location"].endswith("/staff/account/two-factor")
    )


@pytest.mark.parametrize("kind", ["folder", "database"])
def test_a_replaced_logo_and_a_removed_signature_leave_no_file_behind(
    admin, db, app, tmp_path, monkeypatch, kind
):
    """A signatory's signature, once removed, is gone from the store (and a replaced logo
    too): nothing refers to them any more."""
    monkeypatch.setitem(app.config, "FILE_STORE", kind)
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "files"))
    send(admin, SETTINGS, logo=(picture(), "logo.png"), signature=(picture(), "sig.png"))
    first = database.session.get(OrganisationSettings, 1)
    old_logo, signature = first.logo_key, first.signature_key
    send(admin, {**SETTINGS, "remove_signature": "y"}, logo=(picture("JPEG"), "logo.jpg"))

    database.session.expire_all()
    row = database.session.get(OrganisationSettings, 1)
    assert row.signature_key is None and row.logo_key.endswith(".jpg")
    store = files.store()
    assert list(store.keys()) == [row.logo_key]
    for gone in (old_logo, signature):
        with pytest.raises(files.MissingFile):
            store.read(gone)
