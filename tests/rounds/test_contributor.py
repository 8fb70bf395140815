"""The contributor (bidragsgivare): reads the county, follows up their organisations' activities."""

import pytest
from django.urls import reverse

from activities.models import ActivityFollowUp, FollowUpState
from tests.factories import ActivityFactory, FollowUpFactory
from tests.personas import World, queries_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FOLLOW_UP = {"year": "2022", "status": "ongoing", "achieved": "Utbildning för 40 chefer", "planning": "Fler"}


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def contributor(client, world):
    return world.login(client, "contributor")


def test_it_writes_a_follow_up_of_an_activity_its_organisation_leads(contributor, world):
    activity = world.contributed
    response = contributor.post(reverse("follow_up_create", args=[activity.pk]), FOLLOW_UP)
    assert response.status_code == 302
    follow_up = activity.follow_ups.get()
    assert follow_up.achieved == "Utbildning för 40 chefer"
    assert follow_up.state == FollowUpState.DRAFT
    assert follow_up.history.latest().history_user == world.users["contributor"]


def test_it_changes_the_status_of_its_activity(contributor, world):
    activity = world.contributed
    response = contributor.post(reverse("activity_status", args=[activity.pk]), {"status": "delayed"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "delayed"


def test_it_answers_404_on_another_organisations_activity(contributor, world):
    activity = world.tree.activities[0]
    follow_up = FollowUpFactory(activity=activity)
    for url in (
        reverse("follow_up_create", args=[activity.pk]),
        reverse("follow_up_edit", args=[follow_up.pk]),
        reverse("follow_up_delete", args=[follow_up.pk]),
        reverse("activity_edit", args=[activity.pk]),
        reverse("activity_delete", args=[activity.pk]),
    ):
        assert contributor.get(url).status_code == 404, url
        assert contributor.post(url, FOLLOW_UP).status_code == 404, url
    for url, data in (
        (reverse("activity_status", args=[activity.pk]), {"status": "delayed"}),
        (reverse("follow_up_state", args=[follow_up.pk]), {"state": "done"}),
    ):
        assert contributor.post(url, data).status_code == 404, url
    activity.refresh_from_db()
    follow_up.refresh_from_db()
    assert activity.status == "planned"
    assert follow_up.state == FollowUpState.DRAFT
    assert ActivityFollowUp.objects.filter(activity=activity).count() == 1


def test_it_never_deletes_a_follow_up_not_even_its_own(contributor, world):
    follow_up = FollowUpFactory(activity=world.contributed)
    assert contributor.post(reverse("follow_up_delete", args=[follow_up.pk])).status_code == 404
    assert ActivityFollowUp.objects.filter(pk=follow_up.pk).exists()


def test_it_cannot_open_or_edit_a_round(contributor, world):
    assert contributor.get(reverse("round_open", args=[world.tree.plan.pk])).status_code == 404
    response = contributor.post(
        reverse("round_open", args=[world.tree.plan.pk]), {"year": "2022", "deadline": "2023-01-31"}
    )
    assert response.status_code == 404
    assert not world.tree.plan.follow_up_rounds.exists()


def test_it_reads_the_plan_but_sees_no_editing_buttons(contributor, world):
    response = contributor.get(reverse("plan_detail", args=[world.tree.plan.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("plan_edit", args=[world.tree.plan.pk]) not in content
    assert reverse("activity_edit", args=[world.contributed.pk]) not in content


def test_it_gets_the_status_control_only_on_its_activities_rows(contributor, world):
    content = contributor.get(reverse("plan_detail", args=[world.tree.plan.pk])).content.decode()
    assert reverse("activity_status", args=[world.contributed.pk]) in content
    assert reverse("activity_status", args=[world.tree.activities[0].pk]) not in content


def test_it_keeps_the_plan_pages_query_count_constant_for_a_contributor(contributor, world):
    url = reverse("plan_detail", args=[world.tree.plan.pk])
    before = queries_for(contributor, url)
    for _ in range(8):
        ActivityFactory(plan=world.tree.plan).lead_organisations.add(world.organisation)
    content = contributor.get(url).content.decode()
    assert content.count('name="rad"') == 9  # a status form on each of its rows
    assert queries_for(contributor, url) == before


def test_it_shows_the_follow_up_button_only_on_its_activity(contributor, world):
    own = contributor.get(reverse("activity_detail", args=[world.contributed.pk])).content.decode()
    other = contributor.get(reverse("activity_detail", args=[world.tree.activities[0].pk])).content.decode()
    assert reverse("follow_up_create", args=[world.contributed.pk]) in own
    assert reverse("activity_edit", args=[world.contributed.pk]) not in own
    assert reverse("follow_up_create", args=[world.tree.activities[0].pk]) not in other


def test_it_marks_a_follow_up_done_and_reopens_it_with_history(contributor, world):
    follow_up = FollowUpFactory(activity=world.contributed)
    url = reverse("follow_up_state", args=[follow_up.pk])
    response = contributor.post(url, {"state": "done"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DONE
    assert follow_up.history.latest().history_change_reason == "Markerad som klar"
    response = contributor.post(url, {"state": "draft"}, **HTMX)
    assert response.status_code == 200
    assert "Markera som klar" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DRAFT
    reasons = [record.history_change_reason for record in follow_up.history.all()[:2]]
    assert reasons == ["Återöppnad som utkast", "Markerad som klar"]


def test_it_refuses_to_mark_an_empty_follow_up_done(contributor, world):
    follow_up = FollowUpFactory(activity=world.contributed, achieved="")
    response = contributor.post(reverse("follow_up_state", args=[follow_up.pk]), {"state": "done"}, **HTMX)
    assert "Skriv vad som uppnåtts" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DRAFT


def test_its_page_lists_what_is_missing_with_links_to_write_it(contributor, world):
    from rounds.models import FollowUpRound

    FollowUpRound.objects.create(plan=world.tree.plan, year=2022, deadline="2023-01-31")
    response = contributor.get(reverse("my_follow_up"))
    content = response.content.decode()
    assert world.contributed.title in content
    assert world.tree.activities[0].title not in content
    assert reverse("follow_up_create", args=[world.contributed.pk]) + "?ar=2022" in content
