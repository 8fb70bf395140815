"""The plan page's matrix: chosen columns, sorting through the plan, folded groups and pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from plans.views import plan_page
from tests.factories import ActivityFactory, FollowUpFactory, PriorityAreaFactory
from tests.personas import World, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


def url(world) -> str:
    return reverse("plan_detail", args=[world.tree.plan.pk])


def page(client, world, **params) -> str:
    response = client.get(url(world), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_every_column_and_a_budget_column_by_default(client, world):
    activity = world.tree.activities[0]
    activity.budget = Decimal("450000")
    activity.save()
    world.login(client, "reader")
    content = page(client, world)
    for heading in ("Nuläge", "Mål", "Indikatorer", "Tidsplan", "Ansvar", "Kostnad", "Budget", "Status"):
        assert f">{heading}</th>" in content
    assert '<td class="num" data-label="Budget">450\xa0000\xa0kr</td>' in content


def test_it_remembers_the_columns_a_person_chose(client, world):
    world.login(client, "editor")
    content = page(client, world, kolumner="1", kolumn=["budget", "ansvar"])
    assert ">Nuläge</th>" not in content
    assert ">Ansvar</th>" in content and ">Budget</th>" in content
    # Later visits, and the row htmx sends back after a status change, keep the choice.
    content = page(client, world)
    assert ">Nuläge</th>" not in content and ">Budget</th>" in content
    activity = world.tree.activities[0]
    row = client.post(
        reverse("activity_status", args=[activity.pk]),
        {"status": "done", "version": activity.updated_at.isoformat()},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'data-label="Ansvar"' in row and 'data-label="Nuläge"' not in row
    # Choosing none leaves the title and the status.
    content = page(client, world, kolumner="1")
    assert 'class="col-ansvar"' not in content and ">Status</th>" in content and activity.title in content


def test_it_sorts_by_budget_through_the_whole_plan_in_one_list(client, world):
    plan = world.tree.plan
    other_area = PriorityAreaFactory(plan=plan, name="Ett annat område", position=9)
    ActivityFactory(plan=plan, title="Liten budget", budget=Decimal("1000"))
    ActivityFactory(plan=plan, priority_area=other_area, title="Störst budget", budget=Decimal("900000"))
    ActivityFactory(plan=plan, title="Mellanbudget", budget=Decimal("50000"))
    world.login(client, "reader")
    content = page(client, world, sortera="budget")
    positions = [content.index(title) for title in ("Störst budget", "Mellanbudget", "Liten budget")]
    assert positions == sorted(positions)
    assert "Insatsområde – Ett annat område" not in content


def test_it_finds_activities_by_their_follow_up_and_cost_text(client, world):
    activity = world.tree.activities[1]
    FollowUpFactory(activity=activity, year=2022, achieved="Tolv utbildningstillfällen i Kiruna")
    other = world.tree.activities[2]
    other.cost_text = "Inom ordinarie budget för Piteå"
    other.save()
    world.login(client, "reader")
    content = page(client, world, q="kiruna")
    assert activity.title in content and world.tree.activities[0].title not in content
    assert other.title in page(client, world, q="piteå")


def test_it_gives_each_row_under_several_goals_its_own_ids(client, world):
    activity = world.tree.activities[0]
    activity.goals.set(world.tree.goals)
    world.login(client, "editor")
    content = page(client, world, grupp="mal")
    first, second = world.tree.goals
    assert f'id="g{first.pk}-aktivitet-{activity.pk}"' in content
    assert f'id="g{second.pk}-aktivitet-{activity.pk}"' in content
    assert content.count(f'id="g{first.pk}-status-{activity.pk}"') == 1
    row = client.post(
        reverse("activity_status", args=[activity.pk]),
        {"status": "done", "version": activity.updated_at.isoformat(), "rad": f"g{second.pk}-"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert row.startswith(f'<tr id="g{second.pk}-aktivitet-{activity.pk}"')
    forged = client.post(
        reverse("activity_status", args=[activity.pk]),
        {"status": "done", "rad": '"><script>'},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<script>" not in forged


@pytest.fixture
def folded(monkeypatch):
    monkeypatch.setattr(plan_page, "ROWS_AT_ONCE", 4)
    monkeypatch.setattr(plan_page, "PAGE_SIZE", 4)


def test_it_folds_the_groups_of_a_plan_larger_than_a_page(client, world, folded):
    plan = world.tree.plan
    area = world.tree.activities[0].priority_area
    other_area = PriorityAreaFactory(plan=plan, name="Stärkt brukarmedverkan", position=5)
    for number in range(3):
        ActivityFactory(plan=plan, priority_area=other_area, title=f"Brukarråd {number}")
    world.login(client, "reader")
    content = page(client, world)
    assert 'class="matrix-group folded"' in content
    assert "Brukarråd 0" not in content and world.tree.activities[0].title not in content
    assert "3 aktiviteter" in content
    assert f"insatsomrade={other_area.pk}" in content
    # Opening a group, with htmx or by its link, shows its rows.
    rows = client.get(
        url(world), {"insatsomrade": other_area.pk, "del": "matris"}, headers={"HX-Request": "true"}
    )
    assert "Brukarråd 2" in rows.content.decode() and "<html" not in rows.content.decode()
    content = page(client, world, insatsomrade=area.pk)
    assert world.tree.activities[0].title in content and "Brukarråd 0" not in content


def test_it_pages_a_single_long_list(client, world, folded):
    for number in range(4):
        ActivityFactory(plan=world.tree.plan, title=f"Extra {number}", position=100 + number)
    world.login(client, "reader")
    first = page(client, world, grupp="ingen")
    assert "Sida 1 av 2" in first and "Nästa sida" in first
    assert "7 aktiviteter" in first
    second = page(client, world, grupp="ingen", sida=2)
    for activity in world.tree.plan.activities.all():
        assert (activity.title in first) != (activity.title in second), activity.title
    assert "Sida 2 av 2" in page(client, world, grupp="ingen", sida=999)


def test_it_makes_as_many_queries_folded_or_paged_whatever_the_size(client, world, monkeypatch):
    monkeypatch.setattr(plan_page, "ROWS_AT_ONCE", 2)
    monkeypatch.setattr(plan_page, "PAGE_SIZE", 2)
    world.login(client, "admin")
    before = {
        view: queries_for(client, url(world) + query)
        for view, query in (("folded", ""), ("paged", "?grupp=ingen"))
    }
    Activity.objects.bulk_create(
        Activity(plan=world.tree.plan, priority_area=world.tree.activities[0].priority_area, title=f"A {n}")
        for n in range(60)
    )
    after = {
        view: queries_for(client, url(world) + query)
        for view, query in (("folded", ""), ("paged", "?grupp=ingen"))
    }
    assert after == before


def test_it_folds_long_cells_so_they_open_in_place(client, world):
    activity = world.tree.activities[0]
    activity.current_state = "Lång text om nuläget. " * 20
    activity.expected_result = "Kort"
    activity.save()
    world.login(client, "reader")
    content = page(client, world)
    assert '<details class="clamp"><summary><span class="clamp-text">Lång text om nuläget.' in content
    assert '<td data-label="Mål">Kort</td>' in content


def test_it_offers_every_status_in_the_filter(client, world):
    world.login(client, "reader")
    content = page(client, world)
    for value, label in (("planned", "Planerad"), ("delayed", "Försenad"), ("cancelled", "Inställd")):
        assert f'<option value="{value}">{label}</option>' in content
