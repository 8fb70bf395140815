"""History, compare, restore and deleted items: nothing of county X reaches county BD's people, and back."""

import pytest
from django.urls import reverse

from activities.models import Activity
from planportal.lib.history import save_with_history
from plans.models import Plan
from tests.security.conftest import shows_secret

pytestmark = pytest.mark.django_db

KINDS = ["plan", "priorityarea", "goal", "activity", "followup"]


def other_object(world, kind):
    tree = world.other_tree
    return {
        "plan": tree.plan,
        "priorityarea": tree.activities[0].priority_area,
        "goal": tree.goals[0],
        "activity": tree.activities[0],
        "followup": world.other_follow_up,
    }[kind]


@pytest.mark.parametrize("persona", ["editor", "reader", "approver"])
@pytest.mark.parametrize("kind", KINDS)
def test_it_hides_the_history_of_another_county(client, world, persona, kind):
    world.login(client, persona)
    obj = other_object(world, kind)
    version = obj.history.first()
    assert client.get(reverse("object_history", args=[kind, obj.pk])).status_code == 404
    compare = reverse("history_compare", args=[kind, obj.pk])
    assert client.get(f"{compare}?fran={version.history_id}&till={version.history_id}").status_code == 404
    restore = reverse("history_restore", args=[kind, obj.pk, version.history_id])
    assert client.post(restore).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_it_sends_anonymous_users_to_the_login(client, world, kind):
    obj = other_object(world, kind)
    response = client.get(reverse("object_history", args=[kind, obj.pk]))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_it_does_not_restore_another_countys_version_through_an_own_object(client, world):
    """The version id of X's activity, put in the URL of BD's activity."""
    world.login(client, "editor")
    own = world.tree.activities[0]
    foreign = world.other_tree.activities[0]
    foreign_version = foreign.history.first()
    response = client.post(reverse("history_restore", args=["activity", own.pk, foreign_version.history_id]))
    assert response.status_code == 404
    own.refresh_from_db()
    assert not own.title.startswith("Hemlig")
    assert Activity.objects.get(pk=foreign.pk).plan_id == world.other_tree.plan.pk


def test_it_does_not_compare_with_another_countys_version(client, world):
    world.login(client, "editor")
    own = world.tree.activities[0]
    own_version = own.history.first()
    foreign_version = world.other_tree.activities[0].history.first()
    url = reverse("history_compare", args=["activity", own.pk])
    response = client.get(f"{url}?fran={foreign_version.history_id}&till={own_version.history_id}")
    assert response.status_code == 200
    assert not shows_secret(response)


def test_it_does_not_let_a_reader_or_approver_restore(client, world):
    activity = world.tree.activities[0]
    first = activity.history.order_by("history_id").first()
    activity.title = "Ändrad titel"
    save_with_history(activity)
    for persona in ("reader", "approver"):
        world.login(client, persona)
        url = reverse("history_restore", args=["activity", activity.pk, first.history_id])
        assert client.post(url).status_code == 404
        activity.refresh_from_db()
        assert activity.title == "Ändrad titel"


def _delete_other_activity(client, world) -> Activity:
    world.login(client, "other_editor")
    activity = world.other_tree.activities[0]
    assert client.post(reverse("activity_delete", args=[activity.pk])).status_code == 302
    client.logout()
    return activity


def test_it_keeps_another_countys_deleted_items_to_itself(client, world):
    activity = _delete_other_activity(client, world)
    world.login(client, "editor")
    response = client.get(reverse("county_deleted", args=["BD"]))
    assert response.status_code == 200
    assert not shows_secret(response)
    assert client.get(reverse("county_deleted", args=["X"])).status_code == 404
    assert client.get(reverse("object_history", args=["activity", activity.pk])).status_code == 404
    deletion = Activity.history.filter(id=activity.pk, history_type="-").get()
    restore = reverse("history_restore", args=["activity", activity.pk, deletion.history_id])
    assert client.post(restore).status_code == 404
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_it_keeps_another_countys_changes_off_the_county_page(client, world):
    _delete_other_activity(client, world)
    world.login(client, "editor")
    response = client.get(reverse("county_detail", args=["BD"]))
    assert response.status_code == 200
    assert not shows_secret(response)


def test_it_shows_no_other_county_on_the_home_page(client, world):
    for persona in ("editor", "reader", "approver"):
        world.login(client, persona)
        response = client.get("/")
        assert response.status_code == 200
        assert not shows_secret(response)
        assert "Gävleborg" not in response.content.decode()


def test_it_does_not_let_a_restore_move_a_plan_into_a_county_the_user_may_not_edit(client, world):
    # The admin moves BD's plan to county X; X's editor now edits it, and sees its history.
    plan = world.tree.plan
    first = plan.history.order_by("history_id").first()
    plan.county = world.other_county
    plan._history_user = world.users["admin"]
    save_with_history(plan)
    world.login(client, "other_editor")
    response = client.post(reverse("history_restore", args=["plan", plan.pk, first.history_id]))
    assert response.status_code in (302, 404)
    assert Plan.objects.get(pk=plan.pk).county_id == world.other_county.pk
