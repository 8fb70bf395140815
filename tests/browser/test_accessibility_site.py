"""WCAG 2.1 AA across the whole site, in Chromium, on the demo: axe on one page of every type,
each seen by the demo person who uses it, and reflow at 320 CSS px (1280 px at 400 % zoom)."""

import io
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from accessibility.models import AccessibilityStatement
from activities.models import Activity, ActivityFollowUp
from indicators.models import Indicator, IndicatorValue
from planportal.lib.history import history_context
from plans.models import County, FollowUpReport, Goal, Plan
from plans.reports.services import add_comment, submit_report
from publication.models import PlanPublication
from rounds.models import FollowUpRound
from tests.conftest import login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every rule axe files under WCAG 2.0 and 2.1, levels A and AA — whatever impact it gives a finding.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "planportal-demo"


def wcag_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


@dataclass
class Demo:
    county: County
    plan: Plan
    activity: Activity
    goal: Goal
    indicator: Indicator
    national_indicator: Indicator
    value_year: int
    report_year: int
    submitted_plan: Plan
    submitted_year: int
    round: FollowUpRound
    publication: PlanPublication
    follow_up: ActivityFollowUp


@pytest.fixture
def demo(settings) -> Demo:
    """The demo (`make run`'s data), one report of Gävleborg sent to the steering group, and a deleted
    activity of Norrbotten."""
    settings.DEBUG = True  # the demo is only built with DEBUG on: its passwords are well known
    call_command("build_demo", stdout=io.StringIO())
    settings.DEBUG = False  # the error pages as people see them
    county = County.objects.get(letter_code="BD")
    plan = Plan.objects.filter(county=county).order_by("pk").first()
    activities = Activity.objects.filter(plan=plan).order_by("pk")
    with history_context(reason="Dubblett"):
        activities.last().delete()
    indicator = (
        Indicator.objects.for_county(county.pk)
        .filter(values__county=county)
        .order_by("pk")
        .distinct()
        .first()
    )
    value_year = IndicatorValue.objects.filter(indicator=indicator, county=county).latest("year").year
    report = FollowUpReport.objects.filter(plan=plan).first()
    other = County.objects.get(letter_code="X")
    submitted = FollowUpReport.objects.filter(plan__county=other).first()
    coordinator = submitted.plan.county.memberships.filter(role="editor").first()
    submit_report(plan=submitted.plan, year=submitted.year, user=coordinator.user)
    approver = submitted.plan.county.memberships.filter(role="approver").first() or coordinator
    add_comment(
        report=submitted, user=approver.user, text="Komplettera gärna med antal deltagare.", target="summary"
    )
    return Demo(
        county=county,
        plan=plan,
        activity=activities.first(),
        goal=Goal.objects.filter(plan=plan).order_by("pk").first(),
        indicator=indicator,
        national_indicator=Indicator.objects.filter(county=None).order_by("pk").first(),
        value_year=value_year,
        report_year=report.year if report else plan.years[0],
        submitted_plan=submitted.plan,
        submitted_year=submitted.year,
        round=FollowUpRound.objects.order_by("pk").first(),
        publication=PlanPublication.objects.live().get(county=county),  # published by the demo
        follow_up=ActivityFollowUp.objects.filter(activity__plan=plan).order_by("pk").first(),
    )


def coordinator_pages(demo: Demo) -> dict[str, str]:
    bd, plan, activity = demo.county.letter_code, demo.plan.pk, demo.activity.pk
    indicator = demo.indicator.pk
    return {
        "home": reverse("home"),
        "county": reverse("county_detail", args=[bd]),
        "plan": reverse("plan_detail", args=[plan]),
        "plan edit": reverse("plan_edit", args=[plan]),
        "activity": reverse("activity_detail", args=[activity]),
        "activity edit": reverse("activity_edit", args=[activity]),
        "activity new": reverse("activity_create", args=[plan]),
        "follow-up new": reverse("follow_up_create", args=[activity]),
        "follow-up edit": reverse("follow_up_edit", args=[demo.follow_up.pk]),
        "goal edit": reverse("goal_edit", args=[demo.goal.pk]),
        "history": reverse("object_history", args=["activity", activity]),
        "compare": reverse("history_compare", args=["activity", activity]),
        "deleted": reverse("county_deleted", args=[bd]),
        "report list": reverse("report_list", args=[plan]),
        "report": reverse("report_detail", args=[plan, demo.report_year]),
        "report section": reverse("report_section_edit", args=[plan, demo.report_year, "summary"]),
        "rounds": reverse("plan_rounds", args=[demo.round.plan_id]),
        "round": reverse("round_detail", args=[demo.round.pk]),
        "round open": reverse("round_open", args=[demo.round.plan_id]),
        "import upload": reverse("plan_import", args=[plan]),
        "indicator import": reverse("county_indicator_import", args=[bd]),
        "indicators": reverse("indicator_list", args=[bd]),
        "indicator": reverse("indicator_detail", args=[bd, indicator]),
        "indicator grid": reverse("indicator_values_edit", args=[bd, indicator, demo.value_year]),
        "indicator targets": reverse("indicator_plan_edit", args=[bd, indicator]),
        "indicator links": reverse("indicator_links_edit", args=[bd, indicator]),
        "indicator new": reverse("indicator_create", args=[bd]),
        "logic": reverse("plan_logic", args=[plan]),
        "coverage": reverse("plan_coverage", args=[plan]),
        "kolada": reverse("kolada_sync", args=[bd]),
        "password change": reverse("password_change"),
        "statement": reverse("accessibility_statement"),
        "publication": reverse("plan_publication", args=[demo.publication.plan_id]),
    }


def public_pages(demo: Demo) -> dict[str, str]:
    """The anonymous pages: the site's own, and the published plans of /publikt/."""
    return {
        "login": reverse("login"),
        "password reset": reverse("password_reset"),
        "password reset sent": reverse("password_reset_done"),
        "error 404": "/finns-inte/",
        "statement": reverse("accessibility_statement"),
        "public start": reverse("public_start"),
        "public county": reverse("public_county", args=[demo.county.letter_code]),
        "public plan": reverse("public_plan", args=[demo.county.letter_code, demo.publication.slug]),
    }


# What axe does not ask: a chart is an image with a name (its title and what it shows), or hidden
# beside a table that says the same; every table has header cells, each known to be a column's or a row's.
STRUCTURE = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll('main svg')) {
    if (svg.closest('[aria-hidden="true"]')) continue;
    const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const name = (svg.getAttribute('aria-label')
      || ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ')).trim();
    if (svg.getAttribute('role') !== 'img' || !name) {
      problems.push(`svg.${svg.getAttribute('class')} has no name`);
    }
  }
  for (const table of document.querySelectorAll('main table')) {
    const headers = [...table.querySelectorAll('th')];
    if (!headers.length) problems.push(`table.${table.className} has no header cells`);
    if (headers.some(th => !th.closest('thead') && !th.getAttribute('scope'))) {
      problems.push(`table.${table.className} has a header cell outside thead without scope`);
    }
  }
  return problems;
}"""


def structure_problems(page) -> list[str]:
    return page.evaluate(STRUCTURE)


def axe_pages(page, live_server, pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, url in pages.items():
        response = page.goto(live_server.url + url)
        assert response.status < 500, (name, response.status)
        if name != "error 404":
            assert response.status == 200, (name, url, response.status)
        violations = wcag_violations(page) + structure_problems(page)
        if violations:
            found[name] = violations
    return found


def test_it_has_no_wcag_21_aa_violations_on_any_page_type(page, live_server, demo):
    found = axe_pages(page, live_server, public_pages(demo))

    # A coordinator's pages, and a spreadsheet's preview before it is imported.
    login_in_browser(page, live_server, "samordnare", PASSWORD)
    found |= axe_pages(page, live_server, coordinator_pages(demo))
    for name in ("indicator", "report"):
        page.goto(live_server.url + coordinator_pages(demo)[name])
        assert page.locator("main svg[role=img]").count() > 0, f"the {name} page has charts to check"
    export = page.request.get(
        live_server.url + reverse("plan_export", args=[demo.plan.pk, "aktiviteter", "csv"])
    )
    assert export.ok
    page.goto(live_server.url + reverse("plan_import", args=[demo.plan.pk]))
    page.get_by_label("aktivitetsmatrisen").check()
    page.get_by_label("Kalkylarksfil").set_input_files(
        {"name": "aktiviteter.csv", "mimeType": "text/csv", "buffer": export.body()}
    )
    page.get_by_role("button", name="Förhandsgranska importen").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Importera").count() or page.get_by_text("oförändrad").count()
    if violations := wcag_violations(page):
        found["import preview"] = violations

    # The conflict page: someone else saved the activity while the form was open.
    page.goto(live_server.url + reverse("activity_edit", args=[demo.activity.pk]))
    with history_context(reason="Samtidig ändring"):
        Activity.objects.get(pk=demo.activity.pk).save()
    page.get_by_label("Nuläge").fill("Ändrat medan någon annan sparade")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.title().startswith("Någon annan hann spara först")
    if violations := wcag_violations(page) + structure_problems(page):
        found["conflict"] = violations

    # The steering group reviews a report sent to it.
    page.context.clear_cookies()
    login_in_browser(page, live_server, "styrgrupp", PASSWORD)
    found |= axe_pages(
        page,
        live_server,
        {"report review": reverse("report_detail", args=[demo.submitted_plan.pk, demo.submitted_year])},
    )

    # A municipality's contact answers the follow-up of the activities it leads.
    page.context.clear_cookies()
    login_in_browser(page, live_server, "kontakt-regionbd", PASSWORD)
    found |= axe_pages(page, live_server, {"my follow-up": reverse("my_follow_up")})

    # Staff: the national overview and the statement's editing page.
    page.context.clear_cookies()
    login_in_browser(page, live_server, "admin", PASSWORD)
    found |= axe_pages(
        page,
        live_server,
        {
            "national": reverse("national_overview"),
            "national indicator": reverse("national_indicator", args=[demo.national_indicator.pk]),
            "statement edit": reverse("accessibility_statement_edit"),
        },
    )
    assert found == {}


def test_it_would_notice_a_moderate_violation(page, live_server):
    """Every WCAG A/AA finding counts, not only the serious ones: a second <main> is "moderate"."""
    AccessibilityStatement.load()
    page.goto(live_server.url + reverse("accessibility_statement"))
    assert wcag_violations(page) == []
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<label>Namn</label><input id=x>')")
    assert any(violation.startswith("label") for violation in wcag_violations(page))


def test_it_would_notice_a_chart_without_a_name_and_a_table_without_headers(page, live_server):
    AccessibilityStatement.load()
    page.goto(live_server.url + reverse("accessibility_statement"))
    assert structure_problems(page) == []
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
          '<svg class="chart" role="img"><rect width="9" height="9"/></svg>'
          + '<table class="x"><tr><td>2022</td><td>41</td></tr></table>')"""
    )
    assert structure_problems(page) == ["svg.chart has no name", "table.x has no header cells"]


def sideways_overflow(page) -> list[str]:
    """What sticks out of the viewport without a scrolling box of its own round it."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.right <= width + 1) continue;
            let parent = el.parentElement, scrolled = false;
            for (; parent; parent = parent.parentElement) {
              if (['auto', 'scroll'].includes(getComputedStyle(parent).overflowX)) { scrolled = true; break; }
            }
            const name = `${el.tagName.toLowerCase()}.${el.className}`;
            if (!scrolled) out.push(`${name} (${Math.round(box.right)} px)`);
          }
          return out.slice(0, 5).concat([`scrollWidth ${document.documentElement.scrollWidth}`]);
        }"""
    )


def check_narrow(page, live_server, pages: dict[str, str], found: dict) -> None:
    for name, url in pages.items():
        page.goto(live_server.url + url)
        problems = sideways_overflow(page)
        # What only the narrow layout has (a table that scrolls in itself) is checked by axe there too.
        problems += wcag_violations(page)
        if problems:
            found[name] = problems


def test_it_reflows_at_320_css_pixels_without_sideways_scrolling(page, live_server, demo):
    """320 CSS px is what 1280 px at 400 % zoom leaves (WCAG 1.4.10)."""
    page.set_viewport_size({"width": 320, "height": 640})
    found = {}
    check_narrow(page, live_server, public_pages(demo), found)
    login_in_browser(page, live_server, "samordnare", PASSWORD)
    check_narrow(page, live_server, coordinator_pages(demo), found)
    assert found == {}

    # Wide tables scroll inside themselves, in a region a keyboard reaches and a screen reader names.
    page.goto(
        live_server.url + reverse("indicator_detail", args=[demo.county.letter_code, demo.indicator.pk])
    )
    regions = page.locator(".table-scroll")
    assert regions.count() > 0
    for index in range(regions.count()):
        region = regions.nth(index)
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
        label = (
            region.get_attribute("aria-label")
            or page.locator(f"#{region.get_attribute('aria-labelledby')}").inner_text()
        )
        assert label.strip(), index
    scrolling = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')].filter(r => r.scrollWidth > r.clientWidth).length"
    )
    assert scrolling > 0  # a table wider than the screen, and still the page does not scroll sideways
