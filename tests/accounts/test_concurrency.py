"""Two people at the same moment: one invitation accepted twice, one role changed twice.

Each pair is two requests through the real views, one thread and database connection each,
held together just before the row lock (as tests/concurrency/test_lost_update.py does): without
the lock both would pass the check. Checked by hand: with ``lock_row`` in accounts.services
replaced by a plain read, both requests of a pair succeed and these tests fail.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import services
from planportal.lib import locking
from plans.models import Membership, Role
from tests.factories import member

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="Needs PostgreSQL's row locks (CI runs it)."
    ),
    pytest.mark.django_db(transaction=True),
]
TIMEOUT = 10


@pytest.fixture
def meet_at_the_lock(monkeypatch):
    barrier = threading.Barrier(2)

    def lock_row(instance):
        barrier.wait(timeout=TIMEOUT)
        return locking.lock_row(instance)

    monkeypatch.setattr("accounts.services.lock_row", lock_row)


def both_at_once(clients, post) -> list:
    start = threading.Barrier(2)
    results, errors = [None, None], []

    def worker(side: int) -> None:
        try:
            start.wait(timeout=TIMEOUT)
            results[side] = post(clients[side], side)
        except BaseException as error:  # surfaced in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(side,)) for side in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_an_invitation_accepted_twice_at_once_makes_one_person(world, meet_at_the_lock):
    invitation = services.invite(
        county=world.county, email="ny@example.se", role=Role.READER, by=world.users["editor"]
    )
    url = reverse("invitation_accept", args=[invitation.token])
    password = "Fjällbjörk-1972!"

    def post(client, side):
        data = {"username": f"ny{side}", "password1": password, "password2": password}
        return client.post(url, data).status_code

    assert sorted(both_at_once([Client(), Client()], post)) == [302, 410]
    assert Membership.objects.filter(user__username__in=["ny0", "ny1"]).count() == 1
    assert Membership.objects.filter(user__username__startswith="ny").count() == 1


def test_a_role_changed_twice_at_once_keeps_one_and_says_so(world, meet_at_the_lock):
    second = member(world.county, Role.EDITOR, username="samordnare-2")
    clients = [world.login(Client(), "editor"), Client()]
    clients[1].force_login(second)
    membership = world.users["reader"].memberships.get()
    url = reverse("membership_edit", args=[world.county.letter_code, membership.pk])
    roles = [Role.APPROVER, Role.EDITOR]

    def post(client, side):
        return client.post(url, {"role": roles[side], "shown_role": Role.READER}).status_code

    results = both_at_once(clients, post)
    assert sorted(results) == [302, 409]
    membership.refresh_from_db()
    assert membership.role == roles[results.index(302)]
