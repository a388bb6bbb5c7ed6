"""Text that comes in: a NUL character is refused at the door, for every page and form.

PostgreSQL text columns cannot hold NUL (U+0000): a form that carried one used to end in a
server error there, while SQLite stored it. No one types it on purpose (it comes from a bad
copy and paste or from a probe), so every request is checked here once, before any view
runs: the address, the query string, the form fields, the names of uploaded files and the
strings of a JSON body.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _

NUL = "\x00"


def first_field_with_nul() -> str | None:
    """The name of the first part of the request that holds a NUL, or None."""
    if NUL in request.path:
        return "address"
    sources: Iterable[tuple[str, str]] = [
        *request.args.items(multi=True),
        *request.form.items(multi=True),
        *((name, upload.filename or "") for name, upload in request.files.items(multi=True)),
    ]
    if request.is_json:
        sources = [*sources, *_json_strings(request.get_json(silent=True), "body")]
    for name, value in sources:
        if NUL in name:
            return "field name"
        if NUL in value:
            return name
    return None


def _json_strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """Every string of a JSON document with the name of the member that holds it."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(key, "member name")
            yield from _json_strings(item, str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, name)


def init_app(app: Flask) -> None:
    """Refuse, with a page saying which field, any request that carries a NUL."""

    @app.before_request
    def refuse_nul() -> None:
        field = first_field_with_nul()
        if field is not None:
            label = field.replace("_", " ")
            abort(
                400,
                description=_(
                    "The %(field)s you sent contains a NUL character (an invisible control "
                    "character, often left by copying and pasting), which cannot be stored. "
                    "Nothing was saved: please go back, retype that text and send it again.",
                    field=label,
                ),
            )
