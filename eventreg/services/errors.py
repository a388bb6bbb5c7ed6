"""Domain errors: a refusal with a message for the user and, where it applies, the form field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TooEarly(DomainError):
    """A date guard: the action opens on a given day or moment (attendance from the session's
    day, evaluation once the activity starts, certificates once it ends)."""
