"""Staff accounts through the pages: invitations, teams, last admin, deactivation, my account."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from eventreg import clock
from eventreg.extensions import db as database
from eventreg.models import EmailOutbox, Role, StaffAssignment, StaffUser, utcnow
from eventreg.services import staff_accounts

from ..conftest import PASSWORD, csrf_token_from, lets_in, sign_in

NEW_PASSWORD = "a long new password"


def post(client, url: str, data: dict[str, str] | None = None, page: str = "/staff/"):
    token = csrf_token_from(client.get(page).text)
    return client.post(url, data={**(data or {}), "csrf_token": token})


def signed_out(client) -> bool:
    response = client.get("/staff/")
    return "/staff/sign-in" in response.headers.get("Location", "")


def invitation_link(email: str) -> str:
    body = database.session.scalars(
        sa.select(EmailOutbox.body_text)
        .where(EmailOutbox.to_address == email)
        .order_by(EmailOutbox.id.desc())
    ).first()
    assert body is not None, f"no email to {email}"
    return re.search(r"https?://\S+/staff/invitation/\S+", body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def accept(client, link: str, password: str = NEW_PASSWORD):
    page = client.get(path_of(link))
    if page.status_code != 200:
        return page
    return client.post(
        path_of(link),
        data={"password": password, "confirm": password, "csrf_token": csrf_token_from(page.text)},
    )


def test_an_admin_invites_someone_who_sets_a_password_and_signs_in(app, client, sign_in_as):
    admin = sign_in_as(Role.ADMIN)
    sent = post(admin, "/staff/people", {"name": "Grace Okafor", "email": "Grace@Example.org"})
    assert "/staff/people/" in sent.headers["Location"]
    assert "Invited" in admin.get("/staff/people").text

    link = invitation_link("grace@example.org")
    assert accept(client, link).headers["Location"].endswith("/staff/sign-in")
    assert lets_in(sign_in(client, "grace@example.org", NEW_PASSWORD))


def test_a_used_invitation_link_says_so_and_changes_nothing(app, client, sign_in_as):
    admin = sign_in_as(Role.ADMIN)
    post(admin, "/staff/people", {"name": "Grace Okafor", "email": "grace@example.org"})
    link = invitation_link("grace@example.org")
    accept(client, link)

    again = accept(app.test_client(), link, "someone else's password")
    assert again.status_code == 410
    assert "This invitation was already used" in again.text
    database.session.expire_all()
    grace = staff_accounts.find_by_email("grace@example.org")
    assert grace is not None and grace.check_password(NEW_PASSWORD)


def test_an_expired_invitation_link_says_so(app, client, sign_in_as, monkeypatch):
    admin = sign_in_as(Role.ADMIN)
    post(admin, "/staff/people", {"name": "Grace Okafor", "email": "grace@example.org"})
    link = invitation_link("grace@example.org")
    later = utcnow() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: later)
    page = client.get(path_of(link))
    assert page.status_code == 410
    assert "This invitation has expired. Ask an admin for a new one." in page.text
    assert client.get("/staff/invitation/made-up-token").status_code == 410


def test_inviting_an_address_that_has_an_account_is_refused_on_the_form(app, sign_in_as):
    admin = sign_in_as(Role.ADMIN)
    refused = post(admin, "/staff/people", {"name": "Again", "email": admin.user.email})
    assert refused.status_code == 422
    assert "already has an account" in refused.text
    count = database.session.scalar(sa.select(sa.func.count(StaffUser.id)))
    assert count == 1


def test_the_last_admin_is_neither_demoted_nor_deactivated(app, sign_in_as, make_staff):
    admin = sign_in_as(Role.ADMIN)
    me = admin.user.id
    page = f"/staff/people/{me}"
    demoted = post(admin, f"/staff/people/{me}/admin", {"to": "off"}, page=page)
    shown = admin.get(demoted.headers["Location"]).text
    assert "is the last active admin and must stay one." in shown

    other = make_staff(Role.ADMIN)
    database.session.commit()
    post(admin, f"/staff/people/{other.id}/admin", {"to": "off"}, page=page)
    deactivated = post(admin, f"/staff/people/{me}/active", {"to": "off"}, page=page)
    assert "cannot deactivate your own account" in admin.get(deactivated.headers["Location"]).text
    database.session.expire_all()
    user = database.session.get(StaffUser, me)
    assert user is not None and user.is_admin and user.active


def test_a_deactivated_person_is_signed_out_at_their_next_request(app, sign_in_as, make_activity):
    activity = make_activity()
    trainer = sign_in_as(Role.TRAINER, activity)
    assert trainer.get("/staff/").status_code == 200
    admin = sign_in_as(Role.ADMIN)
    post(admin, f"/staff/people/{trainer.user.id}/active", {"to": "off"})
    assert signed_out(trainer)
    assert "Wrong email or password." in sign_in(app.test_client(), trainer.user.email).text

    post(admin, f"/staff/people/{trainer.user.id}/active", {"to": "on"})
    assert lets_in(sign_in(app.test_client(), trainer.user.email))
    history = admin.get(f"/staff/people/{trainer.user.id}").text
    by = f"(by {admin.user.name})"
    assert f"Deactivated {by}" in history and f"Reactivated {by}" in history


def test_a_manager_gives_roles_on_their_activity_and_invites_into_one(
    app, sign_in_as, make_activity, make_staff
):
    activity = make_activity()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, activity)
    colleague = make_staff(Role.COURSE_ASSISTANT, make_activity())
    database.session.commit()
    team = f"/staff/activities/{activity.id}/team"

    given = post(manager, team, {"email": colleague.email, "role": "trainer"}, page=team)
    assert given.headers["Location"].endswith(team)
    nameless = post(manager, team, {"email": "new@example.org", "role": "trainer"}, page=team)
    assert nameless.status_code == 422
    assert "give their name to invite them" in nameless.text
    post(manager, team, {"email": "new@example.org", "role": "trainer", "name": "Nia"}, page=team)

    page = manager.get(team).text
    assert colleague.name in page and "Nia" in page and "(invited)" in page
    database.session.expire_all()
    assert colleague.roles_for(activity.id) == {Role.TRAINER}
    assert invitation_link("new@example.org")


def test_a_manager_is_refused_another_activitys_team(app, sign_in_as, make_activity, make_staff):
    mine, theirs = make_activity(), make_activity()
    manager = sign_in_as(Role.ACTIVITY_MANAGER, mine)
    someone = make_staff(Role.TRAINER, theirs)
    database.session.commit()
    (assignment,) = someone.assignments
    other_team = f"/staff/activities/{theirs.id}/team"
    assert manager.get(other_team).status_code == 403
    assert (
        post(manager, other_team, {"email": "x@example.org", "role": "trainer"}).status_code == 403
    )
    # Another activity's role through this activity's address: not found, not removed.
    sneaky = f"/staff/activities/{mine.id}/team/{assignment.id}/remove"
    assert post(manager, sneaky).status_code == 404
    assert database.session.get(StaffAssignment, assignment.id) is not None


def test_admin_pages_are_refused_to_a_manager(app, sign_in_as, make_activity):
    manager = sign_in_as(Role.ACTIVITY_MANAGER, make_activity())
    assert manager.get("/staff/people").status_code == 403
    assert (
        post(manager, "/staff/people", {"name": "X", "email": "x@example.org"}).status_code == 403
    )


def test_changing_my_password_needs_the_current_one_and_ends_my_other_sessions(app, sign_in_as):
    me = sign_in_as(Role.TRAINER)
    elsewhere = app.test_client()
    sign_in(elsewhere, me.user.email)
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    wrong = post(me, "/staff/account/password", {**form, "current": "not it"}, "/staff/account")
    assert wrong.status_code == 422
    assert "That is not your current password." in wrong.text
    assert not signed_out(elsewhere)

    right = post(me, "/staff/account/password", {**form, "current": PASSWORD}, "/staff/account")
    assert right.headers["Location"].endswith("/staff/account")
    assert signed_out(elsewhere) and not signed_out(me)


def test_sign_out_everywhere_ends_this_browser_too(app, sign_in_as):
    me = sign_in_as(Role.TRAINER)
    elsewhere = app.test_client()
    sign_in(elsewhere, me.user.email)
    post(me, "/staff/account/sign-out-everywhere", page="/staff/account")
    assert signed_out(me) and signed_out(elsewhere)


def test_renaming_myself(app, sign_in_as):
    me = sign_in_as(Role.TRAINER)
    post(me, "/staff/account/name", {"name": "Dr Ana Silva"}, "/staff/account")
    assert "Dr Ana Silva" in me.get("/staff/account").text


def reset_link(email: str) -> str:
    body = database.session.scalars(
        sa.select(EmailOutbox.body_text)
        .where(EmailOutbox.to_address == email, EmailOutbox.template == "password_reset")
        .order_by(EmailOutbox.id.desc())
    ).first()
    assert body is not None, f"no reset email to {email}"
    return re.search(r"https?://\S+/staff/reset/\S+", body).group(0)


def test_an_invitee_who_resets_their_password_instead_is_no_longer_invited(app, client, sign_in_as):
    """Someone invited who uses "forgot password" rather than the invitation has set
    their password: the team no longer lists them as invited, and the invitation link,
    left in a mailbox or a forwarded email, can no longer set another."""
    admin = sign_in_as(Role.ADMIN)
    post(admin, "/staff/people", {"name": "Grace Okafor", "email": "grace@example.org"})
    invitation = invitation_link("grace@example.org")

    page = client.get("/staff/reset")
    client.post(
        "/staff/reset",
        data={"email": "grace@example.org", "csrf_token": csrf_token_from(page.text)},
    )
    reset = path_of(reset_link("grace@example.org"))
    form = client.get(reset)
    done = client.post(
        reset,
        data={
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token_from(form.text),
        },
    )
    assert done.headers["Location"].endswith("/staff/sign-in")

    grace = staff_accounts.find_by_email("grace@example.org")
    assert grace is not None
    row = admin.get("/staff/people").text.split("Grace Okafor", 1)[1].split("</tr>", 1)[0]
    assert "Invited" not in row
    again = accept(app.test_client(), invitation, "someone else's password")
    assert again.status_code == 410
    assert "This invitation was already used" in again.text
    database.session.expire_all()
    assert grace.check_password(NEW_PASSWORD)
    assert lets_in(sign_in(client, "grace@example.org", NEW_PASSWORD))
