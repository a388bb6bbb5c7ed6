"""The review list's search, filters, order and page, read from the query string; other
pages (decisions, messages, exports) read the same filters to act on the same list."""

from __future__ import annotations

from typing import Any

from wtforms import Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from ..models import ApplicationStatus, Gender, Proficiency
from ..services.review import PAGE_SIZES, Filters, Region, Sort
from .forms import WholeNumberField, choices, enum_choices, readable_choices


def _any(label: str, options: list[SelectChoice]) -> list[SelectChoice]:
    return [SelectChoice("", label), *options]


class ReviewFilterForm(Form):
    """The list's search, filters, order and page, read from the query string."""

    q = StringField("Search", validators=[Length(max=200)])
    status = SelectField(
        "Status", choices=_any("Any status", enum_choices(ApplicationStatus)), default=""
    )
    country = SelectField("Country", choices=[], validate_choice=False, default="")
    region = SelectField("Region", choices=_any("Any region", enum_choices(Region)), default="")
    organisation_type = SelectField(
        "Type of organisation", choices=[], validate_choice=False, default=""
    )
    gender = SelectField("Gender", choices=_any("Any gender", readable_choices(Gender)), default="")
    costshare = SelectField(
        "Cost-sharing",
        choices=choices(("", "Asked or not"), ("yes", "Asked for"), ("no", "Not asked for")),
        default="",
    )
    proficiency = SelectField(
        "Language proficiency", choices=_any("Any level", readable_choices(Proficiency)), default=""
    )
    answer = SelectField("Answer to a question", choices=[], validate_choice=False, default="")
    sort = SelectField("Sort by", choices=enum_choices(Sort), default=Sort.REFERENCE.value)
    order = SelectField(
        "Order", choices=choices(("asc", "Ascending"), ("desc", "Descending")), default="asc"
    )
    per_page = SelectField(
        "Per page",
        coerce=int,
        choices=choices(*((size, str(size)) for size in PAGE_SIZES)),
        default=50,
    )
    page = WholeNumberField("Page", default=1, validators=[Optional(), NumberRange(min=1)])

    FILTER_NAMES = (
        "q",
        "status",
        "country",
        "region",
        "organisation_type",
        "gender",
        "costshare",
        "proficiency",
        "answer",
        "sort",
        "order",
        "per_page",
    )

    def filters(self) -> Filters:
        """The filters asked for; a value that is not valid is ignored, not an error."""
        self.validate()

        def good(name: str) -> Any:
            field = getattr(self, name)
            return None if field.errors else field.data

        status, region, gender = good("status"), good("region"), good("gender")
        costshare = good("costshare")
        return Filters(
            search=(good("q") or "").strip(),
            status=ApplicationStatus(status) if status else None,
            country=(good("country") or "").strip().upper()[:2],
            region=Region(region) if region else None,
            organisation_type=good("organisation_type") or "",
            gender=Gender(gender) if gender else None,
            costshare={"yes": True, "no": False}.get(costshare or ""),
            proficiency=good("proficiency") or "",
            answer=(good("answer") or "")[:30],
            sort=Sort(good("sort") or Sort.REFERENCE.value),
            descending=good("order") == "desc",
            page=good("page") or 1,
            per_page=good("per_page") or 50,
        )

    def query_args(self) -> dict[str, Any]:
        """The filters as query-string arguments, to carry them to another page."""
        args = {}
        for name in self.FILTER_NAMES:
            value = getattr(self, name).data
            if value not in (None, "") and not getattr(self, name).errors:
                args[name] = value
        return args
