"""What every question type provides, and the plain view of a question the forms work from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ..models.questions import Question, text_in
from ..services.errors import DomainError


class InvalidAnswer(DomainError):
    """An answer to one of the organiser's questions that the question does not accept."""


class InvalidQuestion(DomainError):
    """A question the builder cannot save as it stands."""


@dataclass(frozen=True)
class OptionView:
    """An option as the form shows it."""

    id: int
    label: dict[str, str]
    places: int | None

    def text(self, language: str | None = None) -> str:
        return text_in(self.label, language)


@dataclass(frozen=True)
class QuestionView:
    """A question as plain values: kept per activity version, read without the database."""

    id: int
    type: str
    label: dict[str, str]
    help: dict[str, str]
    required: bool
    settings: dict[str, Any]
    condition_question_id: int | None
    condition_values: tuple[str, ...]
    options: tuple[OptionView, ...] = ()

    @classmethod
    def of(cls, question: Question) -> QuestionView:
        return cls(
            id=question.id,
            type=question.type,
            label=dict(question.label),
            help=dict(question.help),
            required=question.required,
            settings=dict(question.settings),
            condition_question_id=question.condition_question_id,
            condition_values=tuple(question.condition_values or ()),
            options=tuple(
                OptionView(option.id, dict(option.label), option.places)
                for option in question.live_options
            ),
        )

    @property
    def name(self) -> str:
        """The name of its input on the form."""
        return f"q{self.id}"

    def text(self, language: str | None = None) -> str:
        return text_in(self.label, language)

    def help_text(self, language: str | None = None) -> str:
        return text_in(self.help, language)

    @property
    def kind(self) -> QuestionType:
        return type_of(self.type)

    def option(self, option_id: int) -> OptionView | None:
        return next((option for option in self.options if option.id == option_id), None)


@dataclass(frozen=True)
class Parsed:
    """An accepted answer: its typed value, how it reads, and the options it picks."""

    value: Any
    shown: str
    option_ids: tuple[int, ...] = ()
    # What a condition on this question compares with ("yes", or option ids as text).
    keys: tuple[str, ...] = ()
    upload: FileStorage | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Setting:
    """A setting the builder asks for this type: a field of the builder's form."""

    name: str  # the builder form's field, and the key in Question.settings
    kind: str  # "int", "decimal", "date", "bool" or "display"


class QuestionType:
    """A kind of question: how the builder configures it and how an answer is checked.

    A subclass registers itself by its `name`; its input is drawn by the template
    `questions/<name>.html`. `parse` turns what the browser sent into a Parsed value or
    refuses it with InvalidAnswer; it is called only for questions that are shown.
    """

    name: ClassVar[str]
    title: ClassVar[str]  # as the builder lists it
    answered: ClassVar[bool] = True  # False for a heading: nothing to answer
    has_options: ClassVar[bool] = False
    multiple: ClassVar[bool] = False  # several values under one name (checkboxes)
    conditional_source: ClassVar[bool] = False  # later questions may depend on it
    settings: ClassVar[tuple[Setting, ...]] = ()

    def check_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """The settings this type keeps, checked; raises InvalidQuestion."""
        return {
            name: settings[name] for name in self.setting_names if settings.get(name) is not None
        }

    @property
    def setting_names(self) -> tuple[str, ...]:
        return tuple(setting.name for setting in self.settings)

    def parse(
        self, question: QuestionView, values: list[str], upload: FileStorage | None
    ) -> Parsed | None:
        """The answer, or None when nothing was given; raises InvalidAnswer."""
        raise NotImplementedError

    def reading(self, question: QuestionView, value: Any, language: str) -> str | None:
        """How a kept answer (its typed `value`) reads in `language`, for a type whose
        words depend on the language (yes or no, options, countries); None for an answer
        that reads as it was typed, or that can no longer be read so (an option removed)."""
        return None

    def hint(self, question: QuestionView) -> str:
        """What the applicant should know about the accepted answers (limits), in the
        reader's language."""
        return ""

    @property
    def template(self) -> str:
        return f"questions/{self.name}.html"


TYPES: dict[str, QuestionType] = {}


def register(kind: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make a question type available to the builder and the forms."""
    TYPES[kind.name] = kind()
    return kind


def type_of(name: str) -> QuestionType:
    """The question type called `name`; KeyError if there is none."""
    return TYPES[name]


def first_value(values: list[str]) -> str:
    """The one value of a single-valued input, trimmed (empty when none was sent)."""
    return values[0].replace("\r\n", "\n").strip() if values else ""


def sentences(*parts: str) -> str:
    """Sentences, each translated on its own, as one message ("Give a number. A number.")."""
    return " ".join(str(part) for part in parts if part)


def refuse_nul(text: str) -> None:
    """PostgreSQL cannot store NUL characters; nobody types them."""
    if "\x00" in text:
        raise InvalidAnswer(_("This answer contains a character that cannot be kept."))


def decimal_or_none(value: Any, *, field: str) -> Decimal | None:
    """A setting read as a decimal number (None when blank); raises InvalidQuestion."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidQuestion(_("Give a number."), field=field) from None
    if not number.is_finite():
        raise InvalidQuestion(_("Give a number."), field=field)
    return number
