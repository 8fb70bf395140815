"""With DEBUG off, errors get Swedish pages in the site's layout that help the person on."""

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.views import defaults

from planportal.urls import urlpatterns as site_urlpatterns
from tests.personas import World

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# This module is also the URLconf of the 500 tests: the site plus a view that fails.
urlpatterns = [path("test-fel/", boom), *site_urlpatterns]


@pytest.fixture
def world():
    return World.build(activities=1)


@override_settings(DEBUG=False)
def test_it_answers_an_unknown_address_with_a_swedish_404_in_the_layout(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Sidan finns inte, eller så har du inte behörighet till den" in content
    assert '<header class="site-header">' in content and 'lang="sv"' in content
    assert f'href="{reverse("home")}">Till startsidan</a>' in content
    # Anonymous: a way to log in and come back.
    assert f'href="{reverse("login")}?next=/finns-inte/"' in content


@override_settings(DEBUG=False)
def test_it_shows_the_same_404_to_someone_outside_the_county(client, world):
    world.login(client, "other_editor")
    response = client.get(reverse("plan_detail", args=[world.tree.plan.pk]))
    assert response.status_code == 404
    content = response.content.decode()
    assert "inte behörighet" in content and "Be länets samordnare" in content
    assert "?next=" not in content
    assert world.tree.plan.title not in content


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_it_answers_a_failing_view_with_a_swedish_500(client):
    client.raise_request_exception = False
    response = client.get("/test-fel/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Något gick fel" in content and "Till startsidan" in content
    assert 'class="site-header"' in content and "planportal.css" in content
    assert "a bug" not in content


def test_it_renders_the_500_and_400_pages_without_request_or_database():
    with CaptureQueriesContext(connection) as queries:
        server_error = render_to_string("500.html")
        bad_request = render_to_string("400.html")
    assert len(queries) == 0
    assert "Något gick fel" in server_error
    assert "Begäran kunde inte tolkas" in bad_request and "Något gick fel" not in bad_request


@override_settings(DEBUG=False)
def test_it_answers_permission_denied_with_a_swedish_403(rf):
    response = defaults.permission_denied(rf.get("/"), PermissionError())
    assert response.status_code == 403
    assert "Du har inte behörighet till det här" in response.content.decode()


def test_it_has_a_favicon_and_sends_favicon_ico_to_it(client):
    assert finders.find("favicon.svg")
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == "/static/favicon.svg"
