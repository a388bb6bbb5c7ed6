"""Domain errors: a refusal with a message for the user and, where it applies, the form field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
