"""The one progress rule (README, "How progress is judged")."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import Gender, Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.progress import Judgement, Trend, county_progress, judge, summarise
from tests.factories import CountyFactory, MunicipalityFactory


def rising(baseline=(2018, 50), values=(), targets=((2024, 80),), direction="up"):
    return judge(desired_direction=direction, baseline=baseline, values=values, targets=targets)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Halfway in time (2018 → 2024, 2021), more than halfway in value.
        ([(2020, 60), (2021, 70)], Judgement.ON_TRACK),
        # Halfway in time, a third of the way in value.
        ([(2020, 55), (2021, 60)], Judgement.SOME_PROGRESS),
        # Less than 1 % of the distance either way.
        ([(2021, 50.2)], Judgement.NO_PROGRESS),
        ([(2021, 49.8)], Judgement.NO_PROGRESS),
        ([(2021, 45)], Judgement.WRONG_WAY),
        # The target reached early, and passed.
        ([(2020, 80)], Judgement.ON_TRACK),
        ([(2020, 95)], Judgement.ON_TRACK),
    ],
)
def test_it_judges_a_rising_indicator(values, expected):
    assert rising(values=values).judgement == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([(2021, 12)], Judgement.ON_TRACK),  # 20 → 10 by 2024; 2021: more than halfway
        ([(2021, 18)], Judgement.SOME_PROGRESS),
        ([(2021, 20)], Judgement.NO_PROGRESS),
        ([(2021, 23)], Judgement.WRONG_WAY),
        ([(2023, 9)], Judgement.ON_TRACK),
    ],
)
def test_it_judges_a_falling_indicator(values, expected):
    progress = judge(desired_direction="down", baseline=(2018, 20), values=values, targets=[(2024, 10)])
    assert progress.judgement == expected


def test_it_takes_the_direction_from_baseline_and_target_when_the_indicator_has_none():
    progress = judge(desired_direction="none", baseline=(2018, 20), values=[(2021, 25)], targets=[(2024, 10)])
    assert progress.direction == "down"
    assert progress.judgement == Judgement.WRONG_WAY


@pytest.mark.parametrize(
    ("kwargs", "missing"),
    [
        ({"baseline": None}, "No baseline."),
        ({"targets": ()}, "No target value."),
        ({"values": ()}, "No value after the baseline year."),
        # A value from the baseline year itself says nothing about progress since.
        ({"values": [(2018, 70)]}, "No value after the baseline year."),
        ({"direction": "none", "targets": [(2024, 50)]}, "No desired direction."),
    ],
)
def test_it_says_what_is_missing(kwargs, missing):
    arguments = {"values": [(2021, 70)], **kwargs}
    with translation.override("en"):
        progress = rising(**arguments)
    assert progress.judgement == Judgement.NO_DATA
    assert progress.missing == missing


def test_it_measures_against_the_next_target_and_after_the_last_against_the_last():
    targets = [(2020, 60), (2024, 80)]
    # 2021: the next target is 2024's 80; 62 is 12/30 of the way after half the time.
    assert rising(values=[(2021, 62)], targets=targets).target == (2024, Decimal(80))
    # 2026: past the last target, which is still the target.
    late = rising(values=[(2026, 79)], targets=targets)
    assert late.target == (2024, Decimal(80))
    assert late.judgement == Judgement.SOME_PROGRESS


def test_the_trend_compares_the_latest_value_with_the_one_before():
    better = rising(values=[(2020, 60), (2021, 70)])
    assert (better.trend, better.trend_arrow) == (Trend.BETTER, "↑")
    worse = judge(desired_direction="down", baseline=(2018, 20), values=[(2020, 15), (2021, 16)], targets=[])
    assert (worse.trend, worse.trend_arrow) == (Trend.WORSE, "↑")
    same = rising(values=[(2020, 60), (2021, 60)])
    assert (same.trend, same.trend_arrow) == (Trend.SAME, "→")
    assert rising(values=[(2021, 60)]).trend == Trend.UNKNOWN


def test_every_judgement_has_a_word_and_a_symbol_beside_its_colour():
    for judgement in Judgement:
        progress = judge(desired_direction="up", baseline=None, values=[], targets=[])
        progress = type(progress)(judgement, "up")
        assert progress.label and progress.symbol and progress.css_class.startswith("progress-")


@pytest.mark.django_db
def test_it_judges_the_county_from_its_own_rows_in_three_queries(django_assert_num_queries):
    county, other = CountyFactory(), CountyFactory()
    municipality = MunicipalityFactory(county=county)
    indicators = [
        Indicator.objects.create(code=f"N{n}", name=f"Indikator {n}", desired_direction="up")
        for n in range(3)
    ]
    first, second, third = indicators
    IndicatorBaseline.objects.create(indicator=first, county=county, year=2018, value=50)
    IndicatorTarget.objects.create(indicator=first, county=county, year=2024, value=80)
    IndicatorValue.objects.create(indicator=first, county=county, year=2021, value=75)
    # Women's values, a municipality's and another county's are not the county's total.
    IndicatorValue.objects.create(indicator=first, county=county, year=2022, value=10, gender=Gender.WOMEN)
    IndicatorValue.objects.create(indicator=first, municipality=municipality, year=2023, value=10)
    IndicatorValue.objects.create(indicator=first, county=other, year=2023, value=10)
    IndicatorBaseline.objects.create(indicator=second, county=other, year=2018, value=50)

    with django_assert_num_queries(3), translation.override("en"):
        progress = county_progress(county.pk, indicators)

    assert progress[first.pk].judgement == Judgement.ON_TRACK
    assert progress[first.pk].latest == (2021, Decimal(75))
    assert progress[second.pk].missing == "No baseline."
    assert progress[third.pk].judgement == Judgement.NO_DATA
    counts = summarise(progress.values())
    assert counts[Judgement.ON_TRACK] == 1 and counts[Judgement.NO_DATA] == 2
