"""Access: everything held about one person, as JSON a machine reads (uploads included).

It walks the same registry as erasure (eventreg/personal_data.py), so whatever erasure
removes, the person could first download.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from .. import files
from ..extensions import db
from ..models import Application
from ..personal_data import TABLES

HIDDEN_COLUMNS = {"submission_key", "secret"}  # internal keys, meaningless to the person


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value  # an enum
    return value


def _upload(key: str, filename: str = "") -> dict[str, Any]:
    try:
        content = files.store().read(key)
    except files.MissingFile:
        return {"filename": filename, "missing": True}
    name = filename or key.rsplit("/", 1)[-1]
    return {"filename": name, "base64": base64.b64encode(content).decode("ascii")}


def personal_record(applications: Sequence[Application]) -> dict[str, Any]:
    """What is held about the person who made these applications: every registered table's
    rows about them, the emails sent to them with attachments, and their uploaded files."""
    ids = sorted(application.id for application in applications)
    tables: dict[str, list[dict[str, Any]]] = {}
    uploads: list[dict[str, Any]] = []
    for table in TABLES:
        t = table.table
        rows = db.session.execute(sa.select(t).where(table.rows_of(ids))).mappings().all()
        tables[table.name] = [
            {k: _plain(v) for k, v in row.items() if k not in HIDDEN_COLUMNS} for row in rows
        ]
        if table.name == "answers":
            for row in rows:
                uploads += [_upload(key) for key in files.keys_in(row["value"])]
    for application in applications:
        if application.cv_path:
            uploads.append(_upload(application.cv_path, application.cv_filename or ""))
    return {
        "about": "Everything eventreg holds about the person who made these applications.",
        "applications": [
            {
                "reference": a.reference,
                "activity": {"reference": a.activity.reference, "title": a.activity.title},
                "status": a.status.value,
            }
            for a in applications
        ],
        "tables": tables,
        "uploads": uploads,
    }


def personal_record_json(applications: Sequence[Application]) -> str:
    """personal_record as indented JSON text (UTF-8, non-ASCII kept readable)."""
    return json.dumps(personal_record(applications), ensure_ascii=False, indent=2, default=str)
