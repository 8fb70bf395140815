import pytest
from django.urls import reverse

from activities.models import Activity
from planportal.lib.history import history_context
from plans.models import Goal
from tests.personas import PERSONAS, READ, World, assert_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def edited(world):
    """An activity with three versions: created, then two edits by the editor."""
    activity = world.tree.activities[0]
    with history_context(user=world.users["editor"], reason="Första ändringen"):
        activity.current_state = "Nuläge före förändringen med många ord i rad"
        activity.save()
    with history_context(user=world.users["editor"], reason="Andra ändringen"):
        activity.current_state = "Nuläge efter förändringen med många ord i rad"
        activity.status = "ongoing"
        activity.save()
    return activity


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_history_to_those_who_may_read(client, world, edited, persona):
    world.login(client, persona)
    assert_status(client.get(reverse("object_history", args=["activity", edited.pk])), READ[persona])
    assert_status(client.get(reverse("history_compare", args=["activity", edited.pk])), READ[persona])


def test_it_answers_404_for_an_unknown_kind_or_object(client, world):
    world.login(client, "admin")
    assert client.get(reverse("object_history", args=["user", 1])).status_code == 404
    assert client.get(reverse("object_history", args=["activity", 999999])).status_code == 404


def test_it_lists_who_when_and_why(client, world, edited):
    world.login(client, "reader")
    content = client.get(reverse("object_history", args=["activity", edited.pk])).content.decode()
    assert "Första ändringen" in content and "Andra ändringen" in content
    assert "samordnare" in content
    assert "Skapad" in content and "Ändrad" in content


def test_it_shows_a_field_by_field_diff_with_words_for_long_texts(client, world, edited):
    first = edited.history.get(history_change_reason="Första ändringen")
    second = edited.history.get(history_change_reason="Andra ändringen")
    world.login(client, "reader")
    response = client.get(
        reverse("history_compare", args=["activity", edited.pk]),
        {"fran": first.history_id, "till": second.history_id},
    )
    content = response.content.decode()
    assert "<del>före</del><ins>efter</ins>" in content
    assert "<del>Planerad</del>" in content or "<del>planerad</del>" in content
    assert "<ins>pågående</ins>" in content


def test_it_restores_a_version_as_a_new_version(client, world, edited):
    first_edit = edited.history.get(history_change_reason="Första ändringen")
    versions_before = edited.history.count()
    world.login(client, "editor")
    response = client.post(reverse("history_restore", args=["activity", edited.pk, first_edit.history_id]))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.current_state == "Nuläge före förändringen med många ord i rad"
    assert edited.status == "planned"
    latest = edited.history.latest()
    assert edited.history.count() == versions_before + 1
    assert latest.history_user == world.users["editor"]
    assert latest.history_restored_from == first_edit.history_date
    assert latest.reason_text.startswith("Återställd till versionen från")


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver", "anonymous"])
def test_it_lets_only_editors_restore(client, world, edited, persona):
    first = edited.history.earliest()
    world.login(client, persona)
    response = client.post(reverse("history_restore", args=["activity", edited.pk, first.history_id]))
    assert_status(response, 302 if persona == "anonymous" else 404)
    edited.refresh_from_db()
    assert edited.status == "ongoing"


def test_it_restores_a_deleted_activity_with_its_goals(client, world):
    activity = world.tree.activities[0]
    goals = set(activity.goals.all())
    assert goals
    world.login(client, "editor")
    client.post(reverse("activity_delete", args=[activity.pk]))
    deletion = Activity.history.filter(id=activity.pk, history_type="-").get()

    content = client.get(reverse("county_deleted", args=["BD"])).content.decode()
    assert activity.title in content
    response = client.post(reverse("history_restore", args=["activity", activity.pk, deletion.history_id]))
    assert response.status_code == 302

    restored = Activity.objects.get(pk=activity.pk)
    assert restored.title == activity.title
    assert set(restored.goals.all()) == goals
    sections = client.get(reverse("county_deleted", args=["BD"])).context["sections"]
    assert not any(record.id == activity.pk for section in sections for record in section["records"])


def test_it_restores_a_deleted_goal(client, world):
    goal = world.tree.goals[0]
    world.login(client, "editor")
    client.post(reverse("goal_delete", args=[goal.pk]))
    deletion = Goal.history.filter(id=goal.pk, history_type="-").get()
    client.post(reverse("history_restore", args=["goal", goal.pk, deletion.history_id]))
    assert Goal.objects.filter(pk=goal.pk, code=goal.code).exists()


def test_it_refuses_to_restore_a_goal_whose_code_is_taken(client, world):
    goal = world.tree.goals[0]
    world.login(client, "editor")
    client.post(reverse("goal_delete", args=[goal.pk]))
    Goal.objects.create(plan=world.tree.plan, code=goal.code, title="Ny med samma kod")
    deletion = Goal.history.filter(id=goal.pk, history_type="-").get()
    response = client.post(
        reverse("history_restore", args=["goal", goal.pk, deletion.history_id]), follow=True
    )
    assert "kunde inte återställas" in response.content.decode()
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_it_shows_no_deleted_items_of_another_county(client, world):
    other = world.other_tree.activities[0]
    world.login(client, "other_editor")
    client.post(reverse("activity_delete", args=[other.pk]))
    client.logout()
    world.login(client, "editor")
    assert other.title not in client.get(reverse("county_deleted", args=["BD"])).content.decode()
    assert client.get(reverse("county_deleted", args=["X"])).status_code == 404


def test_it_shows_a_long_history_in_as_many_queries_as_a_short_one(client, world):
    from tests.personas import queries_for

    short, long = world.tree.activities[:2]
    for index in range(25):
        with history_context(user=world.users["editor"], reason=f"Ändring {index}"):
            long.status = ("ongoing", "delayed")[index % 2]
            long.save()
            long.goals.set(world.tree.goals[: index % 2 + 1])
    world.login(client, "reader")
    few = queries_for(client, reverse("object_history", args=["activity", short.pk]))
    assert queries_for(client, reverse("object_history", args=["activity", long.pk])) == few
