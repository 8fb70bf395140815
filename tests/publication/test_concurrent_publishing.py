"""Two coordinators who publish the same plan at the same moment, each from the page as it was
before: one publication is made, the other person is told, nothing is lost or doubled.

Both requests are held just before the plan's row lock, so that both have read the page's
state and neither has checked it yet (see tests/concurrency/test_lost_update.py)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from planportal.lib import locking
from publication.models import PlanPublication
from tests.factories import PlanTree
from tests.personas import World

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite serialises whole transactions, so there is no race.",
    ),
    pytest.mark.django_db(transaction=True),
]

PAIRS = 5
TIMEOUT = 10


def test_it_makes_one_publication_of_two_simultaneous_ones(monkeypatch):
    world = World.build(activities=1)
    plans = [world.tree.plan] + [
        PlanTree.build(county=world.county, activities=1).plan for _ in range(PAIRS - 1)
    ]
    barrier = threading.Barrier(2)

    def lock_row(instance):
        barrier.wait(timeout=TIMEOUT)
        return locking.lock_row(instance)

    monkeypatch.setattr("publication.services.lock_row", lock_row)
    clients = [world.login(Client(), persona) for persona in ("editor", "approver")]
    start = threading.Barrier(2)
    results: dict[tuple[int, int], int] = {}
    errors: list[BaseException] = []

    def worker(side: int) -> None:
        try:
            for pair, plan in enumerate(plans):
                start.wait(timeout=TIMEOUT)
                response = clients[side].post(
                    reverse("plan_publication", args=[plan.pk]),
                    {"action": "publish", "licence": "cc0", "expected": 0},
                )
                results[pair, side] = response.status_code
        except BaseException as error:
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
    for pair, plan in enumerate(plans):
        assert sorted([results[pair, 0], results[pair, 1]]) == [302, 400], pair
        assert PlanPublication.objects.filter(plan=plan).count() == 1
