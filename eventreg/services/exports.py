"""Exports: the filtered list (columns chosen by staff) and the venue's participants list,
as CSV or XLSX.

Spreadsheets run formulas. Any text cell that begins with =, +, -, @, a tab or a carriage
return is written as text: prefixed with an apostrophe in CSV, typed as a string in XLSX.
An applicant called "=HYPERLINK(...)" stays a name.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..formatting import country_name
from ..models import PLACE_HOLDING, Activity
from ..models.money import amount_due
from . import answers, payments
from .errors import DomainError
from .review import Filters, Row, Sort, region_of, rows


@dataclass(frozen=True)
class Amount:
    """Money in a cell: a number the spreadsheet can sum, shown with its currency."""

    value: Decimal
    currency: str


Cell = str | int | Decimal | datetime | Amount | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Format(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportRefused(DomainError):
    """The export was asked for in a way it cannot be made."""


@dataclass(frozen=True)
class Column:
    """One column staff may choose: its heading and how a row gives its value."""

    label: str
    value: Callable[[Row, Activity], Cell]


def _money(minor: int, activity: Activity) -> Amount:
    return Amount((Decimal(minor) / 100).quantize(Decimal("0.01")), activity.currency)


def _local(moment: datetime | None, activity: Activity) -> datetime | None:
    """The moment on the activity's clock, without a zone: spreadsheets keep no zones."""
    return moment.astimezone(activity.zone).replace(tzinfo=None) if moment else None


def _due(row: Row, activity: Activity) -> int:
    return amount_due(activity.fee_total, row.granted, row.paid)


COLUMNS: dict[str, Column] = {
    "reference": Column("Reference", lambda r, a: r.application.reference),
    "status": Column("Status", lambda r, a: r.application.status.label),
    "title": Column("Title", lambda r, a: r.application.title),
    "given_names": Column("Given names", lambda r, a: r.application.given_names),
    "family_name": Column("Family name", lambda r, a: r.application.family_name),
    "gender": Column("Gender", lambda r, a: r.application.gender.value),
    "nationality": Column("Nationality", lambda r, a: country_name(r.application.nationality)),
    "country": Column("Country of residence", lambda r, a: country_name(r.application.country)),
    "region": Column("Region", lambda r, a: region_of(r.application.country).label),
    "email": Column("Email", lambda r, a: r.application.email),
    "phone": Column("Phone", lambda r, a: r.application.phone),
    "language": Column("Language", lambda r, a: r.application.language),
    "organisation": Column("Organisation", lambda r, a: r.application.organisation),
    "organisation_type": Column(
        "Type of organisation", lambda r, a: r.application.organisation_type
    ),
    "position": Column("Position", lambda r, a: r.application.position),
    "proficiency": Column("Language proficiency", lambda r, a: r.application.proficiency),
    "costshare_requested": Column(
        "Cost-sharing requested", lambda r, a: "yes" if r.application.costshare_requested else "no"
    ),
    "granted": Column("Cost-share granted", lambda r, a: _money(r.granted, a)),
    "paid": Column("Paid", lambda r, a: _money(r.paid, a)),
    "amount_due": Column("Amount due", lambda r, a: _money(_due(r, a), a)),
    "payment_status": Column(
        "Payment",
        lambda r, a: payments.payment_status(a.fee_total, r.granted, r.paid).label,
    ),
    "submitted_at": Column("Submitted", lambda r, a: _local(r.application.submitted_at, a)),
    "dietary_needs": Column("Dietary needs", lambda r, a: r.application.dietary_needs),
    "access_needs": Column("Access needs", lambda r, a: r.application.access_needs),
}

DEFAULT_COLUMNS = (
    "reference",
    "status",
    "given_names",
    "family_name",
    "gender",
    "country",
    "organisation",
    "email",
)

# What the venue needs to know about each participant.
VENUE_COLUMNS = (
    "title",
    "family_name",
    "given_names",
    "organisation",
    "country",
    "nationality",
    "email",
    "phone",
    "dietary_needs",
    "access_needs",
    "status",
)


@dataclass(frozen=True)
class Export:
    """A file to download."""

    filename: str
    content_type: str
    content: bytes


def export_list(
    activity: Activity, *, filters: Filters, columns: Sequence[str], format: Format
) -> Export:
    """The applications matching the filters (all pages), in the list's order, with the
    chosen columns. Refuses (ExportRefused) no column or an unknown one."""
    chosen = _columns(columns) + _answer_columns(activity)
    found = rows(activity, filters, paged=False)
    return _export(activity, f"{activity.reference}-applications", chosen, found, format)


def export_participants(activity: Activity, *, format: Format) -> Export:
    """The participants list for the venue: everyone holding a place, by family name."""
    chosen = _columns(VENUE_COLUMNS) + _answer_columns(activity)
    everyone_placed = Filters(statuses=tuple(sorted(PLACE_HOLDING)), sort=Sort.NAME)
    found = rows(activity, everyone_placed, paged=False)
    return _export(activity, f"{activity.reference}-participants", chosen, found, format)


def _columns(names: Sequence[str]) -> list[Column]:
    if not names:
        raise ExportRefused("Choose at least one column.", field="columns")
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise ExportRefused(f"Unknown column: {', '.join(unknown)}.", field="columns")
    return [COLUMNS[name] for name in dict.fromkeys(names)]


def _answer_columns(activity: Activity) -> list[Column]:
    """A column per question of the activity's own, after the chosen ones."""

    def column(label: str, given: dict[int, str]) -> Column:
        return Column(label, lambda row, _activity: given.get(row.application.id, ""))

    return [column(label, given) for label, given in answers.answer_columns(activity)]


def _export(
    activity: Activity, stem: str, columns: list[Column], found: list[Row], format: Format
) -> Export:
    header = [column.label for column in columns]
    table = ([column.value(row, activity) for column in columns] for row in found)
    if format is Format.CSV:
        return Export(f"{stem}.csv", "text/csv; charset=utf-8", to_csv(header, table))
    return Export(
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        to_xlsx(header, table, title=activity.reference),
    )


def as_text(value: str) -> str:
    """A CSV cell that a spreadsheet will not run: an apostrophe before formula starts."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(header: Sequence[str], table: Iterable[Sequence[Cell]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so spreadsheets read names right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([as_text(label) for label in header])
    for values in table:
        writer.writerow(
            [as_text(value) if isinstance(value, str) else _plain(value) for value in values]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value: Cell) -> Any:
    if isinstance(value, datetime):
        return value.strftime(DATE_TIME)
    if isinstance(value, Amount):
        return value.value
    return "" if value is None else value


DATE_TIME = "%Y-%m-%d %H:%M"
XLSX_DATE_TIME = "yyyy-mm-dd hh:mm"


def to_xlsx(header: Sequence[str], table: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    """An XLSX workbook of one sheet; every text cell is typed as a string, never a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_cell(sheet, label) for label in header])
    for values in table:
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # typed as text: a leading "=" is not a formula
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_TIME
        return cell
    if isinstance(value, Amount):
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = f'"{value.currency}" #,##0.00'
        return cell
    return value


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    return cleaned or "Export"
