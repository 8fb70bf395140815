"""The xlsx and csv exports: a plain table from row 1, and a fixed number of queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import IndicatorValue
from plans.imports import services
from plans.models import County, Municipality, Role, SubRegion
from plans.national import load_national_data
from tests.factories import IndicatorFactory, PlanTree, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def county() -> County:
    load_national_data()
    return County.objects.get(letter_code="BD")


def add_values(county: County, indicators: int) -> None:
    sub_region = SubRegion.objects.get_or_create(county=county, name="Östra Norrbotten")[0]
    municipalities = list(Municipality.objects.filter(county=county))
    for _ in range(indicators):
        indicator = IndicatorFactory()
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(indicator=indicator, county=county, year=2022, value=Decimal("12.5")),
                IndicatorValue(indicator=indicator, sub_region=sub_region, year=2022, value=Decimal(3)),
                *[
                    IndicatorValue(
                        indicator=indicator, municipality=municipality, year=year, value=Decimal(year)
                    )
                    for municipality in municipalities
                    for year in (2021, 2022)
                ],
            ]
        )


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_it_writes_the_header_on_row_one_frozen_and_filterable(county):
    tree = PlanTree.build(county=county, activities=3)
    tree.activities[0].budget = Decimal("1774000")
    tree.activities[0].save()
    sheet = sheet_of(services.export_plan(plan=tree.plan, kind="aktiviteter", fmt="xlsx").content)
    assert [cell.value for cell in sheet[1]][:3] == ["Insatsområde", "Aktivitet", "Nuläge"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:N{len(tree.activities) + 1}"
    budget = next(cell for cell in sheet[1] if cell.value == "Budget").column
    assert sheet.cell(row=2, column=budget).value == 1774000
    assert sheet.cell(row=2, column=budget).number_format == "#,##0"
    assert sheet.column_dimensions["B"].width >= len("Aktivitet")


def test_it_exports_the_values_of_the_county_from_row_one(county):
    add_values(county, indicators=1)
    sheet = sheet_of(services.export_county_values(county=county, fmt="xlsx").content)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("kpi", "kommun", "år", "kön", "värde")
    assert rows[1][1:5] == ("0025", 2022, "T", 12.5)  # the county first, then municipalities by code
    assert rows[2][1] == "2505"
    assert rows[-1][1] == "Östra Norrbotten"
    assert len(rows) == 1 + 1 + 1 + 2 * Municipality.objects.filter(county=county).count()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_values_with_the_same_number_of_queries_for_more_rows(client, county, fmt):
    client.force_login(member(county, Role.READER))
    url = reverse("county_indicator_export", args=["BD", fmt])
    add_values(county, indicators=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_values(county, indicators=4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_it_exports_activities_with_the_same_number_of_queries_for_more_rows(client, county):
    client.force_login(member(county, Role.READER))
    small, large = PlanTree.build(county=county, activities=2), PlanTree.build(county=county, activities=12)
    counts = []
    for tree in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("plan_export", args=[tree.plan.pk, "aktiviteter", "xlsx"])).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_exports_text_stored_with_control_characters_before_input_was_cleaned():
    from io import BytesIO

    from openpyxl import load_workbook

    from planportal.lib.spreadsheets import write_xlsx

    content = write_xlsx(headers=["Aktivitet", "Nuläge"], rows=[["Titel\x00 med NUL", "Rad ett\x0bRad två"]])
    sheet = load_workbook(BytesIO(content)).active
    assert [cell.value for cell in sheet[2]] == ["Titel med NUL", "Rad ett\nRad två"]
