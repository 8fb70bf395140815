"""The report shows what exists: the county's values, else its sub-regions', else its municipalities'."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from indicators.models import IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import Judgement
from plans.models import Plan, SubRegion
from plans.reports.data import build_report
from plans.reports.services import render_report_pdf
from tests.factories import CountyFactory, GoalFactory, IndicatorFactory, MunicipalityFactory, PlanTree
from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db


def plan_with_indicator(county_name="Norrbottens län", **indicator):
    county = CountyFactory(name=county_name)
    tree = PlanTree.build(county=county, goals=1, activities=1)
    indicator = IndicatorFactory(name="Antal suicid", desired_direction="down", **indicator)
    indicator.goals.add(tree.goals[0])
    plan = Plan.objects.select_related("county").get(pk=tree.plan.pk)
    return plan, indicator


def the_block(plan, year=2022):
    data = build_report(plan, year)
    [block] = [block for section in data.focus_areas for goal in section.goals for block in goal.indicators]
    return block


def test_it_charts_the_countys_own_values_and_judges_progress():
    plan, indicator = plan_with_indicator()
    county = plan.county
    IndicatorBaseline.objects.create(indicator=indicator, county=county, year=2019, value=40)
    IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=20)
    for year, value in ((2019, 40), (2021, 44), (2022, 46)):
        IndicatorValue.objects.create(indicator=indicator, county=county, year=year, value=value)
    # A municipality's value does not replace the county's own.
    IndicatorValue.objects.create(
        indicator=indicator, municipality=MunicipalityFactory(county=county), year=2022, value=3
    )

    block = the_block(plan)
    assert block.has_county_values and block.areas is None
    assert "<svg" in block.chart
    assert block.baseline == "2019: 40"
    assert block.progress.judgement == Judgement.WRONG_WAY
    assert (block.progress.symbol, block.progress.trend_arrow) == ("✗", "↑")


def test_it_shows_the_municipalities_values_where_the_county_has_none():
    plan, indicator = plan_with_indicator()
    county = plan.county
    municipalities = [MunicipalityFactory(county=county, name=name) for name in ("Älvsbyn", "Boden", "Luleå")]
    for municipality, values in zip(municipalities, ((5, 4), (2, 3), (9, None)), strict=True):
        for year, value in zip((2021, 2022), values, strict=True):
            if value is not None:
                IndicatorValue.objects.create(
                    indicator=indicator, municipality=municipality, year=year, value=value
                )
    IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=20)

    block = the_block(plan)
    assert not block.has_county_values and not block.chart
    assert block.areas.kind == "municipality"
    assert block.areas.years == [2021, 2022]
    # In Swedish order (Å, Ä, Ö last), with the change over the last year.
    assert [(row.name, row.values, row.change) for row in block.areas.rows] == [
        ("Boden", ["2", "3"], "+1"),
        ("Luleå", ["9", ""], ""),
        ("Älvsbyn", ["5", "4"], "−1"),
    ]
    assert block.progress.judgement == Judgement.NO_DATA

    pages = pdf_pages(render_report_pdf(plan, 2022))
    text = squeeze("\n".join(pages))
    note = gettext(
        "%(county)s has no value of its own for this indicator; these are its municipalities' values."
    ) % {"county": "Norrbottens län"}
    assert block.areas.note == note
    assert squeeze(note) in text
    assert "Inga värden" not in "\n".join(pages)
    assert squeeze("Älvsbyn54−1") in text


def test_it_shows_only_the_latest_two_years_for_many_municipalities():
    plan, indicator = plan_with_indicator()
    for number in range(25):
        municipality = MunicipalityFactory(county=plan.county)
        for year in range(2018, 2023):
            IndicatorValue.objects.create(
                indicator=indicator, municipality=municipality, year=year, value=number + year - 2018
            )
    block = the_block(plan)
    assert block.areas.years == [2021, 2022]
    assert len(block.areas.rows) == 25
    assert {row.change for row in block.areas.rows} == {"+1"}
    assert gettext("The latest year and the year before are shown.") in block.areas.note


def test_it_prefers_the_sub_regions_values_to_the_municipalities():
    plan, indicator = plan_with_indicator()
    county = plan.county
    sub_region = SubRegion.objects.create(county=county, name="Fyrbodal")
    IndicatorValue.objects.create(indicator=indicator, sub_region=sub_region, year=2022, value=Decimal("7.5"))
    IndicatorValue.objects.create(
        indicator=indicator, municipality=MunicipalityFactory(county=county), year=2022, value=1
    )

    block = the_block(plan)
    assert block.areas.kind == "sub_region"
    assert [(row.name, row.values) for row in block.areas.rows] == [("Fyrbodal", ["7,5"])]
    assert block.areas.note == gettext(
        "%(county)s has no value of its own for this indicator; these are its sub-regions' values."
    ) % {"county": "Norrbottens län"}


def test_it_says_there_are_no_values_only_when_there_are_none():
    plan, _indicator = plan_with_indicator()
    block = the_block(plan)
    assert block.areas is None and not block.has_county_values
    text = squeeze("\n".join(pdf_pages(render_report_pdf(plan, 2022))))
    assert squeeze("Inga värden eller målvärden för Norrbottens län ännu") in text
    assert squeeze(f"– {Judgement.NO_DATA.label}") in text


def test_it_never_shows_another_countys_indicator_or_areas():
    plan, indicator = plan_with_indicator()
    other = CountyFactory(name="Gävleborgs län")
    # Another county's own indicator, linked by mistake to this plan's goal.
    foreign = IndicatorFactory(county=other, name="Gävleborgs egen indikator")
    foreign.goals.add(plan.goals.get())
    IndicatorValue.objects.create(indicator=foreign, county=plan.county, year=2022, value=5)
    # The other county's municipalities and sub-regions have values of the shared indicator.
    IndicatorValue.objects.create(
        indicator=indicator, municipality=MunicipalityFactory(county=other), year=2022, value=8
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        sub_region=SubRegion.objects.create(county=other, name="Hälsingland"),
        year=2022,
        value=8,
    )

    data = build_report(plan, 2022)
    blocks = [block for section in data.focus_areas for goal in section.goals for block in goal.indicators]
    assert [block.indicator.name for block in blocks] == ["Antal suicid"]
    assert blocks[0].areas is None
    assert data.indicator_count == 1


def test_it_reads_many_areas_and_values_in_as_many_queries_as_few(django_assert_num_queries):
    def plan_of(size):
        plan, _indicator = plan_with_indicator(county_name=f"Län med {size}")
        for _ in range(size):
            indicator = IndicatorFactory()
            indicator.goals.add(plan.goals.get())
            IndicatorBaseline.objects.create(indicator=indicator, county=plan.county, year=2018, value=1)
            IndicatorTarget.objects.create(indicator=indicator, county=plan.county, year=2025, value=9)
            sub_region = SubRegion.objects.create(county=plan.county, name=f"Delregion {indicator.pk}")
            for year in range(2018, 2023):
                IndicatorValue.objects.create(
                    indicator=indicator,
                    municipality=MunicipalityFactory(county=plan.county),
                    year=year,
                    value=2,
                )
                IndicatorValue.objects.create(indicator=indicator, sub_region=sub_region, year=year, value=2)
        return plan

    small, big = plan_of(1), plan_of(8)
    build_report(small, 2022)  # warm caches (content types, focus areas)
    with CaptureQueriesContext(connection) as queries:
        build_report(small, 2022)
    with django_assert_num_queries(len(queries)):
        data = build_report(big, 2022)
    assert data.indicator_count == 9


def test_it_charts_an_indicator_of_two_goals_under_each_with_ids_of_its_own():
    plan, indicator = plan_with_indicator()
    second = GoalFactory(plan=plan, code="M2")
    indicator.goals.add(second)
    IndicatorValue.objects.create(indicator=indicator, county=plan.county, year=2022, value=4)
    data = build_report(plan, 2022)
    goals = [goal for section in data.focus_areas for goal in section.goals]
    charts = [block.chart for goal in goals for block in goal.indicators]
    assert len(charts) == 2 and all("<svg" in chart for chart in charts)
    ids = [set(re.findall(r'id="([^"]+)"', chart)) for chart in charts]
    assert ids[0] and not ids[0] & ids[1]
    assert data.indicator_count == 1
