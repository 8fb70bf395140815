"""A county's value export is written once per change of its values and kept."""

import pytest

from indicators.models import IndicatorValue
from plans.imports import services
from plans.models import Municipality, Role
from tests.factories import member
from tests.imports.test_exports import add_values, county, sheet_of  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def kolada_csv(rows: list[str]) -> bytes:
    return ("kpi;kommun;år;kön;värde\n" + "\n".join(rows) + "\n").encode("utf-8")


def values_in(content: bytes) -> list:
    return [row[4] for row in sheet_of(content).iter_rows(min_row=2, values_only=True)]


def test_it_serves_the_kept_file_until_the_values_change(county, monkeypatch):  # noqa: F811
    add_values(county, indicators=1)
    first = services.export_county_values(county=county, fmt="xlsx")
    writes = []
    monkeypatch.setattr(services, "indicator_value_export", lambda c: writes.append(c) or ([], []))
    again = services.export_county_values(county=county, fmt="xlsx")
    assert again.content == first.content and writes == []
    assert again.file_name == "indikatorvarden-BD.xlsx"
    monkeypatch.undo()

    # An import through the county's page: the next export has the new value.
    indicator = IndicatorValue.objects.first().indicator
    municipality = Municipality.objects.filter(county=county).order_by("code").first()
    editor = member(county, Role.EDITOR)
    services.commit_import(
        importer=services.county_importer(county=county),
        data=kolada_csv([f"{indicator.code};{municipality.code};2023;T;77,5"]),
        file_name="nytt.csv",
        user=editor,
        county=county,
    )
    assert 77.5 in values_in(services.export_county_values(county=county, fmt="xlsx").content)
    # A deletion that writes no history still shows.
    IndicatorValue.objects.filter(year=2023).delete()
    assert 77.5 not in values_in(services.export_county_values(county=county, fmt="xlsx").content)


def test_it_keeps_one_file_per_county_and_format(county, settings):  # noqa: F811
    add_values(county, indicators=1)
    services.export_county_values(county=county, fmt="csv")
    IndicatorValue.objects.filter(county=county).first().delete()
    services.export_county_values(county=county, fmt="csv")
    kept = list((settings.MEDIA_ROOT / "cache" / "exports").glob("indikatorvarden-BD--*.csv"))
    assert len(kept) == 1
