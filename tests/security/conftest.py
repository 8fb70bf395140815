import pytest
from django.test import Client

from tests.factories import FollowUpFactory
from tests.personas import World

# Every name of county X's objects carries this word, so that a page of county BD can be
# searched for any trace of them.
SECRET = "Hemlig"


@pytest.fixture
def world(db):
    world = World.build()
    world.follow_up = FollowUpFactory(activity=world.tree.activities[0])
    other = world.other_tree
    other.plan.title = f"{SECRET} plan X"
    other.plan.save()
    for index, goal in enumerate(other.goals):
        goal.title = f"{SECRET} mål X{index}"
        goal.code = f"X9.{index}"
        goal.save()
    for index, activity in enumerate(other.activities):
        activity.title = f"{SECRET} aktivitet X{index}"
        activity.save()
        area = activity.priority_area
        area.name = f"{SECRET} område X{index}"
        area.save()
    world.other_follow_up = FollowUpFactory(
        activity=other.activities[0], achieved=f"{SECRET} måluppfyllelse X", year=2022
    )
    return world


@pytest.fixture
def safe_client():
    """A client that answers a crash with the 500 a user would see, instead of raising."""
    return Client(raise_request_exception=False)


def shows_secret(response) -> bool:
    return SECRET.casefold() in response.content.decode(errors="replace").casefold()
