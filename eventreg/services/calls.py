"""An activity's call as applying sees it: what its form offers, and why it is closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale, gettext

from ..models import Activity, ActivityStatus, AudienceTier
from ..models.activities import call_is_open
from .correspondence import local_moment

# The organisation type an applicant picks when theirs is not in the activity's audience.
OTHER_ORGANISATION_TYPE = "Other"


@dataclass(frozen=True)
class Call:
    """The few columns of an activity that say whether its form is open, and which version
    of it (`updated_at`): what the form page and a submission read without the activity."""

    id: int
    reference: str
    status: ActivityStatus
    opens_at: datetime | None
    deadline_at: datetime
    updated_at: datetime

    def is_open(self, at: datetime) -> bool:
        return call_is_open(self.status, self.opens_at, self.deadline_at, at)


# The columns of a Call, in its order, for the statements that read one.
CALL_COLUMNS = (
    Activity.id,
    Activity.reference,
    Activity.status,
    Activity.opens_at,
    Activity.deadline_at,
    Activity.updated_at,
)


@dataclass(frozen=True)
class CallFacts:
    """What applying to an activity needs to know of it, as plain values.

    The form's choices (languages, audience, fees and which built-in fields it asks),
    read from the activity as it was at `updated_at`. The public form keeps
    one per activity version, so that a submission does not load the parts again.
    """

    updated_at: datetime
    languages: tuple[str, ...]
    working_language: str
    audience: tuple[tuple[AudienceTier, str], ...]  # (tier, name), in the activity's order
    fee_total: int
    costsharing: bool
    fee_components: tuple[tuple[int, str], ...]  # (id, name in the reader's language)
    builtin_off: tuple[str, ...] = ()  # optional built-in fields the activity does not ask

    @classmethod
    def of(cls, activity: Activity) -> CallFacts:
        return cls(
            updated_at=activity.updated_at,
            languages=tuple(activity.languages or ["en"]),
            working_language=activity.working_language,
            audience=tuple((group.tier, group.name) for group in activity.audience_groups),
            fee_total=activity.fee_total,
            costsharing=offers_costsharing(activity),
            # Named in the reader's language: the form page is prepared per language.
            fee_components=tuple((c.id, c.content("name")) for c in activity.fee_components),
            builtin_off=tuple(activity.builtin_off or ()),
        )

    def audience_of(self, tier: AudienceTier) -> list[str]:
        return [name for group_tier, name in self.audience if group_tier == tier]

    @property
    def organisation_types(self) -> list[str]:
        return [name for _tier, name in self.audience] + [OTHER_ORGANISATION_TYPE]


def offers_costsharing(activity: Activity) -> bool:
    """Whether applicants may ask the organisers to cost-share their participation."""
    return activity.fee_total > 0 and bool(
        activity.costshare_offer or activity.costshare_budget > 0
    )


def closed_message(activity: Activity, now: datetime) -> str:
    """Why the form refuses applications at this moment."""
    if activity.opens_at is not None and now < activity.opens_at:
        return gettext("The call for applications is not open yet.")
    return gettext(
        "The call for applications closed on %(moment)s; your application was not saved. "
        "Please write to the contacts of the activity.",
        moment=local_moment(activity.deadline_at, activity.timezone, str(get_locale())),
    )
