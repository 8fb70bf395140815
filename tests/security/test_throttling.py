"""Guessing passwords and flooding mailboxes: the site login, the admin login and password reset
are throttled (django-axes, and a counter in the reset view), and staff can lift a lockout."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def user():
    return UserFactory(username="samordnare", email="samordnare@example.org")


def _fail(client, url: str, times: int, username: str = "samordnare"):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "fel-lösenord"})
    return response


def test_it_locks_the_login_after_five_wrong_passwords_even_with_the_right_one(client, user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        response = client.post(LOGIN, {"username": "samordnare", "password": "fel"})
        assert response.status_code == 200, attempt  # the form again, with its error
    response = client.post(LOGIN, {"username": "samordnare", "password": "fel"})
    assert response.status_code == 429

    response = client.post(LOGIN, {"username": "samordnare", "password": "password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_it_tells_the_locked_out_user_in_swedish_when_to_try_again(client, user):
    page = _fail(client, LOGIN, 5).content.decode()
    assert "<title>För många inloggningsförsök · Planportal</title>" in page
    assert "Lösenordet var fel 5 gånger" in page
    assert "Försök igen om 15 minuter" in page
    assert "En systemförvaltare kan häva spärren tidigare." in page
    assert 'lang="sv"' in page


def test_it_says_when_to_try_again_in_the_retry_after_header(client, user):
    response = _fail(client, LOGIN, 5)
    assert response["Retry-After"] == str(15 * 60)


def test_it_locks_only_the_username_that_was_guessed(client, user):
    UserFactory(username="kollega")
    _fail(client, LOGIN, 5)
    response = client.post(LOGIN, {"username": "kollega", "password": "password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_it_forgets_the_failures_after_a_successful_login(client, user):
    _fail(client, LOGIN, 4)
    assert client.post(LOGIN, {"username": "samordnare", "password": "password"}).status_code == 302
    client.logout()
    _fail(client, LOGIN, 4)
    assert client.post(LOGIN, {"username": "samordnare", "password": "password"}).status_code == 302


def test_it_throttles_the_admin_login_too(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    response = _fail(client, ADMIN_LOGIN, 5, username="admin")
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.content.decode()
    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": "password", "next": "/admin/"})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_it_counts_admin_and_site_failures_together(client, user):
    _fail(client, ADMIN_LOGIN, 3)
    assert _fail(client, LOGIN, 2).status_code == 429


def test_staff_lift_a_lockout_in_the_admin(client, user):
    _fail(client, LOGIN, 5)
    assert AccessAttempt.objects.filter(username="samordnare").exists()

    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin_client = client.__class__()
    admin_client.force_login(staff)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "samordnare" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="samordnare")
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    response = client.post(LOGIN, {"username": "samordnare", "password": "password"})
    assert response.status_code == 302


def test_staff_lift_a_lockout_with_the_management_command(client, user):
    _fail(client, LOGIN, 5)
    call_command("axes_reset_username", "samordnare")
    response = client.post(LOGIN, {"username": "samordnare", "password": "password"})
    assert response.status_code == 302


def test_it_lets_the_lockout_expire_after_the_cool_off(client, user, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    _fail(client, LOGIN, 5)
    response = client.post(LOGIN, {"username": "samordnare", "password": "password"})
    assert response.status_code == 302


def test_it_limits_password_reset_mails_per_address(client, user, settings):
    settings.PASSWORD_RESET_MAILS_PER_ADDRESS = 3
    for _ in range(3):
        response = client.post(reverse("password_reset"), {"email": "samordnare@example.org"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "SAMORDNARE@example.org "})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Ett nytt lösenord har begärts för många gånger. Inget mejl skickades." in page
    assert len(mail.outbox) == 3


def test_it_limits_password_reset_requests_per_ip_address(client, user, settings):
    settings.PASSWORD_RESET_MAILS_PER_IP = 5
    for index in range(5):
        response = client.post(reverse("password_reset"), {"email": f"okand{index}@example.org"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "samordnare@example.org"})
    assert response.status_code == 429
    assert len(mail.outbox) == 0
    # Another address, another computer: still served.
    other = client.__class__(REMOTE_ADDR="192.0.2.7")
    assert other.post(reverse("password_reset"), {"email": "samordnare@example.org"}).status_code == 302
    assert len(mail.outbox) == 1


def test_the_reset_mail_names_the_account(client, user):
    client.post(reverse("password_reset"), {"email": "samordnare@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Nytt lösenord till Planportal"
    first_line = message.body.splitlines()[0]
    assert first_line == (
        "Någon har bett om att välja ett nytt lösenord för ditt konto samordnare i Planportal."
    )
    assert re.search(r"http://testserver/konto/reset/\S+/\S+/", message.body)
