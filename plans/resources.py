"""Spreadsheet import and export of a plan's goals, and the priority areas rows refer to by name.

Format (DESIGN.md): Kod, Mål, Målgrupp, Fokusområde, Insatsområde, Beskrivning, Ansvar.
Goals are matched on their code within the plan, so importing the same file
twice, or a file exported from the plan, changes nothing.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

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
from plans.imports.integration import RecordedImportResource
from plans.models import FocusArea, Goal, ImportRecord, Plan, PriorityArea, TargetGroup

# "Insatsområde – Stärkt brukarmedverkan", but not the word "Insatsområdet" that starts a name.
_AREA_PREFIX = re.compile(r"^\s*insatsområde(?![a-zåäöéü])\s*[-–—:]?\s*", re.IGNORECASE)


def priority_area_key(name: str | None) -> str:
    """'Insatsområde – stärkt brukarmedverkan' and 'Stärkt brukarmedverkan' are one area."""
    return text_key(_AREA_PREFIX.sub("", name or ""))


def section_heading(values: dict[str, Any]) -> str | None:
    """The name in a row such as 'Insatsområde – Stärkt brukarmedverkan' that heads a part of a matrix.

    In a spreadsheet the heading is often one cell merged across the row, so every
    non-empty cell holds the same text.
    """
    texts = {str(value) for value in values.values() if value is not None}
    if len(texts) != 1:
        return None
    text = texts.pop()
    if not _AREA_PREFIX.match(text) or "\n" in text:
        return None
    name = _AREA_PREFIX.sub("", text).strip()
    return name or None


class PriorityAreas:
    """A plan's priority areas by name; names not yet known become new areas when written."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.known = {priority_area_key(area.name): area for area in plan.priority_areas.all()}
        self.new: dict[str, str] = {}

    def key_for(self, name: str | None) -> str | None:
        """The key of the area called ``name``; a new name is checked against the model here, in
        the preview, and raises ValidationError (too long, …) rather than failing when written."""
        key = priority_area_key(name)
        if not key:
            return None
        if key not in self.known and key not in self.new:
            cleaned = _AREA_PREFIX.sub("", name or "").strip()
            cleaned = cleaned[:1].upper() + cleaned[1:]
            area = PriorityArea(plan=self.plan, name=cleaned, position=len(self.known) + len(self.new))
            area.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
            self.new[key] = cleaned
        return key

    def name(self, key: str | None) -> str:
        if key is None:
            return ""
        return self.known[key].name if key in self.known else self.new[key]

    def create_new(self) -> None:
        position = max((area.position for area in self.known.values()), default=-1)
        for key, name in self.new.items():
            position += 1
            area = PriorityArea(plan=self.plan, name=name, position=position)
            area.full_clean()
            area.save()
            self.known[key] = area
        self.new = {}

    def get(self, key: str | None) -> PriorityArea | None:
        return self.known[key] if key else None

    def notes(self) -> list[str]:
        if not self.new:
            return []
        return [
            _("New priority areas will be created: %(names)s.")
            % {"names": ", ".join(f"”{name}”" for name in self.new.values())}
        ]


def choice_lookup(choices) -> dict[str, str]:
    """Every way a choice may be written — its value, English and Swedish label — to its value."""
    lookup = {}
    for value, label in choices:
        lookup[text_key(value)] = value
        with translation.override("en"):
            lookup[text_key(str(label))] = value
        with translation.override("sv"):
            lookup[text_key(str(label))] = value
    return lookup


TARGET_GROUP_WORDS = {"vuxen": "adults", "barn": "children", "unga": "children", "alla": "all", "v": "adults"}


def parse_target_group(value: Any) -> str:
    lookup = {**choice_lookup(TargetGroup.choices), **TARGET_GROUP_WORDS}
    found = lookup.get(text_key(str(value)))
    if found is None:
        raise ValueError(value)
    return found


def parse_focus_area(value: Any, focus_areas: dict[int, FocusArea]) -> FocusArea | None:
    """'3', 3, '3.', '3. Individanpassade insatser' or the area's name."""
    if value is None:
        return None
    text = str(value).strip()
    match = re.match(r"^(\d+)(?:[.,]0)?\b", text)
    if match and int(match.group(1)) in focus_areas:
        return focus_areas[int(match.group(1))]
    by_name = {text_key(area.name): area for area in focus_areas.values()}
    if text_key(text) in by_name:
        return by_name[text_key(text)]
    raise ValueError(value)


class GoalImporter(SheetImporter):
    kind = ImportRecord.Kind.GOALS
    columns = (
        Column("code", "Kod", ("code", "målkod", "goal code", "nr"), required=True),
        Column("title", "Mål", ("goal", "title", "målformulering", "målområde"), required=True),
        Column("target_group", "Målgrupp", ("target group",)),
        Column("focus_area", "Fokusområde", ("focus area",)),
        Column("priority_area", "Insatsområde", ("priority area",)),
        Column("background", "Beskrivning", ("description", "bakgrund", "background")),
        Column("responsible", "Ansvar", ("responsible", "ansvarig")),
        PLAN_COLUMN,
        COUNTY_COLUMN,
    )
    text_fields = ("title", "background", "responsible")

    def __init__(self, *, plan: Plan) -> None:
        self.plan = plan
        self.to_write: list[tuple[Goal, str | None]] = []

    def classify(self, sheet: Sheet) -> list[RowResult]:
        headers = {column.key: column.header for column in self.columns}
        existing = {text_key(goal.code): goal for goal in self.plan.goals.select_related("priority_area")}
        focus_areas = {area.number: area for area in FocusArea.objects.all()}
        self.areas = PriorityAreas(self.plan)
        position = max((goal.position for goal in existing.values()), default=-1)
        seen: dict[str, int] = {}
        results = []
        for row in sheet.rows:
            values = row.values
            code = as_text(values.get("code"))
            result = RowResult(number=row.number, label=code)
            results.append(result)
            for found in target_errors(values, county=self.plan.county, plan=self.plan):
                result.error(found.column, found.message)
            if result.errors:
                continue
            if not code:
                result.error(headers["code"], _("The goal has no code."))
                continue
            if text_key(code) in seen:
                result.error(
                    headers["code"], _("The code is also on row %(row)s.") % {"row": seen[text_key(code)]}
                )
                continue
            seen[text_key(code)] = row.number
            goal = existing.get(text_key(code))
            if goal is None:
                position += 1
                goal = Goal(plan=self.plan, code=code, position=position)
                result.status = NEW
            old = {
                name: getattr(goal, name) for name in ("title", "background", "responsible", "target_group")
            }
            old["focus_area"] = goal.focus_area
            old["priority_area"] = (
                priority_area_key(goal.priority_area.name) if goal.priority_area_id else None
            )
            area_key = old["priority_area"]
            for name in self.text_fields:
                new = as_text(values.get(name))
                if name in sheet.headers and not same_text(getattr(goal, name), new):
                    setattr(goal, name, new)
            if values.get("target_group") is not None:
                try:
                    goal.target_group = parse_target_group(values["target_group"])
                except ValueError:
                    result.error(
                        headers["target_group"],
                        _("Unknown target group “%(value)s”. Write vuxna, barn och unga or alla åldrar.")
                        % {"value": values["target_group"]},
                    )
            if "focus_area" in sheet.headers:
                try:
                    goal.focus_area = parse_focus_area(values.get("focus_area"), focus_areas)
                except ValueError:
                    result.error(
                        headers["focus_area"],
                        _("Unknown focus area “%(value)s”. Write its number, 1–5.")
                        % {"value": values["focus_area"]},
                    )
            if "priority_area" in sheet.headers:
                try:
                    area_key = self.areas.key_for(values.get("priority_area"))
                except ValidationError as error:
                    result.error(headers["priority_area"], " ".join(error.messages))
            try:
                goal.full_clean(exclude=["plan", "priority_area"], validate_unique=False)
            except ValidationError as error:
                for found in validation_errors(error, headers):
                    result.error(found.column, found.message)
            if result.errors:
                continue
            if result.status != NEW:
                result.changes = self._changes(goal, old, area_key)
                result.status = CHANGED if result.changes else UNCHANGED
            if result.status != UNCHANGED:
                self.to_write.append((goal, area_key))
        return results

    def _changes(self, goal: Goal, old: dict, area_key: str | None) -> list[FieldChange]:
        headers = {column.key: column.header for column in self.columns}
        changes = []
        for name in ("title", "background", "responsible"):
            if not same_text(old[name], getattr(goal, name)):
                changes.append(FieldChange(headers[name], old[name], getattr(goal, name)))
        if old["target_group"] != goal.target_group:
            labels = dict(TargetGroup.choices)
            changes.append(
                FieldChange(
                    headers["target_group"], labels[old["target_group"]], goal.get_target_group_display()
                )
            )
        if old["focus_area"] != goal.focus_area:
            changes.append(
                FieldChange(headers["focus_area"], display(old["focus_area"]), display(goal.focus_area))
            )
        if old["priority_area"] != area_key:
            old_name = self.areas.name(old["priority_area"]) if old["priority_area"] else ""
            changes.append(FieldChange(headers["priority_area"], old_name, self.areas.name(area_key)))
        return changes

    def notes(self) -> list[str]:
        return self.areas.notes() if hasattr(self, "areas") else []

    def write(self, *, user, reason: str) -> None:
        self.areas.create_new()
        for goal, area_key in self.to_write:
            goal.priority_area = self.areas.get(area_key)
            goal.full_clean()
            goal.save()


def goal_export(plan: Plan) -> tuple[list[str], list[list]]:
    """The plan's goals in the import format."""
    headers = [column.header for column in GoalImporter.columns if column.key not in TARGET_KEYS]
    rows = []
    goals = plan.goals.select_related("focus_area", "priority_area").order_by("position", "code")
    for goal in goals:
        rows.append(
            [
                goal.code,
                goal.title,
                goal.get_target_group_display(),
                goal.focus_area.number if goal.focus_area_id else None,
                goal.priority_area.name if goal.priority_area_id else "",
                goal.background,
                goal.responsible,
            ]
        )
    return headers, rows


# --- Django admin (django-import-export) ------------------------------------------------------


class _TargetGroupWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return "all" if value in (None, "") else parse_target_group(value)

    def render(self, value, obj=None, **kwargs):
        return str(dict(TargetGroup.choices).get(value, value or ""))


class PriorityAreaWidget(widgets.Widget):
    """A priority area by name, within the plan of the row (created when new)."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        plan = Plan.objects.get(pk=plain_int(row["Plan"]))
        areas = PriorityAreas(plan)
        key = areas.key_for(value)
        areas.create_new()
        return areas.get(key)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class GoalResource(RecordedImportResource):
    """Goals of any plan, for admins: the goal format with the plan's id in front."""

    record_kind = ImportRecord.Kind.GOALS

    plan = fields.Field("plan", "Plan", widgets.ForeignKeyWidget(Plan))
    code = fields.Field("code", "Kod")
    title = fields.Field("title", "Mål")
    target_group = fields.Field("target_group", "Målgrupp", _TargetGroupWidget())
    focus_area = fields.Field("focus_area", "Fokusområde", widgets.ForeignKeyWidget(FocusArea, "number"))
    priority_area = fields.Field("priority_area", "Insatsområde", PriorityAreaWidget())
    background = fields.Field("background", "Beskrivning")
    responsible = fields.Field("responsible", "Ansvar")

    class Meta:
        model = Goal
        fields = (
            "plan",
            "code",
            "title",
            "target_group",
            "focus_area",
            "priority_area",
            "background",
            "responsible",
        )
        import_id_fields = ("plan", "code")
        skip_unchanged = True
        report_skipped = True
