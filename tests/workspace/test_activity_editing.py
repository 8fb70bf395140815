from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.factories import GoalFactory, PlanTree
from tests.personas import EDIT, PERSONAS, World, assert_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


def activity_data(**overrides) -> dict:
    data = {
        "title": "Utbildning i suicidprevention för skolpersonal",
        "current_state": "Kunskapen om suicid behöver öka",
        "expected_result": "Fler vågar fråga om suicid",
        "indicators_text": "Antal utbildade",
        "timeline": "2022-2025",
        "responsible": "Länssamordnare, Region Norrbotten",
        "cost_text": "Inom ram",
        "status": "planned",
        "activity_type": "knowledge",
        "budget": "450 000",
        "funding_source": "Stimulansmedel",
        "start_date": "2022-03-01",
        "end_date": "2023-12-31",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_countys_editor_open_the_new_activity_form(client, world, persona):
    world.login(client, persona)
    assert_status(client.get(reverse("activity_create", args=[world.tree.plan.pk])), EDIT[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_creates_an_activity_only_for_the_countys_editor(client, world, persona):
    world.login(client, persona)
    before = Activity.objects.count()
    response = client.post(reverse("activity_create", args=[world.tree.plan.pk]), activity_data())
    if persona == "editor":
        assert response.status_code == 302
        assert Activity.objects.count() == before + 1
    else:
        assert_status(response, EDIT[persona] if EDIT[persona] != 200 else 404)
        assert Activity.objects.count() == before


def test_it_creates_an_activity_linked_to_two_goals_as_one_version(client, world):
    first, second = world.tree.goals
    world.login(client, "editor")
    response = client.post(
        reverse("activity_create", args=[world.tree.plan.pk]),
        activity_data(goals=[first.pk, second.pk], change_reason="Beslut i länsstyrgruppen"),
    )
    activity = Activity.objects.get(title="Utbildning i suicidprevention för skolpersonal")
    assert response["Location"] == reverse("activity_detail", args=[activity.pk])
    assert set(activity.goals.all()) == {first, second}
    assert activity.budget == Decimal("450000")
    version = activity.history.get()
    assert version.history_user == world.users["editor"]
    assert version.history_change_reason == "Beslut i länsstyrgruppen"
    assert {row.goal_id for row in version.goals.all()} == {first.pk, second.pk}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "Detta fält måste fyllas i."),
        ({"end_date": "2021-01-01"}, "Slutdatum kan inte ligga före startdatum."),
        ({"budget": "-5 000"}, "Belopp kan inte vara negativa."),
        ({"budget": "femtio tusen"}, "Ange ett belopp"),
        ({"status": "klar"}, "Välj ett giltigt alternativ"),
    ],
    ids=["empty title", "end before start", "negative budget", "budget not a number", "unknown status"],
)
def test_it_rejects_bad_input_with_a_swedish_message_and_saves_nothing(client, world, overrides, message):
    world.login(client, "editor")
    before = Activity.objects.count()
    response = client.post(reverse("activity_create", args=[world.tree.plan.pk]), activity_data(**overrides))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Inget har sparats" in content
    assert Activity.objects.count() == before


def test_it_rejects_a_goal_of_another_plan(client, world):
    foreign = world.other_tree.goals[0]
    own_county_other_plan = PlanTree.build(county=world.county, activities=0).goals[0]
    world.login(client, "editor")
    for goal in (foreign, own_county_other_plan):
        response = client.post(
            reverse("activity_create", args=[world.tree.plan.pk]), activity_data(goals=[goal.pk])
        )
        assert response.status_code == 400
        assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Activity.objects.filter(title__startswith="Utbildning i suicid").exists()


def test_it_edits_an_activity_and_keeps_who_and_why(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    form = client.get(reverse("activity_edit", args=[activity.pk])).context["form"]
    response = client.post(
        reverse("activity_edit", args=[activity.pk]),
        activity_data(version=form.initial["version"], title="Nytt namn", change_reason="Ny inriktning"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Nytt namn"
    latest = activity.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.users["editor"], "Ny inriktning")


def test_it_shows_a_conflict_instead_of_overwriting_a_newer_save(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    loaded = client.get(reverse("activity_edit", args=[activity.pk])).context["form"].initial["version"]

    # Someone else saves in between.
    activity.refresh_from_db()
    activity.expected_result = "Deras nya mål"
    activity.save()

    response = client.post(
        reverse("activity_edit", args=[activity.pk]),
        activity_data(version=loaded, expected_result="Mitt nya mål"),
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Någon annan hann spara först" in content
    assert "Deras nya mål" in content and "Mitt nya mål" in content
    activity.refresh_from_db()
    assert activity.expected_result == "Deras nya mål"

    # Saving anyway is a choice the user makes on the conflict page.
    resubmit = dict(response.context["resubmit"])
    resubmit["version"] = response.context["current_version"]
    resubmit["overwrite"] = "1"
    assert client.post(reverse("activity_edit", args=[activity.pk]), resubmit).status_code == 302
    activity.refresh_from_db()
    assert activity.expected_result == "Mitt nya mål"


def test_it_deletes_an_activity_and_offers_it_for_restore(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(reverse("activity_delete", args=[activity.pk]), {"change_reason": "Dubblett"})
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    deleted = client.get(reverse("county_deleted", args=["BD"])).content.decode()
    assert activity.title in deleted and "Dubblett" in deleted


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver"])
def test_it_does_not_let_others_delete(client, world, persona):
    activity = world.tree.activities[0]
    world.login(client, persona)
    assert client.post(reverse("activity_delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_it_does_not_move_an_activity_to_another_county_through_a_forged_post(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    form = client.get(reverse("activity_edit", args=[activity.pk])).context["form"]
    data = activity_data(
        version=form.initial["version"], plan=world.other_tree.plan.pk, county=world.other_county.pk
    )
    assert client.post(reverse("activity_edit", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert activity.plan == world.tree.plan


def test_it_offers_only_the_plans_own_goals(client, world):
    goal = GoalFactory(plan=world.tree.plan, code="V9.9")
    world.login(client, "editor")
    content = client.get(reverse("activity_create", args=[world.tree.plan.pk])).content.decode()
    assert "V9.9" in content
    assert goal.title in content
    assert world.other_tree.goals[0].title not in content
