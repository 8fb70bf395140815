"""Test data. ``PlanTree`` builds a plan → goals → activities tree in one call."""

from dataclasses import dataclass, field

import factory
from django.contrib.auth import get_user_model

from activities.models import Activity, ActivityFollowUp
from indicators.models import Indicator, IndicatorValue
from plans.models import County, FocusArea, Goal, Membership, Municipality, Organisation, Plan, PriorityArea


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    letter_code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Testlän {n}")
    region_name = factory.LazyAttribute(lambda county: f"Region {county.name}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.Sequence(lambda n: f"Testkommun {n}")
    county = factory.SubFactory(CountyFactory)


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ["number"]

    number = 1
    name = "Förebyggande och främjande arbete"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.REGION


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    county = factory.SubFactory(CountyFactory)
    title = factory.Sequence(lambda n: f"Handlingsplan {n}")
    start_year = 2021
    end_year = 2025
    status = Plan.Status.ADOPTED


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Insatsområde {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"V1.{n}")
    title = factory.Sequence(lambda n: f"Mål {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    current_state = "Nuläge"
    expected_result = "Förväntat resultat"
    indicators_text = "Antal deltagare"
    timeline = "2022"
    responsible = "Länssamordnare"
    cost_text = "Inom ram"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityFollowUp

    activity = factory.SubFactory(ActivityFactory)
    year = 2022
    achieved = "Genomfört enligt plan"
    planning = "Fortsätter"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"N{n:05d}")
    name = factory.Sequence(lambda n: f"Indikator {n}")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2022
    county = factory.SubFactory(CountyFactory)
    value = 10


def member(county: County, role: str, username: str | None = None):
    user = UserFactory(username=username) if username else UserFactory()
    Membership.objects.create(user=user, county=county, role=role)
    return user


@dataclass
class PlanTree:
    """A plan with ``goals`` goals and ``activities`` activities spread over them."""

    plan: Plan
    goals: list[Goal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    @classmethod
    def build(cls, *, county: County | None = None, goals: int = 2, activities: int = 3) -> "PlanTree":
        plan = PlanFactory(county=county) if county else PlanFactory()
        area = PriorityAreaFactory(plan=plan)
        tree = cls(plan=plan, goals=[GoalFactory(plan=plan, priority_area=area) for _ in range(goals)])
        for index in range(activities):
            activity = ActivityFactory(plan=plan, priority_area=area)
            if tree.goals:
                activity.goals.add(tree.goals[index % len(tree.goals)])
            tree.activities.append(activity)
        return tree
