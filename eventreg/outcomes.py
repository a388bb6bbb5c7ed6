"""What a view does with a change asked of the services: save it and say so, or say why not.

The services check and change, then flush; a view commits. A refusal (DomainError) rolls the
whole request back, so nothing half-done is ever saved.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash

from .extensions import db
from .services.errors import DomainError


def saved(
    change: Callable[[], object],
    *,
    done: str,
    refused: Callable[[DomainError], None] | None = None,
) -> bool:
    """Run `change`; commit and flash `done`, or roll back and show the refusal.

    The refusal goes to `refused` (e.g. next to a form's field) or, without one, is flashed
    as an error. Returns whether the change was saved.
    """
    try:
        change()
    except DomainError as error:
        db.session.rollback()
        if refused is None:
            flash(str(error), "error")
        else:
            refused(error)
        return False
    db.session.commit()
    flash(done, "success")
    return True
