"""The plan's logic page: money, activities, outputs and outcomes per goal, and the flagged gaps."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Status
from analysis.logic import SHOWN_ACTIVITIES, build_plan_logic, recent_years
from indicators.models import Gender, IndicatorBaseline, IndicatorTarget, IndicatorValue
from plans.models import FundingAllocation
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    FollowUpFactory,
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    PlanFactory,
    PriorityAreaFactory,
    member,
)
from tests.personas import PERSONAS, READ, World, assert_status, queries_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def money(amount) -> Decimal:
    return Decimal(amount)


@pytest.fixture
def plan_world():
    """A plan 2021–2025 with every kind of gap, and another county that must not leak into it."""
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    other = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
    plan = PlanFactory(county=county, start_year=2021, end_year=2025)
    area = PriorityAreaFactory(plan=plan, name="Suicidprevention")
    idle_area = PriorityAreaFactory(plan=plan, name="Brukarmedverkan")  # has no goals
    served = GoalFactory(plan=plan, code="V1.1", title="Nollvision", priority_area=area)
    also_served = GoalFactory(plan=plan, code="V1.2", title="Färre försök", priority_area=area)
    idle = GoalFactory(plan=plan, code="B2.1", title="Tidiga insatser")
    shared = ActivityFactory(plan=plan, title="Delad aktivitet", budget=100_000, status=Status.ONGOING)
    shared.goals.add(served, also_served)
    single = ActivityFactory(plan=plan, title="Egen aktivitet", budget=40_000)
    single.goals.add(served)
    orphan = ActivityFactory(plan=plan, title="Föräldralös aktivitet", budget=25_000)
    FollowUpFactory(activity=shared, year=2022, spent=30_000)
    FollowUpFactory(activity=shared, year=2023, spent=20_000)
    FollowUpFactory(activity=orphan, year=2023, spent=5_000)
    allocate = FundingAllocation.objects.create
    allocate(county=county, year=2021, priority_area=area, amount=1_000_000)
    allocate(county=county, year=2022, priority_area=area, amount=500_000)
    allocate(county=county, year=2022, priority_area=idle_area, amount=300_000)
    allocate(county=county, year=2023, amount=200_000, recipient="Utan insatsområde")
    allocate(county=county, year=2019, priority_area=None, amount=9_000_000)  # before the plan
    allocate(county=other, year=2022, amount=7_000_000)  # another county
    earlier = PlanFactory(county=county, start_year=2018, end_year=2022, title="Förra planen")
    allocate(county=county, year=2022, priority_area=PriorityAreaFactory(plan=earlier), amount=8_000_000)

    fresh = IndicatorFactory(code="N1", name="Suicid per 100 000", desired_direction="down")
    stale = IndicatorFactory(code="N2", name="Suicidförsök", desired_direction="down")
    output = IndicatorFactory(code="P1", name="Utbildade instruktörer", kind="output")
    secret = IndicatorFactory(code="X1", name="Gävleborgs hemliga mått", county=other)
    fresh.goals.add(served)
    stale.goals.add(also_served)
    secret.goals.add(served)
    output.activities.add(shared)
    secret.activities.add(shared)
    IndicatorBaseline.objects.create(indicator=fresh, county=county, year=2020, value=20)
    IndicatorTarget.objects.create(indicator=fresh, county=county, year=2025, value=10)
    for year, value in ((2020, 20), (2023, 16), (2024, 14)):
        IndicatorValue.objects.create(indicator=fresh, county=county, year=year, value=value)
    IndicatorValue.objects.create(indicator=stale, county=county, year=2021, value=50)
    # A municipality's value in a recent year is not a value for the whole county.
    municipality = MunicipalityFactory(county=county)
    IndicatorValue.objects.create(indicator=stale, municipality=municipality, year=2025, value=4)
    IndicatorValue.objects.create(indicator=stale, county=other, year=2025, value=4, gender=Gender.TOTAL)
    return {
        "plan": plan,
        "served": served,
        "also_served": also_served,
        "idle": idle,
        "shared": shared,
        "orphan": orphan,
        "secret": secret,
        "idle_area": idle_area,
    }


def test_it_attributes_the_money_to_goals_and_counts_shared_activities_once(plan_world):
    logic = build_plan_logic(plan_world["plan"], TODAY)
    lines = {line.goal.code: line for line in logic.goals}
    # The priority area's allocations in the plan's years, beside each of its two goals, not split.
    assert lines["V1.1"].allocation == money(1_500_000)
    assert lines["V1.1"].allocation_shared_by == 2
    assert lines["V1.2"].allocation == money(1_500_000)
    assert lines["B2.1"].allocation is None
    # An activity's whole budget and spent under each goal it serves ...
    assert lines["V1.1"].budget == money(140_000)
    assert lines["V1.1"].spent == money(50_000)
    assert lines["V1.2"].budget == money(100_000)
    assert lines["B2.1"].budget is None
    # ... but once in the plan's totals.
    assert logic.budget_total == money(165_000)
    assert logic.spent_total == money(55_000)
    assert logic.shared_activity_count == 1
    # This plan's areas and the county's allocations with no area, in the plan's years only.
    assert logic.allocation_total == money(2_000_000)


def test_it_flags_the_gaps(plan_world):
    logic = build_plan_logic(plan_world["plan"], TODAY)
    assert [line.goal.code for line in logic.goals_without_activity] == ["B2.1"]
    assert [line.activity.pk for line in logic.activities_without_goal] == [plan_world["orphan"].pk]
    assert logic.budget_without_goal == money(25_000)
    assert logic.spent_without_goal == money(5_000)
    # Money tied to no goal: the area without goals and the allocation without an area.
    assert {(money_.area and money_.area.name, money_.amount) for money_ in logic.areas_without_goal} == {
        ("Brukarmedverkan", money(300_000)),
        (None, money(200_000)),
    }
    assert logic.allocation_without_goal == money(500_000)
    assert logic.money_without_goal == money(525_000)
    # 2024–2025: V1.1 has a county value in 2024; V1.2's only county value is from 2021.
    assert logic.recent_years == (2024, 2025)
    assert [line.goal.code for line in logic.goals_without_recent_values] == ["V1.2"]
    assert [line.goal.code for line in logic.goals_without_indicator] == ["B2.1"]


def test_it_shows_progress_by_the_one_rule_and_outputs_of_the_activities(plan_world):
    logic = build_plan_logic(plan_world["plan"], TODAY)
    lines = {line.goal.code: line for line in logic.goals}
    fresh = lines["V1.1"].indicators[0]
    assert fresh.indicator.code == "N1"
    # From 20 (2020) to 14 (2024) of a target of 10 in 2025: 60 % of the way in 80 % of the time.
    assert fresh.progress.judgement == "some_progress"
    assert fresh.latest_year == 2024
    assert [indicator.code for indicator in lines["V1.1"].outputs] == ["P1"]
    assert lines["V1.2"].indicators[0].progress.judgement == "no_data"


def test_the_recent_years_end_at_the_plans_last_year_or_this_year(plan_world):
    plan = plan_world["plan"]
    assert recent_years(plan, datetime.date(2023, 6, 1)) == (2022, 2023)
    assert recent_years(plan, datetime.date(2030, 1, 1)) == (2024, 2025)


def test_the_page_shows_the_summary_goals_and_money(client, plan_world):
    plan = plan_world["plan"]
    client.force_login(member(plan.county, "reader", username="lasare"))
    response = client.get(reverse("plan_logic", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#mal-utan-aktivitet"' in html
    assert 'href="#aktiviteter-utan-mal"' in html
    assert 'href="#medel-utan-mal"' in html
    assert 'href="#mal-utan-varden"' in html
    assert f'id="mal-{plan_world["idle"].pk}"' in html
    assert "525\xa0000\xa0kr" in html  # money tied to no goal: 500 000 allocated + 25 000 budgets
    assert "1\xa0500\xa0000\xa0kr" in html
    assert reverse("activity_detail", args=[plan_world["shared"].pk]) in html
    assert "Föräldralös aktivitet" in html
    # A judgement is a symbol and a word, never a colour alone.
    assert "progress-some-progress" in html and "◐" in html


def test_another_countys_own_indicators_never_appear(client, plan_world):
    plan = plan_world["plan"]
    logic = build_plan_logic(plan, TODAY)
    shown = {item.indicator.pk for line in logic.goals for item in line.indicators}
    shown |= {indicator.pk for line in logic.goals for indicator in line.outputs}
    assert plan_world["secret"].pk not in shown
    client.force_login(member(plan.county, "editor", username="samordnare"))
    html = client.get(reverse("plan_logic", args=[plan.pk])).content.decode()
    assert "Gävleborgs hemliga mått" not in html


def test_the_query_count_does_not_grow_with_goals_activities_and_values(client, plan_world):
    plan = plan_world["plan"]
    client.force_login(member(plan.county, "reader", username="lasare"))
    url = reverse("plan_logic", args=[plan.pk])
    before = queries_for(client, url)
    area = PriorityAreaFactory(plan=plan)
    for n in range(5):
        goal = GoalFactory(plan=plan, priority_area=area)
        indicator = IndicatorFactory()
        indicator.goals.add(goal)
        for year in range(2015, 2026):
            IndicatorValue.objects.create(indicator=indicator, county=plan.county, year=year, value=n + year)
        for _ in range(3):
            activity = ActivityFactory(plan=plan, budget=1000)
            activity.goals.add(goal)
            indicator.activities.add(activity)
            FollowUpFactory(activity=activity, year=2023, spent=10)
        FundingAllocation.objects.create(county=plan.county, year=2023, priority_area=area, amount=n)
    assert queries_for(client, url) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_see_the_logic_page(client, persona):
    world = World.build()
    response = world.login(client, persona).get(reverse("plan_logic", args=[world.tree.plan.pk]))
    assert_status(response, READ[persona])


def test_a_plan_that_does_not_exist_is_404(client):
    world = World.build()
    world.login(client, "admin")
    assert client.get(reverse("plan_logic", args=[999_999])).status_code == 404


def test_a_goal_with_many_activities_lists_some_and_links_to_the_rest(client, plan_world):
    plan, goal = plan_world["plan"], plan_world["idle"]
    for _ in range(SHOWN_ACTIVITIES + 5):
        ActivityFactory(plan=plan, title="Massaktivitet", budget=10).goals.add(goal)
    client.force_login(member(plan.county, "reader", username="lasare"))
    html = client.get(reverse("plan_logic", args=[plan.pk])).content.decode()
    assert html.count("Massaktivitet") == SHOWN_ACTIVITIES
    assert f"?mal={goal.pk}&amp;grupp=ingen#aktiviteter" in html
    # The money counts every activity, shown or not.
    line = next(line for line in build_plan_logic(plan, TODAY).goals if line.goal == goal)
    assert line.budget == money(10 * (SHOWN_ACTIVITIES + 5))
