"""The report as a PDF, read back as text: what a steering-group member would see.

Rendering is the slow part, so each PDF is rendered once per module and shared.
"""

import re
import subprocess
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.db import transaction
from pypdf import PdfReader

from activities.models import Activity
from indicators.models import IndicatorTarget
from plans.demo import DEMO_DIR, load_demo_file
from plans.models import Abbreviation, Organisation, Plan
from plans.national import load_national_data
from plans.reports.services import render_report_pdf
from tests.factories import (
    CountyFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    PlanTree,
)
from tests.reports.conftest import pdf_pages, squeeze

LONG_WORD = "samsjuklighetsutredningsimplementeringssamordningsuppdragsbeskrivningarna"
MARGIN = 17 / 25.4 * 72  # the page's side margins, in points


def rendered(build) -> SimpleNamespace:
    """Run ``build`` (which returns a plan, year and anything else) and render its PDF, then roll back."""
    with transaction.atomic():
        result = build()
        result.pdf = render_report_pdf(result.plan, result.year)
        transaction.set_rollback(True)
    result.pages = pdf_pages(result.pdf)
    result.text = "\n".join(result.pages)
    return result


@pytest.fixture(scope="module")
def norrbotten(django_db_setup, django_db_blocker) -> SimpleNamespace:
    def build():
        load_national_data()
        county = load_demo_file(DEMO_DIR / "BD.json")
        plan = Plan.objects.select_related("county").get(county=county, start_year=2021)
        titles = list(Activity.objects.filter(plan=plan).values_list("title", flat=True))
        return SimpleNamespace(plan=plan, year=2022, titles=titles)

    with django_db_blocker.unblock():
        return rendered(build)


@pytest.fixture(scope="module")
def two_counties(django_db_setup, django_db_blocker) -> SimpleNamespace:
    """County A's report, where county B has a plan, organisation, abbreviation and values of its own."""

    def build():
        alfa, beta = CountyFactory(name="Alfalän"), CountyFactory(name="Betalän")
        alfa_tree = PlanTree.build(county=alfa, goals=1, activities=2)
        # Words longer than any column is wide: they must wrap, not run off the page.
        long = alfa_tree.activities[1]
        long.title = f"Implementering av {LONG_WORD} i länet"
        long.responsible = "https://www.example.se/en/mycket/lang/adress/utan/mellanslag/som/maste/brytas"
        long.cost_text = "Stimulansmedelsfördelningsöverenskommelsen"
        long.save()
        beta_tree = PlanTree.build(county=beta, goals=1, activities=2)
        for activity in beta_tree.activities:
            activity.title = f"Betaprojekt {activity.pk}"
            activity.save()
        beta_tree.plan.title = "Betaplanen för psykisk hälsa"
        beta_tree.plan.save()
        Organisation.objects.create(name="Betaregionens förvaltning", county=beta)
        Abbreviation.objects.create(county=beta, abbreviation="BETAFK", meaning="Betaförkortning")
        Abbreviation.objects.create(county=alfa, abbreviation="ALFAFK", meaning="Alfaförkortning")
        # One national indicator follows a goal in each county, with each county's own values.
        indicator = IndicatorFactory(name="Antal deltagare i utbildning")
        indicator.goals.add(alfa_tree.goals[0], beta_tree.goals[0])
        IndicatorValueFactory(indicator=indicator, county=alfa, year=2021, value=Decimal("11"))
        IndicatorValueFactory(indicator=indicator, county=beta, year=2021, value=Decimal("987654"))
        IndicatorTarget.objects.create(indicator=indicator, county=beta, year=2022, value=Decimal("876543"))
        plan = Plan.objects.select_related("county").get(pk=alfa_tree.plan.pk)
        return SimpleNamespace(
            plan=plan, year=2022, alfa_titles=[a.title for a in alfa_tree.activities], beta=beta
        )

    with django_db_blocker.unblock():
        return rendered(build)


def test_it_shows_every_activity_of_the_norrbotten_2022_report(norrbotten):
    text = squeeze(norrbotten.text)
    assert len(norrbotten.titles) >= 20
    missing = [title for title in norrbotten.titles if squeeze(title) not in text]
    assert missing == []


def test_it_numbers_every_page_in_the_footer(norrbotten):
    pages = norrbotten.pages
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page


def test_it_lists_the_contents_with_the_page_each_part_starts_on(norrbotten):
    contents = norrbotten.pages[1]
    assert "Innehåll" in contents
    entries = [
        "Sammanfattning",
        "Fokusområde 5: Ledning, styrning och organisation",
        "Förändringar under 2022",
        "Bilaga: Förkortningar",
        "Bilaga: Ansvariga organisationer",
    ]
    for entry in entries:
        match = re.search(re.escape(entry) + r"\s*\.{3,}\s*(\d+)", contents)
        assert match, entry
        page = int(match.group(1))
        assert entry in norrbotten.pages[page - 1], (entry, page)


def test_it_has_the_parts_the_steering_group_expects(norrbotten):
    text = norrbotten.text
    cover = norrbotten.pages[0]
    assert "Norrbottens län" in cover and "2022" in cover and "Utkast" in cover
    for part in (
        "Aktiviteter per status",
        "Budget och förbrukning per insatsområde",
        "Mål utan aktivitet under 2022",
        "Bakgrund",
        "Indikatorer",
        "Aktiviteter och uppföljning 2022",
        "AOSP",  # an abbreviation of the appendix
    ):
        assert part.casefold() in text.casefold(), part
    for header in ("Aktivitet", "Nuläge", "Mål", "Indikatorer", "Tidsplan", "Ansvar", "Kostnad", "Status"):
        assert header in text


def test_it_is_an_a4_document_with_title_author_language_and_embedded_fonts(norrbotten):
    reader = PdfReader(BytesIO(norrbotten.pdf))
    assert reader.metadata.title.startswith("Uppföljning 2022 – Länsgemensam analys och handlingsplan")
    assert reader.metadata.author == "Norrbottens län"
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = page["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]


def test_it_shows_nothing_of_another_county(two_counties):
    text = two_counties.text
    for title in two_counties.alfa_titles:
        assert squeeze(title) in squeeze(text)
    assert "ALFAFK" in text
    assert re.search(r"2021\s*11\s", text), "county A's own value"
    for foreign in ("Betaprojekt", "Betaplanen", "Betaregionens", "BETAFK", "Betalän", "987", "876"):
        assert foreign not in text, foreign


def test_it_keeps_long_words_on_the_page(two_counties, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(two_counties.pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True)
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes.stdout).group(1))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', boxes.stdout
    )
    assert len(words) > 100
    outside = [
        word
        for x_min, x_max, word in words
        if float(x_min) < MARGIN - 1 or float(x_max) > page_width - MARGIN + 1
    ]
    assert outside == []
    assert squeeze(LONG_WORD) in squeeze(two_counties.text)


@pytest.mark.django_db
def test_it_renders_a_plan_with_no_activities_indicators_or_follow_ups():
    plan = PlanFactory(county=CountyFactory(name="Tomma län"), title="Tom plan")
    GoalFactory(plan=plan, code="M1", title="Ett mål utan något")
    pages = pdf_pages(render_report_pdf(Plan.objects.select_related("county").get(pk=plan.pk), 2022))
    text = "\n".join(pages)
    assert "M1 Ett mål utan något" in text
    for empty in (
        "Inga aktiviteter under 2022.",
        "Inga indikatorer följer upp målet.",
        "Inga ändringar registrerades under 2022.",
        "Inga förkortningar listade.",
    ):
        assert empty in text, empty
    assert f"Sida 1 av {len(pages)}" in pages[0]
