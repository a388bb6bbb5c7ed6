"""Receipt numbers: one sequence for the organisation, each number given once, never reused."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import DocumentCounter

RECEIPTS = "receipts"


def next_number(sequence: str = RECEIPTS) -> int:
    """Take the next number of a sequence, in the caller's transaction.

    The counter row is created if missing (INSERT ... ON CONFLICT DO NOTHING), then
    incremented in place by one UPDATE ... RETURNING: on PostgreSQL the update holds the
    row's lock until the caller commits, so two payments recorded at the same moment get
    two numbers, one after the other; a rolled-back transaction gives its number back
    before anyone else sees it, and a number once committed is never given again (a
    removed payment keeps its number out of the sequence).
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(DocumentCounter)
        .values(name=sequence, last=0)
        .on_conflict_do_nothing(index_elements=[DocumentCounter.name])
    )
    number = db.session.scalar(
        sa.update(DocumentCounter)
        .where(DocumentCounter.name == sequence)
        .values(last=DocumentCounter.last + 1)
        .returning(DocumentCounter.last)
    )
    assert number is not None
    return int(number)
