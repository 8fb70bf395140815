"""The review flow in Chromium: submit, then approve, with the page saying it is working until the
approved PDF is stored."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from plans.models import FollowUpReport, Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, PlanTree, member
from tests.jobs.queue import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_submits_and_approves_a_report_without_leaving_a_frozen_page(page, live_server, browser):
    county = CountyFactory(name="Norrbottens län")
    tree = PlanTree.build(county=county, goals=1, activities=2)
    member(county, Role.EDITOR, username="samordnare")
    member(county, Role.APPROVER, username="styrgrupp")
    report_url = f"{live_server.url}/planer/{tree.plan.pk}/uppfoljning/2022/"

    login_in_browser(page, live_server, "samordnare")
    page.goto(report_url)
    page.get_by_role("button", name="Skicka in för godkännande").click()
    expect(page.get_by_text("Rapporten har skickats till styrgruppen för godkännande.")).to_be_visible()

    approver = browser.new_context(locale="sv-SE").new_page()
    login_in_browser(approver, live_server, "styrgrupp")
    approver.goto(report_url)
    accessibility = Axe().run(approver)
    assert accessibility.violations_count == 0, accessibility.generate_report()
    # Hold the form back once, to see what the page shows while the PDF is being made.
    approver.evaluate(
        """() => document.querySelector('form[action$="godkann/"]')
                .addEventListener('submit', (event) => event.preventDefault(), {once: true})"""
    )
    approver.get_by_label("Jag har läst rapporten").check()
    approver.get_by_role("button", name="Godkänn och spara PDF").click()
    expect(approver.get_by_role("status").filter(has_text="Godkänner")).to_be_visible()
    expect(approver.locator('form[action$="godkann/"] button')).to_be_disabled()

    # The approval answers at once: the report is frozen while a job makes its PDF.
    approver.evaluate("""() => document.querySelector('form[action$="godkann/"]').submit()""")
    expect(approver.get_by_text("Rapporten godkänns: dess PDF skapas och sparas.")).to_be_visible()
    expect(
        approver.get_by_role("status").filter(has_text="Rapporten godkänns: dess PDF skapas …")
    ).to_be_visible()
    assert FollowUpReport.objects.get(plan=tree.plan, year=2022).status == FollowUpReport.Status.APPROVING

    run_queued_jobs()
    expect(approver.get_by_role("link", name="Öppna den godkända PDF:en")).to_be_visible(timeout=10_000)
    approver.reload()
    expect(approver.get_by_role("link", name="Godkänd PDF")).to_be_visible()
    report = FollowUpReport.objects.get(plan=tree.plan, year=2022)
    assert report.status == FollowUpReport.Status.APPROVED
    assert len(report.latest_revision().pdf_sha256) == 64
