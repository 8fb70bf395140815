"""The providers read from OIDC_<n>_* variables; password login beside single sign-on, or turned off."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from planportal.sso_config import provider_origins, providers_from_environment
from tests.factories import UserFactory

LOGIN = "/konto/login/"


def test_it_reads_numbered_providers_from_the_environment():
    apps = providers_from_environment(
        {
            "OIDC_2_NAME": "Region Västerbotten",
            "OIDC_2_ISSUER": "https://idp.example.se/",
            "OIDC_2_CLIENT_ID": "planportal",
            "OIDC_1_NAME": "Region Norrbotten",
            "OIDC_1_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0",
            "OIDC_1_CLIENT_ID": "abc",
            "OIDC_1_CLIENT_SECRET": "hemligt",
            "OIDC_1_SCOPES": "profile email",
            "OIDC_1_ID": "norrbotten",
        }
    )
    assert [app["provider_id"] for app in apps] == ["norrbotten", "region-vasterbotten"]
    first = apps[0]
    assert first["name"] == "Region Norrbotten"
    assert first["client_id"] == "abc" and first["secret"] == "hemligt"
    assert first["settings"] == {
        "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
        "scope": ["openid", "profile", "email"],
        "oauth_pkce_enabled": True,
    }
    assert apps[1]["settings"]["server_url"] == "https://idp.example.se"
    assert apps[1]["settings"]["scope"] == ["openid", "profile", "email"]


@pytest.mark.parametrize(
    "environ",
    [
        {"OIDC_1_ISSUER": "https://idp.example.se", "OIDC_1_NAME": "Region X"},  # no client id
        {"OIDC_1_ISSUER": "idp.example.se", "OIDC_1_NAME": "Region X", "OIDC_1_CLIENT_ID": "a"},
        {"OIDC_1_ISSUER": "https://a.se", "OIDC_1_NAME": "X", "OIDC_1_CLIENT_ID": "a", "OIDC_1_ID": "Fel Id"},
        {
            **{"OIDC_1_ISSUER": "https://a.se", "OIDC_1_NAME": "Region X", "OIDC_1_CLIENT_ID": "a"},
            **{"OIDC_2_ISSUER": "https://b.se", "OIDC_2_NAME": "Region X", "OIDC_2_CLIENT_ID": "b"},
        },
    ],
)
def test_it_refuses_an_incomplete_or_ambiguous_provider(environ):
    with pytest.raises(ImproperlyConfigured):
        providers_from_environment(environ)


def test_the_csp_form_action_allows_each_providers_origin():
    apps = providers_from_environment(
        {
            **{
                "OIDC_1_ISSUER": "https://idp.example.se/realms/x",
                "OIDC_1_NAME": "X",
                "OIDC_1_CLIENT_ID": "a",
            },
            **{
                "OIDC_2_ISSUER": "https://idp.example.se/realms/y",
                "OIDC_2_NAME": "Y",
                "OIDC_2_CLIENT_ID": "b",
            },
        }
    )
    assert provider_origins(apps) == ["https://idp.example.se"]


def test_no_variables_no_providers():
    assert providers_from_environment({"PATH": "/usr/bin"}) == []


@pytest.mark.django_db
def test_password_login_still_works_and_is_still_throttled_by_axes(client, settings):
    UserFactory(username="losen")
    assert client.post(LOGIN, {"username": "losen", "password": "password"}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, {"username": "losen", "password": "fel"})
    assert response.status_code == 429
    assert client.post(LOGIN, {"username": "losen", "password": "password"}).status_code == 429


@pytest.mark.django_db
def test_with_password_login_off_the_form_and_the_reset_are_gone(client, settings):
    settings.PASSWORD_LOGIN = False
    UserFactory(username="losen", email="losen@exempel.invalid")
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'name="password"' not in page.content.decode()
    assert 'href="/konto/password_reset/"' not in page.content.decode()

    response = client.post(LOGIN, {"username": "losen", "password": "password"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/password_reset/").status_code == 404
    assert client.post("/konto/password_reset/", {"email": "losen@exempel.invalid"}).status_code == 404
    assert client.get("/konto/reset/MQ/abc-def/").status_code == 404


@pytest.mark.django_db
def test_with_password_login_on_the_reset_pages_answer(client):
    page = client.get(LOGIN)
    assert 'name="password"' in page.content.decode()
    assert client.get("/konto/password_reset/").status_code == 200
    assert client.get("/konto/reset/MQ/abc-def/").status_code == 200


@pytest.mark.django_db
def test_a_provider_page_opened_with_get_asks_before_it_leaves(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "x",
                    "name": "Region X",
                    "client_id": "x",
                    "secret": "",
                    "settings": {"server_url": "http://127.0.0.1:9"},
                }
            ]
        }
    }
    page = client.get("/konto/oidc/x/login/")
    assert page.status_code == 200
    assert '<form method="post">' in page.content.decode()
