"""Places per option under concurrent submissions, on real parallel connections.

On PostgreSQL the activity's row lock (SELECT ... FOR UPDATE, as for capacity) serialises
the submissions; SQLite serialises every write and must give the same answer.
"""

from __future__ import annotations

import threading
from collections import Counter

from werkzeug.datastructures import MultiDict

from eventreg import clock
from eventreg.extensions import db as database
from eventreg.models import Application
from eventreg.services import answering, applications, questions
from eventreg.services.applications import Answers
from eventreg.services.errors import DomainError


def test_twenty_submissions_at_once_on_a_five_place_option_give_exactly_five(
    app, db, make_activity, add_question
):
    activity = make_activity()
    site = add_question(activity, "single_choice", "Which site?", options=[("Site A", 5)])
    database.session.commit()
    asked = questions.views_of(activity)
    option_id = site.options[0].id
    start = threading.Barrier(20)
    results: list[str] = []
    errors: list[BaseException] = []

    def apply(n: int) -> None:
        try:
            start.wait(timeout=30)
            with app.app_context():
                form = MultiDict({f"q{site.id}": str(option_id)})
                checked = answering.check_answers(asked, form.getlist, lambda name: None)
                try:
                    submission = applications.submit_application(
                        activity.id,
                        answers=Answers(
                            given_names="Ama", family_name=f"N{n}", email=f"a{n}@example.net"
                        ),
                        submission_key=f"concurrent-key-{n:04d}-xxxxxx",
                        consent=True,
                        now=clock.now(),
                    )
                    answering.save_answers(submission.application, asked, checked)
                except DomainError as refusal:
                    database.session.rollback()
                    results.append(type(refusal).__name__)
                else:
                    database.session.commit()
                    results.append("applied")
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Counter(results) == {"applied": 5, "OptionFull": 15}
    database.session.expire_all()
    assert database.session.query(Application).count() == 5
    assert answering.places_taken([option_id]) == {option_id: 5}
