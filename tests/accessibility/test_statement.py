"""The accessibility statement: public, linked from every page, edited by staff only."""

import datetime

import pytest
from django.urls import reverse

from accessibility.models import AccessibilityStatement, Conformance
from accessibility.views import DIGG_REPORT_URL
from tests.personas import World

pytestmark = pytest.mark.django_db

URL = reverse("accessibility_statement")
EDIT_URL = reverse("accessibility_statement_edit")


@pytest.fixture
def world() -> World:
    return World.build(activities=1)


def form_data(statement: AccessibilityStatement, **changes) -> dict:
    data = {
        "organisation": statement.organisation,
        "service": statement.service,
        "conformance": statement.conformance,
        "non_accessible": statement.non_accessible,
        "assessment": statement.assessment,
        "assessed_on": statement.assessed_on.isoformat(),
        "contact_email": statement.contact_email,
        "contact_text": statement.contact_text,
        "version": statement.updated_at.isoformat(),
        "change_reason": "",
    }
    return {**data, **changes}


def test_it_shows_what_digg_requires_without_login(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    text = response.content.decode()
    statement = AccessibilityStatement.objects.get()
    # (English until the lead merges the Swedish catalogue.)
    assert "<h1>Tillgänglighetsredogörelse</h1>" in text or "<h1>Accessibility statement</h1>" in text
    assert statement.organisation in text and statement.service in text
    assert "delvis förenlig" in text or "partially compliant" in text
    # What was tested, and what is known not to be accessible.
    assert "axe-core" in text and "320 pixlar" in text and "tangentbord" in text
    assert "PDF/UA-1" in text and "/admin/" in text
    assert f'href="mailto:{statement.contact_email}"' in text
    assert f'href="{DIGG_REPORT_URL}"' in text
    assert DIGG_REPORT_URL == "https://www.digg.se/tdosanmalan"
    assert 'datetime="2026-12-02"' in text


def test_it_is_linked_from_the_footer_of_public_and_logged_in_pages(client, world):
    for url in (reverse("login"), reverse("password_reset"), "/finns-inte/", URL):
        assert f'href="{URL}"' in client.get(url).content.decode(), url
    client.force_login(world.users["reader"])
    for url in (reverse("home"), reverse("plan_detail", args=[world.tree.plan.pk])):
        assert f'href="{URL}"' in client.get(url).content.decode(), url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor", 404),
        ("reader", 404),
        ("approver", 404),
        ("contributor", 404),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_it_lets_only_staff_edit(client, world, persona, status):
    if persona != "anonymous":
        client.force_login(world.users[persona])
    assert client.get(EDIT_URL).status_code == status
    statement = AccessibilityStatement.load()
    response = client.post(EDIT_URL, form_data(statement, organisation="Region Norrbotten"))
    assert response.status_code == (302 if persona in ("admin", "anonymous") else 404)
    statement.refresh_from_db()
    assert (statement.organisation == "Region Norrbotten") == (persona == "admin")


def test_it_offers_the_edit_link_to_staff_only(client, world):
    client.force_login(world.users["editor"])
    assert EDIT_URL not in client.get(URL).content.decode()
    client.force_login(world.users["admin"])
    assert EDIT_URL in client.get(URL).content.decode()


def test_it_saves_an_edit_as_a_version_with_its_reason(client, world):
    client.force_login(world.users["admin"])
    statement = AccessibilityStatement.load()
    response = client.post(
        EDIT_URL,
        form_data(
            statement,
            conformance=Conformance.FULL,
            assessed_on="2027-03-01",
            contact_email="tillganglighet@example.se",
            change_reason="Ny granskning",
        ),
    )
    assert response.status_code == 302 and response.url == URL
    statement.refresh_from_db()
    assert statement.conformance == Conformance.FULL
    assert statement.assessed_on == datetime.date(2027, 3, 1)
    latest = statement.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Ny granskning" and latest.history_user == world.users["admin"]
    text = client.get(URL, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "helt förenlig" in text or "fully compliant" in text
    assert 'href="mailto:tillganglighet@example.se"' in text


def test_it_refuses_bad_input_and_changes_nothing(client, world):
    client.force_login(world.users["admin"])
    statement = AccessibilityStatement.load()
    before = AccessibilityStatement.objects.values().get()
    response = client.post(
        EDIT_URL,
        form_data(statement, contact_email="inte en adress", assessed_on="31/31/2026", organisation=""),
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert AccessibilityStatement.objects.values().get() == before


def test_it_reports_a_conflict_instead_of_losing_an_update(client, world):
    client.force_login(world.users["admin"])
    statement = AccessibilityStatement.load()
    loaded = form_data(statement)
    first = client.post(EDIT_URL, {**loaded, "organisation": "Region Norrbotten"})
    assert first.status_code == 302
    second = client.post(EDIT_URL, {**loaded, "organisation": "Region Gävleborg"})
    assert second.status_code == 409
    statement.refresh_from_db()
    assert statement.organisation == "Region Norrbotten"


def test_it_renders_markdown_but_no_markup(client, world):
    client.force_login(world.users["admin"])
    statement = AccessibilityStatement.load()
    client.post(
        EDIT_URL,
        form_data(statement, non_accessible="- **Kartan** saknar text\n\n<script>alert(1)</script>"),
    )
    text = client.get(URL).content.decode()
    assert "<li><strong>Kartan</strong> saknar text</li>" in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text


def test_it_is_one_statement():
    assert AccessibilityStatement.load().pk == AccessibilityStatement.load().pk == 1
    assert AccessibilityStatement.objects.count() == 1
