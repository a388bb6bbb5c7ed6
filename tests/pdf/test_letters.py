"""Letters to an applicant: acceptance (visa, sponsors) and statement of account / receipt."""

from __future__ import annotations

from datetime import date

import pytest

from eventreg.models import ApplicationStatus, CostShareGrant, Payment, PaymentMethod
from eventreg.pdf import acceptance_letter, statement_of_account
from eventreg.pdf.letters import NotAdmitted

from .conftest import pdf_text


@pytest.fixture
def accepted(db, make_activity, make_application, factories):
    activity = make_activity(
        title="Multi-stakeholder partnerships", not_included="Travel is not included."
    )
    factories.contact(activity, role="Course assistant", name="Sophie Ouine")
    tuition, subsistence = activity.fee_components
    application = make_application(
        activity,
        status=ApplicationStatus.ACCEPTED,
        title="Ms",
        given_names="Amina",
        family_name="Diallo",
        organisation="Municipal Water Board",
        nationality="SN",
        phone="+221 77 123 4567",
        confirm_by=date(2027, 6, 1),
    )
    application.grants.append(CostShareGrant(fee_component=subsistence, amount=96_000))
    db.session.flush()
    return application


def test_the_acceptance_letter_breaks_down_fee_cost_sharing_and_amount_due(accepted):
    text = pdf_text(acceptance_letter(accepted))
    assert "Letter of acceptance" in text
    assert "Amina Diallo" in text
    assert accepted.reference in text and accepted.activity.reference in text
    assert "Component 1" in text and "EUR 1,040" in text
    assert "Component 2" in text and "EUR 960" in text
    assert "EUR 2,000" in text
    assert "Amount due: EUR 1,040" in text
    assert "visa" in text and "Senegal" in text
    assert "1 June 2027" in text  # confirm by
    assert "Travel is not included." in text
    assert "Sophie Ouine" in text
    assert "+221" not in text  # the applicant's phone is not printed


def test_the_acceptance_letter_counts_payments_already_received(db, accepted):
    accepted.payments.append(
        Payment(amount=40_000, received_on=date(2027, 5, 2), method=PaymentMethod.CARD)
    )
    db.session.flush()
    text = pdf_text(acceptance_letter(accepted))
    assert "Payments received so far: EUR 400" in text
    assert "Amount due: EUR 640" in text


@pytest.mark.parametrize(
    "status",
    [ApplicationStatus.SUBMITTED, ApplicationStatus.REJECTED, ApplicationStatus.WAITLISTED],
)
def test_no_acceptance_letter_for_someone_not_accepted(accepted, status):
    accepted.status = status
    with pytest.raises(NotAdmitted):
        acceptance_letter(accepted)


def test_the_statement_lists_charges_grants_and_payments_with_the_balance(db, accepted):
    accepted.payments.append(
        Payment(amount=50_000, received_on=date(2027, 5, 2), method=PaymentMethod.BANK_TRANSFER)
    )
    db.session.flush()
    text = pdf_text(statement_of_account(accepted))
    assert "Statement of account" in text and "Receipt" not in text
    assert "Cost-sharing granted: Component 2" in text
    assert "2 May 2027" in text and "bank transfer" in text and "EUR 500" in text
    assert "Balance due: EUR 540" in text


def test_once_paid_in_full_the_statement_is_a_receipt(db, accepted):
    accepted.payments.append(
        Payment(amount=104_000, received_on=date(2027, 5, 2), method=PaymentMethod.SPONSOR)
    )
    db.session.flush()
    text = pdf_text(statement_of_account(accepted))
    assert "Receipt" in text
    assert "Paid in full: received EUR 1,040" in text


def test_letters_print_markup_in_names_as_text(accepted):
    accepted.given_names = "<b>Amina</b>"
    accepted.organisation = "</div><h1>Fake</h1>"
    text = pdf_text(acceptance_letter(accepted))
    assert "<b>Amina</b> Diallo" in text
    assert "</div><h1>Fake</h1>" in text


def test_the_letterhead_carries_the_organisations_address_and_the_letter_stays_one_page(
    accepted, make_staff
):
    import io

    from PIL import Image
    from pypdf import PdfReader

    from eventreg.services.organisation import update_organisation

    logo = io.BytesIO()
    Image.new("RGB", (300, 90), "navy").save(logo, "PNG")
    update_organisation(
        {
            "name": "Turin Training Centre",
            "letterhead": "Learning for decent work",
            "postal_address": "Viale Maestri del Lavoro 10\n10127 Turin\nItaly",
        },
        logo=logo.getvalue(),
        by=make_staff(),
    )
    data = acceptance_letter(accepted)
    text = pdf_text(data)
    assert "Turin Training Centre" in text and "Learning for decent work" in text
    assert "10127 Turin" in text
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
