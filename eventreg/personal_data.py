"""Where personal data lives: every table, what it holds about an applicant, what erasure does.

The one home that erasure (`services/erasure.py`), the access download (`services/access.py`)
and the retention job (`services/retention.py`) all read. A test fails when a table of the
model is missing here, so a new table cannot be forgotten: classify it with ONE line, either
in `NOT_ABOUT_APPLICANTS` (with the reason as a comment) or as a `Table(...)` in `TABLES`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from .extensions import db


class Treat(enum.StrEnum):
    """What erasure does to one column."""

    BLANK = "blank"  # emptied: "" for text, NULL where the column allows it
    PSEUDONYM = "pseudonym"  # becomes "erased applicant #<application id>"
    NO_ADDRESS = "no address"  # becomes erased-<id>@erased.invalid: unique, never delivered
    DELETE_FILE = "delete file"  # holds a file-store key: the file is removed, the column NULL
    FILE_IN_JSON = "delete files in JSON"  # JSON that may name file-store keys: files removed, NULL
    SCRUB = "scrub"  # text or JSON kept, the person's names and contacts inside replaced
    UNLINK = "unlink"  # the link to the person is set to NULL; the row stays for the figures
    KEEP = "keep"  # kept on purpose: figures (gender, country, status, money) or no identity


@dataclass(frozen=True)
class Table:
    """How one table holds data about applicants.

    `link` is the column naming the application (or a function giving the rows' condition
    for a set of application ids, for tables that reach the person through another table).
    `columns` maps the columns with personal data to their treatment; any column not named
    holds none (ids, dates, amounts). `delete_rows` removes the person's rows entirely.
    """

    name: str
    link: str | Callable[[Sequence[int]], sa.ColumnElement[bool]]
    columns: dict[str, Treat] = field(default_factory=dict)
    delete_rows: bool = False
    why: str = ""

    @property
    def table(self) -> sa.Table:
        return db.metadata.tables[self.name]

    def rows_of(self, application_ids: Sequence[int]) -> sa.ColumnElement[bool]:
        """The SQL condition selecting this table's rows about these applications."""
        if callable(self.link):
            return self.link(application_ids)
        return self.table.c[self.link].in_(list(application_ids))


def _outbox_attachments(ids: Sequence[int]) -> sa.ColumnElement[bool]:
    outbox = db.metadata.tables["email_outbox"]
    emails = sa.select(outbox.c.id).where(outbox.c.application_id.in_(list(ids)))
    return db.metadata.tables["outbox_attachments"].c.email_id.in_(emails)


def _webhook_events(ids: Sequence[int]) -> sa.ColumnElement[bool]:
    payload = db.metadata.tables["webhook_events"].c.payload
    return payload["application_id"].as_integer().in_(list(ids))


# The application row itself: identity, contact and free text go; what the activity's
# figures count by (gender, country, nationality, organisation type, status, language,
# proficiency, money) stays, now about "erased applicant #id".
APPLICATION = Table(
    "applications",
    link="id",
    columns={
        "title": Treat.BLANK,
        "given_names": Treat.BLANK,
        "family_name": Treat.PSEUDONYM,
        "email": Treat.NO_ADDRESS,
        "phone": Treat.BLANK,
        "organisation": Treat.BLANK,
        "position": Treat.BLANK,
        "motivation": Treat.BLANK,
        "expectations": Treat.BLANK,
        "sponsor_name": Treat.BLANK,
        "sponsor_covers": Treat.BLANK,
        "costshare_reason": Treat.BLANK,
        "dietary_needs": Treat.BLANK,
        "access_needs": Treat.BLANK,
        "cv_filename": Treat.BLANK,
        "cv_path": Treat.DELETE_FILE,
        "submission_key": Treat.BLANK,
        "gender": Treat.KEEP,
        "nationality": Treat.KEEP,
        "country": Treat.KEEP,
        "organisation_type": Treat.KEEP,
        "language": Treat.KEEP,
        "proficiency": Treat.KEEP,
    },
)

TABLES: tuple[Table, ...] = (
    APPLICATION,
    Table("application_notes", "application_id", {"body": Treat.SCRUB}, why="staff notes"),
    Table("answers", "application_id", {"value": Treat.FILE_IN_JSON, "shown": Treat.BLANK}),
    Table("answer_choices", "application_id", {"option_id": Treat.KEEP}, why="places per option"),
    Table("attendance", "application_id", {"present": Treat.KEEP}, why="attendance figures"),
    Table("certificates", "application_id", {"code": Treat.KEEP}, why="still verifies"),
    Table("evaluation_invitations", "application_id", delete_rows=True),
    Table("evaluation_responses", "application_id", {"application_id": Treat.UNLINK}),
    Table("costshare_grants", "application_id", {"amount": Treat.KEEP}, why="budget"),
    Table("payments", "application_id", {"amount": Treat.KEEP, "note": Treat.SCRUB}),
    Table("reminders", "application_id", {"kind": Treat.KEEP}),
    Table(
        "email_outbox",
        "application_id",
        {
            "to_address": Treat.BLANK,
            "to_name": Treat.BLANK,
            "subject": Treat.SCRUB,
            "body_text": Treat.BLANK,
            "body_html": Treat.BLANK,
        },
    ),
    Table("outbox_attachments", _outbox_attachments, delete_rows=True, why="letters, PDFs"),
    Table(
        "audit_log",
        "application_id",
        {"before": Treat.SCRUB, "after": Treat.SCRUB, "note": Treat.SCRUB},
        why="the entry stays: who decided what, on 'erased applicant #id'",
    ),
    Table("webhook_events", _webhook_events, {"payload": Treat.SCRUB}),
)

# Tables with nothing about applicants. One line each; the comment says why.
NOT_ABOUT_APPLICANTS: dict[str, str] = {
    "activities": "the programme",
    "modules": "the programme",
    "sessions": "the programme",
    "session_trainers": "staff",
    "fee_components": "the programme",
    "contacts": "staff contacts the organiser publishes",
    "audience_groups": "the programme",
    "api_tokens": "staff",
    "evaluation_questions": "the questionnaire",
    "evaluation_answers": "ratings and comments, unlinked through evaluation_responses",
    "questions": "the form",
    "question_options": "the form",
    "staff_users": "staff",
    "staff_assignments": "staff",
    "staff_sessions": "staff",
    "staff_invitations": "staff",
    "staff_recovery_codes": "staff",
    "sign_in_failures": "staff sign-in addresses, kept a short while",
    "rate_limit_counters": "short-lived counters",
    "webhook_endpoints": "configuration",
    "webhook_deliveries": "delivery state; the payload is in webhook_events",
    "jobs": "batch progress; result files are documents for staff (see README)",
    "stored_files": "the file store: reached through the keys other tables hold",
    "alembic_version": "migrations",
    "privacy_notices": "the organisation's texts",
    "organisation_settings": "the organisation's name, signatory and defaults",
    "programme_people": "speakers and facilitators the organiser publishes, not applicants",
    "partners": "organisations the programme names",
    "document_counters": "the last receipt number given",
}

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def unclassified(table_names: Sequence[str]) -> list[str]:
    """The tables that are neither in TABLES nor in NOT_ABOUT_APPLICANTS."""
    return sorted(n for n in table_names if n not in BY_NAME and n not in NOT_ABOUT_APPLICANTS)


def pseudonym(application_id: int) -> str:
    """What stands for an erased applicant's name."""
    return f"erased applicant #{application_id}"


def no_address(application_id: int) -> str:
    """What stands for an erased applicant's email: unique per application, never delivered
    (the .invalid domain is reserved for exactly this)."""
    return f"erased-{application_id}@erased.invalid"
