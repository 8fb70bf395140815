from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from plans.models import FocusArea
from tests.factories import ActivityFactory, FollowUpFactory, GoalFactory, OrganisationFactory, PlanTree
from tests.personas import PERSONAS, READ, World, assert_status, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


def page(client, world, **params):
    url = reverse("plan_detail", args=[world.tree.plan.pk])
    return client.get(url, params).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona(client, world, persona):
    world.login(client, persona)
    assert_status(client.get(reverse("plan_detail", args=[world.tree.plan.pk])), READ[persona])


def test_it_answers_404_for_a_plan_that_does_not_exist(client, world):
    world.login(client, "editor")
    assert client.get(reverse("plan_detail", args=[999999])).status_code == 404


def test_it_shows_the_matrix_with_all_eight_columns(client, world):
    activity = world.tree.activities[0]
    world.login(client, "reader")
    content = page(client, world)
    for heading in ("Aktivitet", "Nuläge", "Mål", "Indikatorer", "Tidsplan", "Ansvar", "Kostnad", "Status"):
        assert f">{heading}</th>" in content
    assert activity.title in content
    assert world.other_tree.activities[0].title not in content


def test_it_shows_status_controls_only_to_editors(client, world):
    status_url = reverse("activity_status", args=[world.tree.activities[0].pk])
    world.login(client, "reader")
    assert status_url not in page(client, world)
    world.login(client, "editor")
    assert status_url in page(client, world)


def test_it_groups_goals_by_focus_area_and_target_group(client, world):
    area = FocusArea.objects.create(number=1, name="Förebyggande och främjande arbete")
    GoalFactory(
        plan=world.tree.plan,
        code="V1.1",
        title="Nollvision om suicid",
        focus_area=area,
        target_group="adults",
    )
    world.login(client, "reader")
    content = page(client, world)
    assert "Fokusområde 1: Förebyggande och främjande arbete" in content
    assert "Vuxna" in content


def test_it_filters_by_status_goal_organisation_year_and_text(client, world):
    plan = world.tree.plan
    goal = GoalFactory(plan=plan, code="B3.1")
    region = OrganisationFactory(name="Region Norrbotten")
    suicide = ActivityFactory(plan=plan, title="Suicidprevention i skolan", status="ongoing")
    suicide.goals.add(goal)
    suicide.lead_organisations.add(region)
    FollowUpFactory(activity=suicide, year=2023)
    other = ActivityFactory(plan=plan, title="Länsgemensam utbildning", status="done")
    world.login(client, "reader")

    for params in ({"status": "ongoing"}, {"mal": goal.pk}, {"organisation": region.pk}, {"q": "skolan"}):
        content = page(client, world, **params)
        assert suicide.title in content, params
        assert other.title not in content, params
    assert "Ingen aktivitet matchar filtren" in page(client, world, q="finns inte")


def test_it_ignores_filter_values_that_make_no_sense(client, world):
    world.login(client, "reader")
    url = reverse("plan_detail", args=[world.tree.plan.pk])
    response = client.get(url, {"status": "<script>", "mal": "x", "ar": "tjugo", "sortera": "DROP"})
    assert response.status_code == 200
    assert world.tree.activities[0].title in response.content.decode()


def test_it_sorts_titles_in_swedish_order(client, world):
    plan = world.tree.plan
    Activity.objects.filter(plan=plan).delete()
    for title in ("Örebromodellen", "Ängsbacken", "Zonterapi", "Åtgärdsplan", "Arbetsgrupp"):
        ActivityFactory(plan=plan, title=title)
    world.login(client, "reader")
    content = page(client, world, sortera="title")
    positions = [
        content.index(title)
        for title in ("Arbetsgrupp", "Zonterapi", "Åtgärdsplan", "Ängsbacken", "Örebromodellen")
    ]
    assert positions == sorted(positions)


def test_it_groups_the_matrix_by_goal_with_unlinked_activities_last(client, world):
    unlinked = ActivityFactory(plan=world.tree.plan, title="Utan koppling")
    world.login(client, "reader")
    content = page(client, world, grupp="mal")
    goal = world.tree.goals[0]
    assert f"{goal.code} {goal.title}" in content
    assert content.index("Utan kopplat mål") < content.index(unlinked.title)


def test_it_makes_as_many_queries_for_300_activities_as_for_3(client):
    small, large = PlanTree.build(activities=3), PlanTree.build(activities=3)
    Activity.objects.bulk_create(
        Activity(plan=large.plan, priority_area=large.activities[0].priority_area, title=f"Aktivitet {n}")
        for n in range(297)
    )
    for tree in (small, large):
        for activity in tree.activities[:3]:
            FollowUpFactory(activity=activity, spent=Decimal("1000"))
            activity.lead_organisations.add(OrganisationFactory())
    world_user = World.build().users["admin"]
    client.force_login(world_user)
    few = queries_for(client, reverse("plan_detail", args=[small.plan.pk]))
    many = queries_for(client, reverse("plan_detail", args=[large.plan.pk]))
    assert many == few
    by_goal = "?grupp=mal&sortera=title"
    assert queries_for(client, reverse("plan_detail", args=[large.plan.pk]) + by_goal) == queries_for(
        client, reverse("plan_detail", args=[small.plan.pk]) + by_goal
    )


def test_it_speaks_english_to_whoever_chooses_it(client, world):
    world.login(client, "reader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = page(client, world)
    assert ">Current state</th>" in content
    assert 'lang="en"' in content


@pytest.mark.parametrize("persona", ["reader", "approver", "editor"])
def test_it_offers_everyone_who_reads_the_plan_its_exports(client, world, persona):
    world.login(client, persona)
    content = page(client, world)
    export = reverse("plan_export", args=[world.tree.plan.pk, "aktiviteter", "xlsx"])
    assert export in content
    assert client.get(export).status_code == 200
    assert (reverse("plan_import", args=[world.tree.plan.pk]) in content) == (persona == "editor")


def test_it_finds_activities_whatever_the_case_of_a_swedish_letter(client, world):
    ActivityFactory(plan=world.tree.plan, title="Örebromodellen för ÅTERHÄMTNING")
    world.login(client, "reader")
    assert "Örebromodellen" in page(client, world, q="örebromodellen")
    assert "Örebromodellen" in page(client, world, q="återhämtning")
    assert "Örebromodellen" not in page(client, world, q="öre_x")
