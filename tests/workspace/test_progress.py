"""Progress of the indicators on the plan page (per goal and for the plan) and the county page (per plan)."""

import re

import pytest
from django.urls import reverse

from indicators.models import IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import Judgement
from plans.models import County
from tests.factories import IndicatorFactory
from tests.personas import World, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


def judged_indicator(county: County, goals, *, latest: int, owner: County | None = None, **fields):
    """An indicator of ``goals`` with baseline 2019: 10 and target 2025: 20 (higher is better)."""
    indicator = IndicatorFactory(desired_direction="up", county=owner, **fields)
    indicator.goals.add(*goals)
    IndicatorBaseline.objects.create(indicator=indicator, county=county, year=2019, value=10)
    IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=20)
    IndicatorValue.objects.create(indicator=indicator, county=county, year=2019, value=10)
    IndicatorValue.objects.create(indicator=indicator, county=county, year=2023, value=latest)
    return indicator


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def goal_row(html: str, goal) -> str:
    return text(re.search(rf'<tr id="mal-{goal.pk}">(.*?)</tr>', html, re.S).group(1))


def count_of(judgement: Judgement, number: int) -> str:
    return f"{number} {judgement.label}"


def test_it_sums_up_each_goals_indicators_on_the_plan_page(client, world):
    county, (first, second) = world.county, world.tree.goals[:2]
    judged_indicator(county, [first, second], latest=25)  # target passed: on track
    judged_indicator(county, [first], latest=5)  # fell: the wrong way
    judged_indicator(county, [first], latest=30)  # on track too
    world.login(client, "reader")
    html = client.get(reverse("plan_detail", args=[world.tree.plan.pk])).content.decode()

    row = goal_row(html, first)
    assert f"✓ {count_of(Judgement.ON_TRACK, 2)}" in row
    assert f"✗ {count_of(Judgement.WRONG_WAY, 1)}" in row
    assert f"✓ {count_of(Judgement.ON_TRACK, 1)}" in goal_row(html, second)
    # The plan counts an indicator of two goals once.
    plan_line = text(re.search(r'<p class="plan-progress">(.*?)</p>', html, re.S).group(1))
    assert count_of(Judgement.ON_TRACK, 2) in plan_line
    assert count_of(Judgement.WRONG_WAY, 1) in plan_line


def test_it_never_counts_another_countys_own_indicator(client, world):
    goal = world.tree.goals[0]
    judged_indicator(world.county, [goal], latest=25, owner=world.other_county)
    world.login(client, "reader")
    html = client.get(reverse("plan_detail", args=[world.tree.plan.pk])).content.decode()
    assert str(Judgement.ON_TRACK.label) not in goal_row(html, goal)
    county_html = text(client.get(reverse("county_detail", args=["BD"])).content.decode())
    assert str(Judgement.ON_TRACK.label).capitalize() not in county_html


def test_it_shows_each_live_plans_progress_on_the_county_page(client, world):
    county, goal = world.county, world.tree.goals[0]
    judged_indicator(county, [goal], latest=11)  # a little, too slowly: some progress
    judged_indicator(county, [goal], latest=10)  # not at all
    IndicatorFactory(name="Utan underlag").goals.add(goal)
    world.login(client, "reader")
    html = text(client.get(reverse("county_detail", args=["BD"])).content.decode())
    for judgement in (Judgement.SOME_PROGRESS, Judgement.NO_PROGRESS, Judgement.NO_DATA):
        assert f"{str(judgement.label).capitalize()} 1" in html
    assert str(Judgement.ON_TRACK.label).capitalize() not in html


@pytest.mark.parametrize("page", ["plan_detail", "county_detail"])
def test_it_makes_as_many_queries_for_many_indicators_and_values_as_for_few(client, world, page):
    url = reverse(page, args=[world.tree.plan.pk if page == "plan_detail" else "BD"])
    judged_indicator(world.county, [world.tree.goals[0]], latest=12)
    world.login(client, "reader")
    few = queries_for(client, url)
    for index, goal in enumerate(world.tree.goals * 5):
        indicator = judged_indicator(world.county, [goal], latest=index)
        for year in range(2010, 2019):
            IndicatorValue.objects.create(indicator=indicator, county=world.county, year=year, value=year)
    assert queries_for(client, url) == few
