"""The follow-up round in Chromium: a contributor's path, and the coordinator's round page."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from activities.models import ActivityFollowUp, FollowUpState
from plans.models import Membership, Role
from rounds.models import FollowUpRound
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, FollowUpFactory, OrganisationFactory, PlanTree, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots to look at; set PLANPORTAL_SCREENSHOTS=docs/screenshots to renew the committed ones.
SCREENSHOTS = Path(os.environ.get("PLANPORTAL_SCREENSHOTS", tempfile.gettempdir()))
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def round_world():
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    tree = PlanTree.build(county=county, goals=2, activities=5)
    plan = tree.plan
    plan.title = "Länsgemensam handlingsplan för psykisk hälsa i Norrbotten 2021–2025"
    plan.start_year, plan.end_year = 2021, 2025
    plan.save()
    region = OrganisationFactory(name="Region Norrbotten")
    kommun = OrganisationFactory(name="Luleå kommun")
    for activity, organisations in zip(
        tree.activities, [[region], [region, kommun], [kommun], [kommun], []], strict=True
    ):
        activity.lead_organisations.set(organisations)
    FollowUpFactory(activity=tree.activities[0], year=2022, state=FollowUpState.DONE)
    FollowUpFactory(activity=tree.activities[1], year=2022, state=FollowUpState.DRAFT)
    member(county, Role.EDITOR, username="samordnare")
    member(county, Role.CONTRIBUTOR, username="kontakt-lulea")
    Membership.objects.get(user__username="kontakt-lulea").organisations.add(kommun)
    round = FollowUpRound.objects.create(
        plan=plan,
        year=2022,
        deadline=datetime.date(2023, 1, 31),
        instructions="Skriv måluppfyllelse och planering för varje aktivitet.",
    )
    return tree, round


def csp_violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    return found


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_walks_the_contributors_path(page, live_server, round_world):
    tree, _round = round_world
    violations = csp_violations(page)
    login_in_browser(page, live_server, "kontakt-lulea")

    # What is missing for Luleå kommun: the draft of the shared activity and two not started.
    page.goto(f"{live_server.url}/uppfoljning/mina/")
    expect(page.get_by_role("heading", name="3 uppföljningar saknas")).to_be_visible()
    expect(page.get_by_role("link", name=tree.activities[0].title)).to_have_count(0)  # the Region's
    page.screenshot(path=SCREENSHOTS / "round-contributor-1366.png", full_page=True)

    # Write the follow-up of one, from the list.
    third = tree.activities[2]
    page.get_by_role("link", name=f"Skriv uppföljningen {third.title[:50]}").first.click()
    expect(page.get_by_label("År", exact=True)).to_have_value("2022")
    page.get_by_label("Måluppfyllelse").fill("Två utbildningsdagar för skolpersonal genomförda.")
    page.get_by_label("Planering").fill("Fortsätter i fler skolor 2023.")
    page.get_by_role("button", name="Spara").click()
    follow_up = ActivityFollowUp.objects.get(activity=third, year=2022)
    assert follow_up.state == FollowUpState.DRAFT

    # Mark it done on the activity's page.
    page.get_by_role("button", name="Markera som klar 2022").click()
    expect(page.get_by_role("button", name="Öppna igen som utkast 2022")).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.DONE
    # No editing of the activity itself.
    expect(page.get_by_role("link", name="Redigera", exact=True)).to_have_count(0)

    page.goto(f"{live_server.url}/uppfoljning/mina/")
    expect(page.get_by_role("heading", name="2 uppföljningar saknas")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.reload()
    no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "round-contributor-390.png", full_page=True)
    assert violations == []


def test_it_shows_the_coordinator_the_round(page, live_server, round_world):
    tree, round = round_world
    violations = csp_violations(page)
    login_in_browser(page, live_server, "samordnare")
    page.goto(f"{live_server.url}/planer/{tree.plan.pk}/")
    page.get_by_role("link", name="Uppföljningsomgång", exact=True).click()
    page.get_by_role("link", name="Uppföljningsomgång 2022").click()
    expect(page.get_by_text("1 av 5 klara").first).to_be_visible()
    expect(page.locator("progress.round-progress").first).to_have_attribute("value", "1")
    page.screenshot(path=SCREENSHOTS / "round-page-1366.png", full_page=True)

    # "Saknas", without JavaScript's help: a plain link.
    page.get_by_role("link", name="Saknas (4)").click()
    expect(page.locator("tr[id^=rad-]")).to_have_count(4)
    page.get_by_label("Organisation", exact=True).select_option(label="Luleå kommun")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("tr[id^=rad-]")).to_have_count(3)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/uppfoljningsomgangar/{round.pk}/")
    no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "round-page-390.png", full_page=True)
    assert violations == []
