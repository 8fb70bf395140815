"""Live PDFs are made once per state of the plan: an unchanged plan is served from the cache to
everyone, any change the report shows makes a new one, and one file per plan and year is kept.
(The job, the waiting page and the limits per person: test_pdf_jobs.py.)"""

import pytest
from django.urls import reverse

from plans.models import ReportRender
from tests.factories import ActivityFactory, FollowUpFactory
from tests.reports.jobs import download, run_jobs

pytestmark = pytest.mark.django_db


def _url(world, name: str = "report_pdf") -> str:
    return reverse(name, args=[world.plan.pk, 2022])


def _renders() -> list[str]:
    """The state of each render of the plan, oldest first."""
    return list(ReportRender.objects.order_by("created_at", "pk").values_list("state", flat=True))


def test_it_serves_an_unchanged_plan_from_the_cache_to_everyone(client, world):
    world.login(client, "reader")
    first = download(client, _url(world))
    second = client.get(_url(world))
    live = client.get(_url(world, "report_pdf_live"))
    world.login(client, "approver")
    other = client.get(_url(world))
    assert first.status_code == second.status_code == live.status_code == other.status_code == 200
    assert first.content == second.content == live.content == other.content
    assert first.content.startswith(b"%PDF-")
    assert _renders() == ["done"]


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
def test_it_makes_a_new_pdf_after_any_change_to_the_plan(client, world, change):
    activity = world.tree.activities[0]
    follow_up = FollowUpFactory(activity=activity, year=2022, achieved="Före")
    world.login(client, "reader")
    before = download(client, _url(world)).content
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
        world.tree.activities[0].goals.add(world.tree.goals[1])
    assert client.get(_url(world)).status_code == 202
    [task] = run_jobs()
    assert task.result == "rendered"
    assert client.get(_url(world)).content != before


def test_it_keeps_one_cached_pdf_per_plan_and_year(client, world, settings):
    world.login(client, "reader")
    download(client, _url(world))
    world.plan.title = "Ny plan"
    world.plan.save()
    newest = download(client, _url(world)).content
    cached = list((settings.MEDIA_ROOT / "cache" / "reports").glob("*.pdf"))
    assert len(cached) == 1
    assert cached[0].read_bytes() == newest
