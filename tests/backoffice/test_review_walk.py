"""Reviewing at speed: previous and next along the filtered list, the status as colour and
text, and the decision email previewed exactly as it will be sent."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from eventreg.models import Application, ApplicationStatus, Gender, Role

from ..conftest import csrf_token_from
from .conftest import actions, fresh, mails

Status = ApplicationStatus


@pytest.fixture
def office(sign_in_as, workshop):
    return sign_in_as(Role.COURSE_ASSISTANT, workshop)


def links(html: str) -> dict[str, str]:
    """The page's rel=prev / rel=next links, by rel."""
    return {
        rel: unescape(href)
        for rel, href in re.findall(r'<a rel="(prev|next)" href="([^"]+)"', html)
    }


def detail_links(list_html: str) -> list[str]:
    """The links from the list's rows to the applications, in the list's order."""
    return [unescape(h) for h in re.findall(r'<td class="ref"><a href="([^"]+)"', list_html)]


def test_previous_and_next_walk_the_filtered_list_in_its_order(
    db, office, workshop, make_application
):
    women = [
        make_application(workshop, family_name=name, gender=Gender.FEMALE)
        for name in ("Okafor", "Abebe", "Zapata")
    ]
    make_application(workshop, family_name="Bianchi", gender=Gender.MALE)
    db.session.commit()
    listed = office.get(
        f"/staff/activities/{workshop.id}/applications?gender=female&sort=name&order=asc"
    )
    urls = detail_links(listed.text)
    assert len(urls) == 3 and all("gender=female" in url for url in urls)

    # From the first in the list (Abebe), "next" goes along the list by name, women only.
    first = office.get(urls[0])
    assert "Abebe" in first.text and "1 of 3" in first.text
    assert set(links(first.text)) == {"next"}
    second = office.get(links(first.text)["next"])
    assert "Okafor" in second.text and "2 of 3" in second.text
    third = office.get(links(second.text)["next"])
    assert "Zapata" in third.text and "3 of 3" in third.text
    assert set(links(third.text)) == {"prev"}
    assert "Okafor" in office.get(links(third.text)["prev"]).text
    # The filter rides along: back to the list shows the same three.
    back = re.search(r'<a href="([^"]+)">Back to the applications', third.text)
    assert back and "gender=female" in unescape(back.group(1))
    assert {w.id for w in women} == {int(u.split("?")[0].rsplit("/", 1)[1]) for u in urls}


def test_an_application_outside_the_filter_or_alone_offers_no_walk(
    db, office, workshop, make_application
):
    man = make_application(workshop, family_name="Bianchi", gender=Gender.MALE)
    db.session.commit()
    page = office.get(f"/staff/applications/{man.id}?gender=female")
    assert page.status_code == 200
    assert links(page.text) == {} and "walk-steps" not in page.text
    # A filter value that is not valid is ignored, never an error.
    assert office.get(f"/staff/applications/{man.id}?status=nonsense&page=-4").status_code == 200


def test_each_status_shows_its_name_with_its_own_colour(
    app, db, office, workshop, make_application
):
    for status in (Status.SUBMITTED, Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED):
        make_application(workshop, status=status)
    db.session.commit()
    html = office.get(f"/staff/activities/{workshop.id}/applications").text
    for status in ("submitted", "accepted", "waitlisted", "rejected"):
        assert re.search(rf'class="status status-{status}">{status.capitalize()}<', html)
    css = (Path(app.static_folder) / "css" / "site.css").read_text()
    colours = {
        status: re.search(rf"\.status\.status-{status} \{{([^}}]+)\}}", css).group(1)
        for status in [s.value for s in Status]
    }
    assert len(set(colours.values())) == len(Status)  # no two statuses look alike


def test_the_decision_email_is_previewed_as_sent_and_nothing_changes(
    db, office, workshop, make_application
):
    applicant = make_application(workshop, given_names="Amina", family_name="Diallo")
    db.session.commit()
    url = f"/staff/applications/{applicant.id}/decide/accept"
    page = office.get(url)
    assert 'name="previewed"' in page.text and "js/letter_preview.js" in page.text
    preview = office.post(
        url,
        data={
            "csrf_token": csrf_token_from(page.text),
            "subject": "Welcome, {given_names} ({reference})",
            "body": "Dear {given_names} {family_name}, you are {status}. Due: {amount_due}.",
            "previewed": "1",
        },
    )
    assert preview.status_code == 200
    shown = unescape(re.sub(r"\s+", " ", preview.text))
    assert f"Welcome, Amina ({applicant.reference})" in shown
    # Filled in as after the decision: the status it will have, not the one it has.
    assert "Dear Amina Diallo, you are Accepted. Due: EUR 2,000." in shown
    fresh()
    assert db.session.get(Application, applicant.id).status == Status.SUBMITTED
    assert mails() == [] and "application.status_changed" not in actions(applicant.id)

    # Sending the same text sends the email that was previewed.
    office.post(
        url,
        data={
            "csrf_token": csrf_token_from(preview.text),
            "subject": "Welcome, {given_names} ({reference})",
            "body": "Dear {given_names} {family_name}, you are {status}. Due: {amount_due}.",
        },
    )
    fresh()
    [sent] = mails()
    assert sent.subject == f"Welcome, Amina ({applicant.reference})"
    assert " ".join(sent.body_text.split()) in shown  # the whole email, word for word


def test_a_preview_with_an_unknown_placeholder_says_so_and_changes_nothing(
    db, office, workshop, make_application
):
    applicant = make_application(workshop)
    db.session.commit()
    url = f"/staff/applications/{applicant.id}/decide/reject"
    page = office.get(url)
    refused = office.post(
        url,
        data={
            "csrf_token": csrf_token_from(page.text),
            "subject": "Hello",
            "body": "Dear {nickname}",
            "previewed": "1",
        },
    )
    assert refused.status_code == 200
    assert "{nickname} is not a placeholder" in unescape(refused.text)
    fresh()
    assert db.session.get(Application, applicant.id).status == Status.SUBMITTED
    assert mails() == []


def test_a_decision_taken_on_the_walk_returns_to_it(db, office, workshop, make_application):
    first, second = (
        make_application(workshop, family_name=name, gender=Gender.FEMALE)
        for name in ("Abebe", "Okafor")
    )
    db.session.commit()
    walk = "?gender=female&sort=name&status=nonsense"
    page = office.get(f"/staff/applications/{first.id}{walk}")
    decide = re.search(r'<a class="button[^"]*" href="([^"]+/decide/reject[^"]*)"', page.text)
    assert decide and "gender=female" in unescape(decide.group(1))
    assert "nonsense" not in unescape(decide.group(1))  # only valid filters ride along
    form = office.get(unescape(decide.group(1)))
    done = office.post(
        unescape(decide.group(1)),
        data={"csrf_token": csrf_token_from(form.text), "subject": "", "body": ""},
    )
    back = done.headers["Location"]
    assert f"/staff/applications/{first.id}?" in back and "gender=female" in back
    assert links(office.get(back).text)["next"].startswith(f"/staff/applications/{second.id}?")
