"""Question types of the organiser's forms: one module per type, each with a template.

A new type is a module here that subclasses QuestionType with @register, imported below,
and a template `templates/questions/<name>.html` that draws its input.
"""

from . import (  # noqa: F401  (importing registers each type)
    country,
    date,
    email,
    file,
    heading,
    long_text,
    multiple_choice,
    number,
    phone,
    short_text,
    single_choice,
    yes_no,
)
from .base import (
    TYPES,
    InvalidAnswer,
    InvalidQuestion,
    OptionView,
    Parsed,
    QuestionType,
    QuestionView,
    type_of,
)

__all__ = [
    "TYPES",
    "InvalidAnswer",
    "InvalidQuestion",
    "OptionView",
    "Parsed",
    "QuestionType",
    "QuestionView",
    "type_of",
]
