"""Who may change what: readers, approvers and other counties' editors change nothing, and forged ids
of another county's goals, areas, sub-regions, organisations or county are refused."""

import pytest
from django.conf import settings
from django.urls import reverse

from activities.models import Activity, ActivityFollowUp
from plans.models import Goal, Organisation, Plan, PriorityArea, SubRegion
from tests.factories import FocusAreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
MODELS = [Plan, PriorityArea, Goal, Activity, ActivityFollowUp]


def snapshot() -> dict:
    """Every row and every version of what coordinators edit."""
    return {
        model.__name__: (
            model.objects.count(),
            model.history.count(),
            sorted(model.objects.values_list("pk", "updated_at")),
        )
        for model in MODELS
    }


def activity_data(world, **overrides) -> dict:
    activity = world.tree.activities[0]
    data = {
        "title": "Ny titel",
        "priority_area": activity.priority_area_id,
        "goals": [world.tree.goals[0].pk],
        "status": "ongoing",
        "activity_type": "knowledge",
        "budget": "1 000",
    }
    data.update(overrides)
    return data


def goal_data(**overrides) -> dict:
    data = {
        "code": "V9.9",
        "title": "Nytt mål",
        "target_group": "adults",
        "focus_area": FocusAreaFactory().pk,
    }
    data.update(overrides)
    return data


def plan_data(world, **overrides) -> dict:
    data = {
        "county": world.county.pk,
        "title": "Ny plan",
        "start_year": 2024,
        "end_year": 2027,
        "status": "draft",
    }
    data.update(overrides)
    return data


# (url name, args, POST data) for every view that changes something in county BD.
def changes(world):
    tree = world.tree
    area = tree.activities[0].priority_area
    activity = tree.activities[0]
    return [
        ("plan_create", ["BD"], plan_data(world)),
        ("plan_edit", [tree.plan.pk], plan_data(world, title="Ändrad")),
        ("plan_delete", [tree.plan.pk], {}),
        ("priority_area_create", [tree.plan.pk], {"name": "Nytt område", "position": 0}),
        ("priority_area_edit", [area.pk], {"name": "Ändrat område", "position": 0}),
        ("priority_area_delete", [area.pk], {}),
        ("goal_create", [tree.plan.pk], goal_data()),
        ("goal_edit", [tree.goals[0].pk], goal_data(code=tree.goals[0].code)),
        ("goal_delete", [tree.goals[0].pk], {}),
        ("activity_create", [tree.plan.pk], activity_data(world)),
        ("activity_edit", [activity.pk], activity_data(world)),
        ("activity_delete", [activity.pk], {}),
        ("activity_status", [activity.pk], {"status": "done"}),
        ("follow_up_create", [activity.pk], {"year": 2023, "status": "done", "achieved": "x"}),
        ("follow_up_edit", [world.follow_up.pk], {"year": 2022, "status": "done", "achieved": "ändrat"}),
        ("follow_up_delete", [world.follow_up.pk], {}),
    ]


NAMES = [
    "plan_create",
    "plan_edit",
    "plan_delete",
    "priority_area_create",
    "priority_area_edit",
    "priority_area_delete",
    "goal_create",
    "goal_edit",
    "goal_delete",
    "activity_create",
    "activity_edit",
    "activity_delete",
    "activity_status",
    "follow_up_create",
    "follow_up_edit",
    "follow_up_delete",
]


@pytest.mark.parametrize("index", range(len(NAMES)), ids=NAMES)
def test_it_changes_nothing_for_those_who_may_not_edit(client, world, index):
    name, args, data = changes(world)[index]
    before = snapshot()
    for persona in ("reader", "approver", "other_editor", "anonymous"):
        client.logout()
        world.login(client, persona)
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(reverse(name, args=args), data, headers=headers)
            assert response.status_code == (302 if persona == "anonymous" else 404), (persona, headers)
            if persona == "anonymous":
                assert "/konto/login/" in response["Location"]
    assert snapshot() == before


@pytest.mark.parametrize("index", range(len(NAMES)), ids=NAMES)
def test_it_lets_the_countys_editor_make_each_change(client, world, index):
    """The other side of the matrix above: the same POST from BD's editor is accepted."""
    name, args, data = changes(world)[index]
    if name == "plan_delete":
        pytest.skip("a plan with goals cannot be deleted (tested in tests/workspace)")
    world.login(client, "editor")
    before = snapshot()
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot() != before


def test_it_refuses_a_new_plan_in_a_county_the_editor_may_not_edit(client, world):
    world.login(client, "editor")
    assert client.post(reverse("plan_create", args=["X"]), plan_data(world)).status_code == 404
    response = client.post(
        reverse("plan_create", args=["BD"]), plan_data(world, county=world.other_county.pk)
    )
    assert response.status_code == 400
    assert not Plan.objects.filter(title="Ny plan").exists()


def test_it_refuses_to_move_a_plan_to_another_county(client, world):
    world.login(client, "editor")
    plan = world.tree.plan
    response = client.post(
        reverse("plan_edit", args=[plan.pk]), plan_data(world, county=world.other_county.pk, title="Flyttad")
    )
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.county_id == world.county.pk


def test_it_refuses_to_edit_another_countys_plan_by_choosing_an_own_county(client, world):
    world.login(client, "editor")
    plan = world.other_tree.plan
    response = client.post(reverse("plan_edit", args=[plan.pk]), plan_data(world, title="Kapad"))
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.county_id == world.other_county.pk


@pytest.mark.parametrize("field", ["goals", "priority_area", "sub_regions", "lead_organisations"])
@pytest.mark.parametrize("view", ["activity_create", "activity_edit"])
def test_it_refuses_another_countys_objects_in_an_activity(client, world, field, view):
    other = world.other_tree
    foreign = {
        "goals": [other.goals[0].pk],
        "priority_area": other.activities[0].priority_area_id,
        "sub_regions": [SubRegion.objects.create(county=world.other_county, name="Hemlig delregion").pk],
        "lead_organisations": [OrganisationFactory(county=world.other_county).pk],
    }[field]
    world.login(client, "editor")
    args = [world.tree.plan.pk] if view == "activity_create" else [world.tree.activities[0].pk]
    before = snapshot()
    response = client.post(reverse(view, args=args), activity_data(world, **{field: foreign}))
    assert response.status_code == 400
    assert snapshot() == before


def test_it_accepts_a_national_organisation_as_lead(client, world):
    national = OrganisationFactory(county=None)
    world.login(client, "editor")
    activity = world.tree.activities[0]
    data = activity_data(world, lead_organisations=[national.pk])
    assert client.post(reverse("activity_edit", args=[activity.pk]), data).status_code == 302
    assert list(activity.lead_organisations.all()) == [national]
    assert Organisation.objects.filter(pk=national.pk).exists()


@pytest.mark.parametrize("view", ["goal_create", "goal_edit"])
def test_it_refuses_another_plans_priority_area_in_a_goal(client, world, view):
    world.login(client, "editor")
    goal = world.tree.goals[0]
    args = [world.tree.plan.pk] if view == "goal_create" else [goal.pk]
    foreign = world.other_tree.activities[0].priority_area_id
    before = snapshot()
    response = client.post(
        reverse(view, args=args),
        goal_data(code=goal.code if view == "goal_edit" else "V9.9", priority_area=foreign),
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_it_does_not_move_a_follow_up_to_another_countys_activity(client, world):
    world.login(client, "editor")
    follow_up = world.follow_up
    data = {
        "year": 2022,
        "status": "done",
        "achieved": "ändrat",
        "activity": world.other_tree.activities[0].pk,
    }
    assert client.post(reverse("follow_up_edit", args=[follow_up.pk]), data).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.activity_id == world.tree.activities[0].pk


def test_it_does_not_create_a_follow_up_for_another_countys_activity(client, world):
    world.login(client, "editor")
    foreign = world.other_tree.activities[0]
    before = snapshot()
    data = {"year": 2023, "status": "done", "achieved": "x", "activity": foreign.pk}
    assert client.post(reverse("follow_up_create", args=[foreign.pk]), data).status_code == 404
    assert (
        client.post(reverse("follow_up_create", args=[world.tree.activities[0].pk]), data).status_code == 302
    )
    assert not ActivityFollowUp.objects.filter(activity=foreign, year=2023).exists()
    assert snapshot() != before


def test_it_refuses_a_follow_up_year_that_makes_no_sense(safe_client, world):
    world.login(safe_client, "editor")
    url = reverse("follow_up_create", args=[world.tree.activities[0].pk])
    for year in ("99999999999999999999", "-1", "abc", "", "2022.5"):
        data = {"year": year, "status": "done"}
        assert safe_client.post(url, data).status_code == 400, year
        assert safe_client.post(url, data, headers={"HX-Request": "true"}).status_code == 400, year


def test_it_refuses_a_budget_that_makes_no_sense(safe_client, world):
    world.login(safe_client, "editor")
    url = reverse("activity_edit", args=[world.tree.activities[0].pk])
    for budget in ("9" * 40, "1e999999", "NaN", "Infinity", "-5", "1,2,3"):
        assert safe_client.post(url, activity_data(world, budget=budget)).status_code == 400, budget


def test_it_refuses_odd_version_stamps_without_crashing(safe_client, world):
    world.login(safe_client, "editor")
    url = reverse("activity_edit", args=[world.tree.activities[0].pk])
    for version in ("x" * 5000, "2020-01-01T00:00:00", "\u00e5"):
        response = safe_client.post(url, activity_data(world, version=version))
        assert response.status_code == 409, version


def test_it_does_not_redirect_to_another_site_after_a_status_change(client, world):
    world.login(client, "editor")
    url = reverse("activity_status", args=[world.tree.activities[0].pk])
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(url, {"status": "done", "next": target})
        assert response.status_code == 302
        assert "evil" not in response["Location"], target


def test_it_refuses_a_nul_byte_in_a_deletion_reason_without_crashing(safe_client, world):
    world.login(safe_client, "editor")
    response = safe_client.post(
        reverse("activity_delete", args=[world.tree.activities[0].pk]), {"change_reason": "dubblett\x00"}
    )
    assert response.status_code in (302, 400)


def test_it_removes_a_nul_byte_from_an_edited_text(safe_client, world):
    # Forms clean control characters the same way on SQLite and PostgreSQL (which refuses NUL).
    world.login(safe_client, "editor")
    activity = world.tree.activities[0]
    response = safe_client.post(
        reverse("activity_edit", args=[activity.pk]),
        activity_data(world, title="a\x00b", change_reason="x\x00"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "ab"
    assert activity.history.latest().history_change_reason == "x"
