"""Opening a round, and the round page's counts per activity and organisation, with filters."""

import datetime

import pytest
from django.urls import reverse

from activities.models import FollowUpState
from rounds.models import FollowUpRound
from tests.factories import ActivityFactory, FollowUpFactory, OrganisationFactory
from tests.personas import World, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build(activities=4)


def test_it_opens_a_round_for_a_year_of_the_plan(client, world):
    world.login(client, "editor")
    plan = world.tree.plan
    response = client.post(
        reverse("round_open", args=[plan.pk]),
        {"year": str(plan.start_year), "deadline": "2030-01-31", "instructions": "Skriv kort."},
    )
    round = plan.follow_up_rounds.get()
    assert response["Location"] == reverse("round_detail", args=[round.pk])
    assert round.opened_by == world.users["editor"]
    assert round.is_open
    assert round.history.latest().history_change_reason == "Omgången öppnad"


def test_it_refuses_a_second_round_for_the_year_and_a_year_outside_the_plan(client, world):
    world.login(client, "editor")
    plan = world.tree.plan
    FollowUpRound.objects.create(plan=plan, year=plan.start_year, deadline="2030-01-31")
    url = reverse("round_open", args=[plan.pk])
    response = client.post(url, {"year": str(plan.start_year), "deadline": "2030-01-31"})
    assert response.status_code == 400
    assert "Planen har redan en uppföljningsomgång för det här året" in response.content.decode()
    response = client.post(url, {"year": str(plan.end_year + 5), "deadline": "2030-01-31"})
    assert response.status_code == 400
    assert plan.follow_up_rounds.count() == 1


def test_it_closes_a_round(client, world):
    world.login(client, "editor")
    round = FollowUpRound.objects.create(plan=world.tree.plan, year=2022, deadline="2030-01-31")
    response = client.post(
        reverse("round_edit", args=[round.pk]),
        {"deadline": "2030-02-15", "instructions": "", "status": "closed"},
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.status == FollowUpRound.Status.CLOSED
    assert round.deadline == datetime.date(2030, 2, 15)
    assert round.history.latest().history_change_reason == "Omgången stängd"


@pytest.fixture
def answered(world):
    """Four activities in 2022: done (A), draft (A and B), not started (B), not started (no organisation)."""
    plan = world.tree.plan
    a, b = world.organisation, OrganisationFactory(name="Region Norrbotten")
    first, second, third, fourth = world.tree.activities
    first.lead_organisations.set([a])
    second.lead_organisations.set([a, b])
    third.lead_organisations.set([b])
    fourth.lead_organisations.clear()
    FollowUpFactory(activity=first, year=2022, state=FollowUpState.DONE)
    FollowUpFactory(activity=second, year=2022, state=FollowUpState.DRAFT)
    FollowUpFactory(activity=third, year=2021, state=FollowUpState.DONE)  # another year
    # Ended before 2022: not in the round.
    ActivityFactory(plan=plan, end_date=datetime.date(2021, 6, 30)).lead_organisations.set([a])
    return FollowUpRound.objects.create(plan=plan, year=2022, deadline="2023-01-31"), a, b


def test_it_counts_per_activity_and_organisation(client, world, answered):
    from rounds.progress import round_progress

    round, _a, _b = answered
    progress = round_progress(round)
    assert [row.state for row in progress.rows] == ["done", "draft", "missing", "missing"]
    assert (progress.totals.done, progress.totals.draft, progress.totals.missing) == (1, 1, 2)
    by_name = {
        (entry.organisation.name if entry.organisation else None): (
            entry.counts.done,
            entry.counts.draft,
            entry.counts.missing,
        )
        for entry in progress.by_organisation
    }
    assert by_name == {"Kommunen": (1, 1, 0), "Region Norrbotten": (0, 1, 1), None: (0, 0, 1)}
    world.login(client, "reader")
    content = client.get(reverse("round_detail", args=[round.pk])).content.decode()
    assert "1 av 4 klara" in content
    assert '<progress class="round-progress" max="4" value="1"' in content


def test_it_filters_missing_done_and_per_organisation(client, world, answered):
    round, a, b = answered
    first, second, third, fourth = world.tree.activities
    world.login(client, "reader")
    url = reverse("round_detail", args=[round.pk])

    def shown(query):
        content = client.get(url + query).content.decode()
        return [activity for activity in world.tree.activities if f'id="rad-{activity.pk}"' in content]

    assert shown("") == [first, second, third, fourth]
    assert shown("?visa=saknas") == [second, third, fourth]
    assert shown("?visa=klar") == [first]
    assert shown(f"?organisation={b.pk}") == [second, third]
    assert shown(f"?visa=saknas&organisation={a.pk}") == [second]
    assert shown("?visa=nonsense&organisation=abc") == [first, second, third, fourth]


def test_it_keeps_the_round_pages_query_count_constant(client, world, answered):
    round, _a, _b = answered
    world.login(client, "contributor")
    url = reverse("round_detail", args=[round.pk])
    before = queries_for(client, url)
    for _ in range(6):
        activity = ActivityFactory(plan=world.tree.plan)
        activity.lead_organisations.set([OrganisationFactory()])
        FollowUpFactory(activity=activity, year=2022)
    assert queries_for(client, url) == before


def test_it_links_the_round_from_the_plan_page(client, world):
    world.login(client, "reader")
    content = client.get(reverse("plan_detail", args=[world.tree.plan.pk])).content.decode()
    assert reverse("plan_rounds", args=[world.tree.plan.pk]) in content
