"""The import pages in Chromium: upload the Norrbotten matrix, look at the preview, confirm."""

import pytest
from playwright.sync_api import expect

from plans.models import Role
from tests.conftest import login_in_browser
from tests.factories import CountyFactory, GoalFactory, PlanFactory, member
from tests.imports import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_uploads_previews_and_imports_the_norrbotten_matrix(page, live_server, tmp_path):
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    plan = PlanFactory(county=county, title="Handlingsplan 2022")
    for code in ("N1", "N2", "N3", "N4"):
        GoalFactory(plan=plan, code=code)
    member(county, Role.EDITOR, username="samordnare")
    matrix = tmp_path / "aktivitetsplan-2022.xlsx"
    matrix.write_bytes(files.xlsx_file(files.MATRIX_HEADERS, files.matrix_rows()))

    login_in_browser(page, live_server, "samordnare")
    url = f"{live_server.url}/planer/{plan.pk}/import/"
    page.goto(url)
    expect(page.get_by_role("heading", name="Importera till handlingsplanen")).to_be_visible()

    # While the file is read the page says so, and the button cannot be pressed twice.
    # (The request is dropped here so that the page stays as it was when sent.)
    page.route(
        "**/import/",
        lambda route: route.abort("aborted") if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_label("Kalkylarksfil").set_input_files(str(matrix))
    page.get_by_role("button", name="Förhandsgranska importen").click(no_wait_after=True)
    expect(page.get_by_role("status").filter(has_text="Läser filen …")).to_be_visible()
    expect(page.get_by_role("button", name="Förhandsgranska importen")).to_be_disabled()
    page.unroute("**/import/")

    page.goto(url)
    page.get_by_label("aktivitetsmatrisen").check()
    page.get_by_label("Kalkylarksfil").set_input_files(str(matrix))
    page.get_by_role("button", name="Förhandsgranska importen").click()

    expect(page.get_by_role("heading", name="Förhandsgranskning av aktivitetsplan-2022.xlsx")).to_be_visible()
    expect(page.get_by_text("26 nya")).to_be_visible()
    expect(page.get_by_text("Rubrikraden är rad 3 i filen.")).to_be_visible()
    expect(page.get_by_role("cell", name="Samordning av psykiatriveckan")).to_be_visible()
    assert plan.activities.count() == 0

    page.get_by_role("button", name="Importera 26 rader").first.click()
    expect(page.get_by_text("aktivitetsplan-2022.xlsx har importerats. Nya: 26")).to_be_visible()
    expect(page.get_by_role("cell", name="genomförd")).to_be_visible()
    assert plan.activities.count() == 26
