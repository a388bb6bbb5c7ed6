"""A heading with an explanation: starts a section of the form, asks nothing."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from .base import Parsed, QuestionType, QuestionView, register


@register
class Heading(QuestionType):
    name = "heading"
    title = "Heading and explanation (starts a section)"
    answered = False

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        return None
