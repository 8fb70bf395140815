"""The services check the rights themselves: a view that forgot to ask still changes nothing."""

import pytest

from accounts import services
from accounts.models import Invitation
from plans.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver", "contributor"])
def test_no_one_but_the_countys_admins_changes_its_people(world, persona):
    by = world.users[persona]
    membership = world.users["reader"].memberships.get()
    with pytest.raises(services.PeopleError):
        services.invite(county=world.county, email="x@example.se", role=Role.EDITOR, by=by)
    with pytest.raises(services.PeopleError):
        services.change_role(membership=membership, role=Role.EDITOR, shown_role=Role.READER, by=by)
    with pytest.raises(services.PeopleError):
        services.remove_membership(membership=membership, by=by)
    with pytest.raises(services.PeopleError):
        services.deactivate(person=world.users["reader"], county=world.county, by=by)
    assert not Invitation.objects.exists()
    membership.refresh_from_db()
    assert membership.role == Role.READER


def test_only_staff_erase(world):
    with pytest.raises(services.PeopleError):
        services.erase(person=world.users["reader"], by=world.users["editor"])
    with pytest.raises(services.PeopleError):
        services.erase(person=world.users["admin"], by=world.users["admin"])
    world.users["reader"].refresh_from_db()
    assert world.users["reader"].email == "reader@example.se"


def test_a_county_admin_cannot_deactivate_staff(world):
    staff_member = world.users["admin"]
    from plans.models import Membership

    Membership.objects.create(user=staff_member, county=world.county, role=Role.READER)
    with pytest.raises(services.PeopleError):
        services.deactivate(person=staff_member, county=world.county, by=world.users["editor"])
    staff_member.refresh_from_db()
    assert staff_member.is_active
