"""The database keeps the rules, and breaking one gives a clear validation error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import Activity, ActivityFollowUp
from indicators.models import IndicatorValue
from plans.models import FundingAllocation, Goal, Plan
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    FollowUpFactory,
    GoalFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MunicipalityFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def test_it_rejects_a_second_goal_with_the_same_code_in_a_plan():
    goal = GoalFactory(code="V1.1")
    duplicate = Goal(plan=goal.plan, code="V1.1", title="Ett annat mål")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "redan ett mål med den här koden" in messages_of(error.value)

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert Goal.objects.filter(code="V1.1").count() == 1


def test_it_allows_the_same_goal_code_in_another_plan():
    goal = GoalFactory(code="V1.1")
    other = Goal(plan=PlanFactory(county=goal.plan.county), code="V1.1", title="Samma kod, annan plan")
    other.full_clean()
    other.save()
    assert Goal.objects.filter(code="V1.1").count() == 2


def test_it_rejects_a_second_follow_up_for_the_same_year():
    follow_up = FollowUpFactory(year=2022)
    duplicate = ActivityFollowUp(activity=follow_up.activity, year=2022)

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "redan en uppföljning för det här året" in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ActivityFactory.build(plan=PlanFactory(), budget=Decimal("-1")),
        lambda: ActivityFollowUp(activity=ActivityFactory(), year=2022, spent=Decimal("-500")),
        lambda: FundingAllocation(county=CountyFactory(), year=2022, amount=Decimal("-100")),
    ],
    ids=["activity budget", "follow-up spent", "funding amount"],
)
def test_it_rejects_negative_money(make):
    instance = make()
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert "Belopp kan inte vara negativa" in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_it_rejects_an_activity_that_ends_before_it_starts():
    from datetime import date

    activity = ActivityFactory.build(
        plan=PlanFactory(), start_date=date(2022, 6, 1), end_date=date(2022, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "Slutdatum kan inte ligga före startdatum" in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()
    assert not Activity.objects.exists()


def test_it_rejects_a_plan_that_ends_before_it_starts():
    plan = PlanFactory.build(county=CountyFactory(), start_year=2025, end_year=2021)
    with pytest.raises(ValidationError):
        plan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
    assert not Plan.objects.exists()


def test_it_keeps_one_indicator_value_per_area_year_and_gender():
    value = IndicatorValueFactory(year=2020, gender="K")
    duplicate = IndicatorValue(indicator=value.indicator, county=value.county, year=2020, gender="K", value=3)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "redan ett värde" in messages_of(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()

    # Another gender, or the same for a municipality, is a different value.
    IndicatorValue.objects.create(
        indicator=value.indicator, county=value.county, year=2020, gender="M", value=2
    )
    municipality = MunicipalityFactory(county=value.county)
    IndicatorValue.objects.create(
        indicator=value.indicator, municipality=municipality, year=2020, gender="K", value=1
    )
    assert IndicatorValue.objects.count() == 3


def test_it_requires_exactly_one_area_for_an_indicator_value():
    county = CountyFactory()
    both = IndicatorValue(
        indicator=IndicatorFactory(),
        county=county,
        municipality=MunicipalityFactory(county=county),
        year=2020,
        value=1,
    )
    with pytest.raises(ValidationError):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()
