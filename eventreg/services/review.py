"""Reviewing applications: the filtered, sorted, paged list, its tallies, notes and history.

The list answers in a fixed number of queries whatever the number of applications: one for
the tallies (status, gender, country, organisation type), one for the budget,
one to count the matches and one for the page, with each row's granted and paid sums as
subqueries of that same statement.
"""

from __future__ import annotations

import enum
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, load_only, selectinload

from ..extensions import db
from ..models import (
    PLACE_HOLDING,
    Activity,
    Application,
    ApplicationNote,
    ApplicationStatus,
    AuditLog,
    Gender,
    StaffUser,
)
from ..models.applications import waiting_number
from ..models.money import granted_sum, paid_sum
from . import audit
from .answers import answered
from .errors import DomainError

Status = ApplicationStatus


# The list reads through the indexes declared on Application (country; gender,
# organisation type and proficiency), each within one activity.


class Region(enum.StrEnum):
    """ILO-style world regions, derived from the applicant's country of residence."""

    AFRICA = "africa"
    AMERICAS = "americas"
    ARAB_STATES = "arab_states"
    ASIA_PACIFIC = "asia_pacific"
    EUROPE_CENTRAL_ASIA = "europe_central_asia"
    OTHER = "other"  # no country given, or a code this table does not place

    @property
    def label(self) -> str:
        return REGION_LABELS[self]


REGION_LABELS = {
    Region.AFRICA: "Africa",
    Region.AMERICAS: "Americas",
    Region.ARAB_STATES: "Arab States",
    Region.ASIA_PACIFIC: "Asia and the Pacific",
    Region.EUROPE_CENTRAL_ASIA: "Europe and Central Asia",
    Region.OTHER: "Not known",
}

# ISO 3166-1 alpha-2 codes by region. North Africa belongs to Africa and the Arab States
# are the Gulf and Mashriq countries, as in the ILO's own regional groupings.
_REGION_CODES = {
    Region.AFRICA: """
        AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS
        LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG
        YT ZA ZM ZW
    """,
    Region.AMERICAS: """
        AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GT
        GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG
        VI
    """,
    Region.ARAB_STATES: "AE BH IQ JO KW LB OM PS QA SA SY YE",
    Region.ASIA_PACIFIC: """
        AF AS AU BD BN BT CC CK CN CX FJ FM GU HK ID IN IR JP KH KI KP KR LA LK MH MM MN
        MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW VN VU WF
        WS
    """,
    Region.EUROPE_CENTRAL_ASIA: """
        AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU
        IE IL IM IS IT JE KG KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ
        SK SM TJ TM TR UA UZ VA XK
    """,
}
REGION_OF: dict[str, Region] = {
    code: region for region, codes in _REGION_CODES.items() for code in codes.split()
}


def region_of(country: str) -> Region:
    """The region of an ISO country code; OTHER when empty or unknown."""
    return REGION_OF.get((country or "").upper(), Region.OTHER)


def countries_in(region: Region) -> list[str]:
    """The country codes of a region (OTHER has none: it is everything else)."""
    return sorted(code for code, found in REGION_OF.items() if found == region)


class Sort(enum.StrEnum):
    REFERENCE = "reference"
    NAME = "name"
    SUBMITTED = "submitted"
    COUNTRY = "country"
    ORGANISATION = "organisation"
    STATUS = "status"

    @property
    def label(self) -> str:
        return self.value.capitalize()


PAGE_SIZES = (25, 50, 100, 200)


@dataclass(frozen=True)
class Filters:
    """What staff asked the list to show; empty values mean "any"."""

    search: str = ""
    status: ApplicationStatus | None = None
    statuses: tuple[ApplicationStatus, ...] = ()  # any of these (for lists like participants)
    country: str = ""
    region: Region | None = None
    organisation_type: str = ""
    gender: Gender | None = None
    costshare: bool | None = None  # asked for cost-sharing, or not
    proficiency: str = ""
    ids: tuple[int, ...] = ()  # only these applications (a selection made on the list)
    answer: str = ""  # "question_id:yes|no" or "question_id:option_id" (the organiser's questions)
    sort: Sort = Sort.REFERENCE
    descending: bool = False
    page: int = 1
    per_page: int = 50

    def on_page(self, page: int) -> Filters:
        return replace(self, page=page)


@dataclass(frozen=True)
class Row:
    """One line of the list: the application with its money summed."""

    application: Application
    granted: int
    paid: int
    waiting: int | None = None  # the place on the waiting list, when waiting


@dataclass
class Tallies:
    """How the activity's applications split, for the figures at the top of the list."""

    total: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_gender: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    organisation_types: list[str] = field(default_factory=list)

    @property
    def places_taken(self) -> int:
        return sum(self.by_status[status.value] for status in PLACE_HOLDING)

    @property
    def waiting(self) -> int:
        return self.by_status[Status.WAITLISTED.value]


@dataclass(frozen=True)
class ReviewPage:
    """A page of the list, the number of matches, and the activity's tallies."""

    rows: list[Row]
    matches: int
    page: int
    per_page: int
    tallies: Tallies

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.matches / self.per_page))


class NoteRefused(DomainError):
    """An internal note must say something."""


def matching(activity: Activity, filters: Filters) -> sa.Select[Any]:
    """The applications of the activity that match the filters, unsorted."""
    query = sa.select(Application).where(Application.activity_id == activity.id)
    return query.where(*conditions(filters))


def conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses the filters stand for."""
    where: list[sa.ColumnElement[bool]] = []
    for word in filters.search.split()[:8]:
        where.append(
            sa.or_(
                *(
                    column.icontains(word, autoescape=True)
                    for column in (
                        Application.given_names,
                        Application.family_name,
                        Application.email,
                        Application.organisation,
                        Application.reference,
                    )
                )
            )
        )
    if filters.status is not None:
        where.append(Application.status == filters.status)
    if filters.statuses:
        where.append(Application.status.in_(filters.statuses))
    if filters.country:
        where.append(Application.country == filters.country.upper())
    if filters.region is Region.OTHER:
        where.append(Application.country.not_in(sorted(REGION_OF)))
    elif filters.region is not None:
        where.append(Application.country.in_(countries_in(filters.region)))
    if filters.organisation_type:
        where.append(Application.organisation_type == filters.organisation_type)
    if filters.gender is not None:
        where.append(Application.gender == filters.gender)
    if filters.costshare is not None:
        where.append(Application.costshare_requested.is_(filters.costshare))
    if filters.proficiency:
        where.append(Application.proficiency == filters.proficiency)
    if filters.ids:
        where.append(Application.id.in_(filters.ids))
    if filters.answer:
        where.append(answered(filters.answer))
    return where


def order_by(filters: Filters) -> list[sa.ColumnElement[Any]]:
    """The ORDER BY of the list: the chosen key, then the reference number to break ties."""
    keys: dict[Sort, Sequence[sa.ColumnElement[Any] | InstrumentedAttribute[Any]]] = {
        Sort.REFERENCE: (Application.number,),
        Sort.NAME: (sa.func.lower(Application.family_name), sa.func.lower(Application.given_names)),
        Sort.SUBMITTED: (Application.submitted_at,),
        Sort.COUNTRY: (Application.country,),
        Sort.ORGANISATION: (sa.func.lower(Application.organisation),),
        Sort.STATUS: (Application.status,),
    }
    chosen = [key.desc() if filters.descending else key.asc() for key in keys[filters.sort]]
    tie = Application.number.desc() if filters.descending else Application.number.asc()
    return [*chosen, tie]


# What a page of the list shows; other columns are not loaded (and raise if read, so that
# a template cannot quietly issue one query per row).
LIST_COLUMNS = (
    Application.id,
    Application.activity_id,
    Application.number,
    Application.reference,
    Application.status,
    Application.title,
    Application.given_names,
    Application.family_name,
    Application.gender,
    Application.country,
    Application.organisation,
    Application.organisation_type,
    Application.proficiency,
    Application.costshare_requested,
    Application.submitted_at,
)


def rows(
    activity: Activity, filters: Filters, *, paged: bool = True, listed_only: bool = False
) -> list[Row]:
    """The matching applications in the chosen order, with their money, in one statement.

    For a page, the page's ids are chosen in a subquery first, so that the money is summed
    for those rows only, not for every match that the sort has to look at. With
    `listed_only`, only the LIST_COLUMNS are loaded (what the list page shows).
    """
    mine = [Application.activity_id == activity.id, *conditions(filters)]
    query = sa.select(
        Application,
        granted_sum().label("granted"),
        paid_sum().label("paid"),
        waiting_number().label("waiting"),
    )
    if paged:
        page = (
            sa.select(Application.id)
            .where(*mine)
            .order_by(*order_by(filters))
            .limit(filters.per_page)
            .offset((filters.page - 1) * filters.per_page)
            .subquery()
        )
        query = query.join(page, page.c.id == Application.id)
        if listed_only:
            query = query.options(load_only(*LIST_COLUMNS, raiseload=True))
    else:
        query = query.where(*mine)
    return [
        Row(application=found, granted=int(granted), paid=int(paid), waiting=waiting)
        for found, granted, paid, waiting in db.session.execute(query.order_by(*order_by(filters)))
    ]


def count(activity: Activity, filters: Filters) -> int:
    """How many applications match the filters."""
    query = (
        sa.select(sa.func.count())
        .select_from(Application)
        .where(Application.activity_id == activity.id, *conditions(filters))
    )
    return int(db.session.scalar(query) or 0)


def tallies(activity: Activity) -> Tallies:
    """The activity's applications counted by status, country, gender and organisation
    type, in one statement; regions are summed from the countries.

    Three groupings, each read from an index that covers it: by status, by country, and by
    the (gender, organisation type) pair, which has few combinations.
    """
    mine = Application.activity_id == activity.id
    empty = sa.literal_column("''", sa.String)

    def kind(name: str) -> sa.ColumnElement[str]:
        return sa.literal_column(f"'{name}'", sa.String).label("kind")

    statement = sa.union_all(
        sa.select(kind("status"), sa.cast(Application.status, sa.String), empty, sa.func.count())
        .where(mine)
        .group_by(Application.status),
        sa.select(kind("country"), Application.country, empty, sa.func.count())
        .where(mine)
        .group_by(Application.country),
        sa.select(
            kind("profile"),
            sa.cast(Application.gender, sa.String),
            Application.organisation_type,
            sa.func.count(),
        )
        .where(mine)
        .group_by(Application.gender, Application.organisation_type),
    )
    found = Tallies()
    organisation_types: set[str] = set()
    for name, first, second, number in db.session.execute(statement):
        if name == "status":
            found.by_status[first] += number
            found.total += number
        elif name == "country":
            found.by_country[first or ""] += number
            found.by_region[region_of(first or "").value] += number
        else:
            found.by_gender[first] += number
            if second:
                organisation_types.add(second)
    found.organisation_types = sorted(organisation_types, key=str.lower)
    return found


def review_page(activity: Activity, filters: Filters) -> ReviewPage:
    """One page of the list with the number of matches and the activity's tallies."""
    matches = count(activity, filters)
    pages = max(1, math.ceil(matches / filters.per_page))
    if filters.page > pages:
        filters = filters.on_page(pages)
    return ReviewPage(
        rows=rows(activity, filters, listed_only=True) if matches else [],
        matches=matches,
        page=filters.page,
        per_page=filters.per_page,
        tallies=tallies(activity),
    )


def matching_ids(activity: Activity, filters: Filters) -> list[int]:
    """The ids of every matching application (not only one page), in the list's order."""
    query = sa.select(Application.id).where(
        Application.activity_id == activity.id, *conditions(filters)
    )
    return list(db.session.scalars(query.order_by(*order_by(filters))))


def of_activity(activity: Activity, ids: Iterable[int]) -> list[Application]:
    """The applications with these ids that belong to the activity, in reference order.

    Ids of other activities' applications are dropped: a form cannot reach beyond the
    activity that the route authorised.
    """
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return []
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.activity_id == activity.id, Application.id.in_(wanted))
            .order_by(Application.number)
        )
    )


def add_note(application: Application, *, body: str, by: StaffUser) -> ApplicationNote:
    """Add an internal note (never shown to the applicant); refuses an empty one."""
    text = body.strip()
    if not text:
        raise NoteRefused("Write something in the note.", field="body")
    note = ApplicationNote(application_id=application.id, author_id=by.id, body=text)
    db.session.add(note)
    db.session.flush()
    audit.record("application.note_added", application, by=by, note=text[:200])
    return note


def notes(application: Application) -> list[ApplicationNote]:
    """The staff's internal notes on an application, oldest first, with their authors."""
    return list(
        db.session.scalars(
            sa.select(ApplicationNote)
            .where(ApplicationNote.application_id == application.id)
            .options(selectinload(ApplicationNote.author))
            .order_by(ApplicationNote.created_at, ApplicationNote.id)
        )
    )


def history(application: Application) -> list[AuditLog]:
    """The application's audit trail, oldest first, with who acted."""
    return list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.application_id == application.id)
            .options(selectinload(AuditLog.actor))
            .order_by(AuditLog.at, AuditLog.id)
        )
    )


@dataclass(frozen=True)
class AuditPage:
    """A page of an activity's audit log, newest first."""

    entries: list[AuditLog]
    references: dict[int, str]  # application id -> reference, for the entries shown
    page: int
    pages: int
    total: int


def activity_history(activity: Activity, *, page: int = 1, per_page: int = 100) -> AuditPage:
    """Everything recorded about the activity and its applications, newest first, paged."""
    mine = AuditLog.activity_id == activity.id
    total = int(db.session.scalar(sa.select(sa.func.count()).where(mine)) or 0)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    entries = list(
        db.session.scalars(
            sa.select(AuditLog)
            .where(mine)
            .options(selectinload(AuditLog.actor))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    ids = {entry.application_id for entry in entries if entry.application_id is not None}
    references: dict[int, str] = {}
    if ids:
        found = sa.select(Application.id, Application.reference).where(Application.id.in_(ids))
        references = {row.id: row.reference for row in db.session.execute(found)}
    return AuditPage(entries=entries, references=references, page=page, pages=pages, total=total)
