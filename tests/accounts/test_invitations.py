"""Invitations: mailed through the job queue; the link is signed, expires and works once."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation
from plans.models import Membership, Role
from tests.jobs.queue import run_queued_jobs
from tests.reports.jobs import run_jobs

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW = {"username": "nyperson", "password1": "Fjällbjörk-1972!", "password2": "Fjällbjörk-1972!"}


@pytest.fixture
def invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invite(
            county=world.county,
            email="ny@example.se",
            role=Role.CONTRIBUTOR,
            organisations=[_county_organisation(world)],
            by=world.users["editor"],
        )


def _county_organisation(world):
    world.organisation.county = world.county
    world.organisation.save()
    return world.organisation


def accept_url(invitation) -> str:
    return reverse("invitation_accept", args=[invitation.token])


def test_it_mails_the_link_through_the_job_queue(invitation, mailoutbox, settings):
    assert mailoutbox == []
    run_queued_jobs()
    [mail] = mailoutbox
    assert mail.to == ["ny@example.se"]
    assert accept_url(invitation) in mail.body


def test_it_mails_nothing_for_an_invitation_revoked_before_the_job_ran(world, invitation, mailoutbox):
    services.revoke_invitation(invitation=invitation, by=world.users["editor"])
    run_queued_jobs()
    assert mailoutbox == []


def test_it_accepts_as_a_new_person_and_signs_them_in(client, world, invitation):
    response = client.post(accept_url(invitation), NEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("county_detail", args=[world.county.letter_code])
    user = User.objects.get(username="nyperson")
    assert (user.email, user.is_staff, user.is_superuser) == ("ny@example.se", False, False)
    membership = Membership.objects.get(user=user)
    assert (membership.county, membership.role) == (world.county, Role.CONTRIBUTOR)
    assert list(membership.organisations.all()) == [world.organisation]
    assert client.get(reverse("county_detail", args=[world.county.letter_code])).status_code == 200


def test_it_applies_djangos_password_validators(client, invitation):
    response = client.post(accept_url(invitation), {**NEW, "password1": "123", "password2": "123"})
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(username="nyperson").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_a_taken_username(client, world, invitation):
    response = client.post(accept_url(invitation), {**NEW, "username": "Lasare"})
    assert response.status_code == 400
    assert "username" in response.context["form"].errors


def test_it_accepts_as_a_signed_in_existing_user(client, world, invitation):
    user = world.users["other_editor"]
    client.force_login(user)
    assert client.get(accept_url(invitation)).status_code == 200
    assert client.post(accept_url(invitation)).status_code == 302
    assert user.memberships.get(county=world.county).role == Role.CONTRIBUTOR


def test_it_sends_an_existing_user_to_sign_in_first(client, invitation):
    page = client.get(accept_url(invitation)).content.decode()
    assert "/konto/login/?next=" in page


def test_it_works_once(client, world, invitation):
    assert client.post(accept_url(invitation), NEW).status_code == 302
    client.logout()
    response = client.post(accept_url(invitation), {**NEW, "username": "andra"})
    assert response.status_code == 410
    assert response.context["reason"] == "used"
    assert not User.objects.filter(username="andra").exists()


def test_it_expires(client, world, invitation, settings):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(accept_url(invitation), NEW)
    assert response.status_code == 410
    assert response.context["reason"] == "expired"
    assert not User.objects.filter(username="nyperson").exists()


def test_it_expires_after_the_settings_days(world, settings, django_capture_on_commit_callbacks):
    settings.INVITATION_DAYS = 3
    invitation = services.invite(
        county=world.county, email="a@example.se", role="reader", by=world.users["editor"]
    )
    assert dt.timedelta(days=3) - (invitation.expires_at - timezone.now()) < dt.timedelta(minutes=1)


def test_a_revoked_link_says_so(client, world, invitation):
    services.revoke_invitation(invitation=invitation, by=world.users["editor"])
    response = client.get(accept_url(invitation))
    assert (response.status_code, response.context["reason"]) == (410, "revoked")


def test_a_tampered_link_is_not_found(client, invitation):
    response = client.get(accept_url(invitation)[:-3] + "xyz/")
    assert response.status_code == 404
    response = client.get(reverse("invitation_accept", args=["nonsense"]))
    assert response.status_code == 404


def test_a_new_key_kills_the_old_link(client, invitation):
    old = accept_url(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(key="another")
    assert client.get(old).status_code == 404


def test_it_runs_the_job_twice_safely(invitation, mailoutbox):
    run_jobs()
    from accounts.mails import send_invitation

    send_invitation(invitation.pk)
    assert len(mailoutbox) == 2  # a repeated job mails again, but the link stays the same and works once
    assert mailoutbox[0].body == mailoutbox[1].body
