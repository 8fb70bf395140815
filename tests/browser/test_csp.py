"""The Content-Security-Policy in Chromium: the main pages, their htmx swaps and the review page's
script run without a single violation (no inline script or style left anywhere)."""

import pytest
from playwright.sync_api import expect

from plans.models import Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, FollowUpFactory, PlanTree, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page (Playwright injects it outside the page's CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, and every CSP violation it reports, from the console and the DOM event."""
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(LISTEN)

    def violations() -> list[str]:
        return console + page.evaluate("window.__cspViolations || []")

    return page, violations


def test_the_main_pages_run_under_the_policy_without_a_violation(watched, live_server):
    page, violations = watched
    county = CountyFactory(name="Norrbottens län", letter_code="BD")
    tree = PlanTree.build(county=county, goals=2, activities=3)
    FollowUpFactory(activity=tree.activities[0], year=2022, achieved="Tre utbildningar")
    member(county, Role.EDITOR, username="samordnare")

    login_in_browser(page, live_server, "samordnare")
    assert violations() == []
    for path in (
        "/",
        "/lan/BD/",
        f"/planer/{tree.plan.pk}/",
        f"/aktiviteter/{tree.activities[0].pk}/",
        f"/aktiviteter/{tree.activities[0].pk}/redigera/",
        f"/planer/{tree.plan.pk}/import/",
        f"/historik/activity/{tree.activities[0].pk}/",
        f"/planer/{tree.plan.pk}/uppfoljning/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations() == [], path

    # An htmx swap: the follow-up form opens in place, with htmx's indicator styles from our CSS.
    page.goto(f"{live_server.url}/aktiviteter/{tree.activities[0].pk}/")
    page.get_by_role("link", name="Ny uppföljning").click()
    expect(page.locator("#ny-uppfoljning form")).to_be_visible()
    assert violations() == []

    # The review page: its script is a file now, and the status bars are SVGs.
    page.goto(f"{live_server.url}/planer/{tree.plan.pk}/uppfoljning/2022/")
    bar = page.locator(".status-counts svg.bar").first
    expect(bar).to_be_visible()
    cell_width = page.locator(".status-counts td.bar-cell").first.bounding_box()["width"]
    assert 0 < bar.bounding_box()["width"] <= cell_width
    page.evaluate(
        """() => document.querySelector('form[action$="skicka-in/"]')
                .addEventListener('submit', (event) => event.preventDefault(), {once: true})"""
    )
    page.get_by_role("button", name="Skicka in för godkännande").click()
    expect(page.get_by_role("status").filter(has_text="Skickar in")).to_be_visible()
    assert violations() == []


def test_the_lockout_page_runs_under_the_policy(watched, live_server):
    page, violations = watched
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for _ in range(5):
        page.goto(f"{live_server.url}/konto/login/")
        page.get_by_label("Användarnamn").fill("admin")
        page.get_by_label("Lösenord").fill("fel")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="För många inloggningsförsök")).to_be_visible()
    assert violations() == []

    # The listener does hear a violation: markup with an inline style is refused.
    page.evaluate("""() => document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in violation for violation in violations())
