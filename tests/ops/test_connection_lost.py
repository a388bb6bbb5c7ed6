"""A database connection lost just as a request ends (the server restarting between the
page's last query and the session's closing rollback) must not turn the page into a 500."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session


def lost(statement: str) -> OperationalError:
    return OperationalError(
        statement,
        {},
        Exception("terminating connection due to administrator command"),
        connection_invalidated=True,
    )


def test_a_connection_lost_while_the_request_ends_still_serves_the_page(
    client, make_activity, db, monkeypatch
):
    make_activity(slug="steady", title="Steady workshop")
    db.session.commit()
    real_close = Session.close
    failed: list[str] = []

    def close_after_a_restart(self: Session) -> None:
        if not failed:
            failed.append("rollback")
            real_close(self)
            raise lost("ROLLBACK")
        real_close(self)

    monkeypatch.setattr(Session, "close", close_after_a_restart)
    response = client.get("/activities/steady")
    assert failed == ["rollback"]
    assert response.status_code == 200
    assert "Steady workshop" in response.text


def test_another_error_while_the_request_ends_is_not_hidden(client, db, monkeypatch):
    real_close = Session.close
    failed: list[str] = []

    def broken_close(self: Session) -> None:
        real_close(self)  # the connection goes back to the pool: later tests can clean up
        if not failed:
            failed.append("rollback")
            raise OperationalError("ROLLBACK", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Session, "close", broken_close)
    with pytest.raises(OperationalError):
        client.get("/")
    assert failed == ["rollback"]
