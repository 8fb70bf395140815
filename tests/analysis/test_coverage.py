"""The coverage matrix: goals × sub-regions (or municipalities) with the number of activities."""

import pytest
from django.urls import reverse

from analysis.coverage import WHOLE_COUNTY, build_coverage
from plans.models import Organisation, SubRegion
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    GoalFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlanFactory,
    member,
)
from tests.personas import PERSONAS, READ, World, assert_status, queries_for

pytestmark = pytest.mark.django_db


def matrix(coverage) -> dict:
    """{goal code or None: {column name or "": count}} and the totals."""
    names = [column.name for column in coverage.columns]
    return {
        (row.goal.code if row.goal else None): dict(
            zip(names, [cell.count for cell in row.cells], strict=True)
        )
        | {"total": row.total}
        for row in coverage.rows
    }


@pytest.fixture
def sub_region_plan():
    county = CountyFactory(name="Västra Götalands län", letter_code="O", code="14")
    plan = PlanFactory(county=county)
    north = SubRegion.objects.create(county=county, name="Fyrbodal")
    south = SubRegion.objects.create(county=county, name="Södra Älvsborg")
    SubRegion.objects.create(county=county, name="SAMLA")  # no activity anywhere
    borås = MunicipalityFactory(county=county, name="Borås")
    south.municipalities.add(borås)
    first = GoalFactory(plan=plan, code="V1.1", position=1)
    second = GoalFactory(plan=plan, code="V1.2", position=2)
    GoalFactory(plan=plan, code="B2.1", position=3)  # no activity
    both = ActivityFactory(plan=plan)  # two sub-regions, two goals
    both.sub_regions.add(north, south)
    both.goals.add(first, second)
    led = ActivityFactory(plan=plan)  # no sub-region, led by Borås: counts for Södra Älvsborg
    led.lead_organisations.add(
        OrganisationFactory(name="Borås Stad", kind=Organisation.Kind.MUNICIPALITY, municipality=borås)
    )
    led.goals.add(first)
    county_wide = ActivityFactory(plan=plan)
    county_wide.goals.add(first)
    ActivityFactory(plan=plan)  # serves no goal, no area
    return plan


def test_it_counts_activities_per_goal_and_sub_region(sub_region_plan):
    coverage = build_coverage(sub_region_plan)
    assert coverage.by_sub_region
    assert [column.name for column in coverage.columns] == ["Fyrbodal", "SAMLA", "Södra Älvsborg", ""]
    assert coverage.columns[-1].key == WHOLE_COUNTY
    assert matrix(coverage) == {
        "V1.1": {"Fyrbodal": 1, "SAMLA": 0, "Södra Älvsborg": 2, "": 1, "total": 3},
        "V1.2": {"Fyrbodal": 1, "SAMLA": 0, "Södra Älvsborg": 1, "": 0, "total": 1},
        "B2.1": {"Fyrbodal": 0, "SAMLA": 0, "Södra Älvsborg": 0, "": 0, "total": 0},
        None: {"Fyrbodal": 0, "SAMLA": 0, "Södra Älvsborg": 0, "": 1, "total": 1},
    }
    # Each activity once per column, and once in the whole.
    assert coverage.column_totals == [1, 0, 2, 2]
    assert coverage.total == 4
    assert coverage.empty_cells == 7


def test_a_county_without_sub_regions_gets_its_municipalities():
    county = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
    plan = PlanFactory(county=county)
    gävle = MunicipalityFactory(county=county, name="Gävle")
    MunicipalityFactory(county=county, name="Ånge")
    MunicipalityFactory(county=county, name="Älvdalen")
    goal = GoalFactory(plan=plan, code="V1.1")
    activity = ActivityFactory(plan=plan)
    activity.goals.add(goal)
    activity.lead_organisations.add(
        OrganisationFactory(name="Gävle kommun", kind=Organisation.Kind.MUNICIPALITY, municipality=gävle),
        OrganisationFactory(name="Region Gävleborg"),
    )
    coverage = build_coverage(plan)
    assert not coverage.by_sub_region
    # Swedish order: Å before Ä.
    assert [column.name for column in coverage.columns] == ["Gävle", "Ånge", "Älvdalen", ""]
    assert matrix(coverage) == {"V1.1": {"Gävle": 1, "Ånge": 0, "Älvdalen": 0, "": 0, "total": 1}}


def test_the_page_and_its_csv(client, sub_region_plan):
    client.force_login(member(sub_region_plan.county, "reader"))
    url = reverse("plan_coverage", args=[sub_region_plan.pk])
    html = client.get(url).content.decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert html.count('class="num empty"') == 10  # seven in the goals' rows, three without goal
    assert f"?mal={sub_region_plan.goals.get(code='V1.1').pk}&amp;delregion=" in html
    response = client.get(url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("V1.1;") and lines[1].endswith(";1;0;2;1;3")
    assert lines[-1].endswith(";1;0;2;2;4")


def test_the_query_count_does_not_grow_with_activities(client, sub_region_plan):
    client.force_login(member(sub_region_plan.county, "reader"))
    url = reverse("plan_coverage", args=[sub_region_plan.pk])
    before = queries_for(client, url)
    goal = GoalFactory(plan=sub_region_plan, code="V9.9")
    areas = list(SubRegion.objects.filter(county=sub_region_plan.county))
    for n in range(20):
        activity = ActivityFactory(plan=sub_region_plan)
        activity.goals.add(goal)
        activity.sub_regions.add(areas[n % len(areas)])
    assert queries_for(client, url) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_see_the_coverage(client, persona):
    world = World.build()
    response = world.login(client, persona).get(reverse("plan_coverage", args=[world.tree.plan.pk]))
    assert_status(response, READ[persona])
    response = world.login(client, persona).get(
        reverse("plan_coverage", args=[world.tree.plan.pk]) + "?format=csv"
    )
    assert_status(response, READ[persona])
