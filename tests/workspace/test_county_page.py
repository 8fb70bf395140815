from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from planportal.lib.history import history_context
from tests.factories import GoalFactory, PlanTree
from tests.personas import PERSONAS, READ, World, assert_status, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona(client, world, persona):
    world.login(client, persona)
    assert_status(client.get(reverse("county_detail", args=["bd"])), READ[persona])


def test_it_shows_each_live_plan_at_a_glance(client, world):
    plan = world.tree.plan
    first, second, _third = world.tree.activities
    first.status, first.budget = "ongoing", Decimal("450000")
    second.status, second.budget = "done", Decimal("1324000")
    for activity in (first, second):
        activity.save()
    idle = GoalFactory(plan=plan, code="B3.1", title="Barn och unga ska ha en SIP")

    world.login(client, "reader")
    content = client.get(reverse("county_detail", args=["BD"])).content.decode()

    assert plan.title in content
    assert "3 aktiviteter" in content
    assert "1\u00a0774\u00a0000\u00a0kr" in content  # the budget in total, Swedish style
    assert idle.code in content and idle.title in content
    assert world.other_tree.plan.title not in content


def test_it_lists_the_latest_changes_with_who_and_why(client, world):
    activity = world.tree.activities[0]
    with history_context(user=world.users["editor"], reason="Ny tidsplan efter styrgruppsmöte"):
        activity.timeline = "2023"
        activity.save()
    world.login(client, "reader")
    content = client.get(reverse("county_detail", args=["BD"])).content.decode()
    assert "Ny tidsplan efter styrgruppsmöte" in content
    assert "samordnare" in content


def test_it_makes_as_many_queries_for_many_activities_as_for_few(client, world):
    world.login(client, "reader")
    url = reverse("county_detail", args=["BD"])
    few = queries_for(client, url)
    for index in range(30):
        Activity.objects.create(plan=world.tree.plan, title=f"Aktivitet {index}", status="delayed")
    assert queries_for(client, url) == few


def test_it_makes_as_many_queries_for_many_plans_and_changes_as_for_few(client, world):
    world.login(client, "reader")
    url = reverse("county_detail", args=["BD"])
    few = queries_for(client, url)
    for _ in range(3):
        tree = PlanTree.build(county=world.tree.plan.county, goals=5, activities=8)
        with history_context(reason="Revidering"):
            for activity in tree.activities:
                activity.status = "done"
                activity.save()
    assert queries_for(client, url) == few
