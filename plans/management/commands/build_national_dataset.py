"""Build a deterministic national dataset for benchmarks: all 21 counties at full size.

Every county gets one or two live plans of 15–40 goals and 100–300 activities with five
years of follow-ups, a history (a few objects at 30+ versions) and deleted items; 60
indicators get values for every municipality and county over ten years by gender
(≈ 0.56 M values). One county also gets plans of 30, 300 and 3 000 activities, so that
growth can be measured. The same seed gives the same data.

Rows are written with ``bulk_create`` and their history with simple-history's
``bulk_history_create`` (dates set per object), so the whole set takes minutes, not hours.
Users are generated ("samordnare-bd", "systemforvaltare"); no real person's name or address.
"""

import random
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from activities.models import Activity, ActivityFollowUp, ActivityType, Status
from indicators.models import Gender, Indicator, IndicatorTarget, IndicatorValue
from planportal.lib.history import history_context
from plans.models import (
    Abbreviation,
    County,
    FocusArea,
    Goal,
    Membership,
    Municipality,
    Organisation,
    Plan,
    PriorityArea,
    Role,
    SubRegion,
    TargetGroup,
)
from plans.national import load_national_data

REASON = "Nationellt testdataset"
GROWTH_SIZES = (30, 300, 3000)
GROWTH_TITLE = "Skalningsplan med {size} aktiviteter"
GROWTH_COUNTY = "AB"
VALUE_YEARS = range(2015, 2025)
FOLLOW_UP_YEARS = range(2020, 2025)
BASE_DATE = datetime(2020, 1, 13, 8, 30, tzinfo=UTC)
BATCH = 5000

AREA_NAMES = [
    "Stärkt brukarmedverkan",
    "Tidiga och samordnade insatser",
    "Suicidprevention",
    "Kunskap och kompetens",
    "Ledning, styrning och organisation",
    "Utsatta grupper",
]
GOAL_PHRASES = [
    "Minskad psykisk ohälsa bland barn och unga",
    "Nollvision om suicid",
    "Tidig upptäckt av psykisk ohälsa i primärvården",
    "Samordnad individuell plan för alla som behöver",
    "Fler brukare deltar i utvecklingsarbetet",
    "Minskad ensamhet bland äldre",
    "Stärkt föräldraskap",
    "Jämlik tillgång till stöd och behandling",
]
ACTIVITY_PHRASES = [
    "Utbildning i suicidprevention för socialtjänst och skola",
    "Gemensamma riktlinjer för samordnad individuell plan",
    "Första hjälpen till psykisk hälsa för kommunernas personal",
    "Brukarrevision av boendestöd",
    "Samverkansteam för barn och unga med sammansatta behov",
    "Kartläggning av väntetider till barn- och ungdomspsykiatrin",
    "Föräldraskapsstöd i alla kommuner",
    "Länsgemensam kampanj om psykisk hälsa",
    "Metodstöd för tidiga insatser i elevhälsan",
    "Nätverk för processledare i delregionerna",
]
LONG_TEXT = (
    "Arbetet bedrivs i samverkan mellan regionen, kommunerna och brukarorganisationerna. "
    "Insatsen följs upp i den delregionala samverkansstrukturen och redovisas till styrgruppen."
)
INDICATOR_NAMES = [
    "Självmord per 100 000 invånare",
    "Barn och unga med psykiatrisk diagnos",
    "Elever som mår bra i skolan",
    "Invånare med nedsatt psykiskt välbefinnande",
    "Samordnade individuella planer",
    "Vårdtillfällen för självskada",
]
UNITS = [Indicator.Unit.PER_100K, Indicator.Unit.PERCENT, Indicator.Unit.COUNT]
STATUSES = [Status.ONGOING, Status.ONGOING, Status.DONE, Status.PLANNED, Status.DELAYED, Status.PAUSED]


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def at(days: float) -> datetime:
    return BASE_DATE + timedelta(days=days)


def create_with_history(model: type[models.Model], objs: list, *, user, when: datetime) -> list:
    """Insert ``objs`` and one "created" version of each, dated ``when`` unless set per object."""
    model.objects.bulk_create(objs, batch_size=BATCH)
    model.history.bulk_history_create(
        objs, batch_size=BATCH, default_user=user, default_change_reason=REASON, default_date=when
    )
    return objs


def add_m2m_history(model: type[models.Model], field: str, object_ids: list[int]) -> None:
    """Copy the current links of ``field`` into every version of the objects ``object_ids``."""
    historical = model.history.model
    history_through = historical._meta.get_field(f"historical{model._meta.model_name}_{field}").related_model
    through = model._meta.get_field(field).remote_field.through
    own = f"{model._meta.model_name}_id"
    other = f"{model._meta.get_field(field).related_model._meta.model_name}_id"
    links: dict[int, list[tuple]] = {}
    for row in through.objects.filter(**{f"{own}__in": object_ids}).values_list("id", own, other):
        links.setdefault(row[1], []).append(row)
    versions = historical.objects.filter(id__in=object_ids).values_list("history_id", "id")
    rows = (
        history_through(history_id=history_id, id=link_id, **{own: object_id, other: target})
        for history_id, object_id in versions.iterator()
        for link_id, object_id, target in links.get(object_id, [])
    )
    for chunk in batched(rows):
        history_through.objects.bulk_create(chunk)


class Builder:
    def __init__(self, *, seed: int, scale: float, counties: int, growth: bool, log) -> None:
        self.random = random.Random(seed)
        self.scale = scale
        self.county_limit = counties
        self.growth = growth
        self.log = log
        self.focus_areas: list[FocusArea] = []

    def size(self, low: int, high: int) -> int:
        return max(1, round(self.random.randint(low, high) * self.scale))

    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        load_national_data()
        self.focus_areas = list(FocusArea.objects.order_by("number"))
        counties = list(County.objects.order_by("code"))[: self.county_limit]
        User = get_user_model()
        self.staff = User.objects.create(username="systemforvaltare", is_staff=True, is_superuser=True)
        self.staff.set_unusable_password()
        self.staff.save()
        with history_context(user=self.staff, reason=REASON):
            all_plans: list[Plan] = []
            for county in counties:
                all_plans += self.build_county(county)
                self.log(f"{county.letter_code}: {time.perf_counter() - started:.0f} s")
            if self.growth:
                growth_county = next((c for c in counties if c.letter_code == GROWTH_COUNTY), counties[0])
                for size in GROWTH_SIZES:
                    count = max(1, round(size * self.scale))
                    all_plans.append(self.build_plan(growth_county, growth_size=count))
                self.log(f"growth plans: {time.perf_counter() - started:.0f} s")
            self.build_indicators(counties, all_plans)
            self.log(f"indicators: {time.perf_counter() - started:.0f} s")
        return {
            "counties": len(counties),
            "plans": Plan.objects.count(),
            "activities": Activity.objects.count(),
            "follow-ups": ActivityFollowUp.objects.count(),
            "indicator values": IndicatorValue.objects.count(),
            "activity versions": Activity.history.count(),
        }

    def build_county(self, county: County) -> list[Plan]:
        User = get_user_model()
        letter = county.letter_code.lower()
        users = [
            User(username=f"samordnare-{letter}", first_name="Samordnare", last_name=county.letter_code),
            User(username=f"styrgrupp-{letter}", first_name="Styrgrupp", last_name=county.letter_code),
            User(username=f"kontakt-{letter}", first_name="Kontaktperson", last_name=county.letter_code),
        ]
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users)
        self.coordinator = users[0]
        create_with_history(
            Membership,
            [
                Membership(user=users[0], county=county, role=Role.EDITOR),
                Membership(user=users[1], county=county, role=Role.APPROVER),
                Membership(user=users[2], county=county, role=Role.READER),
            ],
            user=self.staff,
            when=at(0),
        )
        municipalities = list(Municipality.objects.filter(county=county).order_by("code"))
        self.organisations = create_with_history(
            Organisation,
            [
                Organisation(
                    name=f"{county.region_name} ({county.letter_code})", kind="region", county=county
                ),
                Organisation(name=f"Brukarråd {county.name}", kind="user_org", county=county),
                *[
                    Organisation(
                        name=f"{m.name} kommun ({m.code})", kind="municipality", county=county, municipality=m
                    )
                    for m in municipalities[:8]
                ],
            ],
            user=self.staff,
            when=at(1),
        )
        self.sub_regions = []
        if len(municipalities) >= 6 and self.random.random() < 0.7:
            self.sub_regions = create_with_history(
                SubRegion,
                [SubRegion(county=county, name=f"Delregion {n}") for n in ("Norr", "Mitt", "Syd")],
                user=self.staff,
                when=at(1),
            )
            for index, region in enumerate(self.sub_regions):
                region.municipalities.set(municipalities[index::3])
        create_with_history(
            Abbreviation,
            [Abbreviation(county=county, abbreviation=f"F{n}", meaning=f"Förkortning {n}") for n in range(6)],
            user=self.staff,
            when=at(1),
        )
        plans = [self.build_plan(county, start_year=2020, status=Plan.Status.ADOPTED)]
        if self.random.random() < 0.5:
            plans.append(self.build_plan(county, start_year=2024, status=Plan.Status.DRAFT))
        return plans

    def build_plan(
        self,
        county: County,
        *,
        start_year: int = 2022,
        status: str = Plan.Status.ADOPTED,
        growth_size: int | None = None,
    ) -> Plan:
        rnd = self.random
        user = self.coordinator
        end_year = start_year + 4
        title = (
            GROWTH_TITLE.format(size=growth_size)
            if growth_size
            else f"Handlingsplan för psykisk hälsa i {county.name} {start_year}–{end_year}"
        )
        plan = create_with_history(
            Plan,
            [
                Plan(
                    county=county,
                    title=title,
                    start_year=start_year,
                    end_year=end_year,
                    status=status,
                    adopted_on=date(start_year, 1, 20) if status == Plan.Status.ADOPTED else None,
                    adopted_by="Länets styrgrupp för psykisk hälsa" if status == Plan.Status.ADOPTED else "",
                    description=LONG_TEXT,
                )
            ],
            user=user,
            when=at((start_year - 2020) * 365),
        )[0]
        areas = create_with_history(
            PriorityArea,
            [
                PriorityArea(plan=plan, name=name, position=index, description=LONG_TEXT)
                for index, name in enumerate(AREA_NAMES[: rnd.randint(4, 6)])
            ],
            user=user,
            when=at(2),
        )
        goal_count = 40 if growth_size and growth_size > 300 else self.size(15, 40)
        goals = []
        for index in range(goal_count):
            focus = self.focus_areas[index % len(self.focus_areas)]
            prefix = "B" if index % 3 == 2 else "V"
            goals.append(
                Goal(
                    plan=plan,
                    code=f"{prefix}{focus.number}.{index + 1}",
                    title=f"{rnd.choice(GOAL_PHRASES)} ({index + 1})",
                    target_group=TargetGroup.CHILDREN if prefix == "B" else TargetGroup.ADULTS,
                    focus_area=focus,
                    priority_area=areas[index % len(areas)],
                    background=LONG_TEXT * 2,
                    responsible="Länssamordnare",
                    position=index,
                )
            )
        create_with_history(Goal, goals, user=user, when=at(3))

        activity_count = growth_size or self.size(100, 300)
        years = [year for year in FOLLOW_UP_YEARS if start_year <= year <= end_year]
        if growth_size:
            years = [2023, 2024]
        activities = []
        for index in range(activity_count):
            start = date(start_year + rnd.randint(0, 2), rnd.choice([1, 3, 9]), 1)
            activities.append(
                Activity(
                    plan=plan,
                    priority_area=areas[index % len(areas)],
                    title=f"{rnd.choice(ACTIVITY_PHRASES)} – steg {index + 1}",
                    current_state="Nuläge: arbetet har startat i hälften av kommunerna. " + LONG_TEXT,
                    expected_result="Fler medarbetare har kunskap om tidiga tecken på psykisk ohälsa.",
                    indicators_text="- antal utbildade\n- antal kommuner som deltar",
                    timeline=f"{start.year}–{end_year}",
                    responsible="Länssamordnare och delregionala processledare",
                    cost_text="Stimulansmedel och egen personal",
                    status=rnd.choice(STATUSES),
                    activity_type=rnd.choice(ActivityType.values),
                    start_date=start,
                    end_date=date(end_year, 12, 31),
                    budget=Decimal(rnd.randrange(0, 2_000_000, 5000)) if rnd.random() < 0.8 else None,
                    funding_source="Stimulansmedel" if index % 2 else "",
                    position=index,
                )
            )
        for activity in activities:
            activity._history_date = at((start_year - 2020) * 365 + 5 + rnd.random() * 30)
        create_with_history(Activity, activities, user=user, when=at(5))

        # Links: one or two goals each; the last goals of a plan are sometimes left idle.
        linked = max(1, goal_count - rnd.randint(0, 3))
        goal_links = {
            a.pk: sorted({goals[rnd.randrange(linked)].pk for _ in range(rnd.randint(1, 2))})
            for a in activities
        }
        org_links = {
            a.pk: sorted({rnd.choice(self.organisations).pk for _ in range(rnd.randint(1, 2))})
            for a in activities
        }
        region_links = {
            a.pk: [rnd.choice(self.sub_regions).pk] if self.sub_regions and rnd.random() < 0.4 else []
            for a in activities
        }
        for field, links, target in (
            ("goals", goal_links, "goal_id"),
            ("lead_organisations", org_links, "organisation_id"),
            ("sub_regions", region_links, "subregion_id"),
        ):
            through = Activity._meta.get_field(field).remote_field.through
            rows = (through(activity_id=pk, **{target: other}) for pk, ids in links.items() for other in ids)
            for chunk in batched(rows):
                through.objects.bulk_create(chunk)

        follow_ups = []
        for activity in activities:
            for year in years:
                if year < activity.start_date.year or rnd.random() < 0.1:
                    continue
                follow_up = ActivityFollowUp(
                    activity=activity,
                    year=year,
                    status=rnd.choice(STATUSES),
                    achieved=f"Under {year} genomfördes {rnd.randint(2, 12)} utbildningstillfällen.",
                    planning="Insatsen sprids till fler kommuner under nästa år.",
                    spent=Decimal(rnd.randrange(0, 500_000, 1000)),
                )
                follow_up._history_date = datetime(year, 12, 10, 10, 0, tzinfo=UTC)
                follow_ups.append(follow_up)
        create_with_history(ActivityFollowUp, follow_ups, user=user, when=at(0))

        if not growth_size:
            self.add_long_histories(activities[:2], goals[:1], user)
        for field, links in (
            ("goals", goal_links),
            ("lead_organisations", org_links),
            ("sub_regions", region_links),
        ):
            add_m2m_history(Activity, field, list(links))
        if not growth_size:
            self.delete_some(activities, goals)
        return plan

    def add_long_histories(self, activities: list[Activity], goals: list[Goal], user) -> None:
        """30–45 versions of a few objects: status, budget and texts edited over five years."""
        rnd = self.random
        versions = []
        for activity in activities:
            count = rnd.randint(30, 45)
            for step in range(count):
                activity.status = STATUSES[step % len(STATUSES)]
                activity.budget = Decimal(100_000 + 5_000 * rnd.randint(0, 60))
                activity.current_state = f"Läget efter ändring {step + 1}: {LONG_TEXT}"
                activity._history_date = at(40 + step * 1800 / count)
                activity._change_reason = "Uppdaterad inför styrgruppsmöte" if step % 5 == 0 else ""
                versions.append(
                    Activity(
                        **{f.attname: getattr(activity, f.attname) for f in Activity._meta.concrete_fields}
                    )
                )
                versions[-1]._history_date = activity._history_date
                versions[-1]._change_reason = activity._change_reason
        Activity.objects.bulk_update(activities, ["status", "budget", "current_state"])
        Activity.history.bulk_history_create(versions, batch_size=BATCH, update=True, default_user=user)
        goal_versions = []
        for goal in goals:
            for step in range(rnd.randint(30, 40)):
                goal.title = f"{GOAL_PHRASES[step % len(GOAL_PHRASES)]} (version {step + 1})"
                copy = Goal(**{f.attname: getattr(goal, f.attname) for f in Goal._meta.concrete_fields})
                copy._history_date = at(50 + step * 40)
                goal_versions.append(copy)
        Goal.objects.bulk_update(goals, ["title"])
        Goal.history.bulk_history_create(goal_versions, batch_size=BATCH, update=True, default_user=user)

    def delete_some(self, activities: list[Activity], goals: list[Goal]) -> None:
        """A few deleted activities and one goal, for the county's Deleted items page."""
        doomed = activities[-max(1, len(activities) // 40) :]
        with history_context(user=self.coordinator, reason="Struken vid revidering"):
            for activity in doomed:
                activity.delete()
            del activities[-len(doomed) :]
            goals[-1].delete()

    def build_indicators(self, counties: list[County], plans: list[Plan]) -> None:
        rnd = self.random
        count = max(2, round(60 * self.scale))
        indicators = create_with_history(
            Indicator,
            [
                Indicator(
                    code=f"N{17000 + n:05d}",
                    name=f"{INDICATOR_NAMES[n % len(INDICATOR_NAMES)]} (mått {n + 1})",
                    unit=UNITS[n % len(UNITS)],
                    kind=Indicator.Kind.OUTCOME,
                    source="Kolada",
                    kolada_id=f"N{17000 + n:05d}",
                    desired_direction=Indicator.Direction.DOWN if n % 2 else Indicator.Direction.UP,
                )
                for n in range(count)
            ],
            user=self.staff,
            when=at(0),
        )
        # Each plan's first five goals follow an indicator, so reports have charts.
        goals_by_plan: dict[int, list[int]] = {}
        for plan_id, goal_id in (
            Goal.objects.filter(plan__in=plans).order_by("plan_id", "position").values_list("plan_id", "id")
        ):
            goals_by_plan.setdefault(plan_id, []).append(goal_id)
        through = Indicator.goals.through
        through.objects.bulk_create(
            through(indicator_id=indicators[(number + k) % count].pk, goal_id=goal_id)
            for number, goal_ids in enumerate(goals_by_plan.values())
            for k, goal_id in enumerate(goal_ids[:5])
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, county=county, year=year, value=Decimal(10 + year - 2024))
            for indicator in indicators
            for county in counties
            for year in (2024, 2025, 2026)
        )
        municipality_ids = list(
            Municipality.objects.filter(county__in=counties).order_by("code").values_list("id", flat=True)
        )
        areas = [("municipality_id", pk) for pk in municipality_ids] + [("county_id", c.pk) for c in counties]

        def values() -> Iterator[IndicatorValue]:
            for indicator in indicators:
                for column, area_id in areas:
                    base = rnd.uniform(5, 60)
                    for year in VALUE_YEARS:
                        trend = base * (1 - (year - 2015) * 0.02)
                        for gender, factor in ((Gender.TOTAL, 1.0), (Gender.WOMEN, 1.1), (Gender.MEN, 0.9)):
                            yield IndicatorValue(
                                indicator_id=indicator.pk,
                                year=year,
                                gender=gender,
                                value=Decimal(f"{trend * factor:.1f}"),
                                **{column: area_id},
                            )

        for chunk in batched(values()):
            IndicatorValue.objects.bulk_create(chunk)


class Command(BaseCommand):
    help = (
        "Build the deterministic national benchmark dataset (21 counties, ≈ 0.56 M indicator values, "
        "plans of 30, 300 and 3 000 activities). Refuses a database that has plans unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2024, help="Seed of the random generator.")
        parser.add_argument("--scale", type=float, default=1.0, help="Shrink everything, e.g. 0.05.")
        parser.add_argument("--counties", type=int, default=21, help="Only the first N counties (by code).")
        parser.add_argument("--no-growth", action="store_true", help="Skip the 30/300/3 000 plans.")
        parser.add_argument(
            "--force", action="store_true", help="Empty the database (flush) first when it has plans."
        )

    def handle(self, *args, seed: int, scale: float, counties: int, no_growth: bool, force: bool, **options):
        if not 0 < scale <= 1 or not 1 <= counties <= 21:
            raise CommandError("--scale must lie in (0, 1] and --counties in 1–21.")
        call_command("migrate", interactive=False, verbosity=0)
        if Plan.objects.exists() or get_user_model().objects.exists():
            if not force:
                raise CommandError("The database is not empty; run with --force to flush it first.")
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        builder = Builder(
            seed=seed,
            scale=scale,
            counties=counties,
            growth=not no_growth,
            log=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None,
        )
        with transaction.atomic():
            counts = builder.run()
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(f"National dataset built in {time.perf_counter() - started:.0f} s: {summary}.")
