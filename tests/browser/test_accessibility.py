"""axe-core in Chromium: the main pages have no serious or critical accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from planportal.lib.history import history_context
from plans.models import Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, FollowUpFactory, PlanTree, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_it_has_no_serious_violations_on_the_main_pages(page, live_server):
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    tree = PlanTree.build(county=county, goals=2, activities=4)
    activity = tree.activities[0]
    FollowUpFactory(activity=activity, year=2022)
    editor = member(county, Role.EDITOR, username="samordnare")
    with history_context(user=editor, reason="Ny status"):
        activity.status = "ongoing"
        activity.save()

    page.goto(live_server.url + reverse("login"))
    assert serious_violations(page) == [], "login"
    login_in_browser(page, live_server, "samordnare")
    pages = {
        "home": reverse("home"),
        "county": reverse("county_detail", args=["BD"]),
        "plan": reverse("plan_detail", args=[tree.plan.pk]),
        "activity": reverse("activity_detail", args=[activity.pk]),
        "activity form": reverse("activity_edit", args=[activity.pk]),
        "history": reverse("object_history", args=["activity", activity.pk]),
        "compare": reverse("history_compare", args=["activity", activity.pk]),
        "deleted": reverse("county_deleted", args=["BD"]),
    }
    found = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    assert found == {}


def test_it_would_notice_a_violation(page, live_server):
    """The check above is only worth something if axe really runs in this Chromium."""
    page.goto(live_server.url + reverse("login"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert any(violation.startswith("image-alt") for violation in serious_violations(page))
