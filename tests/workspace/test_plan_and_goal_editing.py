import pytest
from django.urls import reverse

from plans.models import Goal, Plan, PriorityArea
from tests.personas import EDIT, PERSONAS, World, assert_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


def plan_data(world, **overrides):
    data = {
        "county": world.county.pk,
        "title": "Handlingsplan 2026–2030",
        "start_year": "2026",
        "end_year": "2030",
        "status": "draft",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_new_plan_form_only_for_the_countys_editor(client, world, persona):
    world.login(client, persona)
    assert_status(client.get(reverse("plan_create", args=["BD"])), EDIT[persona])


def test_it_creates_a_plan(client, world):
    world.login(client, "editor")
    response = client.post(reverse("plan_create", args=["BD"]), plan_data(world))
    plan = Plan.objects.get(title="Handlingsplan 2026–2030")
    assert response["Location"] == reverse("plan_detail", args=[plan.pk])
    assert plan.county == world.county


def test_it_refuses_a_forged_county_with_a_swedish_message(client, world):
    world.login(client, "editor")
    response = client.post(
        reverse("plan_create", args=["BD"]), plan_data(world, county=world.other_county.pk)
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Plan.objects.filter(title="Handlingsplan 2026–2030").exists()


def test_it_refuses_a_period_that_ends_before_it_starts(client, world):
    world.login(client, "editor")
    response = client.post(reverse("plan_create", args=["BD"]), plan_data(world, end_year="2020"))
    assert response.status_code == 400
    assert "Sista året kan inte komma före första året" in response.content.decode()


def test_it_does_not_delete_a_plan_that_still_has_goals(client, world):
    world.login(client, "editor")
    url = reverse("plan_delete", args=[world.tree.plan.pk])
    response = client.post(url)
    assert response.status_code == 409
    assert "Arkivera" in response.content.decode()
    assert Plan.objects.filter(pk=world.tree.plan.pk).exists()
    # It offers to archive the plan instead, recorded in the history.
    assert client.post(url, {"archive": "1"}).status_code == 302
    plan = Plan.objects.get(pk=world.tree.plan.pk)
    assert plan.status == Plan.Status.ARCHIVED
    assert (
        plan.history.latest().history_change_reason
        == "Arkiverad i stället för borttagen: planen har mål eller aktiviteter."
    )


def test_it_deletes_an_empty_plan(client, world):
    empty = Plan.objects.create(county=world.county, title="Tom", start_year=2024, end_year=2024)
    world.login(client, "editor")
    assert client.post(reverse("plan_delete", args=[empty.pk])).status_code == 302
    assert not Plan.objects.filter(pk=empty.pk).exists()


def test_it_creates_a_goal_and_refuses_a_duplicate_code(client, world):
    world.login(client, "editor")
    url = reverse("goal_create", args=[world.tree.plan.pk])
    data = {"code": "v1.1", "title": "Nollvision om suicid", "target_group": "adults"}
    assert client.post(url, data).status_code == 302
    assert Goal.objects.filter(plan=world.tree.plan, code="V1.1").exists()

    response = client.post(url, {**data, "title": "En dubblett"})
    assert response.status_code == 400
    assert "Handlingsplanen har redan ett mål med den här koden" in response.content.decode()
    assert Goal.objects.filter(plan=world.tree.plan, code="V1.1").count() == 1


def test_it_refuses_a_priority_area_of_another_plan_for_a_goal(client, world):
    foreign = PriorityArea.objects.filter(plan=world.other_tree.plan).first()
    world.login(client, "editor")
    response = client.post(
        reverse("goal_create", args=[world.tree.plan.pk]),
        {"code": "B3.1", "title": "SIP", "target_group": "children", "priority_area": foreign.pk},
    )
    assert response.status_code == 400
    assert not Goal.objects.filter(code="B3.1").exists()


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver"])
def test_it_lets_no_one_else_edit_a_goal(client, world, persona):
    goal = world.tree.goals[0]
    world.login(client, persona)
    response = client.post(
        reverse("goal_edit", args=[goal.pk]), {"code": "X", "title": "Hack", "target_group": "all"}
    )
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.title != "Hack"


def test_it_creates_and_renames_a_priority_area(client, world):
    world.login(client, "editor")
    client.post(
        reverse("priority_area_create", args=[world.tree.plan.pk]),
        {"name": "Stärkt brukarmedverkan", "position": "3"},
    )
    area = PriorityArea.objects.get(name="Stärkt brukarmedverkan")
    form = client.get(reverse("priority_area_edit", args=[area.pk])).context["form"]
    client.post(
        reverse("priority_area_edit", args=[area.pk]),
        {"name": "Stärkt brukarinflytande", "position": "3", "version": form.initial["version"]},
    )
    area.refresh_from_db()
    assert area.name == "Stärkt brukarinflytande"
