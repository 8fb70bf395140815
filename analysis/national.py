"""All 21 counties side by side, for staff: plans, activities, money and the year's reports; and
one national indicator across the counties.

Only live plans (not archived) count. An activity counts under the focus area of each goal it
serves (once per focus area); "none" counts the activities that serve no goal with a focus area.
Budget is the sum of the live plans' activities' budgets; spent is the sum of the follow-ups'
"spent" for the chosen year.

A constant number of queries, whatever the number of counties, plans, activities and values.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from activities.models import Activity, ActivityFollowUp
from analysis.logic import judgement_items
from indicators.models import Gender, Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import Progress, judge, summarise
from planportal.lib.charts import decimals_needed
from plans.models import County, FocusArea, FollowUpReport, Plan

NO_FOCUS_AREA = 0


@dataclass
class CountyRow:
    county: County
    plans: int = 0
    activities: int = 0
    by_focus_area: dict[int, int] = field(default_factory=dict)
    budget: Decimal | None = None
    spent: Decimal | None = None
    reports: list[FollowUpReport] = field(default_factory=list)
    # The counts of by_focus_area in the order of the table's columns (1–5, then none).
    focus_counts: list[int] = field(default_factory=list)


@dataclass
class Overview:
    year: int | None
    years: list[int]
    focus_areas: list[FocusArea]
    rows: list[CountyRow]

    @property
    def totals(self) -> CountyRow:
        total = CountyRow(county=None)
        total.plans = sum(row.plans for row in self.rows)
        total.activities = sum(row.activities for row in self.rows)
        total.by_focus_area = {
            key: sum(row.by_focus_area.get(key, 0) for row in self.rows)
            for key in [area.number for area in self.focus_areas] + [NO_FOCUS_AREA]
        }
        total.budget = sum((row.budget or 0 for row in self.rows), Decimal(0))
        total.spent = sum((row.spent or 0 for row in self.rows), Decimal(0))
        columns = zip(*(row.focus_counts for row in self.rows), strict=True)
        total.focus_counts = [sum(counts) for counts in columns]
        return total


def report_years() -> list[int]:
    return list(FollowUpReport.objects.order_by("-year").values_list("year", flat=True).distinct())


def follow_up_years() -> list[int]:
    return list(ActivityFollowUp.objects.order_by("-year").values_list("year", flat=True).distinct())


def build_overview(year: int | None = None) -> Overview:
    """The counties side by side; ``year`` for spent and reports (default: the latest with reports,
    else the latest with follow-ups)."""
    years = sorted(set(report_years()) | set(follow_up_years()), reverse=True)
    if year is None or year not in years:
        with_reports = report_years()
        year = with_reports[0] if with_reports else (years[0] if years else None)
    focus_areas = list(FocusArea.objects.order_by("number"))
    rows = {county.pk: CountyRow(county) for county in County.objects.all()}
    live = Plan.objects.live()
    for county_id, number in (
        live.order_by().values("county_id").annotate(n=Count("id")).values_list("county_id", "n")
    ):
        rows[county_id].plans = number
    activities = Activity.objects.filter(plan__in=live)
    for county_id, number, budget in (
        activities.order_by()
        .values("plan__county_id")
        .annotate(n=Count("id"), budget=Sum("budget"))
        .values_list("plan__county_id", "n", "budget")
    ):
        rows[county_id].activities = number
        rows[county_id].budget = budget
    # Distinct activities per county and focus area, through the goals they serve.
    for county_id, number, count in (
        Activity.goals.through.objects.filter(activity__plan__in=live, goal__focus_area__isnull=False)
        .order_by()
        .values("activity__plan__county_id", "goal__focus_area__number")
        .annotate(n=Count("activity_id", distinct=True))
        .values_list("activity__plan__county_id", "goal__focus_area__number", "n")
    ):
        rows[county_id].by_focus_area[number] = count
    for county_id, count in (
        activities.exclude(goals__focus_area__isnull=False)
        .order_by()
        .values("plan__county_id")
        .annotate(n=Count("id"))
        .values_list("plan__county_id", "n")
    ):
        rows[county_id].by_focus_area[NO_FOCUS_AREA] = count
    if year is not None:
        for county_id, spent in (
            ActivityFollowUp.objects.filter(activity__plan__in=live, year=year)
            .order_by()
            .values("activity__plan__county_id")
            .annotate(spent=Sum("spent"))
            .values_list("activity__plan__county_id", "spent")
        ):
            rows[county_id].spent = spent
        for report in FollowUpReport.objects.filter(year=year).select_related("plan").order_by("plan__title"):
            rows[report.plan.county_id].reports.append(report)
    keys = [area.number for area in focus_areas] + [NO_FOCUS_AREA]
    for row in rows.values():
        row.focus_counts = [row.by_focus_area.get(key, 0) for key in keys]
    return Overview(year=year, years=years, focus_areas=focus_areas, rows=list(rows.values()))


@dataclass
class CountyValues:
    county: County
    values: dict[int, Decimal]
    progress: Progress
    cells: list[Decimal | None] = field(default_factory=list)  # the values in the table's years

    @property
    def latest(self) -> tuple[int, Decimal] | None:
        if not self.values:
            return None
        year = max(self.values)
        return year, self.values[year]


@dataclass
class IndicatorAcross:
    indicator: Indicator
    years: list[int]
    rows: list[CountyValues]
    progress_counts: dict
    decimals: int = 0

    @property
    def ranked(self) -> list[CountyValues]:
        """The counties with a value, by their latest value (best first when a direction is desired)."""
        with_values = [row for row in self.rows if row.latest]
        descending = self.indicator.desired_direction != Indicator.Direction.DOWN
        return sorted(with_values, key=lambda row: row.latest[1], reverse=descending)


def national_indicators():
    """The indicators of the national catalogue: a county's own indicators are not compared here."""
    return Indicator.objects.national()


def build_indicator_across(indicator: Indicator) -> IndicatorAcross:
    """The indicator's values for the whole of each county (total, both genders), over the years,
    and each county's progress by the one rule (``indicators.progress.judge``). Four queries."""
    counties = list(County.objects.all())
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for county_id, year, value in (
        IndicatorValue.objects.filter(indicator=indicator, county__isnull=False, gender=Gender.TOTAL)
        .order_by()
        .values_list("county_id", "year", "value")
    ):
        values[county_id][year] = value
    baselines = {
        county_id: (year, value)
        for county_id, year, value in IndicatorBaseline.objects.filter(indicator=indicator).values_list(
            "county_id", "year", "value"
        )
    }
    targets: dict[int, list] = defaultdict(list)
    for county_id, year, value in IndicatorTarget.objects.filter(indicator=indicator).values_list(
        "county_id", "year", "value"
    ):
        targets[county_id].append((year, value))
    rows = [
        CountyValues(
            county=county,
            values=values.get(county.pk, {}),
            progress=judge(
                desired_direction=indicator.desired_direction,
                baseline=baselines.get(county.pk),
                values=list(values.get(county.pk, {}).items()),
                targets=targets.get(county.pk, []),
            ),
        )
        for county in counties
    ]
    years = sorted({year for county_values in values.values() for year in county_values})
    for row in rows:
        row.cells = [row.values.get(year) for year in years]
    return IndicatorAcross(
        indicator=indicator,
        years=years,
        rows=rows,
        progress_counts=judgement_items(summarise(row.progress for row in rows)),
        decimals=decimals_needed(value for by_year in values.values() for value in by_year.values()),
    )
