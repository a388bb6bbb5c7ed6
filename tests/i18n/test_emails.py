"""Every email an applicant receives exists in each language: one template, the catalogs."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from eventreg.emails import queue_email
from eventreg.models import ApplicationStatus
from eventreg.services.correspondence import email_context

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "email"
# Written by staff (their own words) or sent to staff (English only): not translated here.
NOT_TRANSLATED = {"message", "password_reset", "staff_invitation"}


def kinds() -> list[str]:
    return sorted(p.stem for p in EMAILS.glob("*.txt") if not p.name.startswith("_"))


def variants(kind: str) -> list[dict[str, object]]:
    """Each way an email kind is written: every status, every reminder."""
    if kind == "application_status":
        return [{"status": status} for status in ApplicationStatus if status.value != "submitted"]
    if kind == "reminder":
        kinds_ = ("confirm_by", "payment_due", "first_session", "evaluation")
        return [{"kind": name} for name in kinds_]
    return [{}]


def context(kind: str) -> dict[str, object]:
    return {
        "changed": ["Organisation"],
        "certificate": SimpleNamespace(code="ABCD-EFGH"),
        "change": "",
        "grants": [],
        "link": "http://localhost/evaluate/x",
        "module": None,
        "anonymous": True,
        "local_follow_up_by": "",
        "evaluation_links": ["http://localhost/evaluate/y"],
        "local_first_day": "1",
        "local_first_time": "09:00",
    }


def prose(text: str) -> set[str]:
    """The sentences of an email: lines before the signature, without links or bare values."""
    body = text.split("\n--\n", 1)[0]
    return {
        line.strip()
        for line in body.splitlines()
        if len(re.findall(r"[A-Za-z]{3,}", line)) >= 3 and "http" not in line
    }


def test_there_is_no_copy_of_a_template_per_language():
    assert [p.name for p in EMAILS.iterdir() if p.is_dir()] == []


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("kind", [k for k in kinds() if k not in NOT_TRANSLATED])
def test_every_email_kind_is_written_in_the_applicants_language(
    db, make_activity, make_application, kind, language
):
    activity = make_activity(title="Partnerships", venue="Turin")
    for variant in variants(kind):
        written = {}
        for lang in ("en", language):
            application = make_application(
                activity, language=lang, status=variant.get("status", ApplicationStatus.SUBMITTED)
            )
            values = {**email_context(application), **context(kind), **variant}
            values.pop("status", None)
            written[lang] = queue_email(kind, to="a@example.net", application=application, **values)
        english, translated = written["en"], written[language]
        assert translated.subject != english.subject, (kind, variant)
        left_in_english = prose(english.body_text) & prose(translated.body_text)
        assert left_in_english == set(), (kind, variant)
        assert f'<html lang="{language}">' in translated.body_html
