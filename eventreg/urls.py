"""URL converters: an `<int:...>` in any route is a database id, so it fits a 32-bit integer."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

LARGEST_ID = 2**31 - 1


class RowId(IntegerConverter):
    """A whole number from 0 to LARGEST_ID: a larger one does not match the route (404).

    PostgreSQL's integer ids stop at 2**31 - 1 and SQLite's at 2**63 - 1; a larger number
    reaching a query gave a 500 ("integer out of range", OverflowError) instead of a page.
    """

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Make `<int:...>` mean RowId in every route; called before any blueprint is registered."""
    app.url_map.converters["int"] = RowId
