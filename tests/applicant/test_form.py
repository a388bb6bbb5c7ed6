"""The application form: what it asks, and how it answers bad input (nothing is stored)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from eventreg.models import AudienceGroup, AudienceTier

from ..conftest import csrf_token_from
from .conftest import (
    answers,
    counts,
    form_page,
    hidden_value,
    only_application,
    post_form,
    submit,
    token_of,
)

PDF = b"%PDF-1.5\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def field_error(html: str, field_id: str) -> str:
    """The error message shown next to a field, checking that the field points at it."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error next to {field_id}"
    assert re.search(rf'aria-describedby="[^"]*\b{field_id}-error\b', html), field_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_every_field_has_a_label(client, workshop):
    html = form_page(client, workshop)
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    hidden = set(re.findall(r'<input[^>]*type="hidden"[^>]*\bid="([^"]+)"', html)) | set(
        re.findall(r'<input[^>]*\bid="([^"]+)"[^>]*type="hidden"', html)
    )
    visible = [i for i in ids if i not in hidden]
    assert len(visible) > 25
    for field_id in visible:
        assert f'<label for="{field_id}">' in html, field_id


def test_the_form_asks_what_the_activity_needs(client, workshop):
    html = form_page(client, workshop)
    for label in [
        "Title",
        "Given names",
        "Family name",
        "Gender",
        "Nationality",
        "Country of residence",
        "Email again",
        "Phone",
        "Language for our emails to you",
        "Type of organisation",
        "Your command of English, the working language of the activity",
        "Why do you want to take part?",
        "Who will pay the fee?",
        "I ask the organisers to cost-share my participation",
        "Dietary needs",
        "Access or other needs",
        "CV (optional)",
        "I agree to the processing of my data",
    ]:
        assert label in html, label
    assert '<optgroup label="Primarily addressed to">' in html
    assert '<optgroup label="Also open to">' in html
    assert '<option value="Other">Other</option>' in html
    assert (
        '<option value="NP">Nepal</option>' in html
        and '<option value="BO">Bolivia</option>' in html
    )
    assert '<option value="fr">French</option>' in html
    assert "Up to 2,000 characters" in html and 'maxlength="2000"' in html
    assert 'enctype="multipart/form-data"' in html and 'accept="application/pdf,.pdf"' in html
    assert "Only the staff of the activity read it" in html  # what consent is about
    assert "<script>" not in html.split("</head>", 1)[1]  # no inline script


def test_a_free_activity_without_cost_sharing_asks_nothing_about_money(client, make_activity, db):
    webinar = make_activity(slug="webinar", fees=(), languages=["en"])
    db.session.commit()
    html = form_page(client, webinar)
    assert "Who will pay the fee?" not in html and "cost-share" not in html
    assert '<input type="hidden" name="language" value="en">' in html
    response = submit(client, webinar, payment_source=None, organisation_type="Other")
    assert token_of(response)


def test_the_deadline_shows_in_the_activity_timezone_and_in_the_readers_own(client, workshop):
    html = form_page(client, workshop)
    iso = workshop.deadline_at.isoformat()
    assert f'<time datetime="{iso}" data-local="datetime">' in html
    assert re.search(r"\d+ \w+ \d{4}, \d\d:\d\d CES?T</time>", html)
    assert "days left" in html
    assert '<span data-local="note" hidden>In your time:' in html


def test_missing_answers_are_pointed_out_and_what_was_typed_is_kept(client, db, workshop):
    response = submit(
        client,
        workshop,
        given_names="",
        gender=None,
        consent=None,
        family_name="Diallo-Sherpa",
        motivation="Line one\r\nline two",
    )
    assert response.status_code == 422
    html = response.text
    assert field_error(html, "given_names") == "Error: Please give your given names."
    assert "Please choose an answer." in field_error(html, "gender")
    assert "Please agree" in field_error(html, "consent")
    assert 'value="Diallo-Sherpa"' in html
    assert "Line one\nline two</textarea>" in html
    assert '<option value="Ms" selected>Ms</option>' in html
    assert '<option value="NP" selected>Nepal</option>' in html
    assert 'class="error-summary"' in html and 'href="#given_names"' in html
    assert counts(db) == (0, 0)


def test_malformed_answers_are_refused_with_clear_messages(client, db, workshop):
    response = submit(
        client,
        workshop,
        email="amina.example.net",
        email_confirm="amina@example.net",
        phone="01 441 2345",
        nationality="QQ",
        language="de",
        motivation="x" * 2001,
    )
    assert response.status_code == 422
    html = response.text
    assert "does not look like an email address" in field_error(html, "email")
    assert "The two email addresses differ." in field_error(html, "email_confirm")
    assert "international format" in field_error(html, "phone")
    assert "Choose a country from the list." in field_error(html, "nationality")
    assert "Choose a language from the list." in field_error(html, "language")
    assert "under 2,000 characters" in field_error(html, "motivation")
    assert counts(db) == (0, 0)


def test_a_sponsor_needs_a_name_and_cost_sharing_needs_components_and_a_reason(
    client, db, workshop
):
    response = submit(client, workshop, payment_source="sponsor", costshare_requested="y")
    html = response.text
    assert "name of the sponsor" in field_error(html, "sponsor_name")
    assert "parts of the fee" in field_error(html, "costshare_component_ids")
    assert "explain why" in field_error(html, "costshare_reason")
    assert counts(db) == (0, 0)


def test_a_cost_sharing_request_is_saved_with_its_components(client, db, workshop):
    tuition, subsistence = workshop.fee_components
    response = submit(
        client,
        workshop,
        payment_source="sponsor",
        sponsor_name="Friedrich-Ebert-Stiftung",
        costshare_requested="y",
        costshare_component_ids=[str(subsistence.id)],
        sponsor_covers="Travel and tuition",
        costshare_reason="Our federation cannot pay the subsistence.",
    )
    token_of(response)
    application = only_application(db)
    assert application.costshare_component_ids == [subsistence.id]
    assert application.sponsor_name == "Friedrich-Ebert-Stiftung"


def test_sub_fields_that_do_not_apply_are_folded_away_and_ignored(client, db, workshop):
    form = form_page(client, workshop)
    # The sponsor's name and the cost-sharing details sit in blocks the stylesheet shows
    # only once a sponsor pays, or cost-sharing is asked for.
    assert re.search(
        r'<div class="when-sponsor">\s*<div class="field[^"]*">\s*<label for="sponsor_name"', form
    )
    assert re.search(
        r'<div class="when-costshare">\s*<fieldset [^>]*id="costshare_component_ids"',
        form,
    )
    # Filled in, then folded away by another choice: the server keeps none of it.
    response = submit(
        client,
        workshop,
        payment_source="self",
        sponsor_name="Left over",
        sponsor_covers="Left over",
        costshare_reason="Left over",
    )
    token_of(response)
    application = only_application(db)
    assert (application.sponsor_name, application.sponsor_covers, application.costshare_reason) == (
        "",
        "",
        "",
    )
    assert not application.costshare_requested


def test_a_pdf_cv_is_kept(client, db, workshop, uploads):
    response = submit(client, workshop, cv=(io.BytesIO(PDF), "Amina CV.pdf"))
    token = token_of(response)
    application = only_application(db)
    assert (uploads / application.cv_path).read_bytes() == PDF
    assert "Amina CV.pdf" in client.get(f"/my/{token}").text


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, db, workshop, uploads):
    fake = io.BytesIO(b"MZ\x90\x00 an executable pretending to be a CV")
    response = submit(client, workshop, cv=(fake, "cv.pdf"), given_names="Amina")
    assert response.status_code == 422
    assert "not a PDF" in field_error(response.text, "cv")
    assert 'value="Amina"' in response.text
    assert "Please attach it again" not in response.text  # the file itself was refused
    assert counts(db) == (0, 0)
    assert not uploads.exists() or not list(uploads.rglob("*"))


def test_a_good_cv_sent_with_a_mistake_elsewhere_is_asked_for_again(client, db, workshop):
    response = submit(client, workshop, cv=(io.BytesIO(PDF), "cv.pdf"), phone="12")
    assert response.status_code == 422
    assert "Please attach it again" in response.text
    assert counts(db) == (0, 0)


def test_a_cv_over_the_limit_gets_an_inline_message(client, db, workshop):
    big = io.BytesIO(PDF + b"0" * (4 * 1024 * 1024))
    response = submit(client, workshop, cv=(big, "cv.pdf"))
    assert response.status_code == 422
    assert "larger than 4 MB" in field_error(response.text, "cv")
    assert counts(db) == (0, 0)


def test_a_ten_megabyte_upload_gets_a_clear_page_not_a_bare_413(client, db, workshop):
    huge = io.BytesIO(PDF + b"0" * (10 * 1024 * 1024))
    response = submit(client, workshop, cv=(huge, "cv.pdf"))
    assert response.status_code == 413
    assert "the file is too large" in response.text
    assert "nothing was saved" in response.text
    assert "of up to 4 MB" in response.text
    assert counts(db) == (0, 0)


def test_a_post_without_csrf_token_is_refused_and_nothing_is_stored(client, db, workshop):
    page = form_page(client, workshop)
    data = answers(workshop, submission_key=hidden_value(page, "submission_key"))
    response = client.post("/activities/partnerships/apply", data=data)
    assert response.status_code == 400
    assert "nothing was saved" in response.text
    assert counts(db) == (0, 0)


def test_a_forged_or_missing_submission_key_is_refused(client, db, workshop):
    page = form_page(client, workshop)
    response = submit(client, workshop, page=page, submission_key="<x>")
    assert response.status_code == 422
    assert "This form has expired" in response.text
    assert counts(db) == (0, 0)


def test_a_script_in_a_name_is_shown_as_text_everywhere(client, db, smtp, deliver, workshop):
    evil = '<script>alert("x")</script>'
    # On the form shown again with an error...
    again = submit(client, workshop, given_names=evil, phone="nope")
    assert evil not in again.text
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"' in again.text
    # ...on the confirmation and private pages...
    response = submit(client, workshop, given_names=evil)
    token = token_of(response)
    for url in (response.headers["Location"], f"/my/{token}"):
        html = client.get(url).text
        assert evil not in html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Diallo" in client.get(f"/my/{token}").text
    )
    # ...and in the HTML email; the text email shows it as typed, which is harmless.
    deliver()
    [mail] = smtp.to("amina@example.net")
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert evil not in html and "&lt;script&gt;" in html
    assert evil in mail.message.get_body(preferencelist=("plain",)).get_content()


def test_an_unknown_activity_has_no_form(client, db, make_activity):
    from eventreg.models import ActivityStatus

    make_activity(slug="draft", status=ActivityStatus.DRAFT)
    db.session.commit()
    assert client.get("/activities/nowhere/apply").status_code == 404
    assert client.get("/activities/draft/apply").status_code == 404


def test_organisation_types_cover_both_tiers(client, db, workshop):
    workshop.audience_groups.append(
        AudienceGroup(tier=AudienceTier.ALSO, name="Donors", position=5)
    )
    db.session.commit()
    response = submit(client, workshop, organisation_type="Donors")
    token_of(response)
    assert only_application(db).organisation_type == "Donors"


def test_a_choice_outside_the_list_is_refused(client, db, workshop):
    response = submit(client, workshop, organisation_type="Secret society")
    assert "Choose a type from the list." in field_error(response.text, "organisation_type")
    assert counts(db) == (0, 0)


def test_the_csrf_token_is_on_the_resend_form_too(client, workshop):
    html = client.get("/activities/partnerships/resend-link").text
    assert csrf_token_from(html)
    assert '<label for="email">' in html


def test_a_cv_replaced_by_a_correction_leaves_no_copy_behind(client, db, workshop, uploads):
    """The applicant corrects their application with a new CV: the first one is removed
    (nothing refers to it any more, and erasure would not find it to remove it)."""
    token = token_of(submit(client, workshop, cv=(io.BytesIO(PDF), "first.pdf")))
    first = only_application(db).cv_path
    page = client.get(f"/my/{token}/correct")
    newer = PDF.replace(b"1 0 obj", b"2 0 obj")
    data = answers(workshop, consent=None, csrf_token=csrf_token_from(page.text))
    data["cv"] = (io.BytesIO(newer), "second.pdf")
    assert post_form(client, f"/my/{token}/correct", data).status_code in (302, 303)

    db.session.expire_all()
    application = only_application(db)
    assert application.cv_filename == "second.pdf"
    assert (uploads / application.cv_path).read_bytes() == newer
    assert not (uploads / first).exists()
    assert [path.name for path in uploads.rglob("*.pdf")] == [Path(application.cv_path).name]
