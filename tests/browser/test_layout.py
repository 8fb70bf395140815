"""The pages at the widths people use: the whole matrix at 1366 px, no sideways scrolling at 390 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import Activity
from planportal.lib.history import history_context
from plans.models import Role
from tests.browser.test_accessibility import serious_violations
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, FollowUpFactory, PlanTree, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Samverkan mellan region och kommuner kring barn och unga med psykisk ohälsa, "
    "med gemensamma utbildningsinsatser och uppföljning av suicidpreventiva åtgärder i hela länet. "
)


@pytest.fixture
def plan_of_300(db):
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    tree = PlanTree.build(county=county, goals=3, activities=2)
    area = tree.activities[0].priority_area
    Activity.objects.bulk_create(
        Activity(
            plan=tree.plan,
            priority_area=area,
            title=f"Kompetenshöjande insats om självskadebeteende nummer {number}",
            current_state=TEXT * 2,
            expected_result=TEXT,
            indicators_text="Antal utbildade per kommun och andel med handlingsplan",
            timeline="2022–2024",
            responsible="Region Norrbotten och Norrbottens Kommuner",
            cost_text="Inom ram, 50 % stimulansmedel",
            budget=1_250_000 + number,
            status="delayed",
            position=number + 10,
        )
        for number in range(298)
    )
    member(county, Role.EDITOR, username="samordnare")
    return tree


def width_of_page(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_it_shows_every_column_of_a_300_activity_plan_at_1366_px(page, live_server, plan_of_300):
    page.set_viewport_size({"width": 1366, "height": 768})
    login_in_browser(page, live_server, "samordnare")
    page.goto(live_server.url + reverse("plan_detail", args=[plan_of_300.plan.pk]))
    assert page.locator("table.matrix tbody tr").count() == 300
    assert width_of_page(page) <= 1366
    status_header = page.locator("table.matrix th.col-status").first
    assert status_header.bounding_box()["x"] + status_header.bounding_box()["width"] <= 1366
    # The status control shows its whole word.
    select = page.locator("table.matrix select").nth(5)
    expect(select).to_have_value("delayed")
    longest_word = select.evaluate(
        """element => { const context = document.createElement("canvas").getContext("2d");
        context.font = getComputedStyle(element).font;
        return Math.max(...[...element.options].map(option => context.measureText(option.text).width)); }"""
    )
    assert select.bounding_box()["width"] >= longest_word + 20  # the text and the arrow

    # Far down the list the column headings are still in view.
    page.locator("table.matrix tbody tr").nth(250).scroll_into_view_if_needed()
    header_top = page.locator("table.matrix thead th.col-status").first.bounding_box()["y"]
    assert -1 <= header_top <= 5

    # A long cell is folded and opens in place, by mouse or keyboard.
    cell = page.locator("details.clamp").first
    assert cell.get_attribute("open") is None
    cell.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(cell).to_have_attribute("open", "")


def test_no_main_page_scrolls_sideways_at_390_px(page, live_server):
    county = CountyFactory(name="Västra Götalandsregionen", letter_code="O", code="14")
    tree = PlanTree.build(county=county, goals=3, activities=4)
    activity = tree.activities[0]
    activity.current_state = TEXT * 3
    activity.responsible = "Västra Götalandsregionen, Göteborgsregionens kommunalförbund, Fyrbodal"
    activity.save()
    FollowUpFactory(activity=activity, year=tree.plan.start_year, achieved=TEXT)
    editor = member(county, Role.EDITOR, username="samordnare")
    with history_context(user=editor, reason="Ändrad status efter styrgruppens möte"):
        activity.status = "ongoing"
        activity.save()

    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, live_server, "samordnare")
    pages = {
        "home": reverse("home"),
        "county": reverse("county_detail", args=["O"]),
        "plan": reverse("plan_detail", args=[tree.plan.pk]),
        "activity": reverse("activity_detail", args=[activity.pk]),
        "activity form": reverse("activity_edit", args=[activity.pk]),
        "report": reverse("report_detail", args=[tree.plan.pk, tree.plan.start_year]),
        "history": reverse("object_history", args=["activity", activity.pk]),
        "compare": reverse("history_compare", args=["activity", activity.pk]),
        "deleted": reverse("county_deleted", args=["O"]),
    }
    too_wide = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        if width_of_page(page) > 390:
            too_wide[name] = width_of_page(page)
    assert too_wide == {}

    # On a phone each activity is a card whose fields carry their names.
    page.goto(live_server.url + pages["plan"])
    card = page.locator(f"#aktivitet-{activity.pk}")
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    expect(card.locator("td[data-label='Nuläge']")).to_be_visible()
    assert serious_violations(page) == []
