"""A coordinator's week, in Chromium: the plan page, a new activity, a status, a follow-up, the history."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import Activity, ActivityFollowUp
from plans.models import Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, PlanTree, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_walks_the_coordinators_week(page, live_server):
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    tree = PlanTree.build(county=county, goals=2, activities=3)
    plan = tree.plan
    plan.title = "Länsgemensam handlingsplan för psykisk hälsa i Norrbotten 2021–2025"
    plan.save()
    done = tree.activities[0]
    done.status = "done"
    done.save()
    member(county, Role.EDITOR, username="samordnare")
    first_goal, second_goal = tree.goals

    # Monday: log in and open the Norrbotten plan.
    login_in_browser(page, live_server, "samordnare")
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)

    # Filter the matrix on a status.
    page.get_by_label("Status", exact=True).select_option("done")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"status=done"))
    expect(page.get_by_text("1 aktivitet", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=done.title)).to_be_visible()
    expect(page.get_by_role("link", name=tree.activities[1].title)).to_have_count(0)

    # Add an activity that serves two goals.
    page.get_by_role("link", name="Rensa filter").click()
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Aktivitet", exact=True).fill("Webbinarier om spelberoende")
    page.get_by_label(f"{first_goal.code} {first_goal.title}").check()
    page.get_by_label(f"{second_goal.code} {second_goal.title}").check()
    page.get_by_label("Nuläge").fill("Ökat inflöde till råd och stöd")
    page.get_by_label("Budget (kr)").fill("120 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webbinarier om spelberoende")
    expect(page.get_by_text("120 000 kr")).to_be_visible()
    activity = Activity.objects.get(title="Webbinarier om spelberoende")
    assert set(activity.goals.all()) == {first_goal, second_goal}

    # Change its status inline in the matrix, without a page reload.
    page.get_by_role("navigation", name="Du är här").get_by_role("link").nth(2).click()
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator(f"#aktivitet-{activity.pk}")
    row.get_by_label(re.compile("Status för")).select_option("ongoing")
    expect(page.locator(f"#aktivitet-{activity.pk}").get_by_text("Sparat")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    activity.refresh_from_db()
    assert activity.status == "ongoing"

    # Write the year's follow-up on the activity page, inline.
    page.get_by_role("link", name="Webbinarier om spelberoende").click()
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Ny uppföljning").click()
    page.get_by_label("Måluppfyllelse").fill("Fyra webbinarier med 160 deltagare")
    page.get_by_label("Planering").fill("Fortsätter 2023 med fokus på skolan")
    page.get_by_label("Förbrukat (kr)").fill("98 500")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Fyra webbinarier med 160 deltagare")).to_be_visible()
    expect(page.get_by_text("98 500 kr")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert ActivityFollowUp.objects.get(activity=activity).achieved == "Fyra webbinarier med 160 deltagare"

    # See the status change in the history, with its diff.
    page.get_by_role("link", name="Historik").first.click()
    expect(page.get_by_text("Status ändrad från planerad till pågående")).to_be_visible()
    page.get_by_role("button", name="Jämför valda versioner").click()
    diff = page.locator("table.diff")
    expect(diff.locator("del")).to_have_text("planerad")
    expect(diff.locator("ins")).to_have_text("pågående")

    # Restore the version before the status change.
    page.get_by_role("button", name=re.compile("Återställ versionen från")).click()
    expect(page.get_by_text(re.compile("är återställd"))).to_be_visible()
    activity.refresh_from_db()
    assert activity.status == "planned"
    assert activity.history.latest().history_restored_from is not None
