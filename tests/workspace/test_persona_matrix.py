"""Every workspace page, for every persona: who gets the page, who gets 404, who must log in."""

import pytest
from django.urls import reverse

from tests.factories import FollowUpFactory
from tests.personas import EDIT, PERSONAS, READ, World, assert_status

pytestmark = pytest.mark.django_db

# (url name, how to get its arguments from the world, READ or EDIT)
PAGES = [
    ("county_detail", lambda w: ["BD"], READ),
    ("county_deleted", lambda w: ["BD"], READ),
    ("plan_create", lambda w: ["BD"], EDIT),
    ("plan_detail", lambda w: [w.tree.plan.pk], READ),
    ("plan_edit", lambda w: [w.tree.plan.pk], EDIT),
    ("plan_delete", lambda w: [w.tree.plan.pk], EDIT),
    ("priority_area_create", lambda w: [w.tree.plan.pk], EDIT),
    ("priority_area_edit", lambda w: [w.tree.activities[0].priority_area_id], EDIT),
    ("priority_area_delete", lambda w: [w.tree.activities[0].priority_area_id], EDIT),
    ("goal_create", lambda w: [w.tree.plan.pk], EDIT),
    ("goal_edit", lambda w: [w.tree.goals[0].pk], EDIT),
    ("goal_delete", lambda w: [w.tree.goals[0].pk], EDIT),
    ("activity_create", lambda w: [w.tree.plan.pk], EDIT),
    ("activity_detail", lambda w: [w.tree.activities[0].pk], READ),
    ("activity_edit", lambda w: [w.tree.activities[0].pk], EDIT),
    ("activity_delete", lambda w: [w.tree.activities[0].pk], EDIT),
    ("follow_up_create", lambda w: [w.tree.activities[0].pk], EDIT),
    ("follow_up_show", lambda w: [w.follow_up.pk], READ),
    ("follow_up_edit", lambda w: [w.follow_up.pk], EDIT),
    ("follow_up_delete", lambda w: [w.follow_up.pk], EDIT),
    ("object_history", lambda w: ["activity", w.tree.activities[0].pk], READ),
    ("history_compare", lambda w: ["goal", w.tree.goals[0].pk], READ),
]


@pytest.fixture
def world():
    world = World.build()
    world.follow_up = FollowUpFactory(activity=world.tree.activities[0])
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona(client, world, persona, name, args, expected):
    world.login(client, persona)
    assert_status(client.get(reverse(name, args=args(world))), expected[persona])


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_lets_an_admin_see_every_page(client, world, name, args, expected):
    world.login(client, "admin")
    assert client.get(reverse(name, args=args(world))).status_code == 200
