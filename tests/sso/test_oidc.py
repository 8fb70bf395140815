"""Single sign-on end to end against a real OpenID Connect provider on 127.0.0.1 (tests/sso/conftest.py).

The pages' messages are checked by their `data-sso-error` key, not their wording, which is translated.
"""

import copy
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from plans.models import Membership, Role
from tests.factories import CountyFactory, UserFactory
from tests.sso.conftest import Agent, Forms

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sso_settings")]

User = get_user_model()


def error_key(response) -> str | None:
    marker = 'data-sso-error="'
    if marker not in response.text:
        return None
    return response.text.split(marker, 1)[1].split('"', 1)[0]


def signed_in_username(agent: Agent) -> str | None:
    page = agent.get("/konto/ingen-behorighet/")
    if page.is_redirect:
        return None
    return next(user.username for user in User.objects.all() if user.username in page.text)


def test_the_login_page_has_a_button_per_provider_and_the_password_form(live_server):
    page = Agent(live_server.url).get("/konto/login/")
    actions = [form["action"] for form in Forms(page.text).forms]
    assert actions == [
        "/konto/oidc/testregion/login/",
        "/konto/oidc/snabbregion/login/",
        "/konto/oidc/nererregion/login/",
        "/konto/login/",
        "/i18n/setlang/",
    ]
    assert "Region Test" in page.text


def test_the_authorization_request_uses_the_code_flow_with_pkce(live_server):
    agent = Agent(live_server.url)
    page = agent.get("/konto/login/")
    redirect = agent.submit(page, "/konto/oidc/testregion/")
    query = parse_qs(urlsplit(redirect.headers["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0]


def test_first_sign_in_creates_a_user_without_rights_who_is_told_whom_to_ask(live_server):
    agent = Agent(live_server.url)
    page = agent.sign_in_at_provider(agent.start_login(), "ny-person")

    assert page.status_code == 200
    assert urlsplit(page.url).path == "/konto/ingen-behorighet/"
    assert 'data-sso-page="no-access"' in page.text
    link = SocialAccount.objects.get(provider="testregion", uid="ny-person")
    assert link.user.is_active and not link.user.is_staff
    assert not Membership.objects.filter(user=link.user).exists()
    assert link.user.email == "ny-person@exempel.invalid"
    assert link.user.username in page.text
    # The county pages stay closed to the new user.
    assert agent.get("/").status_code in (200, 302)


def test_a_known_person_is_matched_by_the_subject_id_not_by_e_mail(live_server):
    county = CountyFactory()
    known = UserFactory(username="kand", email="heltannan@exempel.invalid")
    Membership.objects.create(user=known, county=county, role=Role.EDITOR)
    SocialAccount.objects.create(user=known, provider="testregion", uid="kand-sub")
    # A password user whose address is the one the provider gives for "namne": not the same person.
    namesake = UserFactory(username="namne-losen", email="namne@exempel.invalid")

    agent = Agent(live_server.url)
    page = agent.sign_in_at_provider(agent.start_login(), "kand-sub")
    assert page.status_code == 200
    assert urlsplit(page.url).path == "/"
    assert signed_in_username(agent) == "kand"

    other = Agent(live_server.url)
    other.sign_in_at_provider(other.start_login(), "namne")
    link = SocialAccount.objects.get(provider="testregion", uid="namne")
    assert link.user != namesake
    assert User.objects.count() == 3


def test_the_same_subject_at_another_provider_is_another_person(live_server):
    first = Agent(live_server.url)
    first.sign_in_at_provider(first.start_login("testregion"), "samma-sub")
    second = Agent(live_server.url)
    second.sign_in_at_provider(second.start_login("snabbregion"), "samma-sub")
    links = SocialAccount.objects.filter(uid="samma-sub")
    assert sorted(link.provider for link in links) == ["snabbregion", "testregion"]
    assert len({link.user_id for link in links}) == 2


def test_with_new_users_refused_a_stranger_gets_a_clear_message_and_no_account(live_server, settings):
    settings.OIDC_NEW_USERS = "refuse"
    known = UserFactory(username="kand")
    SocialAccount.objects.create(user=known, provider="testregion", uid="kand-sub")

    agent = Agent(live_server.url)
    page = agent.sign_in_at_provider(agent.start_login(), "framling")
    assert page.status_code == 403
    assert error_key(page) == "refused"
    assert not SocialAccount.objects.filter(uid="framling").exists()
    assert User.objects.count() == 1
    assert signed_in_username(agent) is None

    # People who have an account still come in.
    agent = Agent(live_server.url)
    agent.sign_in_at_provider(agent.start_login(), "kand-sub")
    assert signed_in_username(agent) == "kand"


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_tampered_state_is_refused_with_a_message(live_server):
    agent = Agent(live_server.url)
    stopped = agent.sign_in_at_provider(agent.start_login(), "ny-person", stop_at_callback=True)
    page = agent.session.get(with_query(stopped.stop_url, state="fel-state"), allow_redirects=False)
    assert page.status_code == 400
    assert error_key(page) == "state"
    assert not User.objects.exists()


def fresh_state(agent: Agent) -> str:
    """Press the button again, so that Planportal waits for an answer with a new state."""
    page = agent.get("/konto/login/")
    redirect = agent.submit(page, "/konto/oidc/testregion/")
    return parse_qs(urlsplit(redirect.headers["Location"]).query)["state"][0]


def test_a_reused_code_is_refused_with_a_message(live_server):
    agent = Agent(live_server.url)
    stopped = agent.sign_in_at_provider(agent.start_login(), "ny-person", stop_at_callback=True)
    agent.follow(agent.session.get(stopped.stop_url, allow_redirects=False))
    assert signed_in_username(agent)

    # The same answer again: its state is used up.
    page = agent.session.get(stopped.stop_url, allow_redirects=False)
    assert page.status_code == 400
    assert error_key(page) == "state"

    # The old code under a fresh state: the provider refuses the code.
    page = agent.session.get(with_query(stopped.stop_url, state=fresh_state(agent)), allow_redirects=False)
    assert page.status_code == 400
    assert error_key(page) == "code"


def test_an_expired_code_is_refused_with_a_message(live_server):
    agent = Agent(live_server.url)
    stopped = agent.sign_in_at_provider(agent.start_login("snabbregion"), "seg-person", stop_at_callback=True)
    time.sleep(1.5)  # the "snabbregion" client's codes live one second
    page = agent.session.get(stopped.stop_url, allow_redirects=False)
    assert page.status_code == 400
    assert error_key(page) == "code"
    assert not User.objects.exists()


def test_a_provider_that_does_not_answer_gives_a_message(live_server):
    page = Agent(live_server.url).start_login("nererregion")
    assert page.status_code == 502
    assert error_key(page) == "provider_down"


def test_a_person_who_cancels_at_the_provider_gets_a_message(live_server):
    agent = Agent(live_server.url)
    login_form = agent.start_login()
    page = agent.follow(agent.session.get(login_form.url.rstrip("/") + "/abort", allow_redirects=False))
    assert page.status_code == 400
    assert error_key(page) == "cancelled"
    assert signed_in_username(agent) is None


def test_an_unknown_provider_is_not_found(live_server):
    agent = Agent(live_server.url)
    page = agent.get("/konto/login/")
    response = agent.submit(page, "/konto/oidc/testregion/")
    assert response.is_redirect
    assert agent.get("/konto/oidc/okand/login/").status_code == 404


def test_logout_ends_the_local_session_and_the_providers(live_server):
    agent = Agent(live_server.url)
    page = agent.sign_in_at_provider(agent.start_login(), "ny-person")
    assert signed_in_username(agent) == SocialAccount.objects.get(uid="ny-person").user.username

    response = agent.submit(page, "/konto/logout/")
    assert response.is_redirect
    end_session = response.headers["Location"]
    assert end_session.startswith("http://127.0.0.1:")
    assert "/session/end" in end_session and "client_id=testregion" in end_session
    assert signed_in_username(agent) is None

    confirm = agent.follow(response)
    back = agent.follow(agent.submit(confirm, logout="yes"), stop=lambda url: url.startswith(live_server.url))
    assert back.stop_url == f"{live_server.url}/"

    # Signed out at the provider too: the next sign-in asks for the login again.
    assert "prompt" in Forms(agent.start_login().text).forms[0]["fields"]


def test_logout_of_a_password_user_is_local(live_server, client):
    user = UserFactory(username="losen")
    client.force_login(user)
    response = client.post("/konto/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_is_not_let_in(live_server):
    gone = UserFactory(username="avstangd", is_active=False)
    SocialAccount.objects.create(user=gone, provider="testregion", uid="avstangd-sub")
    agent = Agent(live_server.url)
    page = agent.sign_in_at_provider(agent.start_login(), "avstangd-sub")
    assert page.status_code == 403
    assert error_key(page) == "inactive"
    assert signed_in_username(agent) is None


def test_a_person_without_an_e_mail_claim_is_created_all_the_same(live_server):
    agent = Agent(live_server.url)
    page = agent.sign_in_at_provider(agent.start_login(), "utan-epost-1")
    assert 'data-sso-page="no-access"' in page.text
    assert SocialAccount.objects.get(uid="utan-epost-1").user.email == ""


def test_a_provider_that_goes_down_during_the_sign_in_gives_a_message(live_server, sso_settings):
    agent = Agent(live_server.url)
    stopped = agent.sign_in_at_provider(agent.start_login(), "ny-person", stop_at_callback=True)
    down = sso_settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][2]["settings"]["server_url"]
    apps = copy.deepcopy(sso_settings.SOCIALACCOUNT_PROVIDERS)
    apps["openid_connect"]["APPS"][0]["settings"]["server_url"] = down
    sso_settings.SOCIALACCOUNT_PROVIDERS = apps
    page = agent.session.get(stopped.stop_url, allow_redirects=False)
    assert page.status_code == 502
    assert error_key(page) == "provider_down"
    assert not User.objects.exists()
