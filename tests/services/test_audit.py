"""The audit log keeps who changed what, and only what changed."""

from __future__ import annotations

from eventreg.services import audit


def test_an_entry_keeps_the_actor_and_only_the_changed_fields(
    db, make_activity, make_application, make_staff
):
    application = make_application(make_activity())
    assistant = make_staff()
    before = audit.snapshot(application, ["status", "email"])
    application.status = "under_review"
    entry = audit.record(
        "status_changed",
        application,
        by=assistant,
        before=before,
        after=audit.snapshot(application, ["status", "email"]),
    )
    assert entry.before == {"status": "submitted"}
    assert entry.after == {"status": "under_review"}
    assert entry.actor_name == assistant.name
    assert entry.activity_id == application.activity_id
    assert [e.action for e in audit.history(application)] == ["status_changed"]


def test_an_applicant_action_names_the_applicant_as_actor(db, make_activity, make_application):
    application = make_application(make_activity())
    entry = audit.record("withdrawn", application, actor="applicant")
    assert entry.actor_name == "applicant"
