"""An id too large for the database, in any page's URL, is a page not found, never a 500.

PostgreSQL's integer ids stop at 2**31 - 1 and SQLite's at 2**63 - 1; every `<int:...>` of
every route (public, staff, trainer, API) is tried with a number past each limit.
"""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from eventreg.models import Role

from ..conftest import csrf_token_from

TOO_LARGE = (2**31, 2**63, 10**30)


def paths_with_ids(app, number: int) -> list[tuple[str, str]]:
    """(method, path) for every route with an integer argument, that argument set to `number`."""
    found = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        path = re.sub(
            r"<(?:([a-zA-Z_]+)(?:\([^)]*\))?:)?([a-zA-Z_]+)>",
            lambda m: str(number) if m.group(1) == "int" else "x",
            rule.rule,
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, path))
    return found


@pytest.mark.parametrize("number", TOO_LARGE)
def test_ids_past_the_databases_limits_give_not_found(app, db, sign_in_as, number):
    client = sign_in_as(Role.ADMIN)
    token = csrf_token_from(client.get("/staff/").text)
    routes = paths_with_ids(app, number)
    assert len(routes) > 60  # staff, trainer, public and API routes are all here
    wrong = []
    for method, path in routes:
        if method == "GET":
            response = client.get(path)
        else:
            response = client.open(path, method=method, data={"csrf_token": token})
        if response.status_code not in (404, 405):  # no route takes such an id
            wrong.append(f"{method} {path}: {response.status_code}")
        response.close()
    assert wrong == []
