"""The Kolada page in Chromium: staff start a sync, and the list shows it done without a reload."""

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, IndicatorValue, KoladaSync
from tests.conftest import login_in_browser
from tests.factories import UserFactory
from tests.indicators.kolada_server import load_counties_and_municipalities, running_kolada
from tests.jobs.queue import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BD_IDS = "0025,2505,2506,2510,2513,2514,2518,2521,2523,2560,2580,2581,2582,2583,2584"
SUICIDE = f"/v3/data/kpi/N00927/municipality/{BD_IDS}/year/2021,2022"
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_a_started_sync_shows_up_done_without_a_reload(page, live_server, settings):
    load_counties_and_municipalities()
    Indicator.objects.create(code="N00927", kolada_id="N00927", name="Självmord")
    UserFactory(username="admin", is_staff=True)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.add_init_script(LISTEN)

    with running_kolada(settings) as kolada:
        kolada.answer(SUICIDE, "n00927_bd.json")
        login_in_browser(page, live_server, "admin")
        page.goto(f"{live_server.url}/lan/BD/indikatorer/kolada/")
        page.locator("#id_years").fill("2021-2022")
        page.locator(".kolada-start button[type=submit]").click()
        page.wait_for_load_state()

        # Queued: the list polls (htmx), and offers a plain reload link.
        expect(page.locator("#kolada-runs .status.kolada-queued")).to_be_visible()
        expect(page.locator("#kolada-runs[hx-trigger]")).to_have_count(1)
        expect(page.locator(".kolada-now a")).to_have_attribute("href", "/lan/BD/indikatorer/kolada/")
        assert KoladaSync.objects.get().status == KoladaSync.Status.QUEUED

        run_queued_jobs()

        # The next poll brings the finished sync and its changes, and polling stops.
        expect(page.locator("#kolada-runs .status.kolada-done")).to_be_visible(timeout=6000)
        expect(page.locator("#kolada-runs[hx-trigger]")).to_have_count(0)
        expect(page.get_by_role("cell", name="21,3333")).to_be_visible()
    assert IndicatorValue.objects.count() == 5
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
