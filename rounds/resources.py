"""The follow-up round as a spreadsheet: one row per activity of the round, exported and imported back.

Columns: Aktivitet, Ansvar, Status, Måluppfyllelse, Planering, Förbrukat, Klar, År, Id.
A row is matched to an activity of the round by its Id only; Aktivitet and Ansvar are there
for the reader and are never written. Status (at year end), Måluppfyllelse, Planering,
Förbrukat and Klar (the follow-up's state: "ja" done, "nej" draft) write the follow-up of
the round's year, which is created when a row gives it anything to hold. The activity's own
status is left as it is: a round may be answered after the year, when the activity has moved
on. An exported file imports back without change.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityFollowUp, FollowUpState, Status
from activities.resources import read_amount, read_status
from planportal.lib.history import save_with_history
from planportal.lib.spreadsheets import Column, Sheet
from plans.imports.base import (
    CHANGED,
    COUNTY_COLUMN,
    NEW,
    PLAN_COLUMN,
    TARGET_KEYS,
    UNCHANGED,
    FieldChange,
    RowResult,
    SheetImporter,
    as_text,
    display,
    plain_int,
    same_text,
    target_errors,
    text_key,
    validation_errors,
)
from plans.models import Organisation
from plans.permissions import Access
from rounds.models import FollowUpRound

# ImportRecord.kind of a round's import (a value of ImportRecord.Kind).
KIND = "follow_ups"
TEXT_FIELDS = ("achieved", "planning")
STATE_WORDS = {
    "ja": FollowUpState.DONE,
    "yes": FollowUpState.DONE,
    "klar": FollowUpState.DONE,
    "done": FollowUpState.DONE,
    "x": FollowUpState.DONE,
    "nej": FollowUpState.DRAFT,
    "no": FollowUpState.DRAFT,
    "utkast": FollowUpState.DRAFT,
    "draft": FollowUpState.DRAFT,
}


def state_word(state: str) -> str:
    """The Klar cell of a follow-up state, as exported."""
    return "ja" if state == FollowUpState.DONE else "nej"


def responsible_text(activity: Activity) -> str:
    """Ansvar as the report shows it: the activity's text, else its lead organisations."""
    return activity.responsible or ", ".join(
        org.short_name or org.name for org in activity.lead_organisations.all()
    )


class FollowUpImporter(SheetImporter):
    """Writes the follow-ups of one round (plan and year) from its spreadsheet."""

    kind = KIND
    columns = (
        Column("title", "Aktivitet", ("activity", "aktiviteter", "title")),
        Column("responsible", "Ansvar", ("responsible", "ansvarig", "responsibility")),
        Column("status", "Status", ("status vid årets slut", "status at year end")),
        Column("achieved", "Måluppfyllelse", ("maluppfyllelse", "achievement", "achieved", "uppnått")),
        Column("planning", "Planering", ("planning", "next", "nästa steg", "fortsatt planering")),
        Column("spent", "Förbrukat", ("förbrukat (kr)", "förbrukat (sek)", "spent", "spent (sek)", "utfall")),
        Column("state", "Klar", ("klar?", "done", "färdig", "state")),
        Column("year", "År", ("year", "ar", "uppföljningsår")),
        Column("id", "Id", ("aktivitets-id", "activity id"), required=True),
        PLAN_COLUMN,
        COUNTY_COLUMN,
    )

    def __init__(self, *, round: FollowUpRound, access: Access) -> None:
        self.round = round
        self.plan = round.plan
        self.access = access
        self.headers = {column.key: column.header for column in self.columns}
        self.to_write: list[ActivityFollowUp] = []

    def fresh(self) -> "FollowUpImporter":
        """A new importer of the same round, for a second look at the file."""
        return type(self)(round=self.round, access=self.access)

    def locked_querysets(self) -> list[QuerySet]:
        """The follow-ups an import may overwrite, besides the plan's activities (services)."""
        return [
            ActivityFollowUp.objects.filter(activity__plan=self.plan, year=self.round.year)
            .order_by("pk")
            .values_list("pk", "updated_at")
        ]

    def classify(self, sheet: Sheet) -> list[RowResult]:
        in_round = {activity.pk: activity for activity in round_activities(self.round)}
        # Activities of the plan outside the round's year get their own message.
        other_years = set(self.plan.activities.exclude(pk__in=in_round).values_list("pk", flat=True))
        matched: dict[int, int] = {}
        results = []
        for row in sheet.rows:
            values = row.values
            title = as_text(values.get("title"))
            result = RowResult(number=row.number, label=title.splitlines()[0] if title else "")
            results.append(result)
            for found in target_errors(values, county=self.plan.county, plan=self.plan):
                result.error(found.column, found.message)
            self._check_year(values, result)
            activity = self._match(values, in_round, other_years, result)
            if activity is None:
                continue
            result.label = activity.title.splitlines()[0] if activity.title else result.label
            if activity.pk in matched:
                result.error(
                    "", _("The same activity is also on row %(row)s.") % {"row": matched[activity.pk]}
                )
                continue
            matched[activity.pk] = row.number
            if not self.access.may_contribute(activity):
                result.error(
                    self.headers["id"],
                    _(
                        "You may not write the follow-up of this activity: "
                        "it is led by an organisation you do not answer for."
                    ),
                )
                continue
            if result.errors:
                continue
            self._apply(activity, values, sheet, result)
        return results

    def _check_year(self, values: dict, result: RowResult) -> None:
        raw = values.get("year")
        if raw is None or raw == "":
            return
        try:
            same = plain_int(raw) == self.round.year
        except (TypeError, ValueError):
            same = False
        if not same:
            result.error(
                self.headers["year"],
                _(
                    "The row is for the year “%(value)s”, and this is the follow-up round of %(year)s. "
                    "Change År to %(year)s or remove the column."
                )
                % {"value": as_text(raw), "year": self.round.year},
            )

    def _match(self, values: dict, in_round: dict, other_years: set, result: RowResult) -> Activity | None:
        raw = values.get("id")
        if raw is None or raw == "":
            result.error(
                self.headers["id"], _("The row has no Id; rows are matched to the round's activities by Id.")
            )
            return None
        try:
            pk = plain_int(raw)
        except (TypeError, ValueError):
            result.error(self.headers["id"], _("“%(value)s” is not an id.") % {"value": raw})
            return None
        if pk in in_round:
            return in_round[pk]
        if pk in other_years:
            message = _(
                "The activity with id %(id)s does not run in %(year)s, so it is not part of this round."
            )
        else:
            message = _("There is no activity with id %(id)s in this plan.")
        result.error(self.headers["id"], message % {"id": pk, "year": self.round.year})
        return None

    def _apply(self, activity: Activity, values: dict, sheet: Sheet, result: RowResult) -> None:
        """Put the row's values on the year's follow-up (in memory) and note what changes."""
        follow_up = activity.round_follow_up
        if follow_up is None:
            # What the export shows for an activity not yet followed up: the activity's status.
            follow_up = ActivityFollowUp(activity=activity, year=self.round.year, status=activity.status)
        old = {name: getattr(follow_up, name) for name in ("status", *TEXT_FIELDS, "spent", "state")}
        for name in TEXT_FIELDS:
            text = as_text(values.get(name))
            if name in sheet.headers and not same_text(getattr(follow_up, name), text):
                setattr(follow_up, name, text)
        if values.get("status") not in (None, ""):
            follow_up.status = read_status(
                values["status"], result, self.headers["status"], current=follow_up.status
            )
        if "spent" in sheet.headers:
            follow_up.spent = read_amount(
                values.get("spent"), result, self.headers["spent"], current=follow_up.spent
            )
        if values.get("state") not in (None, ""):
            state = STATE_WORDS.get(text_key(as_text(values["state"])))
            if state is None:
                result.error(
                    self.headers["state"],
                    _("“%(value)s” is not ja or nej (is the follow-up done?).") % {"value": values["state"]},
                )
            else:
                follow_up.state = state
        if result.errors:
            return
        try:
            # Without the activity, the unique (activity, year) check costs no query per row;
            # the round holds each activity once and the database keeps it so.
            follow_up.full_clean(exclude=["activity"])
        except ValidationError as error:
            for found in validation_errors(error, self.headers):
                result.error(found.column, found.message)
            return
        changes = self._changes(follow_up, old)
        if not changes:
            result.status = UNCHANGED
            return
        result.status = CHANGED if follow_up.pk else NEW
        result.changes = changes
        self.to_write.append(follow_up)

    def _changes(self, follow_up: ActivityFollowUp, old: dict) -> list[FieldChange]:
        changes = []
        if old["status"] != follow_up.status:
            labels = dict(Status.choices)
            changes.append(
                FieldChange(self.headers["status"], labels[old["status"]], labels[follow_up.status])
            )
        for name in TEXT_FIELDS:
            if not same_text(old[name], getattr(follow_up, name)):
                changes.append(FieldChange(self.headers[name], old[name], getattr(follow_up, name)))
        if old["spent"] != follow_up.spent:
            changes.append(
                FieldChange(self.headers["spent"], display(old["spent"]), display(follow_up.spent))
            )
        if old["state"] != follow_up.state:
            changes.append(
                FieldChange(self.headers["state"], state_word(old["state"]), state_word(follow_up.state))
            )
        return changes

    def write(self, *, user, reason: str) -> None:
        for follow_up in self.to_write:
            follow_up.full_clean()
            save_with_history(follow_up)


def round_activities(round: FollowUpRound, *, organisation: Organisation | None = None) -> list[Activity]:
    """The round's activities in the plan's order, each with ``round_follow_up`` (or None)."""
    activities = (
        round.activities()
        .select_related("priority_area")
        .prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.only("id", "name", "short_name")),
            Prefetch(
                "follow_ups",
                queryset=ActivityFollowUp.objects.filter(year=round.year),
                to_attr="round_follow_ups",
            ),
        )
        .order_by("priority_area__position", "position", "id")
    )
    if organisation is not None:
        activities = activities.filter(lead_organisations=organisation)
    found = list(activities)
    for activity in found:
        activity.round_follow_up = activity.round_follow_ups[0] if activity.round_follow_ups else None
    return found


def follow_up_export(round: FollowUpRound, *, activities: list[Activity]) -> tuple[list[str], list[list]]:
    """The round's rows in the import format (``activities`` from ``round_activities``)."""
    headers = [column.header for column in FollowUpImporter.columns if column.key not in TARGET_KEYS]
    rows = []
    for activity in activities:
        follow_up = activity.round_follow_up
        status = follow_up.status if follow_up else activity.status
        rows.append(
            [
                activity.title,
                responsible_text(activity),
                str(dict(Status.choices)[status]),
                follow_up.achieved if follow_up else "",
                follow_up.planning if follow_up else "",
                follow_up.spent if follow_up else None,
                state_word(follow_up.state if follow_up else FollowUpState.DRAFT),
                round.year,
                activity.pk,
            ]
        )
    return headers, rows
