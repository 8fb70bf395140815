"""The chart of several series (the county and one of its areas) on an indicator's page."""

from decimal import Decimal
from xml.etree import ElementTree

from planportal.lib.charts import Series, series_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_it_tells_the_lines_apart_without_colour_and_describes_every_value():
    svg = series_chart(
        [
            Series("Västra Götalands län", [(2019, Decimal("12.5")), (2020, 13)]),
            Series("Fyrbodal", [(2019, 10), (2020, Decimal("14"))]),
        ],
        [(2025, 20)],
        title="DUDIT inom LSS",
        unit="andel (%)",
    )
    root = ElementTree.fromstring(svg)
    lines = root.findall(f"{SVG}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == [None, "2 3"]
    assert len(root.findall(f"{SVG}circle")) >= 2 and len(root.findall(f"{SVG}rect")) >= 2
    assert root.find(f"{SVG}title").text == "DUDIT inom LSS"
    desc = root.find(f"{SVG}desc").text
    assert "Västra Götalands län: 2019: 12,5; 2020: 13." in desc
    assert "Fyrbodal: 2019: 10; 2020: 14." in desc
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "Fyrbodal" in texts and "andel (%)" in texts and "2025" in texts


def test_it_draws_nothing_without_values_or_targets():
    assert series_chart([Series("Län", [])], title="t") == ""
