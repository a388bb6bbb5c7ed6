"""What a view does with a change asked of the services: save it and say so, or show why not.

The services check and change, then flush; a view commits. A refusal (DomainError) rolls the
whole request back, so nothing half-done is ever saved. Every view that saves goes through
`saved`; every refusal is shown by `show_error`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash
from flask_wtf import FlaskForm

from .extensions import db
from .services.errors import DomainError

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """Whether the change was saved, and what it returned."""

    ok: bool
    _value: T | None = None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def value(self) -> T:
        """What the change returned (only once it is saved)."""
        if not self.ok:
            raise LookupError("The change was refused: it returned nothing.")
        return self._value  # type: ignore[return-value]


def saved(
    change: Callable[[], T],
    *,
    done: str | Callable[[T], str] = "",
    form: FlaskForm | None = None,
) -> Saved[T]:
    """Run `change`; commit and flash `done`, or roll back and show the refusal.

    `done` is the success message, or a function of what the change returned. The refusal
    goes next to the form's field it concerns (see `show_error`) or, without a form, is
    flashed as an error. The result is true when the change was saved.
    """
    try:
        value = change()
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return Saved(False)
    db.session.commit()
    message = done(value) if callable(done) else done
    if message:
        flash(message, "success")
    return Saved(True, value)


def checked(look: Callable[[], T], *, form: FlaskForm) -> T | None:
    """Run a check that changes nothing (a preview); its result, or None with the refusal
    shown on the form."""
    try:
        return look()
    except DomainError as error:
        show_error(form, error)
        return None


def show_error(form: FlaskForm | None, error: DomainError) -> None:
    """Put a refusal next to the field it concerns, atop the form, or (no form) in a flash."""
    if form is None:
        flash(str(error), "error")
        return
    target = form._fields.get(error.field) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))
