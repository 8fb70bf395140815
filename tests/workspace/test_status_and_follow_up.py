from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import ActivityFollowUp
from tests.factories import FollowUpFactory
from tests.personas import EDIT, PERSONAS, World, assert_status

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    return World.build()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_changes_a_status_only_for_the_countys_editor(client, world, persona):
    activity = world.tree.activities[0]
    world.login(client, persona)
    response = client.post(reverse("activity_status", args=[activity.pk]), {"status": "delayed"})
    activity.refresh_from_db()
    if persona == "editor":
        assert response.status_code == 302
        assert activity.status == "delayed"
    else:
        assert_status(response, 302 if persona == "anonymous" else 404)
        assert activity.status == "planned"


def test_it_changes_a_status_inline_and_answers_with_the_row(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(reverse("activity_status", args=[activity.pk]), {"status": "ongoing"}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="aktivitet-{activity.pk}"')
    assert '<option value="ongoing" selected>' in content
    assert "Sparat" in content
    latest = activity.history.latest()
    assert latest.history_change_reason == "Status ändrad från planerad till pågående"


def test_it_refuses_an_unknown_status_inline(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(reverse("activity_status", args=[activity.pk]), {"status": "klar"}, **HTMX)
    assert "Välj en av statusarna" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_it_refuses_a_stale_inline_status_change(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    stale = "2000-01-01T00:00:00+00:00"
    response = client.post(
        reverse("activity_status", args=[activity.pk]), {"status": "done", "version": stale}, **HTMX
    )
    assert "Någon annan ändrade aktiviteten nyss" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "planned"


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_follow_up_form_only_for_the_countys_editor(client, world, persona):
    world.login(client, persona)
    url = reverse("follow_up_create", args=[world.tree.activities[0].pk])
    assert_status(client.get(url), EDIT[persona])


def test_it_writes_a_follow_up_inline(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    form = client.get(reverse("follow_up_create", args=[activity.pk]), **HTMX)
    assert "<form" in form.content.decode() and "<html" not in form.content.decode()
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {
            "year": "2022",
            "status": "done",
            "achieved": "Tolv utbildningar",
            "planning": "Fler 2023",
            "spent": "1 234,5",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Tolv utbildningar" in response.content.decode()
    follow_up = ActivityFollowUp.objects.get(activity=activity)
    assert (follow_up.year, follow_up.spent) == (2022, Decimal("1234.5"))
    assert follow_up.history.get().history_user == world.users["editor"]


def test_it_writes_a_follow_up_without_javascript(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {"year": "2023", "status": "ongoing", "achieved": "Påbörjat", "planning": "Fortsätter"},
    )
    assert response.status_code == 302
    assert ActivityFollowUp.objects.filter(activity=activity, year=2023).exists()


def test_it_refuses_a_second_follow_up_for_the_same_year(client, world):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2022)
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[follow_up.activity.pk]),
        {"year": "2022", "status": "done", "achieved": "Dubblett"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "redan en uppföljning för det här året" in response.content.decode()
    assert ActivityFollowUp.objects.count() == 1


def test_it_refuses_a_year_outside_the_plan(client, world):
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[world.tree.activities[0].pk]), {"year": "1999", "status": "done"}
    )
    assert response.status_code == 400
    assert "Året måste ligga inom planens period, 2021–2025" in response.content.decode()


def test_it_edits_a_follow_up_inline(client, world):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2022, achieved="Gammalt")
    world.login(client, "editor")
    form = client.get(reverse("follow_up_edit", args=[follow_up.pk]), **HTMX).context["form"]
    response = client.post(
        reverse("follow_up_edit", args=[follow_up.pk]),
        {
            "year": "2022",
            "status": "done",
            "achieved": "Nytt",
            "planning": "",
            "version": form.initial["version"],
        },
        **HTMX,
    )
    assert response.status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.achieved == "Nytt"


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver"])
def test_it_does_not_let_others_edit_a_follow_up(client, world, persona):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2022, achieved="Orört")
    world.login(client, persona)
    response = client.post(
        reverse("follow_up_edit", args=[follow_up.pk]), {"year": "2022", "achieved": "Hack"}
    )
    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.achieved == "Orört"
