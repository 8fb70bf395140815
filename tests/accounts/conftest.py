import pytest

from tests.personas import World


@pytest.fixture
def world(db) -> World:
    world = World.build(activities=1)
    for name, user in world.users.items():
        user.email = f"{name}@example.se"
        user.first_name = name.capitalize()
        user.save()
    return world
