"""What happened to a plan during a year, read from the version history for the report.

One line per goal, activity, follow-up, priority area or the plan itself: created,
changed (which fields) or deleted, by whom and why. Each model's history is read in
one query whatever the number of objects.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityFollowUp
from planportal.lib.history import reason_text
from plans.models import Goal, Plan, PriorityArea

# Fields whose change is not worth a line in the report.
_UNTRACKED = {"created_at", "updated_at", "position"}


@dataclass
class Change:
    """What happened to one goal, activity or follow-up during the year."""

    kind: str
    name: str
    first: datetime
    last: datetime
    created: bool = False
    deleted: bool = False
    edits: int = 0
    fields: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _user_name(row: dict) -> str:
    full = f"{row['history_user__first_name'] or ''} {row['history_user__last_name'] or ''}".strip()
    return full or row["history_user__username"] or _("the system")


def changes_during(plan: Plan, year: int) -> tuple[list[Change], list[tuple[str, int]]]:
    """What happened during the year to the plan, its priority areas, goals, activities and follow-ups.

    Each model's history is read in one query, up to the end of the year, so that an
    edit during the year can be compared with the version before it, even an older one.
    """
    start, end = _year_bounds(year)
    activity_ids = Activity.history.filter(plan_id=plan.id).values("id")
    sources = [
        (Plan, _("Plan"), Plan.history.filter(id=plan.id)),
        (PriorityArea, _("Priority area"), PriorityArea.history.filter(plan_id=plan.id)),
        (Goal, _("Goal"), Goal.history.filter(plan_id=plan.id)),
        (Activity, _("Activity"), Activity.history.filter(plan_id=plan.id)),
        (ActivityFollowUp, _("Follow-up"), ActivityFollowUp.history.filter(activity_id__in=activity_ids)),
    ]
    activity_titles: dict[int, str] = {}
    changes: list[Change] = []
    counts: list[tuple[str, int]] = []
    for model, kind, history in sources:
        tracked = [
            (f.attname, str(f.verbose_name))
            for f in model._meta.concrete_fields
            if f.name not in _UNTRACKED and not f.primary_key
        ]
        rows = history.filter(history_date__lt=end).values(
            "id",
            "history_id",
            "history_date",
            "history_type",
            "history_change_reason",
            "history_restored_from",
            "history_user__username",
            "history_user__first_name",
            "history_user__last_name",
            *[attname for attname, _label in tracked],
        )
        previous: dict[int, dict] = {}
        by_object: dict[int, Change] = {}
        for row in rows.order_by("history_date", "history_id"):
            object_id = row["id"]
            before = previous.get(object_id)
            previous[object_id] = row
            if model is Activity:
                activity_titles[object_id] = row["title"]
            if row["history_date"] < start:
                continue
            change = by_object.get(object_id)
            if change is None:
                change = by_object[object_id] = Change(
                    kind=str(kind), name="", first=row["history_date"], last=row["history_date"]
                )
            change.last = row["history_date"]
            change.name = _object_name(model, row, activity_titles)
            if row["history_type"] == "+":
                change.created = True
            elif row["history_type"] == "-":
                change.deleted = True
            else:
                change.edits += 1
                if before is not None:
                    for attname, label in tracked:
                        if row[attname] != before[attname] and label not in change.fields:
                            change.fields.append(label)
            user = _user_name(row)
            if user not in change.users:
                change.users.append(user)
            reason = reason_text(row["history_change_reason"], row["history_restored_from"])
            if reason and reason not in change.reasons:
                change.reasons.append(reason)
        changes.extend(by_object.values())
        counts.append((str(kind), len(by_object)))
    changes.sort(key=lambda change: (change.first, change.kind))
    return changes, [(kind, number) for kind, number in counts if number]


def _object_name(model, row: dict, activity_titles: dict[int, str]) -> str:
    if model is Goal:
        return f"{row['code']} {row['title']}"
    if model is ActivityFollowUp:
        return f"{activity_titles.get(row['activity_id'], '')} ({row['year']})"
    if model is PriorityArea:
        return row["name"]
    return row["title"]
