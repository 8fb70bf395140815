"""A coordinator's indicator in Chromium: the list, the page, chart and table, a value typed in the
grid and seen on the page, under the Content-Security-Policy and without serious axe violations."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from indicators.progress import Judgement
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_csp import LISTEN
from tests.conftest import login_in_browser
from tests.indicators.test_pages_support import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_a_coordinator_read_and_edit_an_indicator(page, live_server):
    setup = build()
    setup.world.users["editor"].set_password("password")
    setup.world.users["editor"].save()
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(LISTEN)

    login_in_browser(page, live_server, "samordnare")
    page.goto(f"{live_server.url}/lan/BD/indikatorer/")
    assert serious_violations(page) == []
    row = page.get_by_role("row").filter(has_text=setup.national.name)
    expect(row).to_contain_text(str(Judgement.SOME_PROGRESS.label))
    row.get_by_role("link", name=setup.national.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(setup.national.name)
    expect(page.locator("svg.chart title")).to_have_text(f"{setup.national.name} – Norrbottens län (totalt)")
    assert serious_violations(page) == []

    # From the chart to the table, without JavaScript doing it.
    page.get_by_role("link", name="Table").or_(page.get_by_role("link", name="Tabell")).first.click()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name=re.compile("^Luleå"))).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(0)
    assert serious_violations(page) == []

    # The grid of 2021: the county's women, typed the Swedish way.
    page.locator("#ar").fill("2021")
    page.locator(".year-form button").click()
    cell = page.locator(f"#cell-c-{setup.world.county.pk}-K")
    expect(cell).to_have_value("59")
    assert serious_violations(page) == []
    cell.fill("61,5")
    page.locator(".grid-form button.primary").click()
    expect(page.get_by_role("status")).to_be_visible()
    page.get_by_role("link", name="Kvinnor").click()
    values = page.locator("table.values")
    county_row = values.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Norrbottens län"))
    expect(county_row).to_contain_text("61,5")
    saved = IndicatorValue.objects.get(
        indicator=setup.national, county=setup.world.county, year=2021, gender="K"
    )
    assert str(saved.value.normalize()) == "61.5"
    assert csp == [] and page.evaluate("window.__cspViolations") == []
