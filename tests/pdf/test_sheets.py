"""Attendance sheets and paper evaluation forms."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from eventreg.models import ApplicationStatus, EvaluationQuestion
from eventreg.pdf import attendance_sheet, evaluation_sheets
from eventreg.pdf.sheets import NoSuchSitting

from .conftest import pdf_pages, pdf_text


def test_a_session_sheet_lists_confirmed_and_attended_participants_in_order(
    workshop, make_application
):
    for family, country, status in [
        ("Okafor", "NG", ApplicationStatus.CONFIRMED),
        ("Abebe", "ET", ApplicationStatus.ATTENDED),
        ("Zhou", "CN", ApplicationStatus.CONFIRMED),
        ("Rejected", "FR", ApplicationStatus.REJECTED),
        ("Waiting", "FR", ApplicationStatus.WAITLISTED),
    ]:
        make_application(
            workshop, family_name=family, country=country, status=status, organisation="Union"
        )
    text = pdf_text(attendance_sheet(workshop, session=workshop.sessions[0], walk_in_rows=3))
    assert "Attendance sheet" in text and "Session 1" in text
    assert text.index("Abebe") < text.index("Okafor") < text.index("Zhou")
    assert "Ethiopia" in text and "Nigeria" in text and "Union" in text
    assert "Rejected" not in text and "Waiting" not in text
    assert "Participants listed 3" in text
    assert "Rows for walk-ins 3" in text
    by_country = pdf_text(attendance_sheet(workshop, session=workshop.sessions[0], order="country"))
    assert by_country.index("China") < by_country.index("Ethiopia") < by_country.index("Nigeria")


def test_three_hundred_participants_run_over_pages_with_the_header_on_each(
    workshop, make_application
):
    for number in range(1, 301):
        make_application(
            workshop, family_name=f"Person{number:03d}", status=ApplicationStatus.CONFIRMED
        )
    pages = pdf_pages(attendance_sheet(workshop, session=workshop.sessions[0], walk_in_rows=5))
    assert len(pages) >= 5
    for page in pages:
        assert "Organisation" in page and "Signature" in page  # the repeated header row
        assert "Page " in page
    text = "\n".join(pages)
    assert "Person001" in text and "Person300" in text
    assert "Participants listed 300" in text


def test_a_day_sheet_has_a_box_per_session_of_that_day(workshop, make_application):
    make_application(workshop, family_name="Daily", status=ApplicationStatus.CONFIRMED)
    first_day = workshop.days()[0][0]
    data = attendance_sheet(workshop, day=first_day)
    text = pdf_text(data)
    assert "2 sessions" in text and "Session 1" in text and "Session 2" in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape for the extra columns


def test_a_sheet_for_nothing_of_this_activity_is_refused(workshop, make_activity, factories):
    other = make_activity()
    with pytest.raises(NoSuchSitting):
        attendance_sheet(workshop, session=factories.session(other))
    with pytest.raises(NoSuchSitting):
        attendance_sheet(workshop, day=workshop.end_date.replace(year=2001))
    with pytest.raises(NoSuchSitting):
        attendance_sheet(workshop)


def test_named_evaluation_forms_one_per_participant_with_the_default_questions(
    workshop, make_application
):
    for family in ("Abebe", "Okafor"):
        make_application(workshop, family_name=family, status=ApplicationStatus.ATTENDED)
    pages = pdf_pages(evaluation_sheets(workshop, named=True))
    assert len(pages) == 2
    assert "Abebe" in pages[0] and "Okafor" in pages[1]
    for question in ("Relevance of the programme", "methodology", "materials", "facilitation"):
        assert question in pages[0]
    assert "What should be improved?" in pages[0]


def test_blank_evaluation_forms_use_the_activity_questions(db, workshop, make_application):
    make_application(workshop, family_name="Hidden", status=ApplicationStatus.ATTENDED)
    db.session.add(
        EvaluationQuestion(activity_id=workshop.id, position=1, kind="rating", text="Pace")
    )
    db.session.flush()
    pages = pdf_pages(evaluation_sheets(workshop, named=False, blank_copies=3))
    assert len(pages) == 3
    assert all("Pace" in page and "Name (optional)" in page for page in pages)
    assert "Hidden" not in "".join(pages)
    assert "Relevance" not in "".join(pages)


def test_an_anonymous_evaluation_prints_blank_forms_by_default(workshop, make_application):
    workshop.evaluation_anonymous = True
    make_application(workshop, family_name="Secret", status=ApplicationStatus.ATTENDED)
    assert "Secret" not in pdf_text(evaluation_sheets(workshop))
    workshop.evaluation_anonymous = False
    assert "Secret" in pdf_text(evaluation_sheets(workshop))
