"""Where a round stands: per activity, per responsible organisation and in total.

Three queries whatever the plan's size (the activities, their lead organisations, the
year's follow-ups); the round page, a contributor's page, the reminders and the report
all read the same figures from here.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityFollowUp, FollowUpState
from planportal.lib.swedish import swedish_sort_key
from plans.models import Organisation

MISSING = "missing"  # no follow-up for the year: not started
STATES = {
    MISSING: _("not started"),
    FollowUpState.DRAFT: FollowUpState.DRAFT.label,
    FollowUpState.DONE: FollowUpState.DONE.label,
}


@dataclass
class Row:
    activity: Activity
    organisations: list[Organisation]
    follow_up: ActivityFollowUp | None

    @property
    def state(self) -> str:
        return self.follow_up.state if self.follow_up else MISSING

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def is_done(self) -> bool:
        return self.state == FollowUpState.DONE

    @property
    def changed_at(self) -> datetime | None:
        return self.follow_up.updated_at if self.follow_up else None


@dataclass
class Counts:
    done: int = 0
    draft: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.done + self.draft + self.missing

    @property
    def not_done(self) -> int:
        """What the round still waits for ("saknas"): not started or still a draft."""
        return self.draft + self.missing

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, row: Row) -> None:
        if row.state == FollowUpState.DONE:
            self.done += 1
        elif row.state == FollowUpState.DRAFT:
            self.draft += 1
        else:
            self.missing += 1


@dataclass
class OrganisationProgress:
    organisation: Organisation | None  # None: activities with no lead organisation
    counts: Counts = field(default_factory=Counts)


@dataclass
class RoundProgress:
    rows: list[Row]
    by_organisation: list[OrganisationProgress]
    totals: Counts


def round_progress(round, *, organisation_ids: set[int] | frozenset[int] | None = None) -> RoundProgress:
    """The round's rows in plan order; only the activities ``organisation_ids`` lead, if given."""
    activities = (
        round.activities().select_related("priority_area").prefetch_related("lead_organisations")
    ).order_by("position", "id")
    if organisation_ids is not None:
        activities = activities.filter(lead_organisations__in=organisation_ids).distinct()
    activities = list(activities)
    follow_ups = {
        follow_up.activity_id: follow_up
        for follow_up in ActivityFollowUp.objects.filter(
            activity__in=[activity.pk for activity in activities], year=round.year
        )
    }
    rows = []
    totals = Counts()
    per_organisation: dict[int | None, OrganisationProgress] = {}
    for activity in activities:
        organisations = sorted(activity.lead_organisations.all(), key=lambda o: swedish_sort_key(o.name))
        row = Row(activity=activity, organisations=organisations, follow_up=follow_ups.get(activity.pk))
        rows.append(row)
        totals.add(row)
        for organisation in organisations or [None]:
            key = organisation.pk if organisation else None
            per_organisation.setdefault(key, OrganisationProgress(organisation)).counts.add(row)
    by_organisation = sorted(
        per_organisation.values(),
        key=lambda entry: (
            entry.organisation is None,
            swedish_sort_key(entry.organisation.name if entry.organisation else ""),
        ),
    )
    return RoundProgress(rows=rows, by_organisation=by_organisation, totals=totals)
