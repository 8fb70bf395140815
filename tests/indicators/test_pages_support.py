"""A county with indicators, values, a baseline and targets, for the indicator page tests (no tests here).

Norrbotten (county A of ``World``) has a sub-region and two municipalities; Gävleborg (county B)
has a municipality and an indicator of its own. Values of Gävleborg's areas must never reach a
page of Norrbotten.
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue, ValueSource
from plans.models import Municipality, SubRegion
from tests.personas import World


@dataclass
class IndicatorWorld:
    world: World
    national: Indicator
    own: Indicator
    others_own: Indicator
    lulea: Municipality
    pitea: Municipality
    sub_region: SubRegion
    gavle: Municipality


def build(*, years: int = 3) -> IndicatorWorld:
    world = World.build()
    county, other = world.county, world.other_county
    lulea = Municipality.objects.create(code="2580", name="Luleå", county=county)
    pitea = Municipality.objects.create(code="2581", name="Piteå", county=county)
    gavle = Municipality.objects.create(code="2180", name="Gävle", county=other)
    sub_region = SubRegion.objects.create(county=county, name="Östra Norrbotten")
    national = Indicator.objects.create(
        code="U01", name="Andel unga med god psykisk hälsa", unit="percent", desired_direction="up"
    )
    own = Indicator.objects.create(county=county, code="BD-1", name="Antal utbildade i MHFA", unit="count")
    others_own = Indicator.objects.create(
        county=other, code="X-1", name="Gävleborgs hemliga indikator", unit="count"
    )
    national.goals.add(world.tree.goals[0])
    own.activities.add(world.tree.activities[0])
    add_values(national, world, lulea=lulea, pitea=pitea, sub_region=sub_region, gavle=gavle, years=years)
    IndicatorBaseline.objects.create(indicator=national, county=county, year=2018, value=Decimal("50"))
    IndicatorTarget.objects.create(indicator=national, county=county, year=2025, value=Decimal("70"))
    IndicatorTarget.objects.create(indicator=national, county=other, year=2025, value=Decimal("98765"))
    return IndicatorWorld(world, national, own, others_own, lulea, pitea, sub_region, gavle)


def add_values(indicator, world, *, lulea, pitea, sub_region, gavle, years: int, first: int = 2019) -> None:
    rows = []
    for offset in range(years):
        year = first + offset
        for gender, extra in (("T", 0), ("K", 2), ("M", -2)):
            value = Decimal(55 + offset) + extra
            rows += [
                IndicatorValue(
                    indicator=indicator, year=year, gender=gender, county=world.county, value=value
                ),
                IndicatorValue(
                    indicator=indicator, year=year, gender=gender, municipality=lulea, value=value + 1
                ),
                IndicatorValue(
                    indicator=indicator, year=year, gender=gender, municipality=pitea, value=value - 1
                ),
                IndicatorValue(
                    indicator=indicator, year=year, gender=gender, sub_region=sub_region, value=value + 3
                ),
                # Another county's values: never on Norrbotten's pages.
                IndicatorValue(
                    indicator=indicator, year=year, gender=gender, municipality=gavle, value=Decimal(777)
                ),
                IndicatorValue(
                    indicator=indicator,
                    year=year,
                    gender=gender,
                    county=world.other_county,
                    value=Decimal(888),
                ),
            ]
    IndicatorValue.objects.bulk_create(rows)


def mark_kolada(indicator) -> None:
    IndicatorValue.objects.filter(indicator=indicator).update(source=ValueSource.KOLADA)
