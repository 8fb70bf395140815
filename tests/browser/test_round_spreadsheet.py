"""The round's spreadsheet in Chromium: upload a filled-in round, read the preview, confirm."""

import os
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from activities.models import ActivityFollowUp, Status
from plans.models import Role
from rounds.models import FollowUpRound
from tests.browser.test_accessibility import serious_violations
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, FollowUpFactory, PlanTree, member
from tests.rounds.test_round_spreadsheet import HEADERS, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set PLANPORTAL_SCREENSHOTS=docs/screenshots to renew the committed screenshot.
SCREENSHOT = (
    Path(os.environ.get("PLANPORTAL_SCREENSHOTS", tempfile.gettempdir())) / "round-import-preview.png"
)


def test_it_uploads_a_round_previews_it_and_imports_it(page, live_server, tmp_path):
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    tree = PlanTree.build(county=county, goals=1, activities=3)
    first, second, third = tree.activities
    FollowUpFactory(activity=first, year=2022, achieved="Två utbildningar", spent=Decimal("1234.5"))
    round = FollowUpRound.objects.create(plan=tree.plan, year=2022, deadline=date(2023, 2, 15))
    member(county, Role.EDITOR, username="samordnare")
    # The first two rows are right in both files; the third has a bad status and amount in the first.
    good = [
        [
            first.title,
            "Region Norrbotten",
            "genomförd",
            "Tre utbildningar i länets alla kommuner, med deltagare från socialtjänst och primärvård",
            "Uppföljning 2023",
            "2 000",
            "ja",
            2022,
            first.pk,
        ],
        [
            second.title,
            "Luleå kommun",
            "pågående",
            "Kartläggning klar",
            "",
            "",
            "nej",
            2022,
            second.pk,
        ],
    ]
    upload = tmp_path / "uppföljning 2022.xlsx"
    upload.write_bytes(
        xlsx(
            [
                HEADERS,
                *good,
                [third.title, "", "halvklar", "", "", "mycket", "nej", 2022, third.pk],
            ]
        )
    )

    login_in_browser(page, live_server, "samordnare")
    url = f"{live_server.url}/uppfoljningsomgangar/{round.pk}/kalkylblad/import/"
    page.goto(url)
    expect(page.get_by_role("heading", name="Uppföljning 2022 via kalkylblad")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label("Kalkylarksfil").set_input_files(str(upload))
    page.get_by_role("button", name="Förhandsgranska importen").click()

    # One bad row: nothing can be imported, and the row and column are named.
    expect(page.get_by_role("heading", name="Förhandsgranskning av uppföljning 2022.xlsx")).to_be_visible()
    expect(page.get_by_text("Okänd status ”halvklar”")).to_be_visible()
    expect(page.get_by_role("button", name="Importera 2 rader")).to_have_count(0)

    fixed = tmp_path / "uppföljning 2022.xlsx"
    fixed.write_bytes(
        xlsx(
            [
                HEADERS,
                *good,
                [third.title, "", "", "", "", "", "nej", 2022, third.pk],
            ]
        )
    )
    page.get_by_label("Kalkylarksfil").set_input_files(str(fixed))
    page.get_by_role("button", name="Förhandsgranska importen").click()
    expect(page.get_by_role("cell", name="Måluppfyllelse").first).to_be_visible()
    expect(page.get_by_role("button", name="Importera 2 rader").first).to_be_visible()
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Importera 2 rader").first.click()
    expect(page.get_by_text("uppföljning 2022.xlsx har importerats. Nya: 1, ändrade: 1")).to_be_visible()
    follow_up = ActivityFollowUp.objects.get(activity=first, year=2022)
    assert (follow_up.status, follow_up.spent) == (Status.DONE, Decimal("2000"))
    assert ActivityFollowUp.objects.get(activity=second, year=2022).achieved == "Kartläggning klar"
    assert not ActivityFollowUp.objects.filter(activity=third, year=2022).exists()
