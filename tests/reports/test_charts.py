"""The SVG chart of an indicator's values against its target."""

from decimal import Decimal
from xml.etree import ElementTree

from planportal.lib.charts import indicator_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_it_draws_values_as_a_line_and_targets_as_a_dashed_line():
    svg = indicator_chart(
        [(2019, Decimal("14.2")), (2020, Decimal("13.1")), (2021, Decimal("12.5"))],
        [(2021, 12), (2025, 10)],
        title="Antal suicid per 100 000 invånare",
        unit="per 100 000 invånare",
    )
    root = parse(svg)
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    dashed = [line for line in lines if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert len(dashed[0].get("points").split()) == 2
    assert len(root.findall(f"{SVG}circle")) == 3
    assert root.find(f"{SVG}title").text == "Antal suicid per 100 000 invånare"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    # Swedish decimals, every year on the axis, the unit and the latest value written out.
    assert "12,5" in texts
    assert {"2019", "2021", "2025"} <= set(texts)
    assert "per 100 000 invånare" in texts


def test_it_draws_one_target_as_a_level_line_across_the_chart():
    root = parse(indicator_chart([(2020, 5), (2021, 6)], [(2022, 10)], title="t"))
    level = [line for line in root.findall(f"{SVG}line") if line.get("stroke-dasharray")]
    assert any(float(line.get("x1")) < 60 and float(line.get("x2")) > 400 for line in level)


def test_it_draws_a_single_value_without_failing():
    root = parse(indicator_chart([(2020, Decimal("42"))], [], title="t"))
    assert len(root.findall(f"{SVG}circle")) == 1
    assert root.findall(f"{SVG}polyline") == []


def test_it_draws_nothing_when_there_is_nothing_to_draw():
    assert indicator_chart([], [], title="t") == ""


def test_it_escapes_the_title():
    root = parse(indicator_chart([(2020, 1)], [], title="<script>alert(1)</script> & co"))
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script> & co"


def test_it_keeps_every_point_inside_the_chart_when_values_are_equal_or_negative():
    for values in ([(2020, 3), (2021, 3)], [(2020, -4), (2021, 2)], [(2020, 0), (2021, 0)]):
        root = parse(indicator_chart(values, [], title="t", width=440, height=190))
        for circle in root.findall(f"{SVG}circle"):
            assert 0 <= float(circle.get("cy")) <= 190


def test_it_chooses_round_ticks_that_cover_the_values():
    assert nice_ticks(0, 42) == [0, 20, 40, 60]
    assert nice_ticks(0, 14.2) == [0, 5, 10, 15]
    assert nice_ticks(0, 2, whole=True) == [0, 1, 2]
    ticks = nice_ticks(-3, 7)
    assert ticks[0] <= -3 and ticks[-1] >= 7
