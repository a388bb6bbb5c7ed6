"""The API's list of applications at 10,000: statements per page, p95, and a same-run ratio
against the review page.

Run from the repo root: `.venv/bin/python bench/api.py`. On a fresh SQLite database it loads
the review bench's activity with 10,000 applications, gives its course assistant a personal
API token and signs them in through the real form, then requests, in turns, pages of the
API's list (filters as on the review list, and pages reached by cursor) and the review list
page with the same filters, through the Flask test client. It reports

    queries: N            most SQL statements for one API page
    p95_ms: X             95th percentile of an API page
    review_p95_ms: X      95th percentile of the review list page, in the same run
    ratio: X              p95 of the API page / p95 of the review page

and writes bench/results/api.json.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_app, report  # noqa: E402
from bench.review import (  # noqa: E402
    APPLICATIONS,
    PASSWORD,
    FreshContextClient,
    percentile,
    seed,
)

WARM_UP = 10
ROUNDS = 80

# The same filters as the review bench: (API query, review page query).
QUERIES = (
    ("?status=submitted", "?status=submitted"),
    ("?region=africa&costshare=true", "?region=africa&costshare=yes"),
    ("?q=ngo&gender=female&cursor=2000", "?q=ngo&gender=female&page=2"),
    (
        "?organisation_type=Local+government&proficiency=advanced&limit=100",
        "?organisation_type=Local+government&proficiency=advanced&per_page=100",
    ),
)


def measure(app: Any) -> dict[str, float | int]:
    from sqlalchemy import event

    from eventreg.extensions import db
    from eventreg.models import StaffUser
    from eventreg.services import apitokens

    activity_id, email = seed(APPLICATIONS)
    assistant = db.session.query(StaffUser).filter_by(email=email).one()
    _, secret = apitokens.create_token(assistant, name="bench")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}

    app.test_client_class = FreshContextClient
    client = app.test_client()
    page = client.get("/staff/sign-in")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    signed = client.post(
        "/staff/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert signed.status_code in (302, 303), signed.status_code

    api = [f"/api/v1/activities/{activity_id}/applications{q}" for q, _ in QUERIES]
    pages = [f"/staff/activities/{activity_id}/applications{q}" for _, q in QUERIES]

    def timed(url: str, **kwargs: Any) -> float:
        began = time.perf_counter()
        response = client.get(url, **kwargs)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    for i in range(WARM_UP):
        timed(api[i % len(api)], headers=headers)
        timed(pages[i % len(pages)])
    statements = {"n": 0}

    def count(*_args: Any) -> None:
        statements["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    per_page = []
    for url in api:
        statements["n"] = 0
        timed(url, headers=headers)
        per_page.append(statements["n"])
    event.remove(db.engine, "before_cursor_execute", count)
    api_times, page_times = [], []
    for i in range(ROUNDS):
        api_times.append(timed(api[i % len(api)], headers=headers))
        page_times.append(timed(pages[i % len(pages)]))
    return {
        "applications": APPLICATIONS,
        "queries": max(per_page),
        "p95_ms": round(percentile(api_times, 0.95), 1),
        "median_ms": round(percentile(api_times, 0.5), 1),
        "review_p95_ms": round(percentile(page_times, 0.95), 1),
    }


def main() -> None:
    with bench_app() as app:
        figures: dict[str, float | int | str] = dict(measure(app))
    figures["ratio"] = round(float(figures["p95_ms"]) / float(figures["review_p95_ms"]), 2)
    report("api", figures)


if __name__ == "__main__":
    main()
