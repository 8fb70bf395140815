"""The national view: the counties side by side, and one national indicator across them (staff only)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from analysis.national import NO_FOCUS_AREA, build_indicator_across, build_overview
from indicators.models import Gender, IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import county_progress
from plans.models import FollowUpReport, Plan
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    FocusAreaFactory,
    FollowUpFactory,
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    PlanFactory,
    UserFactory,
)
from tests.personas import PERSONAS, World, assert_status, queries_for

pytestmark = pytest.mark.django_db

STAFF_ONLY = dict.fromkeys(PERSONAS, 404) | {"anonymous": 302}


@pytest.fixture
def counties():
    one = FocusAreaFactory(number=1, name="Förebyggande")
    two = FocusAreaFactory(number=2, name="Tidiga insatser")
    north = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    west = CountyFactory(name="Västra Götalands län", letter_code="O", code="14")
    CountyFactory(name="Gotlands län", letter_code="I", code="09")  # no plans at all
    plan = PlanFactory(county=north, start_year=2021, end_year=2025)
    PlanFactory(county=north, status=Plan.Status.ARCHIVED)  # not live: not counted
    goal_one = GoalFactory(plan=plan, focus_area=one)
    goal_two = GoalFactory(plan=plan, focus_area=two)
    both = ActivityFactory(plan=plan, budget=100)
    both.goals.add(goal_one, goal_two)
    ActivityFactory(plan=plan, budget=50).goals.add(goal_one)
    ActivityFactory(plan=plan)  # no goal
    FollowUpFactory(activity=both, year=2023, spent=40)
    FollowUpFactory(activity=both, year=2024, spent=7)
    FollowUpReport.objects.create(plan=plan, year=2023, status=FollowUpReport.Status.APPROVED)
    FollowUpReport.objects.create(plan=plan, year=2024, status=FollowUpReport.Status.SUBMITTED)
    west_plan = PlanFactory(county=west)
    ActivityFactory(plan=west_plan, budget=10).goals.add(GoalFactory(plan=west_plan, focus_area=two))
    return {"north": north, "west": west}


def test_it_sets_the_counties_side_by_side(counties):
    overview = build_overview()
    assert overview.year == 2024  # the latest year with reports
    rows = {row.county.letter_code: row for row in overview.rows}
    assert len(rows) == 3
    north = rows["BD"]
    assert (north.plans, north.activities) == (1, 3)
    assert north.by_focus_area == {1: 2, 2: 1, NO_FOCUS_AREA: 1}
    assert north.focus_counts == [2, 1, 1]
    assert north.budget == Decimal(150)
    assert north.spent == Decimal(7)
    assert [report.status for report in north.reports] == ["submitted"]
    assert rows["O"].focus_counts == [0, 1, 0]
    assert (rows["I"].plans, rows["I"].activities, rows["I"].reports) == (0, 0, [])
    earlier = build_overview(2023)
    north = {row.county.letter_code: row for row in earlier.rows}["BD"]
    assert north.spent == Decimal(40)
    assert [report.status for report in north.reports] == ["approved"]
    assert earlier.totals.focus_counts == [2, 2, 1]


def test_the_page_for_staff(client, counties):
    client.force_login(UserFactory(username="admin", is_staff=True))
    html = client.get(reverse("national_overview") + "?ar=2023").content.decode()
    assert "Norrbottens län" in html and "Gotlands län" in html
    assert reverse("report_detail", args=[counties["north"].plans.live().get().pk, 2023]) in html
    assert "status-approved" in html


def test_the_query_count_does_not_grow_with_counties_and_activities(client, counties):
    client.force_login(UserFactory(username="admin", is_staff=True))
    url = reverse("national_overview")
    before = queries_for(client, url)
    for n in range(4):
        county = CountyFactory()
        plan = PlanFactory(county=county)
        for _ in range(3):
            activity = ActivityFactory(plan=plan, budget=n)
            activity.goals.add(GoalFactory(plan=plan, focus_area=FocusAreaFactory(number=1)))
            FollowUpFactory(activity=activity, year=2024, spent=1)
        FollowUpReport.objects.create(plan=plan, year=2024)
    assert queries_for(client, url) == before


@pytest.fixture
def indicator(counties):
    indicator = IndicatorFactory(code="N17001", name="Suicid per 100 000", desired_direction="down")
    north, west = counties["north"], counties["west"]
    for year, value in ((2020, 20), (2022, 17), (2023, 15)):
        IndicatorValue.objects.create(indicator=indicator, county=north, year=year, value=value)
    IndicatorValue.objects.create(indicator=indicator, county=north, year=2023, value=99, gender=Gender.WOMEN)
    IndicatorValue.objects.create(indicator=indicator, county=west, year=2022, value=12)
    IndicatorValue.objects.create(
        indicator=indicator, municipality=MunicipalityFactory(county=west), year=2023, value=1
    )
    IndicatorBaseline.objects.create(indicator=indicator, county=north, year=2020, value=20)
    IndicatorTarget.objects.create(indicator=indicator, county=north, year=2025, value=10)
    return indicator


def test_one_indicator_across_the_counties(counties, indicator):
    across = build_indicator_across(indicator)
    assert across.years == [2020, 2022, 2023]
    rows = {row.county.letter_code: row for row in across.rows}
    assert rows["BD"].cells == [Decimal(20), Decimal(17), Decimal(15)]
    assert rows["O"].cells == [None, Decimal(12), None]  # a municipality's value is not the county's
    assert rows["I"].latest is None
    # Lower is better: the lowest latest value first.
    assert [row.county.letter_code for row in across.ranked] == ["O", "BD"]
    # The same judgement as the county's own pages.
    assert rows["BD"].progress == county_progress(counties["north"].pk, [indicator])[indicator.pk]
    assert rows["O"].progress.judgement == "no_data"


def test_the_indicator_page_has_a_chart_a_table_and_a_select(client, counties, indicator):
    secret = IndicatorFactory(code="BD1", name="Norrbottens eget mått", county=counties["north"])
    client.force_login(UserFactory(username="admin", is_staff=True))
    response = client.get(reverse("national_indicator", args=[indicator.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<desc" in html
    assert "Västra Götalands län: 12 (2022)" in html  # the chart's text alternative
    assert 'scope="row">Norrbottens län' in html
    assert "Norrbottens eget mått" not in html
    # A county's own indicator is not compared across counties.
    assert client.get(reverse("national_indicator", args=[secret.pk])).status_code == 404
    chosen = client.get(reverse("national_overview") + f"?indikator={indicator.pk}")
    assert chosen.status_code == 302 and chosen["Location"] == reverse(
        "national_indicator", args=[indicator.pk]
    )
    assert client.get(reverse("national_overview") + f"?indikator={secret.pk}").status_code == 200


def test_the_indicator_page_query_count_does_not_grow_with_values(client, counties, indicator):
    client.force_login(UserFactory(username="admin", is_staff=True))
    url = reverse("national_indicator", args=[indicator.pk])
    before = queries_for(client, url)
    for n in range(3):
        county = CountyFactory()
        for year in range(2010, 2024):
            IndicatorValue.objects.create(indicator=indicator, county=county, year=year, value=n + year)
        IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=1)
    assert queries_for(client, url) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_see_the_national_view(client, persona):
    world = World.build()
    indicator = IndicatorFactory()
    for url in (reverse("national_overview"), reverse("national_indicator", args=[indicator.pk])):
        assert_status(world.login(client, persona).get(url), STAFF_ONLY[persona])
    client.force_login(world.users["admin"])
    assert client.get(reverse("national_overview")).status_code == 200


def test_nonsense_in_the_query_string_is_ignored(client, counties):
    client.force_login(UserFactory(username="admin", is_staff=True))
    for query in ("?ar=abc", "?ar=99999", "?ar=1999", "?indikator=x", "?indikator=999999", "?ar=%00"):
        response = client.get(reverse("national_overview") + query)
        assert response.status_code == 200, query
    assert client.get(reverse("national_indicator", args=[999_999])).status_code == 404
