"""Where a plan's work is: goals × sub-regions (or municipalities) with the number of activities.

The columns are the county's sub-regions; a county without sub-regions gets its municipalities.
An activity counts for a sub-region it names (``Activity.sub_regions``); one that names none
counts for the sub-regions of the municipalities its lead organisations are
(``Organisation.municipality``). In a county without sub-regions, an activity counts for the
municipalities its lead organisations are. An activity with neither counts under "Hela länet /
ej angivet". Totals count each activity once: an activity in two sub-regions is one activity
in the row's total, and one serving two goals is one activity in the column's total.

Seven queries at most, whatever the number of goals, activities and areas.
"""

from collections import defaultdict
from dataclasses import dataclass

from activities.models import Activity
from planportal.lib.swedish import swedish_sort_key
from plans.models import Goal, Municipality, Plan, SubRegion

WHOLE_COUNTY = 0  # the key of the column "Hela länet / ej angivet"


@dataclass
class Column:
    key: int
    name: str
    sub_region: SubRegion | None = None


@dataclass
class Cell:
    count: int
    link: str = ""  # the plan page filtered to the goal and the sub-region


@dataclass
class Row:
    goal: Goal | None  # None: the activities serving no goal
    cells: list[Cell]
    total: int


@dataclass
class Coverage:
    plan: Plan
    by_sub_region: bool
    columns: list[Column]
    rows: list[Row]
    column_totals: list[int]
    total: int

    @property
    def empty_cells(self) -> int:
        return sum(1 for row in self.rows if row.goal for cell in row.cells if not cell.count)


def build_coverage(plan: Plan) -> Coverage:
    county = plan.county
    sub_regions = list(SubRegion.objects.filter(county=county).prefetch_related("municipalities"))
    by_sub_region = bool(sub_regions)
    areas_of_municipality: dict[int, set[int]] = defaultdict(set)
    if by_sub_region:
        sub_regions.sort(key=lambda sub_region: swedish_sort_key(sub_region.name))
        columns = [Column(sub_region.pk, sub_region.name, sub_region) for sub_region in sub_regions]
        for sub_region in sub_regions:
            for municipality in sub_region.municipalities.all():
                areas_of_municipality[municipality.pk].add(sub_region.pk)
    else:
        municipalities = sorted(
            Municipality.objects.filter(county=county).order_by(),
            key=lambda municipality: swedish_sort_key(municipality.name),
        )
        columns = [Column(municipality.pk, municipality.name) for municipality in municipalities]
        areas_of_municipality = {municipality.pk: {municipality.pk} for municipality in municipalities}
    columns.append(Column(WHOLE_COUNTY, ""))

    named: dict[int, set[int]] = defaultdict(set)
    if by_sub_region:
        for activity_id, sub_region_id in Activity.sub_regions.through.objects.filter(
            activity__plan=plan
        ).values_list("activity_id", "subregion_id"):
            named[activity_id].add(sub_region_id)
    led: dict[int, set[int]] = defaultdict(set)
    for activity_id, municipality_id in Activity.lead_organisations.through.objects.filter(
        activity__plan=plan, organisation__municipality__isnull=False
    ).values_list("activity_id", "organisation__municipality_id"):
        led[activity_id] |= areas_of_municipality.get(municipality_id, set())
    activity_ids = list(plan.activities.values_list("pk", flat=True))
    area_of = {pk: (named.get(pk) or led.get(pk) or {WHOLE_COUNTY}) for pk in activity_ids}

    goals = list(plan.goals.order_by("focus_area__number", "target_group", "position", "code"))
    activities_of_goal: dict[int | None, set[int]] = defaultdict(set)
    for goal_id, activity_id in Activity.goals.through.objects.filter(activity__plan=plan).values_list(
        "goal_id", "activity_id"
    ):
        activities_of_goal[goal_id].add(activity_id)
    served = set().union(*activities_of_goal.values()) if activities_of_goal else set()
    without_goal = {pk for pk in activity_ids if pk not in served}

    per_column: dict[int, set[int]] = defaultdict(set)
    rows = []
    for goal, ids in [(goal, activities_of_goal.get(goal.pk, set())) for goal in goals] + (
        [(None, without_goal)] if without_goal else []
    ):
        counts: dict[int, int] = defaultdict(int)
        for activity_id in ids:
            for key in area_of[activity_id]:
                counts[key] += 1
                per_column[key].add(activity_id)
        cells = []
        for column in columns:
            link = ""
            if goal and column.sub_region and counts[column.key]:
                link = f"?mal={goal.pk}&delregion={column.key}#aktiviteter"
            cells.append(Cell(counts[column.key], link))
        rows.append(Row(goal, cells, len(ids)))
    return Coverage(
        plan=plan,
        by_sub_region=by_sub_region,
        columns=columns,
        rows=rows,
        column_totals=[len(per_column[column.key]) for column in columns],
        total=len(activity_ids),
    )
