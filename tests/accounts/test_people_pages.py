"""The people pages of a county: who may open them, and what a POST changes."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, PeopleEvent
from plans.models import Membership, Role
from tests.factories import OrganisationFactory, member
from tests.personas import EDIT, PERSONAS, assert_status

pytestmark = pytest.mark.django_db


def people_url(county) -> str:
    return reverse("county_people", args=[county.letter_code])


def membership_of(world, persona):
    return world.users[persona].memberships.get()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona_on_the_people_page(client, world, persona):
    world.login(client, persona)
    assert_status(client.get(people_url(world.county)), EDIT[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona_on_the_role_page(client, world, persona):
    world.login(client, persona)
    url = reverse("membership_edit", args=[world.county.letter_code, membership_of(world, "reader").pk])
    assert_status(client.get(url), EDIT[persona])


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver", "contributor"])
def test_it_lets_no_one_but_the_county_admin_invite(client, world, persona):
    world.login(client, persona)
    response = client.post(people_url(world.county), {"email": "ny@example.se", "role": Role.EDITOR})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_it_lets_the_editor_invite_and_shows_the_invitation(
    client, world, django_capture_on_commit_callbacks
):
    world.login(client, "editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            people_url(world.county),
            {"email": " Ny@Example.se ", "role": Role.READER, "reason": "ny i gruppen"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "ny@example.se",
        Role.READER,
        world.users["editor"],
    )
    assert PeopleEvent.objects.get().reason == "ny i gruppen"
    page = client.get(people_url(world.county)).content.decode()
    assert "ny@example.se" in page


def test_it_refuses_a_contributor_without_organisations_or_with_another_countys(client, world):
    world.login(client, "editor")
    response = client.post(people_url(world.county), {"email": "k@example.se", "role": Role.CONTRIBUTOR})
    assert response.status_code == 400
    assert "organisations" in response.context["form"].errors
    foreign = OrganisationFactory(county=world.other_county)
    response = client.post(
        people_url(world.county),
        {"email": "k@example.se", "role": Role.CONTRIBUTOR, "organisations": [foreign.pk]},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_it_changes_a_role_with_history_who_and_why(client, world):
    world.login(client, "editor")
    membership = membership_of(world, "reader")
    url = reverse("membership_edit", args=[world.county.letter_code, membership.pk])
    response = client.post(url, {"role": Role.APPROVER, "shown_role": Role.READER, "reason": "styrgruppen"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.APPROVER
    latest = membership.history.first()
    assert (latest.history_user, latest.history_change_reason) == (world.users["editor"], "styrgruppen")
    event = PeopleEvent.objects.get(action=PeopleEvent.Action.ROLE_CHANGED)
    assert (event.actor, event.person, event.reason) == (
        world.users["editor"],
        world.users["reader"],
        "styrgruppen",
    )


def test_it_says_so_when_someone_changed_the_role_meanwhile(client, world):
    world.login(client, "editor")
    membership = membership_of(world, "reader")
    Membership.objects.filter(pk=membership.pk).update(role=Role.EDITOR)  # another admin, just before
    url = reverse("membership_edit", args=[world.county.letter_code, membership.pk])
    response = client.post(url, {"role": Role.APPROVER, "shown_role": Role.READER})
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_it_lets_no_one_touch_another_countys_people_by_posting_ids(client, world):
    world.login(client, "other_editor")
    membership = membership_of(world, "reader")
    other = world.other_county.letter_code
    for name in ("membership_edit", "membership_remove", "person_deactivate"):
        response = client.post(
            reverse(name, args=[other, membership.pk]), {"role": Role.EDITOR, "shown_role": Role.READER}
        )
        assert response.status_code == 404, name
    membership.refresh_from_db()
    assert membership.role == Role.READER
    assert world.users["reader"].is_active


def test_it_makes_no_one_staff(client, world):
    world.login(client, "editor")
    membership = membership_of(world, "reader")
    url = reverse("membership_edit", args=[world.county.letter_code, membership.pk])
    client.post(url, {"role": Role.EDITOR, "shown_role": Role.READER, "is_staff": "on", "is_superuser": "on"})
    client.post(people_url(world.county), {"email": "x@example.se", "role": "staff", "is_staff": "on"})
    world.users["reader"].refresh_from_db()
    assert not world.users["reader"].is_staff and not world.users["reader"].is_superuser
    assert not Invitation.objects.exists()  # "staff" is no role


def test_it_keeps_the_editor_from_removing_their_own_rights(client, world):
    world.login(client, "editor")
    own = membership_of(world, "editor")
    response = client.post(reverse("membership_remove", args=[world.county.letter_code, own.pk]), {})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    response = client.post(
        reverse("membership_edit", args=[world.county.letter_code, own.pk]),
        {"role": Role.READER, "shown_role": Role.EDITOR},
    )
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.role == Role.EDITOR


def test_it_removes_a_membership(client, world):
    world.login(client, "editor")
    membership = membership_of(world, "approver")
    response = client.post(
        reverse("membership_remove", args=[world.county.letter_code, membership.pk]), {"reason": "slutat"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert PeopleEvent.objects.get(action=PeopleEvent.Action.REMOVED).reason == "slutat"


def test_it_deactivates_only_a_person_of_no_other_county(client, world):
    world.login(client, "editor")
    reader = world.users["reader"]
    Membership.objects.create(user=reader, county=world.other_county, role=Role.READER)
    url = reverse(
        "person_deactivate", args=[world.county.letter_code, membership_of_county(reader, world).pk]
    )
    response = client.post(url, {})
    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.is_active

    approver = world.users["approver"]
    url = reverse("person_deactivate", args=[world.county.letter_code, membership_of(world, "approver").pk])
    assert client.post(url, {"reason": "slutat"}).status_code == 302
    approver.refresh_from_db()
    assert not approver.is_active


def test_staff_deactivate_a_person_of_several_counties(client, world):
    world.login(client, "admin")
    reader = world.users["reader"]
    Membership.objects.create(user=reader, county=world.other_county, role=Role.READER)
    url = reverse(
        "person_deactivate", args=[world.county.letter_code, membership_of_county(reader, world).pk]
    )
    assert client.post(url, {}).status_code == 302
    reader.refresh_from_db()
    assert not reader.is_active


def membership_of_county(user, world):
    return user.memberships.get(county=world.county)


def test_it_shows_names_and_emails_of_the_countys_people_only(client, world):
    world.login(client, "editor")
    page = client.get(people_url(world.county)).content.decode()
    assert "reader@example.se" in page
    assert "other_editor@example.se" not in page and "Other_editor" not in page


def test_it_hides_the_name_of_staff_in_the_changes(client, world):
    world.login(client, "admin")
    membership = membership_of(world, "reader")
    client.post(
        reverse("membership_edit", args=[world.county.letter_code, membership.pk]),
        {"role": Role.APPROVER, "shown_role": Role.READER},
    )
    world.login(client, "editor")
    page = client.get(people_url(world.county)).content.decode()
    assert "Admin" not in page
    assert "admin@example.se" not in page


def test_it_lists_the_people_in_constant_queries(client, world, django_assert_max_num_queries):
    world.login(client, "editor")
    client.get(people_url(world.county))
    for index in range(5):
        user = member(world.county, Role.CONTRIBUTOR, username=f"extra{index}")
        user.memberships.get().organisations.add(world.organisation)
    with django_assert_max_num_queries(14):
        assert client.get(people_url(world.county)).status_code == 200


def test_it_revokes_an_invitation(client, world):
    world.login(client, "editor")
    client.post(people_url(world.county), {"email": "ny@example.se", "role": Role.READER})
    invitation = Invitation.objects.get()
    url = reverse("invitation_revoke", args=[world.county.letter_code, invitation.pk])
    world.login(client, "other_editor")
    assert client.post(url, {}).status_code == 404
    world.login(client, "editor")
    assert client.post(url, {}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
