"""The review list through the domain: search, filters, regions, sorting, pages, tallies."""

from __future__ import annotations

import pytest

from eventreg.models import ApplicationStatus, Gender
from eventreg.services import costshare, review
from eventreg.services.costshare import Share
from eventreg.services.review import Filters, Region, Sort

Status = ApplicationStatus


def references(page: review.ReviewPage) -> list[str]:
    return [row.application.reference.rsplit("-", 1)[1] for row in page.rows]


@pytest.fixture
def applicants(workshop, make_application):
    """Five applicants from four regions, in reference order 0001-0005."""
    return [
        make_application(
            workshop,
            given_names="Amina",
            family_name="Diallo",
            country="SN",
            gender=Gender.FEMALE,
            organisation="Dakar City Council",
            organisation_type="Local government",
            proficiency="advanced",
            costshare_requested=True,
            status=Status.ACCEPTED,
        ),
        make_application(
            workshop,
            given_names="Ravi",
            family_name="Sharma",
            country="IN",
            gender=Gender.MALE,
            organisation="Pune Water Board",
            organisation_type="Utility",
            proficiency="native",
        ),
        make_application(
            workshop,
            given_names="Lucía",
            family_name="Benítez",
            country="AR",
            gender=Gender.FEMALE,
            organisation="Rosario 100%_Cooperative",
            organisation_type="NGO",
            proficiency="advanced",
            costshare_requested=True,
            status=Status.WAITLISTED,
        ),
        make_application(
            workshop,
            given_names="Omar",
            family_name="Haddad",
            country="JO",
            gender=Gender.MALE,
            organisation="Amman Chamber of Commerce",
            organisation_type="Chamber of commerce",
            proficiency="intermediate",
            email="o.haddad@example.org",
            status=Status.ACCEPTED,
        ),
        make_application(
            workshop,
            given_names="Jana",
            family_name="Novak",
            country="",
            gender=Gender.UNDISCLOSED,
            organisation="Ljubljana Institute",
            organisation_type="NGO",
            proficiency="advanced",
        ),
    ]


def test_regions_come_from_country_codes():
    assert review.region_of("ke") is Region.AFRICA
    assert review.region_of("EG") is Region.AFRICA  # North Africa is in Africa
    assert review.region_of("LB") is Region.ARAB_STATES
    assert review.region_of("BR") is Region.AMERICAS
    assert review.region_of("NP") is Region.ASIA_PACIFIC
    assert review.region_of("KZ") is Region.EUROPE_CENTRAL_ASIA
    assert review.region_of("") is Region.OTHER and review.region_of("ZZ") is Region.OTHER
    codes = [code for region in Region for code in review.countries_in(region)]
    assert len(codes) == len(set(codes)) > 200  # each country in exactly one region


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(search="diallo"), ["0001"]),
        (Filters(search="AMINA dakar"), ["0001"]),
        (Filters(search="example.org"), ["0004"]),
        (Filters(search="chamber"), ["0004"]),
        (Filters(search="-0002"), ["0002"]),
        (Filters(search="100%_"), ["0003"]),  # LIKE wildcards are searched for as text
        (Filters(search="%"), ["0003"]),
        (Filters(status=Status.ACCEPTED), ["0001", "0004"]),
        (Filters(country="in"), ["0002"]),
        (Filters(region=Region.AFRICA), ["0001"]),
        (Filters(region=Region.ARAB_STATES), ["0004"]),
        (Filters(region=Region.OTHER), ["0005"]),
        (Filters(organisation_type="NGO"), ["0003", "0005"]),
        (Filters(gender=Gender.FEMALE), ["0001", "0003"]),
        (Filters(costshare=True), ["0001", "0003"]),
        (Filters(costshare=False), ["0002", "0004", "0005"]),
        (Filters(proficiency="advanced", gender=Gender.FEMALE), ["0001", "0003"]),
        (Filters(status=Status.ACCEPTED, region=Region.AFRICA), ["0001"]),
    ],
)
def test_search_and_filters(db, workshop, applicants, filters, expected):
    assert references(review.review_page(workshop, filters)) == expected


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (Sort.REFERENCE, False, ["0001", "0002", "0003", "0004", "0005"]),
        (Sort.REFERENCE, True, ["0005", "0004", "0003", "0002", "0001"]),
        (Sort.NAME, False, ["0003", "0001", "0004", "0005", "0002"]),
        (Sort.COUNTRY, False, ["0005", "0003", "0002", "0004", "0001"]),
        (Sort.ORGANISATION, True, ["0003", "0002", "0005", "0001", "0004"]),
    ],
)
def test_sorting(db, workshop, applicants, sort, descending, expected):
    page = review.review_page(workshop, Filters(sort=sort, descending=descending))
    assert references(page) == expected


def test_pages(db, workshop, applicants):
    second = review.review_page(workshop, Filters(per_page=2, page=2))
    assert references(second) == ["0003", "0004"] and (second.matches, second.pages) == (5, 3)
    beyond = review.review_page(workshop, Filters(per_page=2, page=9))
    assert beyond.page == 3 and references(beyond) == ["0005"]


def test_tallies_count_the_whole_activity(
    db, workshop, applicants, make_activity, make_application
):
    make_application(make_activity(), country="SN")  # another activity's
    tallies = review.review_page(workshop, Filters(status=Status.WAITLISTED)).tallies
    assert tallies.total == 5
    assert tallies.places_taken == 2 and tallies.waiting == 1
    assert tallies.by_gender == {"female": 2, "male": 2, "undisclosed": 1}
    assert tallies.by_region == {
        "africa": 1,
        "asia_pacific": 1,
        "americas": 1,
        "arab_states": 1,
        "other": 1,
    }
    assert tallies.organisation_types[0] == "Chamber of commerce"


def test_rows_carry_their_money(db, workshop, applicants, assistant):
    costshare.grant_cost_share(
        applicants[0],
        component_id=workshop.fee_components[1].id,
        share=Share.ALL,
        by=assistant,
    )
    [row] = review.review_page(workshop, Filters(search="Diallo")).rows
    assert (row.granted, row.paid) == (96_000, 0)


def test_a_selection_reaches_only_the_activitys_applications(
    db, workshop, applicants, make_activity, make_application
):
    stranger = make_application(make_activity())
    found = review.of_activity(workshop, [applicants[1].id, stranger.id, applicants[0].id])
    assert found == [applicants[0], applicants[1]]


def test_notes_are_internal_and_recorded(db, workshop, applicants, assistant):
    note = review.add_note(applicants[0], body="  Strong profile; check the visa.  ", by=assistant)
    assert note.body == "Strong profile; check the visa."
    assert [n.author for n in review.notes(applicants[0])] == [assistant]
    assert [e.action for e in review.history(applicants[0])] == ["application.note_added"]
    with pytest.raises(review.NoteRefused):
        review.add_note(applicants[0], body="   ", by=assistant)
