"""The public pages in Chromium: reached by following links, without serious axe violations,
under the Content-Security-Policy, and without sideways scrolling at 390 and 320 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from publication.models import Licence
from publication.services import publish_plan, publish_report
from tests.browser.test_csp import LISTEN
from tests.conftest import login_in_browser
from tests.personas import World
from tests.publication.builders import approved_report, indicator_with_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_visitor_reads_a_published_plan_on_a_wide_and_a_narrow_screen(page, live_server):
    world = World.build(activities=4)
    plan = world.tree.plan
    plan.title = "Handlingsplan för psykisk hälsa 2021–2025"
    plan.save()
    indicator_with_values(plan)
    publish_plan(plan=plan, user=None, licence=Licence.CC_BY, internal_fields=[])
    publish_report(report=approved_report(plan, 2022), user=None)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.add_init_script(LISTEN)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/publikt/")
    assert serious_violations(page) == [], "start"
    page.get_by_role("link", name="Norrbottens län").click()
    assert serious_violations(page) == [], "county"
    page.get_by_role("link", name="Handlingsplan för psykisk hälsa 2021–2025").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Handlingsplan för psykisk hälsa 2021–2025"
    assert page.locator("svg.chart").count() == 1
    assert page.locator(".public-activity").count() == 4
    assert serious_violations(page) == [], "plan"
    plan_url = page.url
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(plan_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
    assert serious_violations(page) == [], "plan at 320 px"
    assert console == [] and page.evaluate("window.__cspViolations") == []
    # The report link gives the PDF.
    with page.expect_response(lambda response: response.url.endswith("/uppfoljning/2022.pdf")) as answer:
        page.evaluate("document.querySelector('a[href$=\"2022.pdf\"]').click()")
    assert answer.value.headers["content-type"] == "application/pdf"


def test_the_publication_page_has_no_serious_violations(page, live_server):
    world = World.build(activities=2)
    plan = world.tree.plan
    publish_plan(plan=plan, user=world.users["editor"], licence=Licence.CC0, internal_fields=[])
    publish_report(report=approved_report(plan, 2022), user=world.users["editor"])
    login_in_browser(page, live_server, "samordnare")
    page.goto(f"{live_server.url}/planer/{plan.pk}/publicering/")
    assert serious_violations(page) == []
    page.locator("form:has(input[value=unpublish]) button").click()
    assert page.locator(".messages li.success").count() == 1
    assert page.locator("form:has(input[value=unpublish])").count() == 0
