"""Spreadsheet import and export of a plan's activity matrix.

The matrix has the columns of the Norrbotten plan — Insatsområde, Aktivitet,
Nuläge, Mål, Indikatorer, Tidsplan, Ansvar, Kostnad — and optionally Målkod,
Status, Budget, Start, Slut and Id. A row is matched to an activity by its Id,
else by its title within the plan, so that an exported matrix imports back
without change. A column that the file lacks leaves that field as it is.
"""

import functools
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, widgets

from activities.models import Activity, Status
from planportal.lib.history import save_with_history
from planportal.lib.spreadsheets import Column, Sheet
from planportal.lib.swedish import parse_number
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
    parse_date,
    plain_int,
    same_text,
    target_errors,
    text_key,
    validation_errors,
)
from plans.imports.integration import RecordedImportResource, SwedishDecimalWidget
from plans.models import Goal, ImportRecord, Plan
from plans.resources import (
    PriorityAreas,
    PriorityAreaWidget,
    choice_lookup,
    priority_area_key,
    section_heading,
)

TEXT_FIELDS = (
    "title",
    "current_state",
    "expected_result",
    "indicators_text",
    "timeline",
    "responsible",
    "cost_text",
)
STATUS_WORDS = {
    "klar": "done",
    "avslutad": "done",
    "pågår": "ongoing",
    "ej påbörjad": "planned",
    "ej startad": "planned",
}
_CODE_SEPARATORS = re.compile(r"[,;\s]+")


@functools.cache
def _status_lookup() -> dict[str, str]:
    # Built once: switching the language for every row cost more than the rest of the row.
    return {**choice_lookup(Status.choices), **STATUS_WORDS}


def parse_status(value: Any) -> str:
    found = _status_lookup().get(text_key(str(value)))
    if found is None:
        raise ValueError(value)
    return found


def read_status(value: Any, result: RowResult, header: str, *, current: str) -> str:
    """The status a cell names; an unknown word is an error on the row and keeps ``current``."""
    try:
        return parse_status(value)
    except ValueError:
        labels = ", ".join(str(label) for _value, label in Status.choices)
        result.error(
            header,
            _("Unknown status “%(value)s”. Write one of: %(labels)s.") % {"value": value, "labels": labels},
        )
        return current


def read_amount(value: Any, result: RowResult, header: str, *, current: Decimal | None) -> Decimal | None:
    """An amount in kronor, öre kept; what is not one is an error on the row and keeps ``current``."""
    try:
        amount = parse_number(value)
    except (ValueError, ArithmeticError):
        result.error(header, _("“%(value)s” is not an amount of money.") % {"value": value})
        return current
    return None if amount is None else amount.quantize(Decimal("0.01"))


def parse_goal_codes(value: Any) -> list[str]:
    return [code for code in _CODE_SEPARATORS.split(str(value or "")) if code]


class ActivityMatrixImporter(SheetImporter):
    kind = ImportRecord.Kind.ACTIVITIES
    columns = (
        Column("priority_area", "Insatsområde", ("priority area", "insatsomrade")),
        Column("title", "Aktivitet", ("activity", "aktiviteter", "title"), required=True),
        Column("current_state", "Nuläge", ("current state", "nulage", "nuläget")),
        Column("expected_result", "Mål", ("expected result", "förväntat resultat", "objective")),
        Column("indicators_text", "Indikatorer", ("indicators", "indikator", "indicator")),
        Column("timeline", "Tidsplan", ("timeline", "tidplan", "schedule")),
        Column("responsible", "Ansvar", ("responsible", "ansvarig", "responsibility")),
        Column("cost_text", "Kostnad", ("cost", "kostnader", "costs")),
        Column("goal_codes", "Målkod", ("målkoder", "goal code", "goal codes", "goals", "mål-id")),
        Column("status", "Status", ()),
        Column("budget", "Budget", ("budget sek", "budget kr")),
        Column("start_date", "Start", ("startdatum", "start date")),
        Column("end_date", "Slut", ("slutdatum", "end", "end date")),
        Column("id", "Id", ("aktivitets-id", "activity id")),
        PLAN_COLUMN,
        COUNTY_COLUMN,
    )

    def __init__(self, *, plan: Plan) -> None:
        self.plan = plan
        self.headers = {column.key: column.header for column in self.columns}
        self.to_write: list[tuple[Activity, str | None, list[Goal] | None]] = []
        self.untouched = 0
        self.areas: PriorityAreas | None = None

    def classify(self, sheet: Sheet) -> list[RowResult]:
        existing = list(self.plan.activities.select_related("priority_area").prefetch_related("goals"))
        by_id = {activity.pk: activity for activity in existing}
        by_title = defaultdict(list)
        for activity in existing:
            by_title[text_key(activity.title)].append(activity)
        self.goals = {text_key(goal.code): goal for goal in self.plan.goals.all()}
        self.areas = PriorityAreas(self.plan)
        position = max((activity.position for activity in existing), default=-1)
        matched: dict[Any, int] = {}
        section = None
        results = []
        for row in sheet.rows:
            heading = section_heading(row.values)
            if heading:
                section = heading
                continue
            values = row.values
            title = as_text(values.get("title"))
            result = RowResult(number=row.number, label=title.splitlines()[0] if title else "")
            results.append(result)
            for found in target_errors(values, county=self.plan.county, plan=self.plan):
                result.error(found.column, found.message)
            if result.errors:
                continue
            if not title:
                result.error(self.headers["title"], _("The activity has no title."))
                continue
            activity = self._match(values, title, by_id, by_title, result)
            if result.errors:
                continue
            identity = activity.pk if activity else text_key(title)
            if identity in matched:
                result.error("", _("The same activity is also on row %(row)s.") % {"row": matched[identity]})
                continue
            matched[identity] = row.number
            if activity is None:
                position += 1
                activity = Activity(plan=self.plan, position=position)
                result.status = NEW
            self._apply(activity, values, sheet, section, result)
        self.untouched = len(set(by_id) - set(matched))
        return results

    def _match(self, values, title, by_id, by_title, result) -> Activity | None:
        if values.get("id") is not None:
            try:
                pk = plain_int(values["id"])
            except ValueError:
                result.error(self.headers["id"], _("“%(value)s” is not an id.") % {"value": values["id"]})
                return None
            if pk not in by_id:
                result.error(
                    self.headers["id"],
                    _("There is no activity with id %(id)s in this plan. Leave Id empty for a new activity.")
                    % {"id": pk},
                )
                return None
            return by_id[pk]
        candidates = by_title.get(text_key(title), [])
        if len(candidates) > 1:
            result.error(
                self.headers["title"],
                _("Several activities in the plan have this title; add the Id column to tell them apart."),
            )
            return None
        return candidates[0] if candidates else None

    def _apply(self, activity: Activity, values: dict, sheet: Sheet, section: str | None, result) -> None:
        """Put the row's values on ``activity`` (in memory) and note what changes."""
        old = {
            name: getattr(activity, name)
            for name in (*TEXT_FIELDS, "status", "budget", "start_date", "end_date")
        }
        old_area = priority_area_key(activity.priority_area.name) if activity.priority_area_id else None
        old_goals = sorted(goal.code for goal in activity.goals.all()) if activity.pk else []
        for name in TEXT_FIELDS:
            text = as_text(values.get(name))
            if name in sheet.headers and not same_text(getattr(activity, name), text):
                setattr(activity, name, text)
        if values.get("status") is not None:
            activity.status = read_status(
                values["status"], result, self.headers["status"], current=activity.status
            )
        if "budget" in sheet.headers:
            activity.budget = read_amount(
                values.get("budget"), result, self.headers["budget"], current=activity.budget
            )
        for name in ("start_date", "end_date"):
            if name in sheet.headers:
                try:
                    setattr(activity, name, parse_date(values.get(name)))
                except ValueError:
                    result.error(
                        self.headers[name],
                        _("“%(value)s” is not a date. Write dates as 2022-03-01.") % {"value": values[name]},
                    )
        area_key = old_area
        if "priority_area" in sheet.headers or section:
            try:
                area_key = self.areas.key_for(values.get("priority_area") or section)
            except ValidationError as error:
                result.error(self.headers["priority_area"], " ".join(error.messages))
        goals = None
        if "goal_codes" in sheet.headers:
            goals = self._goals(values.get("goal_codes"), result)
        try:
            activity.full_clean(exclude=["plan", "priority_area"])
        except ValidationError as error:
            for found in validation_errors(error, self.headers):
                result.error(found.column, found.message)
        if result.errors:
            return
        new_codes = sorted(goal.code for goal in goals) if goals is not None else old_goals
        if result.status != NEW:
            result.changes = self._changes(activity, old, old_area, area_key, old_goals, new_codes)
            result.status = CHANGED if result.changes else UNCHANGED
        if result.status != UNCHANGED:
            changed_goals = goals if goals is not None and new_codes != old_goals else None
            self.to_write.append((activity, area_key, changed_goals))

    def _goals(self, value: Any, result: RowResult) -> list[Goal]:
        goals, unknown = [], []
        for code in parse_goal_codes(value):
            goal = self.goals.get(text_key(code))
            if goal is None:
                unknown.append(code)
            elif goal not in goals:
                goals.append(goal)
        if unknown:
            known = ", ".join(sorted(goal.code for goal in self.goals.values())) or "–"
            result.error(
                self.headers["goal_codes"],
                _("Unknown goal code(s) %(codes)s. The plan's goal codes are: %(known)s.")
                % {"codes": ", ".join(unknown), "known": known},
            )
        return goals

    def _changes(self, activity, old, old_area, area_key, old_goals, new_codes) -> list[FieldChange]:
        changes = []
        for name in TEXT_FIELDS:
            if not same_text(old[name], getattr(activity, name)):
                changes.append(FieldChange(self.headers[name], old[name], getattr(activity, name)))
        if old["status"] != activity.status:
            labels = dict(Status.choices)
            changes.append(
                FieldChange(self.headers["status"], labels[old["status"]], activity.get_status_display())
            )
        for name in ("budget", "start_date", "end_date"):
            if old[name] != getattr(activity, name):
                changes.append(
                    FieldChange(self.headers[name], display(old[name]), display(getattr(activity, name)))
                )
        if old_area != area_key:
            old_name = self.areas.name(old_area) if old_area else ""
            changes.append(FieldChange(self.headers["priority_area"], old_name, self.areas.name(area_key)))
        if old_goals != new_codes:
            changes.append(
                FieldChange(self.headers["goal_codes"], ", ".join(old_goals), ", ".join(new_codes))
            )
        return changes

    def notes(self) -> list[str]:
        notes = self.areas.notes() if self.areas else []
        if self.untouched:
            message = ngettext(
                "%(count)s activity of the plan is not in the file; it is left as it is.",
                "%(count)s activities of the plan are not in the file; they are left as they are.",
                self.untouched,
            )
            notes.append(message % {"count": self.untouched})
        return notes

    def write(self, *, user, reason: str) -> None:
        self.areas.create_new()
        for activity, area_key, goals in self.to_write:
            activity.priority_area = self.areas.get(area_key)
            activity.full_clean()
            # One historical version per row, goals included, rather than one per save and m2m change.
            save_m2m = (
                (lambda activity=activity, goals=goals: activity.goals.set(goals))
                if goals is not None
                else None
            )
            save_with_history(activity, save_m2m=save_m2m)


def activity_export(plan: Plan) -> tuple[list[str], list[list]]:
    """The plan's activity matrix in the import format."""
    headers = [column.header for column in ActivityMatrixImporter.columns if column.key not in TARGET_KEYS]
    activities = (
        plan.activities.select_related("priority_area")
        .prefetch_related("goals")
        .order_by("priority_area__position", "position", "id")
    )
    rows = []
    for activity in activities:
        rows.append(
            [
                activity.priority_area.name if activity.priority_area_id else "",
                activity.title,
                activity.current_state,
                activity.expected_result,
                activity.indicators_text,
                activity.timeline,
                activity.responsible,
                activity.cost_text,
                ", ".join(sorted(goal.code for goal in activity.goals.all())),
                activity.get_status_display(),
                activity.budget,
                activity.start_date,
                activity.end_date,
                activity.pk,
            ]
        )
    return headers, rows


# --- Django admin (django-import-export) ------------------------------------------------------


class _StatusWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return Status.PLANNED if value in (None, "") else parse_status(value)

    def render(self, value, obj=None, **kwargs):
        return str(dict(Status.choices).get(value, value or ""))


class _GoalCodesWidget(widgets.ManyToManyWidget):
    """Goal codes within the plan of the row."""

    def __init__(self) -> None:
        super().__init__(Goal, field="code", separator=",")

    def clean(self, value, row=None, **kwargs):
        codes = parse_goal_codes(value)
        if not codes:
            return Goal.objects.none()
        goals = Goal.objects.filter(plan_id=plain_int(row["Plan"]), code__in=codes)
        unknown = set(codes) - {goal.code for goal in goals}
        if unknown:
            raise ValueError(_("Unknown goal code(s) %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
        return goals

    def render(self, value, obj=None, **kwargs):
        return ", ".join(sorted(goal.code for goal in value.all())) if value is not None else ""


class ActivityResource(RecordedImportResource):
    """Activities of any plan, for admins: the matrix with the plan's id in front."""

    record_kind = ImportRecord.Kind.ACTIVITIES

    id = fields.Field("id", "Id", widgets.IntegerWidget())
    plan = fields.Field("plan", "Plan", widgets.ForeignKeyWidget(Plan))
    priority_area = fields.Field("priority_area", "Insatsområde", PriorityAreaWidget())
    title = fields.Field("title", "Aktivitet")
    current_state = fields.Field("current_state", "Nuläge")
    expected_result = fields.Field("expected_result", "Mål")
    indicators_text = fields.Field("indicators_text", "Indikatorer")
    timeline = fields.Field("timeline", "Tidsplan")
    responsible = fields.Field("responsible", "Ansvar")
    cost_text = fields.Field("cost_text", "Kostnad")
    goals = fields.Field("goals", "Målkod", _GoalCodesWidget())
    status = fields.Field("status", "Status", _StatusWidget())
    budget = fields.Field("budget", "Budget", SwedishDecimalWidget())
    start_date = fields.Field("start_date", "Start", widgets.DateWidget("%Y-%m-%d"))
    end_date = fields.Field("end_date", "Slut", widgets.DateWidget("%Y-%m-%d"))

    class Meta:
        model = Activity
        fields = (
            "plan",
            "priority_area",
            "title",
            "current_state",
            "expected_result",
            "indicators_text",
            "timeline",
            "responsible",
            "cost_text",
            "goals",
            "status",
            "budget",
            "start_date",
            "end_date",
            "id",
        )
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
