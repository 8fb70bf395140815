"""Live PDFs are bounded: an unchanged plan is served from the cache, and each person renders
one PDF at a time and a few an hour, with a Swedish page that says when to try again."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from plans.reports import services
from tests.factories import ActivityFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Count the renders; each gives different bytes, so a cached answer can be told apart."""
    calls: list[int] = []

    def fake_render(plan, year, *, report=None) -> bytes:
        calls.append(plan.pk)
        return f"%PDF-1.7 render {len(calls)}".encode()

    monkeypatch.setattr(services, "render_report_pdf", fake_render)
    return calls


def _get(client, world, name: str = "report_pdf"):
    return client.get(reverse(name, args=[world.plan.pk, 2022]))


def test_it_serves_an_unchanged_plan_from_the_cache(client, world, renders):
    world.login(client, "reader")
    first = _get(client, world)
    second = _get(client, world)
    live = _get(client, world, "report_pdf_live")
    assert first.status_code == second.status_code == live.status_code == 200
    assert first.content == second.content == live.content == b"%PDF-1.7 render 1"
    assert len(renders) == 1


def test_it_shares_the_cache_between_readers(client, world, renders):
    world.login(client, "reader")
    _get(client, world)
    world.login(client, "approver")
    assert _get(client, world).content == b"%PDF-1.7 render 1"
    assert len(renders) == 1


@pytest.mark.parametrize(
    "change",
    [
        "edit_activity",
        "add_activity",
        "delete_activity",
        "add_follow_up",
        "edit_follow_up",
        "edit_goal",
        "edit_plan",
        "link_goal",
    ],
)
def test_it_renders_again_after_any_change_to_the_plan(client, world, renders, change):
    activity = world.tree.activities[0]
    follow_up = FollowUpFactory(activity=activity, year=2022, achieved="Före")
    world.login(client, "reader")
    _get(client, world)
    if change == "edit_activity":
        activity.title = "Ny titel"
        activity.save()
    elif change == "add_activity":
        ActivityFactory(plan=world.plan, priority_area=activity.priority_area)
    elif change == "delete_activity":
        world.tree.activities[1].delete()
    elif change == "add_follow_up":
        FollowUpFactory(activity=world.tree.activities[1], year=2022)
    elif change == "edit_follow_up":
        follow_up.achieved = "Efter"
        follow_up.save()
    elif change == "edit_goal":
        goal = world.tree.goals[0]
        goal.background = "Ny bakgrund"
        goal.save()
    elif change == "edit_plan":
        world.plan.title = "Ny plan"
        world.plan.save()
    elif change == "link_goal":
        world.tree.activities[1].goals.add(world.tree.goals[1])
    assert _get(client, world).content == b"%PDF-1.7 render 2"
    assert len(renders) == 2


def test_it_keeps_one_cached_pdf_per_plan_and_year(client, world, renders, settings):
    world.login(client, "reader")
    _get(client, world)
    world.plan.title = "Ny plan"
    world.plan.save()
    _get(client, world)
    cached = list((settings.MEDIA_ROOT / "cache" / "reports").glob("*.pdf"))
    assert len(cached) == 1
    assert cached[0].read_bytes() == b"%PDF-1.7 render 2"


def test_it_bounds_the_renders_of_a_person_per_hour(client, world, renders, settings):
    settings.REPORT_PDF_RENDERS_PER_HOUR = 2
    world.login(client, "reader")
    for index in range(2):
        world.plan.title = f"Version {index}"
        world.plan.save()
        assert _get(client, world).status_code == 200
    world.plan.title = "Version 3"
    world.plan.save()
    response = _get(client, world, "report_pdf_live")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Vänta lite innan nästa PDF" in page
    assert "Du har skapat 2 PDF:er den senaste timmen" in page
    assert "Försök igen efter kl. " in page
    assert 3500 <= int(response["Retry-After"]) <= 3600
    assert len(renders) == 2

    # Someone else is not held back by it.
    world.login(client, "approver")
    assert _get(client, world).status_code == 200


def test_it_serves_a_cached_pdf_to_a_person_past_the_limit(client, world, renders, settings):
    settings.REPORT_PDF_RENDERS_PER_HOUR = 1
    world.login(client, "reader")
    _get(client, world)
    assert _get(client, world).status_code == 200
    assert len(renders) == 1


def test_it_renders_one_pdf_at_a_time_per_person(client, world, renders):
    reader = world.users["reader"]
    world.login(client, "reader")
    cache.add(f"report-pdf:rendering:{reader.pk}", 0, 600)  # a render of this person's is running
    response = _get(client, world)
    assert response.status_code == 429
    assert "En PDF skapas redan åt dig." in response.content.decode()
    assert int(response["Retry-After"]) <= 30
    assert renders == []

    cache.delete(f"report-pdf:rendering:{reader.pk}")
    assert _get(client, world).status_code == 200


def test_it_lets_the_next_render_run_when_one_fails(client, world, monkeypatch):
    def broken(plan, year, *, report=None):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(services, "render_report_pdf", broken)
    world.login(client, "reader")
    with pytest.raises(RuntimeError):
        _get(client, world)
    monkeypatch.setattr(services, "render_report_pdf", lambda plan, year, report=None: b"%PDF-1.7 ok")
    assert _get(client, world).status_code == 200


def test_it_serves_the_real_pdf_from_the_cache_byte_for_byte(client, world):
    world.login(client, "reader")
    first = _get(client, world)
    second = _get(client, world, "report_pdf_live")
    assert first.content.startswith(b"%PDF")
    assert first.content == second.content
