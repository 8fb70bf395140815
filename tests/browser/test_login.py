"""The smallest walk through the real pages in Chromium: log in and see one's plans."""

import pytest

from plans.models import Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, PlanFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_and_lists_the_users_plans(page, live_server):
    county = CountyFactory(name="Norrbottens län")
    PlanFactory(county=county, title="Länsgemensam handlingsplan 2021–2025")
    member(county, Role.EDITOR, username="samordnare")

    login_in_browser(page, live_server, "samordnare")

    assert page.get_by_role("heading", name="Dina handlingsplaner").is_visible()
    assert page.get_by_text("Länsgemensam handlingsplan 2021–2025").is_visible()


def test_it_tells_a_user_who_mistyped_the_password(page, live_server):
    member(CountyFactory(), Role.READER, username="lasare")
    login_in_browser(page, live_server, "lasare", password="fel")
    assert page.get_by_role("alert").is_visible()
    assert "Logga in" in page.title()
