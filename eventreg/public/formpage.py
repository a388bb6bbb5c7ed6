"""The application form page, prepared once per activity version and process.

In the days before a deadline hundreds of applicants open the same form. Laying it out
(two country lists, the audience, the fees) cost more than the rest of the request, so
each process keeps, per activity, the page rendered once with holes for what differs per
visitor (the CSRF token, the one-time key, the time left), and the form's choices. Every
request still asks the database, in one light query, whether the call is open and whether
the activity changed (`updated_at`, which every edit of the activity or of its parts
moves); a changed activity is prepared again.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from threading import Lock
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..extensions import db
from ..formatting import time_left
from ..models import Activity
from ..questions import QuestionView
from ..services import answering, questions
from ..services.applications import new_submission_key
from ..services.calls import CALL_COLUMNS, Call, CallFacts
from ..services.catalogue import VISIBLE
from .forms import application_form
from .questionform import render_questions

# How many activities' pages a process keeps (a handful have an open call at a time).
KEEP = 32


def find_call(slug: str) -> Call | None:
    """The public activity behind a slug, as its call's columns (None if there is none)."""
    row = db.session.connection().execute(_call_query(), {"slug": slug}).first()
    return Call(*row) if row is not None else None  # type: ignore[arg-type]


@cache
def _call_query() -> Any:
    # Built once: building a statement costs more than running this one.
    return sa.select(*CALL_COLUMNS).where(
        Activity.slug == sa.bindparam("slug"), Activity.status.in_(VISIBLE)
    )


@dataclass(frozen=True)
class Prepared:
    """One activity version's facts (form choices, contacts) and blank form page, cut at holes."""

    facts: CallFacts
    pieces: tuple[str, ...]  # text, hole name, text, hole name, ..., text
    # The organiser's questions, and their HTML when it is the same for every visitor
    # (None when an option has limited places: whether it is full is asked per visitor).
    questions: tuple[QuestionView, ...] = ()
    questions_html: Markup | None = None
    # Otherwise their HTML by the set of full options (which changes a few times a call).
    by_full: dict[frozenset[int], Markup] = field(default_factory=dict, compare=False)

    def questions_for_visitor(self) -> Markup:
        """The questions' HTML as it stands now: full options shown as full."""
        if self.questions_html is not None:
            return self.questions_html
        full = answering.full_options(self.questions)
        html = self.by_full.get(full)
        if html is None:
            if len(self.by_full) > 64:
                self.by_full.clear()
            html = self.by_full[full] = render_questions(self.questions, full=full)
        return html

    def page(self, values: dict[str, str]) -> str:
        """The page with each hole filled (values are escaped here, unless Markup)."""
        pieces = list(self.pieces)
        pieces[1::2] = [str(escape(values[name])) for name in self.pieces[1::2]]
        return "".join(pieces)


class FormPages:
    """The prepared form pages of one app, by activity and language; shared between threads."""

    def __init__(self) -> None:
        self._prepared: dict[tuple[int, str], Prepared] = {}
        self._lock = Lock()
        # Markers no activity text can contain by chance: chosen anew in every process.
        self._marker = f"eventreg{secrets.token_hex(12)}"

    def prepared(self, call: Call, render: Callable[[Activity, CallFacts], str]) -> Prepared:
        """The activity's prepared page, made now if it is missing or out of date."""
        # One page per language too: the form's labels and messages are in the reader's.
        key = (call.id, str(get_locale()))
        with self._lock:
            prepared = self._prepared.get(key)
        if prepared is not None and prepared.facts.updated_at == call.updated_at:
            return prepared
        activity = db.session.get_one(Activity, call.id)
        facts = CallFacts.of(activity)
        asked = questions.views_of(activity)
        page = render(activity, facts)
        split = re.split(f"{self._marker}-(\\w+)-", page)
        names = split[1::2]
        if sorted(names) != sorted(HOLES):  # a template that lost a hole: never serve it
            raise RuntimeError(f"the form page has holes {names}, not {sorted(HOLES)}")
        static = None if answering.limited_options(asked) else render_questions(asked)
        prepared = Prepared(
            facts=facts, pieces=tuple(split), questions=asked, questions_html=static
        )
        with self._lock:
            if len(self._prepared) >= KEEP:
                self._prepared.clear()
            self._prepared[key] = prepared
        return prepared

    def hole(self, name: str) -> str:
        return f"{self._marker}-{name}-"


HOLES = ("csrf_token", "submission_key", "time_left", "questions")


def form_pages() -> FormPages:
    """This app's prepared pages (each app has its own: tests make many)."""
    extensions = current_app.extensions
    pages = extensions.get("eventreg.form_pages")
    if pages is None:
        pages = extensions["eventreg.form_pages"] = FormPages()
    assert isinstance(pages, FormPages)
    return pages


def blank_form_page(call: Call, now: datetime) -> str:
    """The application form, empty, for this visitor: a fresh CSRF token and one-time key."""
    pages = form_pages()
    prepared = pages.prepared(call, _blank_page(pages))
    return prepared.page(
        {
            "csrf_token": generate_csrf(),
            "submission_key": new_submission_key(),
            "time_left": time_left(call.deadline_at, now),
            "questions": prepared.questions_for_visitor(),
        }
    )


def call_facts(call: Call) -> CallFacts:
    """What the activity's form offers now, and its contacts (prepared with its page)."""
    pages = form_pages()
    return pages.prepared(call, _blank_page(pages)).facts


def call_questions(call: Call) -> tuple[QuestionView, ...]:
    """The organiser's questions on the activity's form now (prepared with its page)."""
    pages = form_pages()
    return pages.prepared(call, _blank_page(pages)).questions


def _blank_page(pages: FormPages) -> Callable[[Activity, CallFacts], str]:
    def render(activity: Activity, facts: CallFacts) -> str:
        form = application_form(facts)
        form.csrf_token.current_token = pages.hole("csrf_token")
        form.submission_key.data = pages.hole("submission_key")
        return render_template(
            "public/apply.html",
            activity=activity,
            form=form,
            now=None,
            time_left_text=pages.hole("time_left"),
            questions_html=pages.hole("questions"),
            for_every_visitor=True,
        )

    return render
