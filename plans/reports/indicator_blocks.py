"""The indicators of the report's goals: what exists for the county, read in a fixed number of queries.

For each indicator the county's own values (total, both genders) are charted with its targets.
Where the county has no value of its own, the values of its sub-regions are shown, else those
of its municipalities, as a table of areas × years: values that exist are never reported as
missing. Beside them the county's baseline and its progress, judged by
:func:`indicators.progress.judge` (the one rule) on the inputs ``county_progress`` reads.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import F, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from indicators.models import Gender, Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import Progress, judge
from planportal.lib.charts import decimals_needed, indicator_chart
from planportal.lib.swedish import format_number, swedish_sort_key
from plans.models import Goal, Plan

# Years of area values shown side by side; more areas than COMPACT_AREAS (a county's 49
# municipalities) and only the latest year and the one before are shown, with the change.
AREA_YEARS = 5
COMPACT_AREAS = 20


@dataclass
class AreaRow:
    name: str
    values: list[str]  # one per year of AreaTable.years, "" where there is none
    change: str = ""  # latest year minus the year before, signed; "" when either is missing


@dataclass
class AreaTable:
    """The values of the county's sub-regions or municipalities, when the county has none of its own."""

    kind: str  # "sub_region" or "municipality"
    years: list[int]
    rows: list[AreaRow]
    note: str
    compact: bool = False  # many areas: the latest year and the one before only

    @property
    def has_change(self) -> bool:
        return len(self.years) > 1


@dataclass
class IndicatorBlock:
    indicator: Indicator
    unit_label: str
    values: list[tuple[int, Decimal]]
    targets: list[tuple[int, Decimal]]
    chart: SafeString
    value_this_year: Decimal | None
    target_this_year: Decimal | None
    # (year, value, target), written as Swedish readers write numbers; "" where there is none.
    rows: list[tuple[int, str, str]]
    progress: Progress | None = None
    baseline: str = ""  # "2019: 14,2", or "" without a baseline
    # Where the county has no value of its own: its sub-regions' or municipalities' values.
    areas: AreaTable | None = None
    targets_text: list[tuple[int, str]] = field(default_factory=list)

    @property
    def has_county_values(self) -> bool:
        return bool(self.values)


def _signed(number: Decimal, decimals: int) -> str:
    text = format_number(abs(number), decimals)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return text


def _area_table(kind: str, points: dict[str, dict[int, Decimal]], county_name: str) -> AreaTable:
    """Areas (sorted by name) × the latest years with a value, with the change over the last year."""
    all_years = sorted({year for by_year in points.values() for year in by_year})
    compact = len(points) > COMPACT_AREAS
    years = all_years[-2:] if compact else all_years[-AREA_YEARS:]
    decimals = decimals_needed([value for by_year in points.values() for value in by_year.values()])
    rows = []
    for name in sorted(points, key=swedish_sort_key):
        by_year = points[name]
        change = ""
        if len(years) > 1 and years[-1] in by_year and years[-2] in by_year:
            change = _signed(by_year[years[-1]] - by_year[years[-2]], decimals)
        rows.append(
            AreaRow(
                name=name,
                values=[format_number(by_year.get(year), decimals) for year in years],
                change=change,
            )
        )
    if kind == "sub_region":
        note = _("%(county)s has no value of its own for this indicator; these are its sub-regions' values.")
    else:
        note = _(
            "%(county)s has no value of its own for this indicator; these are its municipalities' values."
        )
    if compact and len(all_years) > 2:
        note += " " + _("The latest year and the year before are shown.")
    return AreaTable(kind=kind, years=years, rows=rows, note=note % {"county": county_name}, compact=compact)


_CHART_ID = re.compile(r'aria-labelledby="(chart-\d+)-t')


def _chart_with_own_ids(chart: SafeString, suffix: str) -> SafeString:
    """``chart`` with its element ids (and the references to them) made unique by ``suffix``."""
    match = _CHART_ID.search(chart)
    if match is None:
        return chart
    return SafeString(chart.replace(f"{match.group(1)}-", f"{match.group(1)}-{suffix}-"))


def indicator_blocks(plan: Plan, goals: list[Goal], year: int) -> dict[int, list[IndicatorBlock]]:
    """The indicators of each goal the county may see, with what exists of their values: four queries."""
    county_id = plan.county_id
    # One row per link of an indicator to one of the plan's goals; another county's own
    # indicator never shows, even if it were linked to this plan's goal.
    links, indicators = [], {}
    for indicator in (
        Indicator.objects.for_county(county_id).filter(goals__plan=plan).annotate(goal_id=F("goals__id"))
    ):
        links.append((indicator.id, indicator.goal_id))
        indicators.setdefault(indicator.id, indicator)
    if not indicators:
        return {}
    county_values: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    # {indicator: {"sub_region"/"municipality": {area name: {year: value}}}}, the county's own areas only.
    area_values: dict[int, dict[str, dict[str, dict[int, Decimal]]]] = defaultdict(
        lambda: {"sub_region": defaultdict(dict), "municipality": defaultdict(dict)}
    )
    for indicator_id, value_year, value, own, sub_region, municipality in (
        IndicatorValue.objects.filter(indicator_id__in=indicators, gender=Gender.TOTAL)
        .filter(
            Q(county_id=county_id) | Q(sub_region__county_id=county_id) | Q(municipality__county_id=county_id)
        )
        .order_by()
        .values_list("indicator_id", "year", "value", "county_id", "sub_region__name", "municipality__name")
    ):
        if own:
            county_values[indicator_id].append((value_year, value))
        elif sub_region:
            area_values[indicator_id]["sub_region"][sub_region][value_year] = value
        else:
            area_values[indicator_id]["municipality"][municipality][value_year] = value
    targets: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for indicator_id, target_year, value in (
        IndicatorTarget.objects.filter(indicator_id__in=indicators, county_id=county_id)
        .order_by()
        .values_list("indicator_id", "year", "value")
    ):
        targets[indicator_id].append((target_year, value))
    baselines = {
        indicator_id: (baseline_year, value)
        for indicator_id, baseline_year, value in IndicatorBaseline.objects.filter(
            indicator_id__in=indicators, county_id=county_id
        ).values_list("indicator_id", "year", "value")
    }

    blocks: dict[int, IndicatorBlock] = {}
    for indicator_id, indicator in indicators.items():
        own_values = sorted(county_values[indicator_id])
        own_targets = sorted(targets[indicator_id])
        # The one rule, on what county_progress() would read (baseline, county total values,
        # targets), read here with the rest so that the report costs no more queries.
        judged = judge(
            desired_direction=indicator.desired_direction,
            baseline=baselines.get(indicator_id),
            values=own_values,
            targets=own_targets,
        )
        unit_label = Indicator.Unit(indicator.unit).label if indicator.unit != Indicator.Unit.OTHER else ""
        value_by_year, target_by_year = dict(own_values), dict(own_targets)
        baseline_values = [judged.baseline[1]] if judged.baseline else []
        decimals = decimals_needed([value for _y, value in own_values + own_targets] + baseline_values)
        areas = None
        if not own_values and indicator_id in area_values:
            by_kind = area_values[indicator_id]
            kind = "sub_region" if by_kind["sub_region"] else "municipality"
            areas = _area_table(kind, by_kind[kind], plan.county.name)
        blocks[indicator_id] = IndicatorBlock(
            indicator=indicator,
            unit_label=str(unit_label),
            values=own_values,
            targets=own_targets,
            chart=indicator_chart(own_values, own_targets, title=indicator.name, unit=str(unit_label))
            if own_values
            else SafeString(""),
            value_this_year=value_by_year.get(year),
            target_this_year=target_by_year.get(year),
            rows=[
                (
                    row_year,
                    format_number(value_by_year.get(row_year), decimals),
                    format_number(target_by_year.get(row_year), decimals),
                )
                for row_year in sorted(set(value_by_year) | set(target_by_year))
            ]
            if own_values
            else [],
            progress=judged,
            baseline=f"{judged.baseline[0]}: {format_number(judged.baseline[1], decimals)}"
            if judged.baseline
            else "",
            areas=areas,
            targets_text=[
                (target_year, format_number(value, decimals)) for target_year, value in own_targets
            ],
        )
    per_goal: dict[int, list[IndicatorBlock]] = defaultdict(list)
    shown: set[int] = set()
    for indicator_id, goal_id in links:
        block = blocks[indicator_id]
        if indicator_id in shown and block.chart:
            # An indicator of two goals is charted under each: the same SVG, drawn once per
            # render, with ids of its own ("chart-7-t" becomes "chart-7-g12-t").
            block = replace(block, chart=_chart_with_own_ids(block.chart, f"g{goal_id}"))
        shown.add(indicator_id)
        per_goal[goal_id].append(block)
    for goal_blocks in per_goal.values():
        goal_blocks.sort(key=lambda block: swedish_sort_key(block.indicator.name))
    return per_goal
