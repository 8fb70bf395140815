"""The logic, coverage and national pages in Chromium: no CSP violation, no serious accessibility
violation, and at 390 px the page itself never scrolls sideways (the matrix scrolls in itself)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from indicators.models import IndicatorValue
from plans.models import Role, SubRegion
from tests.conftest import login_in_browser
from tests.factories import (
    CountyFactory,
    FocusAreaFactory,
    FollowUpFactory,
    IndicatorFactory,
    PlanTree,
    UserFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_analysis_pages_in_the_browser(page, live_server):
    county = CountyFactory(name="Västra Götalands län", letter_code="O", code="14")
    tree = PlanTree.build(county=county, goals=4, activities=8)
    for goal in tree.goals:
        goal.focus_area = FocusAreaFactory(number=1)
        goal.save()
    for number, name in enumerate(
        ("Fyrbodal", "Göteborgsområdet", "SAMLA", "SIMBA", "Skaraborg", "Södra Älvsborg")
    ):
        area = SubRegion.objects.create(county=county, name=name)
        tree.activities[number].sub_regions.add(area)
    FollowUpFactory(activity=tree.activities[0], year=2022, spent=1000)
    indicator = IndicatorFactory(name="Antal suicid per 100 000 invånare")
    indicator.goals.add(tree.goals[0])
    IndicatorValue.objects.create(indicator=indicator, county=county, year=2022, value=12)
    member(county, Role.READER, username="lasare")
    UserFactory(username="admin", is_staff=True)

    page.add_init_script(LISTEN)
    login_in_browser(page, live_server, "lasare")
    for url in (reverse("plan_logic", args=[tree.plan.pk]), reverse("plan_coverage", args=[tree.plan.pk])):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(live_server.url + url)
            assert response.ok, url
            assert page.evaluate("window.__cspViolations") == [], url
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (url, width)
        assert serious_violations(page) == [], url
    page.set_viewport_size({"width": 390, "height": 900})
    matrix = page.locator(".coverage-scroll")
    assert matrix.evaluate("element => element.scrollWidth > element.clientWidth")  # it scrolls in itself

    page.context.clear_cookies()
    login_in_browser(page, live_server, "admin")
    for url in (reverse("national_overview"), reverse("national_indicator", args=[indicator.pk])):
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.goto(live_server.url + url).ok, url
            assert page.evaluate("window.__cspViolations") == [], url
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (url, width)
        assert serious_violations(page) == [], url
