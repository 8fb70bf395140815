"""The frozen public content of a published plan: built once when the county publishes.

The public pages and the open-data files read the snapshot, never the live plan: a plan
changed after publication shows what was published until the county publishes again, and
no later draft can leak. The snapshot holds the public fields only; the fields the county
keeps internal are left out (the key is absent, not empty), and e-mail addresses are removed
from every text.

Shape (``FORMAT`` "planportal.publication/1"); numbers that are decimals are strings
("12.5"), dates ISO strings, ids the database ids (stable within the snapshot only)::

    {
      "format": "planportal.publication/1",
      "licence": "cc0" | "cc-by-4.0",
      "internal_fields": ["activity.responsible", ...],     # what was kept out
      "county": {"code": "25", "letter_code": "BD", "name": ..., "region_name": ...},
      "plan": {"id", "title", "start_year", "end_year", "adopted_on", "adopted_by",
               "revised_on", "description"},
      "focus_areas": [{"number": 1, "name": ...}],            # those the goals use, in order
      "priority_areas": [{"id", "name", "description"}],      # in the plan's order
      "goals": [{"id", "code", "title", "target_group", "focus_area": number | null,
                 "priority_area": id | null, "background", "responsible"?,
                 "indicators": [id], "activities": [id]}],
      "activities": [{"id", "title", "priority_area": id | null, "goals": [id], "status",
                      "activity_type", "start_date", "end_date", "timeline",
                      "expected_result", "indicators_text", "current_state"?, "cost_text"?,
                      "budget"?, "funding_source"?, "responsible"?,
                      "lead_organisations": [name], "sub_regions": [name], "indicators": [id]}],
      "indicators": [{"id", "code", "name", "unit", "kind", "source", "kolada_id",
                      "desired_direction", "description", "national": bool,
                      "goals": [id], "activities": [id],
                      "values": [{"year", "gender": "T"|"K"|"M", "value", "source"}],  # the county's
                      "baseline": {"year", "value"} | null,
                      "targets": [{"year", "value"}],
                      "progress": {"judgement", "direction", "trend", "trend_arrow", "missing",
                                   "baseline", "latest", "previous", "target":
                                   {"year", "value"} | null}}]   # the points the rule used
    }

Keys marked ``?`` are there only when the county did not keep the field internal. Status,
kind, unit and the like are the models' choice values; pages translate them when shown.
"""

import hashlib
import json
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import translation

from activities.models import Activity
from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import Progress, county_progress
from plans.models import Goal, Plan, PriorityArea

FORMAT = "planportal.publication/1"

# An e-mail address anywhere in a text; removed from everything published.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def strip_emails(text: str) -> str:
    """``text`` without e-mail addresses (and the doubled spaces they leave)."""
    if "@" not in text:
        return text
    return re.sub(r"[ \t]{2,}", " ", EMAIL.sub("", text)).strip()


def decimal_text(value: Decimal | None) -> str | None:
    """A decimal as plain text without trailing zeros: 12.5000 → "12.5", 100.0000 → "100"."""
    if value is None:
        return None
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _point(point: tuple[int, Decimal] | None) -> dict | None:
    return {"year": point[0], "value": decimal_text(point[1])} if point else None


def _progress(progress: Progress) -> dict:
    return {
        "judgement": progress.judgement.value,
        "direction": progress.direction,
        "trend": progress.trend.value,
        "trend_arrow": progress.trend_arrow,
        "baseline": _point(progress.baseline),
        "latest": _point(progress.latest),
        "previous": _point(progress.previous),
        "target": _point(progress.target),
        "missing": progress.missing,
    }


def _date(value) -> str | None:
    return value.isoformat() if value else None


def build_snapshot(plan: Plan, *, licence: str, internal_fields: list[str]) -> dict[str, Any]:
    """The public content of ``plan`` as it stands now (about fifteen queries, whatever its size).

    Its few texts of our own (why progress cannot be judged) are in Swedish, the language of the
    public record, whoever publishes: the same plan gives the same snapshot and SHA-256.
    """
    with translation.override("sv"):
        return _build_snapshot(plan, licence=licence, internal_fields=internal_fields)


def _build_snapshot(plan: Plan, *, licence: str, internal_fields: list[str]) -> dict[str, Any]:
    internal = set(internal_fields)

    def public(key: str) -> bool:
        return key not in internal

    county = plan.county
    areas = list(PriorityArea.objects.filter(plan=plan).order_by("position", "name"))
    goals = list(Goal.objects.filter(plan=plan).select_related("focus_area").order_by("position", "code"))
    activities = list(
        Activity.objects.filter(plan=plan)
        .order_by("priority_area__position", "position", "id")
        .prefetch_related("goals", "lead_organisations", "sub_regions")
    )
    goal_ids = [goal.pk for goal in goals]
    activity_ids = [activity.pk for activity in activities]

    # The county's indicators (national or its own) that follow the plan's goals or activities.
    goal_links = list(
        Indicator.goals.through.objects.filter(goal_id__in=goal_ids).values_list("indicator_id", "goal_id")
    )
    activity_links = list(
        Indicator.activities.through.objects.filter(activity_id__in=activity_ids).values_list(
            "indicator_id", "activity_id"
        )
    )
    linked = {indicator_id for indicator_id, _ in goal_links} | {i for i, _ in activity_links}
    indicators = list(Indicator.objects.for_county(county.pk).filter(pk__in=linked))
    shown = {indicator.pk for indicator in indicators}
    goals_of: dict[int, list[int]] = defaultdict(list)
    indicators_of_goal: dict[int, list[int]] = defaultdict(list)
    for indicator_id, goal_id in sorted(goal_links):
        if indicator_id in shown:
            goals_of[indicator_id].append(goal_id)
            indicators_of_goal[goal_id].append(indicator_id)
    activities_of: dict[int, list[int]] = defaultdict(list)
    indicators_of_activity: dict[int, list[int]] = defaultdict(list)
    for indicator_id, activity_id in sorted(activity_links):
        if indicator_id in shown:
            activities_of[indicator_id].append(activity_id)
            indicators_of_activity[activity_id].append(indicator_id)

    values: dict[int, list[dict]] = defaultdict(list)
    for indicator_id, year, gender, value, source in (
        IndicatorValue.objects.filter(indicator_id__in=shown, county=county)
        .order_by("indicator_id", "year", "gender")
        .values_list("indicator_id", "year", "gender", "value", "source")
    ):
        values[indicator_id].append(
            {"year": year, "gender": gender, "value": decimal_text(value), "source": source}
        )
    baselines = {
        indicator_id: {"year": year, "value": decimal_text(value)}
        for indicator_id, year, value in IndicatorBaseline.objects.filter(
            indicator_id__in=shown, county=county
        ).values_list("indicator_id", "year", "value")
    }
    targets: dict[int, list[dict]] = defaultdict(list)
    for indicator_id, year, value in (
        IndicatorTarget.objects.filter(indicator_id__in=shown, county=county)
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "year", "value")
    ):
        targets[indicator_id].append({"year": year, "value": decimal_text(value)})
    progress = county_progress(county.pk, indicators)

    activities_of_goal: dict[int, list[int]] = defaultdict(list)
    for activity in activities:
        for goal in activity.goals.all():
            activities_of_goal[goal.pk].append(activity.pk)

    focus_areas = {goal.focus_area.number: goal.focus_area.name for goal in goals if goal.focus_area}

    def goal_data(goal: Goal) -> dict:
        data = {
            "id": goal.pk,
            "code": goal.code,
            "title": strip_emails(goal.title),
            "target_group": goal.target_group,
            "focus_area": goal.focus_area.number if goal.focus_area else None,
            "priority_area": goal.priority_area_id,
            "background": strip_emails(goal.background),
            "indicators": indicators_of_goal[goal.pk],
            "activities": sorted(activities_of_goal[goal.pk]),
        }
        if public("goal.responsible"):
            data["responsible"] = strip_emails(goal.responsible)
        return data

    def activity_data(activity: Activity) -> dict:
        data = {
            "id": activity.pk,
            "title": strip_emails(activity.title),
            "priority_area": activity.priority_area_id,
            "goals": sorted(goal.pk for goal in activity.goals.all()),
            "status": activity.status,
            "activity_type": activity.activity_type,
            "start_date": _date(activity.start_date),
            "end_date": _date(activity.end_date),
            "timeline": strip_emails(activity.timeline),
            "expected_result": strip_emails(activity.expected_result),
            "indicators_text": strip_emails(activity.indicators_text),
            "lead_organisations": sorted(org.name for org in activity.lead_organisations.all()),
            "sub_regions": sorted(region.name for region in activity.sub_regions.all()),
            "indicators": indicators_of_activity[activity.pk],
        }
        for key, value in (
            ("current_state", strip_emails(activity.current_state)),
            ("cost_text", strip_emails(activity.cost_text)),
            ("budget", decimal_text(activity.budget)),
            ("funding_source", strip_emails(activity.funding_source)),
            ("responsible", strip_emails(activity.responsible)),
        ):
            if public(f"activity.{key}"):
                data[key] = value
        return data

    def indicator_data(indicator: Indicator) -> dict:
        return {
            "id": indicator.pk,
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "source": indicator.source,
            "kolada_id": indicator.kolada_id,
            "desired_direction": indicator.desired_direction,
            "description": strip_emails(indicator.description),
            "national": indicator.county_id is None,
            "goals": goals_of[indicator.pk],
            "activities": activities_of[indicator.pk],
            "values": values[indicator.pk],
            "baseline": baselines.get(indicator.pk),
            "targets": targets[indicator.pk],
            "progress": _progress(progress[indicator.pk]),
        }

    return {
        "format": FORMAT,
        "licence": licence,
        "internal_fields": sorted(internal),
        "county": {
            "code": county.code,
            "letter_code": county.letter_code,
            "name": county.name,
            "region_name": county.region_name,
        },
        "plan": {
            "id": plan.pk,
            "title": strip_emails(plan.title),
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "adopted_on": _date(plan.adopted_on),
            "adopted_by": strip_emails(plan.adopted_by),
            "revised_on": _date(plan.revised_on),
            "description": strip_emails(plan.description),
        },
        "focus_areas": [{"number": number, "name": name} for number, name in sorted(focus_areas.items())],
        "priority_areas": [
            {"id": area.pk, "name": area.name, "description": strip_emails(area.description)}
            for area in areas
        ],
        "goals": [goal_data(goal) for goal in goals],
        "activities": [activity_data(activity) for activity in activities],
        "indicators": [indicator_data(indicator) for indicator in indicators],
    }


def canonical_json(snapshot: dict) -> bytes:
    """The snapshot as bytes that are the same for the same content (sorted keys, no spaces)."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def snapshot_sha256(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()
