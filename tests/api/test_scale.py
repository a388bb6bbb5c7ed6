"""The API's list of applications at 10,000 answers every page in a few SQL statements."""

from __future__ import annotations

from eventreg.models import Role

from ..backoffice.test_scale import add_applications, counting

MOST_STATEMENTS = 10

QUERIES = (
    {},
    {"status": "submitted", "limit": 200},
    {"region": "africa", "costshare": "true"},
    {"q": "union", "gender": "female", "organisation_type": "NGO", "proficiency": "advanced"},
    {"country": "KE", "limit": 200},
)


def test_every_page_of_ten_thousand_takes_at_most_ten_statements(client, workshop, token_for):
    headers = token_for(Role.COURSE_ASSISTANT, workshop)
    add_applications(workshop, 10_000)
    url = f"/api/v1/activities/{workshop.id}/applications"
    for query in QUERIES:
        cursor, pages, seen = None, 0, 0
        while pages < 4:
            args = {**query, **({"cursor": cursor} if cursor else {})}
            with counting() as statements:
                answer = client.get(url, query_string=args, headers=headers)
            assert answer.status_code == 200
            assert len(statements) <= MOST_STATEMENTS, (query, statements)
            seen += len(answer.json["items"])
            pages += 1
            cursor = answer.json["next_cursor"]
            if cursor is None:
                break
        assert seen > 0, query
    # The last page too: far into the list, the same few statements.
    with counting() as statements:
        last = client.get(url, query_string={"cursor": "9990"}, headers=headers)
    assert [a["reference"][-5:] for a in last.json["items"]] == [
        f"{n:05d}" for n in range(9991, 10001)
    ]
    assert last.json["next_cursor"] is None and len(statements) <= MOST_STATEMENTS
