"""Random question sets and random answers through the real form: never a 5xx, and never an
answer kept for a question its condition hides."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventreg.models import Question
from eventreg.models.questions import Answer
from eventreg.services import questions as service

from ..conftest import csrf_token_from

TYPES = [
    "heading",
    "short_text",
    "long_text",
    "number",
    "date",
    "yes_no",
    "single_choice",
    "multiple_choice",
    "country",
    "email",
    "phone",
]
SOURCES = ("yes_no", "single_choice", "multiple_choice")
_slugs = itertools.count(1)

question_sets = st.lists(
    st.tuples(
        st.sampled_from(TYPES),
        st.booleans(),  # required
        st.integers(min_value=0, max_value=9),  # which earlier source, if any, shows it
        st.booleans(),  # conditional at all
    ),
    min_size=1,
    max_size=7,
)
raw_answers = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from(["yes", "no", "", "12", "-3.5", "2027-07-13", "NP", "+41227996111"]),
        st.sampled_from(["a@example.org", "OPTION", "OPTION2"]),
        st.text(max_size=30),
    ),
    min_size=7,
    max_size=7,
)


def build(activity, plan, manager):
    made: list[Question] = []
    for type_, required, pick, conditional in plan:
        spec = service.QuestionSpec(
            type=type_, label={"en": f"{type_} {len(made)}"}, required=required
        )
        if type_ in ("single_choice", "multiple_choice"):
            spec.options = [service.OptionSpec({"en": "One"}, 1), service.OptionSpec({"en": "Two"})]
        sources = [q for q in made if q.type in SOURCES]
        if conditional and sources:
            source = sources[pick % len(sources)]
            spec.condition_question_id = source.id
            spec.condition_values = (
                ["yes"] if source.type == "yes_no" else [str(source.options[pick % 2].id)]
            )
        made.append(service.save_question(activity, Question(), spec, by=manager))
    return made


def keys(answer: Answer) -> set[str]:
    if answer.value is True:
        return {"yes"}
    if answer.value is False:
        return {"no"}
    if isinstance(answer.value, list):
        return {str(value) for value in answer.value}
    return set()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=question_sets, sent=raw_answers)
def test_random_forms_never_fail_and_never_keep_a_hidden_answer(
    app, db, make_activity, manager, plan, sent
):
    activity = make_activity(slug=f"property-{next(_slugs)}")
    made = build(activity, plan, manager)
    db.session.commit()
    client = app.test_client()
    page = client.get(f"/activities/{activity.slug}/apply")
    assert page.status_code == 200
    key = re.search(r'name="submission_key" type="hidden" value="([^"]*)"', page.text).group(1)
    data = {
        "csrf_token": csrf_token_from(page.text),
        "submission_key": key,
        "given_names": "Ama",
        "family_name": "Property",
        "gender": "female",
        "nationality": "NP",
        "country": "NP",
        "email": f"p{activity.id}@example.net",
        "email_confirm": f"p{activity.id}@example.net",
        "phone": "+977 1 441 2345",
        "language": "en",
        "organisation": "Union",
        "organisation_type": "Other",
        "position": "Officer",
        "proficiency": "advanced",
        "motivation": "To learn.",
        "payment_source": "self",
        "consent": "y",
    }
    for question, value in zip(made, sent, strict=False):
        if value is None:
            continue
        if value.startswith("OPTION") and question.options:
            value = str(question.options[1 if value == "OPTION2" else 0].id)
        data[f"q{question.id}"] = value
    response = client.post(f"/activities/{activity.slug}/apply", data=data)
    assert response.status_code < 500
    # 400: a NUL character, refused at the edge before the form is read.
    assert response.status_code in (303, 302, 400, 422), response.status_code
    db.session.expire_all()
    stored = {
        answer.question_id: answer
        for answer in db.session.query(Answer)
        .join(Question)
        .filter(Question.activity_id == activity.id)
    }
    for question in made:
        if question.id in stored and question.condition_question_id is not None:
            source = stored.get(question.condition_question_id)
            assert source is not None, f"{question.label} kept while its source went unanswered"
            assert keys(source) & set(question.condition_values)
