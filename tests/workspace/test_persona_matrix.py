"""Every workspace page, for every persona: who gets the page, who gets 404, who must log in."""

import datetime

import pytest
from django.urls import reverse

from rounds.models import FollowUpRound
from tests.factories import FollowUpFactory
from tests.personas import CONTRIBUTE, EDIT, PERSONAS, READ, World, assert_status

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
    # The activity the contributor's organisation leads: they write its follow-ups, never delete them.
    ("activity_detail", lambda w: [w.contributed.pk], READ),
    ("activity_edit", lambda w: [w.contributed.pk], EDIT),
    ("follow_up_create", lambda w: [w.contributed.pk], CONTRIBUTE),
    ("follow_up_edit", lambda w: [w.contributed_follow_up.pk], CONTRIBUTE),
    ("follow_up_delete", lambda w: [w.contributed_follow_up.pk], EDIT),
    ("plan_rounds", lambda w: [w.tree.plan.pk], READ),
    ("round_open", lambda w: [w.tree.plan.pk], EDIT),
    ("round_detail", lambda w: [w.round.pk], READ),
    ("round_edit", lambda w: [w.round.pk], EDIT),
    ("object_history", lambda w: ["activity", w.tree.activities[0].pk], READ),
    ("history_compare", lambda w: ["goal", w.tree.goals[0].pk], READ),
]

# The same view on the contributor's activity (listed second) is told apart by its id.
_NAMES = [page[0] for page in PAGES]
PAGE_IDS = [name + ("-contributed" if name in _NAMES[:index] else "") for index, name in enumerate(_NAMES)]


@pytest.fixture
def world():
    world = World.build()
    world.follow_up = FollowUpFactory(activity=world.tree.activities[0])
    world.contributed_follow_up = FollowUpFactory(activity=world.contributed)
    world.round = FollowUpRound.objects.create(
        plan=world.tree.plan, year=world.tree.plan.start_year, deadline=datetime.date(2030, 1, 31)
    )
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=PAGE_IDS)
def test_it_answers_each_persona(client, world, persona, name, args, expected):
    world.login(client, persona)
    assert_status(client.get(reverse(name, args=args(world))), expected[persona])


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=PAGE_IDS)
def test_it_lets_an_admin_see_every_page(client, world, name, args, expected):
    world.login(client, "admin")
    assert client.get(reverse(name, args=args(world))).status_code == 200


GARBAGE = {
    "title": "x" * 5000,
    "code": "y" * 100,
    "name": "",
    "budget": "NaN",
    "spent": "1e999",
    "year": "99999999999",
    "start_year": "-1",
    "end_year": "abc",
    "status": "<script>",
    "goals": ["abc", "999999"],
    "priority_area": "1; DROP TABLE",
    "start_date": "2022-13-45",
    "end_date": "igår",
    "county": "999999",
    "version": "garbage",
    "position": "-5",
}


@pytest.mark.parametrize(
    ("name", "args"), [(page[0], page[1]) for page in PAGES if page[2] is EDIT], ids=lambda value: str(value)
)
def test_it_never_answers_500_to_garbage(client, world, name, args):
    world.login(client, "editor")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        # (A delete succeeds the first time; the second time the object is gone: 404.)
        response = client.post(reverse(name, args=args(world)), GARBAGE, **headers)
        assert response.status_code in (200, 302, 400, 404, 409), response.status_code
