"""Logging in and out, and changing or resetting a password, in Swedish."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_out(client):
    UserFactory(username="samordnare")
    response = client.post(reverse("login"), {"username": "samordnare", "password": "password"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_it_refuses_a_wrong_password_in_swedish(client):
    UserFactory(username="samordnare")
    response = client.post(reverse("login"), {"username": "samordnare", "password": "fel"})
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()


def test_it_changes_the_password(client):
    user = UserFactory(username="samordnare")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "password", "new_password1": "Länsplan-2025!", "new_password2": "Länsplan-2025!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Länsplan-2025!")


def test_it_resets_a_forgotten_password_by_email(client):
    user = UserFactory(username="samordnare", email="samordnare@example.org")
    client.post(reverse("password_reset"), {"email": "samordnare@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Planportal"
    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in form_page.content.decode()
    response = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": "Nytt-Lösen-2026", "new_password2": "Nytt-Lösen-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nytt-Lösen-2026")
