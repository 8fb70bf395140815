"""Signing in through the provider's own login form in Chromium, under Planportal's strict CSP."""

import copy

import pytest
from allauth.socialaccount.models import SocialAccount

from planportal.sso_config import provider_origins
from plans.models import Membership, Role
from tests.factories import CountyFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sso_settings")]


@pytest.fixture
def csp_allows_the_provider(sso_settings):
    """As settings does for the configured issuers: the login button's POST may lead to the provider."""
    policy = copy.deepcopy(sso_settings.CONTENT_SECURITY_POLICY)
    apps = sso_settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    policy["DIRECTIVES"]["form-action"] += provider_origins(apps)
    sso_settings.CONTENT_SECURITY_POLICY = policy


def test_sign_in_with_the_provider_in_a_browser_then_log_out(page, live_server, csp_allows_the_provider):
    county = CountyFactory()
    user = UserFactory(username="redaktor-sso")
    Membership.objects.create(user=user, county=county, role=Role.EDITOR)
    SocialAccount.objects.create(user=user, provider="testregion", uid="redaktor-sub")
    violations = []
    page.on(
        "console",
        lambda message: "Content-Security-Policy" in message.text and violations.append(message.text),
    )

    page.goto(f"{live_server.url}/konto/login/")
    page.locator('button[data-provider="testregion"]').click()
    # The provider's own login form, then its consent page.
    page.locator('input[name="login"]').fill("redaktor-sub")
    page.locator('input[name="password"]').fill("vad-som-helst")
    page.locator('button[type="submit"]').click()
    page.locator('button[type="submit"]').click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator('form[action="/konto/logout/"]').count() == 1  # signed in

    page.locator('form[action="/konto/logout/"] button').first.click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/**")
    assert page.locator('form[action="/konto/logout/"]').count() == 0
    assert violations == []
