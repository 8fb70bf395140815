"""The county page and the plan page: what a coordinator has open every week."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityFollowUp, Status
from planportal.lib.swedish import swedish_order
from plans.models import County, FocusArea, Goal, Organisation, Plan, PriorityArea, SubRegion, TargetGroup
from plans.permissions import get_plan_for_user, require_county_access
from plans.versions import KIND_OF, version_title


@login_required
def county_detail(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = get_object_or_404(County, letter_code=letter_code.upper())
    access = require_county_access(request.user, county.pk)
    plans = list(county.plans.order_by("status", "-start_year", "title"))
    live_ids = [plan.pk for plan in plans if plan.status != Plan.Status.ARCHIVED]

    per_status: dict[int, Counter] = defaultdict(Counter)
    for row in (
        Activity.objects.filter(plan_id__in=live_ids).values("plan_id", "status").annotate(n=Count("id"))
    ):
        per_status[row["plan_id"]][row["status"]] = row["n"]
    budgets = dict(
        Activity.objects.filter(plan_id__in=live_ids)
        .values("plan_id")
        .annotate(total=Sum("budget"))
        .values_list("plan_id", "total")
    )
    idle_goals: dict[int, list[Goal]] = defaultdict(list)
    for goal in Goal.objects.filter(plan_id__in=live_ids, activities__isnull=True).order_by(
        "position", "code"
    ):
        idle_goals[goal.plan_id].append(goal)
    for plan in plans:
        counts = per_status.get(plan.pk, Counter())
        plan.status_counts = [(label, counts[value], value) for value, label in Status.choices]
        plan.activity_total = sum(counts.values())
        plan.budget_total = budgets.get(plan.pk)
        plan.idle_goals = idle_goals.get(plan.pk, [])
        plan.is_live = plan.pk in live_ids

    return render(
        request,
        "plans/county_detail.html",
        {"county": county, "access": access, "plans": plans, "changes": latest_changes(county)},
    )


def latest_changes(county: County, limit: int = 12) -> list:
    """The county's most recent versions of plans, goals, activities and follow-ups."""
    sources = [
        (Plan, Plan.history.filter(county_id=county.pk)),
        (Goal, Goal.history.filter(plan__county_id=county.pk)),
        (Activity, Activity.history.filter(plan__county_id=county.pk)),
        (
            ActivityFollowUp,
            ActivityFollowUp.history.filter(activity__plan__county_id=county.pk).select_related("activity"),
        ),
    ]
    records = []
    for model, queryset in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            record.kind = KIND_OF[model]
            record.kind_label = model._meta.verbose_name
            record.label = version_title(model, record)
            records.append(record)
    return sorted(records, key=lambda record: record.history_date, reverse=True)[:limit]


@dataclass
class Group:
    """A heading of the activity matrix (a priority area or a goal) and its rows."""

    title: str
    anchor: str
    description: str = ""
    activities: list[Activity] = field(default_factory=list)


SORTS = {
    "position": ["priority_area__position", "position", "id"],
    "title": swedish_order("title"),
    "status": ["status", "position"],
    "budget": ["-budget", "position"],
}


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    filters = read_filters(request)
    activities = filtered_activities(plan, filters)
    goals = list(
        plan.goals.select_related("focus_area", "priority_area")
        .annotate(activity_count=Count("activities"))
        .order_by("focus_area__number", "target_group", "position", "code")
    )
    group_by = "goal" if request.GET.get("grupp") == "mal" else "area"
    groups = group_by_goal(activities, goals) if group_by == "goal" else group_by_area(activities, plan)

    context = {
        "plan": plan,
        "county": plan.county,
        "access": access,
        "goal_sections": goals_by_focus_area(goals),
        "groups": groups,
        "group_by": group_by,
        "filters": filters,
        "activity_count": len(activities),
        "budget_total": sum(activity.budget or 0 for activity in activities),
        "statuses": Status.choices,
        "choices": {
            "goals": goals,
            "focus_areas": FocusArea.objects.all(),
            "organisations": Organisation.objects.filter(activities__plan=plan).distinct(),
            "sub_regions": SubRegion.objects.filter(county=plan.county),
            "years": plan.years,
        },
        "next": request.get_full_path(),
    }
    return render(request, "plans/plan_detail.html", context)


MAX_ID = 2**63 - 1


def parse_id(value: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number from the query string within [low, high], else None (ignored)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


def read_filters(request: HttpRequest) -> dict:
    """The matrix filters from the query string; values that make no sense are ignored."""
    query = request.GET
    status = query.get("status")
    sort = query.get("sortera", "position")
    return {
        "status": status if status in Status.values else "",
        "goal": parse_id(query.get("mal")),
        "focus_area": parse_id(query.get("fokusomrade")),
        "organisation": parse_id(query.get("organisation")),
        "sub_region": parse_id(query.get("delregion")),
        "year": parse_id(query.get("ar"), low=1900, high=2100),
        # PostgreSQL refuses NUL characters in text.
        "q": query.get("q", "").replace("\x00", "").strip()[:200],
        "sort": sort if sort in SORTS else "position",
    }


def filtered_activities(plan: Plan, filters: dict) -> list[Activity]:
    """The plan's activities that pass ``filters``, with everything a row shows prefetched."""
    activities = plan.activities.select_related("priority_area").prefetch_related(
        "goals",
        "lead_organisations",
        "sub_regions",
        Prefetch("follow_ups", queryset=ActivityFollowUp.objects.order_by("-year")),
    )
    if filters["status"]:
        activities = activities.filter(status=filters["status"])
    if filters["goal"]:
        activities = activities.filter(goals=filters["goal"])
    if filters["focus_area"]:
        activities = activities.filter(goals__focus_area=filters["focus_area"])
    if filters["organisation"]:
        activities = activities.filter(lead_organisations=filters["organisation"])
    if filters["sub_region"]:
        activities = activities.filter(sub_regions=filters["sub_region"])
    if filters["year"]:
        year = filters["year"]
        runs_that_year = (Q(start_date__isnull=True) | Q(start_date__year__lte=year)) & (
            Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        )
        activities = activities.filter(runs_that_year | Q(follow_ups__year=year))
    if filters["q"]:
        words = Q()
        for column in (
            "title",
            "current_state",
            "expected_result",
            "indicators_text",
            "responsible",
            "timeline",
        ):
            words |= Q(**{f"{column}__icontains": filters["q"]})
        activities = activities.filter(words)
    return list(activities.distinct().order_by(*SORTS[filters["sort"]]))


def group_by_area(activities: list[Activity], plan: Plan) -> list[Group]:
    groups: dict[int | None, Group] = {}
    for area in PriorityArea.objects.filter(plan=plan).order_by("position", "name"):
        groups[area.pk] = Group(title=area.name, anchor=f"omrade-{area.pk}", description=area.description)
    for activity in activities:
        key = activity.priority_area_id
        if key not in groups:
            groups[key] = Group(title=_("Without priority area"), anchor="omrade-utan")
        groups[key].activities.append(activity)
    return [group for group in groups.values() if group.activities]


def group_by_goal(activities: list[Activity], goals: list[Goal]) -> list[Group]:
    groups = {goal.pk: Group(title=f"{goal.code} {goal.title}", anchor=f"mal-{goal.pk}") for goal in goals}
    without = Group(title=_("Without goal"), anchor="mal-utan")
    for activity in activities:
        linked = [goal.pk for goal in activity.goals.all()]
        for goal_id in linked:
            groups[goal_id].activities.append(activity)
        if not linked:
            without.activities.append(activity)
    return [group for group in chain(groups.values(), [without]) if group.activities]


def goals_by_focus_area(goals: list[Goal]) -> list[dict]:
    """Goals under their focus area, then target group, as the plans present them."""
    target_groups = dict(TargetGroup.choices)
    sections: dict = {}
    for goal in goals:
        area = goal.focus_area
        section = sections.setdefault(area.pk if area else None, {"focus_area": area, "groups": {}})
        section["groups"].setdefault(
            goal.target_group, {"label": target_groups[goal.target_group], "goals": []}
        )
        section["groups"][goal.target_group]["goals"].append(goal)
    ordered = sorted(
        sections.values(), key=lambda section: section["focus_area"].number if section["focus_area"] else 99
    )
    return [
        {"focus_area": section["focus_area"], "groups": list(section["groups"].values())}
        for section in ordered
    ]
