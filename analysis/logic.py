"""The logic of a plan: for each goal the money, the activities serving it, their outputs and the
outcome indicators with their progress; and the gaps a steering group should see first.

How money is attributed (the page says the same in Swedish):

- A funding allocation (medelstilldelning) of the county in one of the plan's years belongs to the
  priority area it names. It is shown beside every goal of that priority area as the priority area's
  money, shared by those goals, and never split between them. Allocations with no priority area,
  or with a priority area that has no goals, are money tied to no goal.
- An activity's budget and what has been spent on it (the sum of its follow-ups' "spent") count in
  full under each goal it serves; the plan's totals count every activity once.

A constant number of queries, whatever the number of goals, activities and values.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, Sum

from activities.models import Activity, ActivityFollowUp, Status
from indicators.models import Indicator, IndicatorValue
from indicators.progress import SYMBOLS, Judgement, Progress, county_progress, summarise
from plans.models import FundingAllocation, Goal, Plan, PriorityArea
from plans.views.plan_page import goals_by_focus_area

ZERO = Decimal(0)
# A goal lists this many of its activities and links to the plan page for the rest, so that the
# page stays the same size for a plan of 3 000 activities (the money counts all of them).
SHOWN_ACTIVITIES = 40


@dataclass(frozen=True)
class ActivityFacts:
    """The few fields of an activity the page shows: read as tuples, not models (a plan may hold 3 000)."""

    pk: int
    title: str
    status: str
    budget: Decimal | None

    def get_status_display(self) -> str:
        return str(Status(self.status).label) if self.status in Status.values else self.status


@dataclass
class ActivityLine:
    activity: ActivityFacts
    spent: Decimal | None
    outputs: list[Indicator] = field(default_factory=list)
    # The line as the page shows it, rendered once however many goals it serves (``analysis.views``).
    html: str = ""


@dataclass
class IndicatorLine:
    indicator: Indicator
    progress: Progress
    latest_year: int | None  # the latest year with a value for the whole county, any gender


@dataclass
class GoalLogic:
    goal: Goal
    activities: list[ActivityLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    budget: Decimal | None = None  # None: no activity of the goal has a budget
    spent: Decimal | None = None
    # The goal's priority area's allocations in the plan's years, and how many goals share them.
    allocation: Decimal | None = None
    allocation_shared_by: int = 0
    without_recent_values: bool = False

    @property
    def shown_activities(self) -> list[ActivityLine]:
        return self.activities[:SHOWN_ACTIVITIES]

    @property
    def hidden_activity_count(self) -> int:
        return max(0, len(self.activities) - SHOWN_ACTIVITIES)

    @property
    def outputs(self) -> list[Indicator]:
        seen: dict[int, Indicator] = {}
        for line in self.activities:
            for indicator in line.outputs:
                seen.setdefault(indicator.pk, indicator)
        return list(seen.values())


@dataclass
class AreaMoney:
    """A priority area's allocations in the plan's years."""

    area: PriorityArea | None
    amount: Decimal
    by_year: dict[int, Decimal]
    goals: list[Goal]


@dataclass
class PlanLogic:
    plan: Plan
    goals: list[GoalLogic]
    sections: list[dict]
    areas: list[AreaMoney]
    activities_without_goal: list[ActivityLine]
    recent_years: tuple[int, int]
    allocation_total: Decimal
    budget_total: Decimal
    spent_total: Decimal
    progress_counts: dict

    @property
    def goals_without_activity(self) -> list[GoalLogic]:
        return [line for line in self.goals if not line.activities]

    @property
    def goals_without_indicator(self) -> list[GoalLogic]:
        return [line for line in self.goals if not line.indicators]

    @property
    def goals_without_recent_values(self) -> list[GoalLogic]:
        return [line for line in self.goals if line.without_recent_values]

    @property
    def areas_without_goal(self) -> list[AreaMoney]:
        """Allocations with no priority area, or whose priority area has no goals."""
        return [money for money in self.areas if not money.goals and money.amount]

    @property
    def allocation_without_goal(self) -> Decimal:
        return sum((money.amount for money in self.areas_without_goal), ZERO)

    @property
    def budget_without_goal(self) -> Decimal:
        return sum((line.activity.budget or ZERO for line in self.activities_without_goal), ZERO)

    @property
    def shown_activities_without_goal(self) -> list[ActivityLine]:
        return self.activities_without_goal[:SHOWN_ACTIVITIES]

    @property
    def hidden_activities_without_goal(self) -> int:
        return max(0, len(self.activities_without_goal) - SHOWN_ACTIVITIES)

    @property
    def money_without_goal(self) -> Decimal:
        return self.allocation_without_goal + self.budget_without_goal

    @property
    def spent_without_goal(self) -> Decimal:
        return sum((line.spent or ZERO for line in self.activities_without_goal), ZERO)

    @property
    def shared_activity_count(self) -> int:
        """Activities serving more than one goal: counted under each, their money once in the totals."""
        counted: dict[int, int] = defaultdict(int)
        for line in self.goals:
            for activity_line in line.activities:
                counted[activity_line.activity.pk] += 1
        return sum(1 for times in counted.values() if times > 1)

    @property
    def flag_count(self) -> int:
        return (
            len(self.goals_without_activity)
            + len(self.activities_without_goal)
            + len(self.areas_without_goal)
            + len(self.goals_without_recent_values)
        )


def total(amounts) -> Decimal | None:
    """The sum of the amounts that are known; None when none is."""
    known = [amount for amount in amounts if amount is not None]
    return sum(known, ZERO) if known else None


def judgement_items(counts: dict[Judgement, int]) -> list[dict]:
    """The non-zero counts of each judgement, with the symbol and the word the pages show."""
    return [
        {
            "label": judgement.label,
            "symbol": SYMBOLS[judgement],
            "css": f"progress-{judgement.value.replace('_', '-')}",
            "count": number,
        }
        for judgement, number in counts.items()
        if number
    ]


def recent_years(plan: Plan, today: datetime.date | None = None) -> tuple[int, int]:
    """The two years in which a goal's indicators should have a value: the year before and the
    reference year, which is this year or the plan's last year, whichever comes first."""
    reference = min((today or datetime.date.today()).year, plan.end_year)
    return reference - 1, reference


def plan_allocations(plan: Plan):
    """The county's allocations in the plan's years that belong to this plan or to no priority area."""
    return FundingAllocation.objects.filter(
        county_id=plan.county_id,
        year__gte=plan.start_year,
        year__lte=plan.end_year,
    ).filter(Q(priority_area__isnull=True) | Q(priority_area__plan=plan))


def build_plan_logic(plan: Plan, today: datetime.date | None = None) -> PlanLogic:
    county_id = plan.county_id
    goals = list(
        plan.goals.select_related("focus_area", "priority_area").order_by(
            "focus_area__number", "target_group", "position", "code"
        )
    )
    ordered = plan.activities.order_by("priority_area__position", "position", "id").values_list(
        "id", "title", "status", "budget"
    )
    activities = {row[0]: ActivityFacts(*row) for row in ordered}
    goal_links = list(
        Activity.goals.through.objects.filter(activity__plan=plan)
        .order_by()
        .values_list("goal_id", "activity_id")
    )
    spent = dict(
        ActivityFollowUp.objects.filter(activity__plan=plan)
        .order_by()
        .values("activity_id")
        .annotate(total=Sum("spent"))
        .values_list("activity_id", "total")
    )
    visible = Indicator.objects.for_county(county_id)
    output_links: dict[int, list[Indicator]] = defaultdict(list)
    for link in (
        Indicator.activities.through.objects.filter(activity__plan=plan, indicator__in=visible)
        .select_related("indicator")
        .order_by("indicator__code")
    ):
        output_links[link.activity_id].append(link.indicator)
    goal_indicators: dict[int, list[Indicator]] = defaultdict(list)
    for link in (
        Indicator.goals.through.objects.filter(goal__plan=plan, indicator__in=visible)
        .select_related("indicator")
        .order_by("indicator__code")
    ):
        goal_indicators[link.goal_id].append(link.indicator)
    outcome_indicators = {item.pk: item for links in goal_indicators.values() for item in links}
    progress = county_progress(county_id, outcome_indicators.values())
    latest_years = dict(
        IndicatorValue.objects.filter(indicator_id__in=list(outcome_indicators), county_id=county_id)
        .order_by()
        .values("indicator_id")
        .annotate(latest=Max("year"))
        .values_list("indicator_id", "latest")
    )
    areas = list(plan.priority_areas.order_by("position", "name"))
    allocations = list(plan_allocations(plan).values_list("priority_area_id", "year", "amount"))

    lines = {
        activity_id: ActivityLine(activity, spent.get(activity_id), output_links.get(activity_id, []))
        for activity_id, activity in activities.items()
    }
    by_goal: dict[int, list[ActivityLine]] = defaultdict(list)
    served: set[int] = set()
    for goal_id, activity_id in goal_links:
        by_goal[goal_id].append(lines[activity_id])
        served.add(activity_id)
    goals_of_area: dict[int | None, list[Goal]] = defaultdict(list)
    for goal in goals:
        goals_of_area[goal.priority_area_id].append(goal)

    money: dict[int | None, AreaMoney] = {
        area.pk: AreaMoney(area, ZERO, {}, goals_of_area.get(area.pk, [])) for area in areas
    }
    for area_id, year, amount in allocations:
        entry = money.setdefault(area_id, AreaMoney(None, ZERO, {}, []))
        entry.amount += amount
        entry.by_year[year] = entry.by_year.get(year, ZERO) + amount
    for entry in money.values():
        entry.by_year = dict(sorted(entry.by_year.items()))

    first, last = recent_years(plan, today)
    goal_logic = []
    order = {activity_id: index for index, activity_id in enumerate(activities)}
    for goal in goals:
        served_by = sorted(by_goal.get(goal.pk, []), key=lambda line: order[line.activity.pk])
        indicators = [
            IndicatorLine(indicator, progress[indicator.pk], latest_years.get(indicator.pk))
            for indicator in goal_indicators.get(goal.pk, [])
        ]
        area_money = money.get(goal.priority_area_id) if goal.priority_area_id else None
        goal_logic.append(
            GoalLogic(
                goal=goal,
                activities=served_by,
                indicators=indicators,
                budget=total(line.activity.budget for line in served_by),
                spent=total(line.spent for line in served_by),
                allocation=area_money.amount if area_money and area_money.by_year else None,
                allocation_shared_by=len(area_money.goals) if area_money else 0,
                without_recent_values=bool(indicators)
                and not any(line.latest_year and line.latest_year >= first for line in indicators),
            )
        )
    by_id = {line.goal.pk: line for line in goal_logic}
    sections = goals_by_focus_area(goals)
    for section in sections:
        for group in section["groups"]:
            group["lines"] = [by_id[goal.pk] for goal in group["goals"]]
    ordered_money = [money[area.pk] for area in areas]
    if None in money:
        ordered_money.append(money[None])
    return PlanLogic(
        plan=plan,
        goals=goal_logic,
        sections=sections,
        areas=ordered_money,
        activities_without_goal=[line for pk, line in lines.items() if pk not in served],
        recent_years=(first, last),
        allocation_total=sum((amount for _area, _year, amount in allocations), ZERO),
        budget_total=sum((activity.budget or ZERO for activity in activities.values()), ZERO),
        spent_total=sum((value or ZERO for value in spent.values()), ZERO),
        progress_counts=judgement_items(summarise(progress.values())),
    )
