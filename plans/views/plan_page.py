"""The plan page: the plan's goals and its activity matrix, the page a coordinator has open every week.

The matrix is rendered on the server, whole, for the plans counties have (100–300
activities). A plan or a filter with more rows than a person reads at once shows its
groups folded, each loaded on demand (htmx, or a link without JavaScript), and a
single list longer than that is paged: the page never grows with the size of the plan.
"""

import re
from dataclasses import dataclass, field
from itertools import chain
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import gettext as _

from activities.matrix import COLUMN_KEYS, COLUMNS, RowRenderer
from activities.models import Activity, Status
from indicators.models import Indicator
from indicators.progress import SYMBOLS, Progress, county_progress, summarise
from planportal.lib.swedish import swedish_order, swedish_sort_key
from plans.models import FocusArea, Goal, Organisation, Plan, PriorityArea, SubRegion, TargetGroup
from plans.permissions import Access, contributable_activity_ids, get_plan_for_user

# More rows than this, and the matrix shows its groups folded, to be opened one at a time.
ROWS_AT_ONCE = 400
# A list without groups (or one group) longer than this is paged.
PAGE_SIZE = 400

SESSION_COLUMNS = "plan_matrix_columns"

SORTS = {
    "position": ["priority_area__position", "position", "id"],
    "title": [*swedish_order("title"), "id"],
    "status": ["status", "position", "id"],
    "budget": ["-budget", "position", "id"],
}
GROUPINGS = {"omrade": "area", "mal": "goal", "ingen": "none"}

MAX_ID = 2**63 - 1
# The ids of a row under a goal start with the goal ("g12-aktivitet-3"), "g0-" without goal.
ROW_PREFIX = re.compile(r"(g\d{1,19}-)?")
FILTER_KEYS = ("q", "status", "mal", "insatsomrade", "fokusomrade", "organisation", "delregion", "ar")


@dataclass
class ProgressCount:
    """One judgement and how many indicators have it: "2 i fas"."""

    judgement: str
    label: str
    symbol: str
    count: int

    @property
    def css_class(self) -> str:
        return f"progress-{self.judgement.replace('_', '-')}"


def progress_counts(progress: list[Progress]) -> list[ProgressCount]:
    """The judgements that occur among ``progress`` with their counts, in the rule's order."""
    return [
        ProgressCount(judgement.value, str(judgement.label), SYMBOLS[judgement], count)
        for judgement, count in summarise(progress).items()
        if count
    ]


def indicator_progress(county_id: int, plan_ids: list[int]) -> list[tuple[int, int, int, Progress]]:
    """(plan, goal, indicator, progress) for every indicator the county sees on the goals of ``plan_ids``.

    Four queries whatever the number of plans, goals and indicators: the links, then
    :func:`indicators.progress.county_progress` (the one rule).
    """
    links = list(
        Indicator.objects.for_county(county_id)
        .filter(goals__plan_id__in=plan_ids)
        .annotate(goal_id=F("goals__id"), plan_id=F("goals__plan_id"))
        .order_by()
    )
    if not links:
        return []
    progress = county_progress(county_id, {indicator.pk: indicator for indicator in links}.values())
    return [
        (indicator.plan_id, indicator.goal_id, indicator.pk, progress[indicator.pk]) for indicator in links
    ]


@dataclass
class Group:
    """A heading of the activity matrix (a priority area or a goal) and its rows."""

    title: str
    anchor: str
    description: str = ""
    activities: list[Activity] = field(default_factory=list)
    # When the matrix is folded: how many rows the group has and the query that opens it.
    count: int = 0
    query: str = ""
    row_prefix: str = ""


def matrix_columns(request: HttpRequest) -> list[str]:
    """The columns this person chose to see (remembered in their session), in matrix order."""
    if "kolumner" in request.GET:
        chosen = [key for key in COLUMN_KEYS if key in request.GET.getlist("kolumn")]
        request.session[SESSION_COLUMNS] = chosen
        return chosen
    saved = request.session.get(SESSION_COLUMNS)
    if not isinstance(saved, list):
        return list(COLUMN_KEYS)
    return [key for key in COLUMN_KEYS if key in saved]


def parse_id(value: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number from the query string within [low, high], else None (ignored)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


def read_filters(request: HttpRequest) -> dict:
    """The matrix filters from the query string; values that make no sense are ignored.

    ``mal=0`` and ``insatsomrade=0`` stand for "without goal" and "without priority area".
    """
    query = request.GET
    status = query.get("status")
    sort = query.get("sortera", "position")
    sort = sort if sort in SORTS else "position"
    grouping = query.get("grupp")
    if grouping not in GROUPINGS:
        # Sorted by anything but the plan's order, one list sorted through is what a person expects.
        grouping = "omrade" if sort == "position" else "ingen"
    return {
        "status": status if status in Status.values else "",
        "goal": parse_id(query.get("mal"), low=0),
        "priority_area": parse_id(query.get("insatsomrade"), low=0),
        "focus_area": parse_id(query.get("fokusomrade")),
        "organisation": parse_id(query.get("organisation")),
        "sub_region": parse_id(query.get("delregion")),
        "year": parse_id(query.get("ar"), low=1900, high=2100),
        # PostgreSQL refuses NUL characters in text.
        "q": query.get("q", "").replace("\x00", "").strip()[:200],
        "sort": sort,
        "grouping": grouping,
        "group_by": GROUPINGS[grouping],
        "page": parse_id(query.get("sida"), high=100_000) or 1,
    }


def filtered_activities(plan: Plan, filters: dict) -> QuerySet[Activity]:
    """The plan's activities that pass ``filters`` (no rows fetched yet)."""
    activities = plan.activities.all()
    if filters["status"]:
        activities = activities.filter(status=filters["status"])
    if filters["goal"] == 0:
        activities = activities.filter(goals__isnull=True)
    elif filters["goal"]:
        activities = activities.filter(goals=filters["goal"])
    if filters["priority_area"] is not None:
        if filters["priority_area"] == 0:
            activities = activities.filter(priority_area__isnull=True)
        else:
            activities = activities.filter(priority_area=filters["priority_area"])
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
            "cost_text",
            "follow_ups__achieved",
            "follow_ups__planning",
        ):
            words |= Q(**{f"{column}__icontains": filters["q"]})
        activities = activities.filter(words)
    # Joins through goals, organisations and follow-ups repeat rows; ids keep the list exact.
    return plan.activities.filter(pk__in=activities.values("pk"))


def with_rows(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """What a row of the matrix shows, in a constant number of queries."""
    return activities.prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position", "code")))


def row_context(request: HttpRequest, access: Access, *, next_url: str | None = None) -> dict:
    """What rendering matrix rows needs (the plan page, and htmx swapping one row)."""
    columns = matrix_columns(request)
    return {
        "columns": columns,
        "matrix_row": RowRenderer(
            columns=columns,
            can_edit=access.can_edit,
            editable=contributable_activity_ids(access),
            csrf_token=get_token(request),
            next_url=request.get_full_path() if next_url is None else next_url,
        ),
    }


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    filters = read_filters(request)
    matrix = build_matrix(plan, filters)
    context = {
        "plan": plan,
        "county": plan.county,
        "access": access,
        "filters": filters,
        "is_filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "column_choices": [(key, label) for key, label, _field in COLUMNS],
        "statuses": [(value, label.capitalize()) for value, label in Status.choices],
        **row_context(request, access),
        "next": request.get_full_path(),
        **matrix,
    }
    if request.htmx and request.GET.get("del") == "matris":
        # A folded group being opened: its rows only.
        return render(request, "plans/partials/matrix.html", {**context, "nested": True})
    goals = matrix["goals"]
    # Progress judged the same way as on the indicator pages and in the report, per goal and
    # for the plan (an indicator following two goals counts once for the plan).
    per_goal: dict[int, list[Progress]] = {}
    per_indicator: dict[int, Progress] = {}
    for _plan_id, goal_id, indicator_id, progress in indicator_progress(plan.county_id, [plan.pk]):
        per_goal.setdefault(goal_id, []).append(progress)
        per_indicator[indicator_id] = progress
    for goal in goals:
        goal.progress_counts = progress_counts(per_goal.get(goal.pk, []))
    context.update(
        {
            "goal_sections": goals_by_focus_area(goals),
            "plan_progress": progress_counts(list(per_indicator.values())),
            "choices": {
                "goals": goals,
                "priority_areas": matrix["priority_areas"],
                "focus_areas": FocusArea.objects.all(),
                "organisations": sorted(
                    Organisation.objects.filter(activities__plan=plan).distinct().order_by(),
                    key=lambda organisation: swedish_sort_key(organisation.name),
                ),
                "sub_regions": SubRegion.objects.filter(county=plan.county).order_by(*swedish_order("name")),
                "years": plan.years,
            },
        }
    )
    return render(request, "plans/plan_detail.html", context)


def build_matrix(plan: Plan, filters: dict) -> dict:
    """The matrix's groups and rows: whole, folded into groups, or one page of a long list."""
    activities = filtered_activities(plan, filters)
    total = activities.count()
    goals = list(
        plan.goals.select_related("focus_area", "priority_area")
        .annotate(activity_count=Count("activities"))
        .order_by("focus_area__number", "target_group", "position", "code")
    )
    areas = list(plan.priority_areas.order_by("position", "name"))
    group_by = filters["group_by"]
    opened_one_group = (group_by == "area" and filters["priority_area"] is not None) or (
        group_by == "goal" and filters["goal"] is not None
    )
    result = {
        "goals": goals,
        "priority_areas": areas,
        "activity_count": total,
        "folded": False,
        "page": None,
    }
    if group_by != "none" and total > ROWS_AT_ONCE and not opened_one_group:
        result["groups"] = folded_groups(activities, filters, goals=goals, areas=areas)
        result["folded"] = True
        result["budget_total"] = activities.aggregate(total=Sum("budget"))["total"]
        return result

    ordered = with_rows(activities.order_by(*SORTS[filters["sort"]]))
    if total > PAGE_SIZE:
        paginator = Paginator(ordered, PAGE_SIZE)
        paginator.count = total  # known already: spare the paginator its own COUNT query
        page = paginator.get_page(filters["page"])
        rows = list(page.object_list)
        result["page"] = page
        result["page_links"] = page_links(filters, page)
        result["budget_total"] = activities.aggregate(total=Sum("budget"))["total"]
    else:
        rows = list(ordered)
        result["budget_total"] = sum(activity.budget or 0 for activity in rows) or None
    if group_by == "goal":
        result["groups"] = group_by_goal(rows, goals)
    elif group_by == "area":
        result["groups"] = group_by_area(rows, areas)
    else:
        result["groups"] = [Group(title="", anchor="alla", activities=rows)]
    return result


def filter_query(filters: dict, **changes) -> str:
    """The query string of the matrix with ``filters``, changed by ``changes``."""
    params = {
        "q": filters["q"],
        "status": filters["status"],
        "mal": filters["goal"],
        "insatsomrade": filters["priority_area"],
        "fokusomrade": filters["focus_area"],
        "organisation": filters["organisation"],
        "delregion": filters["sub_region"],
        "ar": filters["year"],
        "grupp": filters["grouping"],
        "sortera": filters["sort"],
        **changes,
    }
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


def page_links(filters: dict, page) -> dict:
    return {
        "previous": filter_query(filters, sida=page.previous_page_number()) if page.has_previous() else None,
        "next": filter_query(filters, sida=page.next_page_number()) if page.has_next() else None,
    }


def folded_groups(
    activities: QuerySet[Activity], filters: dict, *, goals: list[Goal], areas: list[PriorityArea]
) -> list[Group]:
    """The groups with their counts only; each opens on its own (two queries, whatever the size)."""
    if filters["group_by"] == "goal":
        counts = dict(
            Activity.goals.through.objects.filter(activity__in=activities)
            .values("goal_id")
            .annotate(n=Count("activity_id"))
            .values_list("goal_id", "n")
        )
        without = activities.filter(goals__isnull=True).count()
        groups = [
            Group(
                title=f"{goal.code} {goal.title}",
                anchor=f"mal-{goal.pk}",
                count=counts[goal.pk],
                query=filter_query(filters, mal=goal.pk),
            )
            for goal in goals
            if counts.get(goal.pk)
        ]
        if without:
            groups.append(
                Group(
                    title=_("Without goal"),
                    anchor="mal-utan",
                    count=without,
                    query=filter_query(filters, mal=0),
                )
            )
        return groups
    counts = dict(
        activities.order_by()
        .values("priority_area_id")
        .annotate(n=Count("id"))
        .values_list("priority_area_id", "n")
    )
    groups = [
        Group(
            title=area.name,
            anchor=f"omrade-{area.pk}",
            description=area.description,
            count=counts[area.pk],
            query=filter_query(filters, insatsomrade=area.pk),
        )
        for area in areas
        if counts.get(area.pk)
    ]
    if counts.get(None):
        groups.append(
            Group(
                title=_("Without priority area"),
                anchor="omrade-utan",
                count=counts[None],
                query=filter_query(filters, insatsomrade=0),
            )
        )
    return groups


def group_by_area(activities: list[Activity], areas: list[PriorityArea]) -> list[Group]:
    groups: dict[int | None, Group] = {
        area.pk: Group(title=area.name, anchor=f"omrade-{area.pk}", description=area.description)
        for area in areas
    }
    for activity in activities:
        key = activity.priority_area_id
        if key not in groups:
            groups[key] = Group(title=_("Without priority area"), anchor="omrade-utan")
        groups[key].activities.append(activity)
    return [group for group in groups.values() if group.activities]


def group_by_goal(activities: list[Activity], goals: list[Goal]) -> list[Group]:
    # An activity serving several goals stands under each: its ids get the goal as prefix.
    groups = {
        goal.pk: Group(title=f"{goal.code} {goal.title}", anchor=f"mal-{goal.pk}", row_prefix=f"g{goal.pk}-")
        for goal in goals
    }
    without = Group(title=_("Without goal"), anchor="mal-utan", row_prefix="g0-")
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
