"""Invite → the mail → open its link → create an account → signed in, in the county (Chromium)."""

import re

import pytest

from plans.models import Membership, Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, PlanFactory, member
from tests.jobs.queue import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_invites_and_the_new_person_accepts_and_is_signed_in(page, live_server, mailoutbox, settings):
    settings.SITE_URL = live_server.url
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    plan = PlanFactory(county=county, title="Länsgemensam handlingsplan 2021–2025")
    member(county, Role.EDITOR, username="samordnare")
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    login_in_browser(page, live_server, "samordnare")
    page.goto(f"{live_server.url}/lan/BD/personer/")
    page.locator("#id_email").fill("ny.person@example.se")
    page.locator("#id_role").select_option("approver")
    page.locator("#id_reason").fill("Ny i styrgruppen")
    page.locator("#invite-heading ~ form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("ny.person@example.se").first.is_visible()

    run_queued_jobs()  # the worker sends the mail
    [mail] = mailoutbox
    assert mail.to == ["ny.person@example.se"]
    link = re.search(r"http://\S+/konto/inbjudan/\S+/", mail.body).group(0)

    page.context.clear_cookies()  # the invited person, in their own browser
    page.goto(link)
    page.locator("#id_username").fill("nyperson")
    page.locator("#id_password1").fill("Fjällbjörk-1972!")
    page.locator("#id_password2").fill("Fjällbjörk-1972!")
    page.locator("form.edit-form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/lan/BD/"
    assert page.get_by_role("heading", name=re.compile("Norrbottens län")).is_visible()
    heading = page.locator(f"#plan-{plan.pk}")  # ids differ between databases
    assert heading.get_by_role("link", name="Länsgemensam handlingsplan 2021–2025").is_visible()
    assert Membership.objects.get(user__username="nyperson").role == Role.APPROVER

    assert console_errors == []  # no CSP violation on the way

    page.goto(link)  # the link works once (answered 410 Gone)
    assert page.locator("[role=alert]").is_visible()
    assert not page.locator("#id_username").count()
