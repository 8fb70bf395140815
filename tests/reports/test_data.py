"""What the report says, read from the database without a query per row."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Status
from indicators.models import IndicatorTarget
from planportal.lib.history import history_context
from plans.models import Abbreviation, FocusArea, FundingAllocation, Organisation, Plan
from plans.reports.data import build_report
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    FollowUpFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanTree,
)

pytestmark = pytest.mark.django_db


def rich_plan(activities: int) -> Plan:
    """A plan whose every activity has goals, a lead organisation and a follow-up, with indicators."""
    county = CountyFactory()
    tree = PlanTree.build(county=county, goals=4, activities=activities)
    focus, _ = FocusArea.objects.get_or_create(
        number=1, defaults={"name": "Förebyggande och främjande arbete"}
    )
    tree.goals[0].focus_area = focus
    tree.goals[0].save()
    organisation = Organisation.objects.create(name=f"Region {county.name}", county=county)
    Abbreviation.objects.create(county=county, abbreviation="BUP", meaning="Barn- och ungdomspsykiatri")
    for index, activity in enumerate(tree.activities):
        activity.lead_organisations.add(organisation)
        activity.budget = Decimal(1000 * (index + 1))
        activity.save()
        FollowUpFactory(activity=activity, year=2022, spent=Decimal(100), status=Status.DONE)
    for goal in tree.goals:
        indicator = IndicatorFactory()
        indicator.goals.add(goal)
        for year in range(2015, 2023):
            IndicatorValueFactory(indicator=indicator, county=county, year=year, value=year - 2000)
        IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=10)
    FundingAllocation.objects.create(
        county=county, year=2022, priority_area=tree.activities[0].priority_area, amount=Decimal(500000)
    )
    return Plan.objects.select_related("county").get(pk=tree.plan.pk)


def count_queries(plan: Plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_report(plan, 2022)
    return len(queries)


def test_it_reads_a_big_plan_in_as_few_queries_as_a_small_one(django_assert_max_num_queries):
    small, big = rich_plan(activities=3), rich_plan(activities=60)
    assert count_queries(big) == count_queries(small)
    with django_assert_max_num_queries(20):
        data = build_report(big, 2022)
    assert len(data.activities) == 60


def test_it_sums_activities_budget_and_spending_per_priority_area():
    plan = rich_plan(activities=3)
    data = build_report(plan, 2022)
    assert [(label, number) for value, label, number in data.status_counts if number] == [("genomförd", 3)]
    assert data.money_total.activities == 3
    assert data.money_total.budget == Decimal(6000)
    assert data.money_total.spent == Decimal(300)
    assert data.money_total.allocated == Decimal(500000)


def test_it_charts_the_countys_values_and_targets_for_each_goals_indicators():
    plan = rich_plan(activities=3)
    data = build_report(plan, 2022)
    sections = [goal for section in data.focus_areas for goal in section.goals]
    block = sections[0].indicators[0]
    assert [year for year, _value in block.values] == list(range(2015, 2023))
    assert block.targets == [(2025, Decimal(10))]
    assert block.value_this_year == Decimal(22)
    assert "<svg" in block.chart
    # Goals with a focus area come first, under it; the others after.
    assert data.focus_areas[0].focus_area.number == 1
    assert data.focus_areas[-1].focus_area is None


def test_it_lists_goals_with_no_activity_that_year_and_leaves_out_activities_of_other_years():
    tree = PlanTree.build(goals=2, activities=0)
    ActivityFactory(plan=tree.plan, title="Tidigare", end_date=date(2021, 6, 30)).goals.add(tree.goals[0])
    ActivityFactory(plan=tree.plan, title="Senare", start_date=date(2023, 1, 1)).goals.add(tree.goals[1])
    later_but_followed_up = ActivityFactory(plan=tree.plan, title="Uppföljd", start_date=date(2023, 1, 1))
    FollowUpFactory(activity=later_but_followed_up, year=2022)
    data = build_report(tree.plan, 2022)
    assert [row.activity.title for row in data.activities] == ["Uppföljd"]
    assert data.goals_without_activity == tree.goals
    assert [group.activities[0].activity.title for group in data.unlinked] == ["Uppföljd"]


def test_it_tells_what_changed_during_the_year_from_the_history():
    tree = PlanTree.build(goals=1, activities=1)
    activity = tree.activities[0]
    with history_context(reason="Ny status efter möte"):
        activity.status = Status.DELAYED
        activity.save()
    this_year = date.today().year
    data = build_report(tree.plan, this_year)
    change = next(change for change in data.changes if change.name == activity.title)
    assert change.kind == "Aktivitet"
    assert change.created and change.edits >= 1
    assert "status" in change.fields
    assert "Ny status efter möte" in change.reasons
    # Nothing happened in a year long gone.
    assert build_report(tree.plan, 2015).changes == []
