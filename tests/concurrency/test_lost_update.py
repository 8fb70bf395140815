"""No lost update: two editors who post the same object from the same version at the same moment.

Each round is a pair of requests through the real views, one per thread, each thread
with its own logged-in client and its own database connection. A barrier releases the
pair together, and a second barrier holds both requests just before the row lock, so
that both have read the row and checked nothing yet: without the lock both would pass
the version check and both be saved (a real race, not a lucky schedule).

How we know the test can fail: ``test_it_catches_a_lost_update_without_the_lock`` runs
the same pairs with ``lock_row`` replaced by a plain read (what the views did before)
and asserts that then both requests of every pair are saved. It was also checked by
hand on PostgreSQL: with ``select_for_update()`` taken out of ``lock_rows``, the three
tests above it fail at their first pair (two winners; [302, 302]; [200, 200]).
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from activities.models import Activity, ActivityFollowUp
from planportal.lib import locking
from tests.factories import FollowUpFactory
from tests.personas import World

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite serialises whole transactions, so there is no race to lose. "
        "CI runs this on PostgreSQL (DATABASE_URL).",
    ),
    pytest.mark.django_db(transaction=True),
]

PAIRS = 20
HTMX = {"HTTP_HX_REQUEST": "true"}
ROW_CONFLICT = "Någon annan ändrade aktiviteten nyss"
TIMEOUT = 10


@pytest.fixture
def world():
    world = World.build(activities=PAIRS)
    for activity in world.tree.activities:
        FollowUpFactory(activity=activity, year=2022, achieved="Före")
    return world


@pytest.fixture
def meet_at_the_lock(monkeypatch):
    """Both requests of a pair reach the row lock before either takes it."""
    barrier = threading.Barrier(2)

    def lock_row(instance):
        barrier.wait(timeout=TIMEOUT)
        return locking.lock_row(instance)

    for module in ("activities.views", "plans.views.common"):
        monkeypatch.setattr(f"{module}.lock_row", lock_row)
    return monkeypatch


def fire_pairs(world: World, post: Callable[[Client, int, int], object]) -> list[tuple]:
    """Run ``post(client, pair, side)`` for sides 0 and 1 of every pair at the same moment."""
    clients = [world.login(Client(), "editor") for _side in range(2)]
    start = threading.Barrier(2)
    results: dict[tuple[int, int], object] = {}
    errors: list[BaseException] = []

    def worker(side: int) -> None:
        try:
            for pair in range(PAIRS):
                start.wait(timeout=TIMEOUT)
                results[pair, side] = post(clients[side], pair, side)
        except BaseException as error:  # surfaced in the main thread
            errors.append(error)
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(side,)) for side in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return [(results[pair, 0], results[pair, 1]) for pair in range(PAIRS)]


def versions(model, pk: int) -> int:
    return model.history.filter(id=pk).count()


def post_status(world: World, loaded: dict) -> Callable:
    statuses = ("paused", "done")

    def post(client: Client, pair: int, side: int):
        activity = world.tree.activities[pair]
        response = client.post(
            reverse("activity_status", args=[activity.pk]),
            {"status": statuses[side], "version": loaded[activity.pk]},
            **HTMX,
        )
        return response.status_code, ROW_CONFLICT in response.content.decode(), statuses[side]

    return post


def loaded_versions(objects) -> dict:
    return {obj.pk: obj.updated_at.isoformat() for obj in objects}


def test_it_saves_one_of_two_simultaneous_status_changes(world, meet_at_the_lock):
    activities = world.tree.activities
    loaded = loaded_versions(activities)
    before = {activity.pk: versions(Activity, activity.pk) for activity in activities}

    outcomes = fire_pairs(world, post_status(world, loaded))

    for activity, pair in zip(activities, outcomes, strict=True):
        assert all(status == 200 for status, _conflict, _value in pair), pair
        winners = [value for _status, conflict, value in pair if not conflict]
        assert len(winners) == 1, pair
        activity.refresh_from_db()
        assert activity.status == winners[0]
        assert versions(Activity, activity.pk) == before[activity.pk] + 1


def test_it_saves_one_of_two_simultaneous_activity_edits(world, meet_at_the_lock):
    activities = world.tree.activities
    loaded = loaded_versions(activities)
    before = {activity.pk: versions(Activity, activity.pk) for activity in activities}

    def post(client: Client, pair: int, side: int):
        activity = activities[pair]
        url = reverse("activity_edit", args=[activity.pk])
        data = {
            "title": f"Aktivitet {pair} enligt redaktör {side}",
            "current_state": activity.current_state,
            "expected_result": activity.expected_result,
            "indicators_text": activity.indicators_text,
            "timeline": activity.timeline,
            "responsible": activity.responsible,
            "cost_text": activity.cost_text,
            "status": activity.status,
            "activity_type": activity.activity_type,
            "priority_area": activity.priority_area_id,
            "goals": [goal.pk for goal in world.tree.goals[:1]],
            "version": loaded[activity.pk],
        }
        response = client.post(url, data)
        return response.status_code, data["title"]

    outcomes = fire_pairs(world, post)

    for activity, pair in zip(activities, outcomes, strict=True):
        assert sorted(status for status, _title in pair) == [302, 409], pair
        winner = next(title for status, title in pair if status == 302)
        activity.refresh_from_db()
        assert activity.title == winner
        assert versions(Activity, activity.pk) == before[activity.pk] + 1


def test_it_saves_one_of_two_simultaneous_follow_up_edits(world, meet_at_the_lock):
    follow_ups = list(ActivityFollowUp.objects.filter(activity__in=world.tree.activities).order_by("id"))
    loaded = loaded_versions(follow_ups)
    before = {follow_up.pk: versions(ActivityFollowUp, follow_up.pk) for follow_up in follow_ups}

    def post(client: Client, pair: int, side: int):
        follow_up = follow_ups[pair]
        achieved = f"Uppföljning {pair} enligt redaktör {side}"
        response = client.post(
            reverse("follow_up_edit", args=[follow_up.pk]),
            {"year": "2022", "status": "ongoing", "achieved": achieved, "version": loaded[follow_up.pk]},
            **HTMX,
        )
        return response.status_code, achieved

    outcomes = fire_pairs(world, post)

    for follow_up, pair in zip(follow_ups, outcomes, strict=True):
        assert sorted(status for status, _achieved in pair) == [200, 409], pair
        winner = next(achieved for status, achieved in pair if status == 200)
        follow_up.refresh_from_db()
        assert follow_up.achieved == winner
        assert versions(ActivityFollowUp, follow_up.pk) == before[follow_up.pk] + 1


def test_it_catches_a_lost_update_without_the_lock(world, meet_at_the_lock):
    """The harness itself: with a plain read instead of the lock, both of every pair are saved."""

    def unlocked_read(instance):
        return type(instance).objects.get(pk=instance.pk)

    meet_at_the_lock.setattr(locking, "lock_row", unlocked_read)
    activities = world.tree.activities
    outcomes = fire_pairs(world, post_status(world, loaded_versions(activities)))

    both_saved = sum(1 for pair in outcomes if not any(conflict for _status, conflict, _value in pair))
    assert both_saved == PAIRS
