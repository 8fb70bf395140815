"""Mitt konto, and staff's export and erasure of a person's personal data."""

import json

import pytest
from django.urls import reverse

from accounts.models import PeopleEvent
from accounts.services import ERASED_NAME
from plans.models import Membership, ReportComment, Role

pytestmark = pytest.mark.django_db


def test_it_shows_a_person_their_memberships(client, world):
    reader = world.users["reader"]
    Membership.objects.create(user=reader, county=world.other_county, role=Role.APPROVER)
    world.login(client, "reader")
    page = client.get(reverse("my_account")).content.decode()
    assert world.county.name in page and world.other_county.name in page
    assert reverse("county_people", args=[world.county.letter_code]) not in page


def test_it_links_an_editor_to_their_countys_people(client, world):
    world.login(client, "editor")
    page = client.get(reverse("my_account")).content.decode()
    assert reverse("county_people", args=[world.county.letter_code]) in page


def test_my_account_asks_anonymous_to_log_in(client):
    response = client.get(reverse("my_account"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["editor", "other_editor", "reader", "approver", "contributor"])
def test_only_staff_open_the_personal_data_pages(client, world, persona):
    world.login(client, persona)
    target = world.users["reader"].pk
    assert client.get(reverse("person_list")).status_code == 404
    assert client.get(reverse("person_data", args=[target])).status_code == 404
    assert client.get(reverse("person_export", args=[target])).status_code == 404
    response = client.post(reverse("person_data", args=[target]), {"confirm": "lasare"})
    assert response.status_code == 404
    world.users["reader"].refresh_from_db()
    assert world.users["reader"].is_active


def test_it_exports_a_persons_data(client, world):
    reader = world.users["reader"]
    membership = reader.memberships.get()
    membership.role = Role.APPROVER
    membership.save()
    world.login(client, "admin")
    response = client.get(reverse("person_export", args=[reader.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["user"]["username"] == "lasare"
    assert data["user"]["email"] == "reader@example.se"
    assert data["memberships"] == [{"county": world.county.name, "role": "approver", "organisations": []}]
    assert data["comments"] == [] and data["invitations"] == []
    assert PeopleEvent.objects.get(action=PeopleEvent.Action.EXPORTED).person == reader


def test_it_erases_a_person_and_history_keeps_the_anonymised_row(client, world):
    editor = world.users["editor"]
    membership = world.users["reader"].memberships.get()
    membership._history_user = editor
    membership.role = Role.APPROVER
    membership.save()  # a history row written by the editor
    rows_before = membership.history.filter(history_user=editor).count()
    assert rows_before
    world.login(client, "admin")
    url = reverse("person_data", args=[editor.pk])
    response = client.post(url, {"confirm": "wrong"})
    assert response.status_code == 400
    editor.refresh_from_db()
    assert editor.email

    response = client.post(url, {"confirm": "samordnare", "reason": "begäran om radering"})
    assert response.status_code == 302
    editor.refresh_from_db()
    assert (editor.first_name, editor.last_name, editor.email) == (ERASED_NAME, "", "")
    assert not editor.is_active and not editor.has_usable_password()
    assert not Membership.objects.filter(user=editor).exists()
    assert membership.history.filter(history_user=editor).count() == rows_before
    assert "samordnare" not in editor.username


def test_erasing_a_person_removes_their_single_sign_on_links_and_the_claims_they_hold(world):
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from accounts.services import erase

    person = world.users["reader"]
    SocialAccount.objects.create(
        user=person,
        provider="region",
        uid="sub-123",
        extra_data={"name": "Testperson", "email": "t@example.org"},
    )
    EmailAddress.objects.create(user=person, email="t@example.org", verified=True, primary=True)
    erase(person=person, by=world.users["admin"], reason="begäran")
    assert not SocialAccount.objects.filter(user=person).exists()
    assert not EmailAddress.objects.filter(user=person).exists()


def test_it_exports_comments_and_counts_history_rows(world):
    from accounts.services import personal_data
    from planportal.lib.history import history_context
    from plans.models import FollowUpReport

    approver = world.users["approver"]
    report = FollowUpReport.objects.create(plan=world.tree.plan, year=2024)
    with history_context(user=approver):
        ReportComment.objects.create(
            report=report, target="summary", author=approver, text="Lyft fram brukarrådet."
        )
    data = personal_data(approver)
    assert [comment["text"] for comment in data["comments"]] == ["Lyft fram brukarrådet."]
    assert data["history_rows"]["plans.HistoricalReportComment"] == 1


def test_erasing_anonymises_the_invitations_they_accepted(client, world, django_capture_on_commit_callbacks):
    from accounts import services
    from accounts.models import Invitation

    invitation = services.invite(
        county=world.other_county, email="Annan.Adress@example.se", role=Role.READER, by=world.users["admin"]
    )
    services.accept_invitation(invitation=invitation, user=world.users["reader"])
    world.login(client, "admin")
    client.post(reverse("person_data", args=[world.users["reader"].pk]), {"confirm": "lasare"})
    assert not Invitation.objects.filter(email__icontains="example.se").exists()


@pytest.mark.parametrize(
    ("viewer", "person", "sees"),
    [
        ("editor", "reader", True),
        ("contributor", "approver", True),
        ("other_editor", "reader", False),
        ("reader", "other_editor", False),
        ("other_editor", "other_editor", True),
        ("admin", "other_editor", True),
        ("reader", "admin", False),
    ],
)
def test_may_see_person_follows_the_shared_counties(world, viewer, person, sees):
    from plans.permissions import may_see_person

    assert may_see_person(world.users[viewer], world.users[person]) is sees


def test_staff_find_a_person_and_see_their_data(client, world):
    world.login(client, "admin")
    page = client.get(reverse("person_list"), {"q": "reader@"}).content.decode()
    assert reverse("person_data", args=[world.users["reader"].pk]) in page
    assert reverse("person_data", args=[world.users["editor"].pk]) not in page
    page = client.get(reverse("person_data", args=[world.users["reader"].pk])).content.decode()
    assert "reader@example.se" in page and "läsare" in page
