"""The header leads a contributor to what is asked of them."""

import pytest
from django.urls import reverse

from plans.models import Membership, Role
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_it_shows_my_follow_up_in_the_header_to_contributors_only(client):
    world = World.build()
    editor = world.users["editor"]
    client.force_login(editor)
    assert reverse("my_follow_up") not in client.get(reverse("home")).content.decode()
    Membership.objects.filter(user=editor).update(role=Role.CONTRIBUTOR)
    client.force_login(editor)
    content = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("my_follow_up")}">Min uppföljning</a>' in content
