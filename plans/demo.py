"""Build the demo database from the county files in ``fixtures/demo``.

Each file is written by hand from one of the source documents (see
``fixtures/demo/README.md`` for its shape). Loading goes through the ORM with
``full_clean()`` so that demo data obeys the same rules as a user's input, and
every row gets history with the reason "Demodata: <file>".
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from activities.models import Activity, ActivityFollowUp
from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from indicators.resources import write_values
from planportal.lib.history import history_context, save_with_history
from plans.models import (
    Abbreviation,
    County,
    FocusArea,
    FollowUpReport,
    FundingAllocation,
    Goal,
    Membership,
    Municipality,
    Organisation,
    Plan,
    PriorityArea,
    ReportSection,
    Role,
    SubRegion,
)
from plans.models.geography import municipality_name_keys

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "planportal-demo"

# (username, description, staff, {county letter: role}); listed in the README.
DEMO_USERS = [
    ("admin", "Systemförvaltare", True, {}),
    (
        "samordnare",
        "Länssamordnare",
        False,
        {"BD": Role.EDITOR, "O": Role.EDITOR, "X": Role.EDITOR, "AC": Role.EDITOR},
    ),
    (
        "styrgrupp",
        "Styrgruppsledamot",
        False,
        {"BD": Role.APPROVER, "O": Role.APPROVER, "X": Role.APPROVER, "AC": Role.APPROVER},
    ),
    ("lasare", "Läsare i Norrbotten", False, {"BD": Role.READER}),
    ("samordnare-o", "Länssamordnare i Västra Götaland", False, {"O": Role.EDITOR}),
    ("kontakt-regionbd", "Kontaktperson i Region Norrbotten", False, {"BD": Role.CONTRIBUTOR}),
    ("kontakt-kommunerbd", "Kontaktperson i Norrbottens Kommuner", False, {"BD": Role.CONTRIBUTOR}),
]
# The organisations whose activities a demo contributor follows up (in the county of their membership).
DEMO_CONTRIBUTOR_ORGANISATIONS = {
    "kontakt-regionbd": ["Region Norrbotten"],
    "kontakt-kommunerbd": ["Norrbottens Kommuner"],
}


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.json"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _money(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


class _CountyLoader:
    def __init__(self, data: dict, *, reason: str = "Demodata") -> None:
        self.data = data
        self.reason = reason
        # Indicator values are many: checked one by one, written in bulk (the import's path).
        self.values: list[dict] = []
        self.county = County.objects.get(letter_code=data["county"])
        self.organisations: dict[str, Organisation] = {}
        self.sub_regions: dict[str, SubRegion] = {}
        self.goals_by_code: dict[str, Goal] = {}
        self.priority_areas: dict[str, PriorityArea] = {}
        # Activities an indicator follows name them by the "key" of their row (demo files only).
        self.activities_by_key: dict[str, Activity] = {}
        self.municipalities = {place.code: place for place in Municipality.objects.filter(county=self.county)}
        self.focus_areas = {area.number: area for area in FocusArea.objects.all()}

    def municipality_named(self, organisation_name: str) -> Municipality | None:
        keys = municipality_name_keys(organisation_name)
        if not keys:
            return None
        for municipality in Municipality.objects.filter(county=self.county):
            if municipality.name.casefold() in keys:
                return municipality
        return None

    def load(self) -> None:
        for row in self.data.get("organisations", []):
            organisation, _ = Organisation.objects.get_or_create(
                name=row["name"],
                defaults={
                    "short_name": row.get("short_name", ""),
                    "kind": row["kind"],
                    "county": self.county,
                    "municipality": self.municipality_named(row["name"]),
                },
            )
            self.organisations[organisation.name] = organisation
        for row in self.data.get("abbreviations", []):
            Abbreviation.objects.get_or_create(
                county=self.county, abbreviation=row["abbreviation"], defaults={"meaning": row["meaning"]}
            )
        for row in self.data.get("sub_regions", []):
            sub_region = _saved(
                SubRegion(
                    county=self.county,
                    name=row["name"],
                    population_share=_money(row.get("population_share")),
                )
            )
            sub_region.municipalities.set(Municipality.objects.filter(code__in=row.get("municipalities", [])))
            self.sub_regions[sub_region.name] = sub_region
        for plan_data in self.data.get("plans", []):
            self._load_plan(plan_data)
        for row in self.data.get("indicators", []):
            self._load_indicator(row)
        write_values(to_create=self.values, to_update=[], user=None, reason=self.reason)
        for row in self.data.get("funding", []):
            _saved(
                FundingAllocation(
                    county=self.county,
                    year=row["year"],
                    priority_area=self._priority_area(row.get("priority_area")),
                    sub_region=self.sub_regions.get(row.get("sub_region") or ""),
                    recipient=row.get("recipient", ""),
                    amount=_money(row["amount"]),
                    description=row.get("description", ""),
                )
            )

    def _priority_area(self, name: str | None) -> PriorityArea | None:
        return self.priority_areas.get(name) if name else None

    def _load_plan(self, data: dict) -> None:
        plan = _saved(
            Plan(
                county=self.county,
                title=data["title"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                status=data.get("status", Plan.Status.ADOPTED),
                adopted_on=_date(data.get("adopted_on")),
                adopted_by=data.get("adopted_by", ""),
                revised_on=_date(data.get("revised_on")),
                description=data.get("description", ""),
            )
        )
        self.priority_areas = {}
        for position, row in enumerate(data.get("priority_areas", [])):
            area = _saved(
                PriorityArea(
                    plan=plan, name=row["name"], description=row.get("description", ""), position=position
                )
            )
            self.priority_areas[area.name] = area
        goals = {}
        for position, row in enumerate(data.get("goals", [])):
            goal = _saved(
                Goal(
                    plan=plan,
                    code=row["code"],
                    title=row["title"],
                    target_group=row.get("target_group", "all"),
                    focus_area=self.focus_areas.get(row.get("focus_area")),
                    priority_area=self._priority_area(row.get("priority_area")),
                    background=row.get("background", ""),
                    responsible=row.get("responsible", ""),
                    position=position,
                )
            )
            goals[goal.code] = goal
        self.goals_by_code.update(goals)
        for position, row in enumerate(data.get("activities", [])):
            activity = Activity(
                plan=plan,
                priority_area=self._priority_area(row.get("priority_area")),
                title=row["title"],
                current_state=row.get("current_state", ""),
                expected_result=row.get("expected_result", ""),
                indicators_text=row.get("indicators_text", ""),
                timeline=row.get("timeline", ""),
                responsible=row.get("responsible", ""),
                cost_text=row.get("cost_text", ""),
                status=row.get("status", "planned"),
                activity_type=row.get("activity_type", "other"),
                start_date=_date(row.get("start_date")),
                end_date=_date(row.get("end_date")),
                budget=_money(row.get("budget")),
                funding_source=row.get("funding_source", ""),
                position=position,
            )
            activity.full_clean()

            def set_links(activity=activity, row=row) -> None:
                activity.goals.set([goals[code] for code in row.get("goals", [])])
                activity.lead_organisations.set(
                    [self.organisations[name] for name in row.get("lead_organisations", [])]
                )
                activity.sub_regions.set([self.sub_regions[name] for name in row.get("sub_regions", [])])

            # One version per activity, its links included (not one more per link set).
            save_with_history(activity, save_m2m=set_links)
            if row.get("key"):
                self.activities_by_key[row["key"]] = activity
            for follow_up in row.get("follow_ups", []):
                _saved(
                    ActivityFollowUp(
                        activity=activity,
                        year=follow_up["year"],
                        status=follow_up.get("status", "ongoing"),
                        achieved=follow_up.get("achieved", ""),
                        planning=follow_up.get("planning", ""),
                        spent=_money(follow_up.get("spent")),
                    )
                )
        for row in data.get("reports", []):
            report = _saved(FollowUpReport(plan=plan, year=row["year"], status=row.get("status", "draft")))
            _load_report_sections(report)

    def _load_indicator(self, row: dict) -> None:
        # The plans' own indicators are the county's; those with a Kolada id are national.
        indicator, _ = Indicator.objects.get_or_create(
            code=row["code"],
            county=None if row.get("national") else self.county,
            defaults={
                "name": row["name"],
                "unit": row.get("unit", "count"),
                "kind": row.get("kind", "outcome"),
                "source": row.get("source", ""),
                "kolada_id": row.get("kolada_id", ""),
                "desired_direction": row.get("desired_direction", "none"),
                "description": row.get("description", ""),
            },
        )
        indicator.goals.add(*[self.goals_by_code[code] for code in row.get("goals", [])])
        indicator.activities.add(*[self.activities_by_key[key] for key in row.get("activities", [])])
        for value in row.get("values", []):
            area = value.get("area", "county")
            place = {"county": self.county}
            if area != "county":
                if area in self.sub_regions:
                    place = {"sub_region": self.sub_regions[area]}
                else:
                    # Only the county's own municipalities (a KeyError names a wrong code).
                    place = {"municipality": self.municipalities[area]}
            fields = {
                "indicator": indicator,
                "year": value["year"],
                "gender": value.get("gender", "T"),
                "value": _money(value["value"]),
                **place,
            }
            # Year and value are checked here; the areas and the indicator are known to exist and
            # the database's constraints catch a duplicate.
            IndicatorValue(**fields).full_clean(
                exclude=["indicator", *place], validate_unique=False, validate_constraints=False
            )
            self.values.append(fields)
        if row.get("baseline"):
            _saved(
                IndicatorBaseline(
                    indicator=indicator,
                    county=self.county,
                    year=row["baseline"]["year"],
                    value=_money(row["baseline"]["value"]),
                )
            )
        for target in row.get("targets", []):
            _saved(
                IndicatorTarget(
                    indicator=indicator,
                    county=self.county,
                    year=target["year"],
                    value=_money(target["value"]),
                )
            )


def _load_report_sections(report: FollowUpReport) -> None:
    """The written parts of a demo report, from ``fixtures/demo/reports/<county>-<year>.json``
    (a directory of its own: the county files are every ``*.json`` of ``fixtures/demo``)."""
    path = DEMO_DIR / "reports" / f"{report.plan.county.letter_code}-{report.year}.json"
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("plan") not in (None, report.plan.title):
        return
    for key, texts in data["sections"].items():
        _saved(ReportSection(report=report, key=key, **texts))


@transaction.atomic
def load_demo_file(path: Path) -> County:
    data = json.loads(path.read_text(encoding="utf-8"))
    with history_context(reason=f"Demodata: {path.name}"):
        loader = _CountyLoader(data, reason=f"Demodata: {path.name}")
        loader.load()
    return loader.county


@transaction.atomic
def create_demo_users() -> list[str]:
    """Create the demo users of the README with their memberships; returns their usernames."""
    User = get_user_model()
    counties = {county.letter_code: county for county in County.objects.all()}
    names = []
    with history_context(reason="Demodata: användare"):
        for username, description, staff, roles in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": description})
            user.is_staff = user.is_superuser = staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            for letter, role in roles.items():
                membership, _ = Membership.objects.update_or_create(
                    user=user, county=counties[letter], defaults={"role": role}
                )
                if username in DEMO_CONTRIBUTOR_ORGANISATIONS:
                    names_of = DEMO_CONTRIBUTOR_ORGANISATIONS[username]
                    membership.organisations.set(Organisation.objects.filter(name__in=names_of))
            names.append(username)
        # The round the demo contributors answer needs them (and the coordinator who opened it).
        create_demo_round()
    publish_demo_plan()
    return names


def publish_demo_plan() -> None:
    """Publish Norrbotten's adopted plan and its approved reports, so that /publikt/ has content
    (once: a rebuild that finds it published leaves it)."""
    from publication.models import DEFAULT_INTERNAL_FIELDS, Licence, PlanPublication
    from publication.services import publish_plan, publish_report

    plan = (
        Plan.objects.filter(county__letter_code="BD", status=Plan.Status.ADOPTED)
        .order_by("start_year")
        .first()
    )
    if plan is None or PlanPublication.objects.filter(plan=plan).exists():
        return
    coordinator = get_user_model().objects.filter(username="samordnare").first()
    publish_plan(plan=plan, user=coordinator, licence=Licence.CC_BY, internal_fields=DEFAULT_INTERNAL_FIELDS)
    for report in plan.reports.filter(
        status=FollowUpReport.Status.APPROVED, revisions__isnull=False
    ).distinct():
        publish_report(report=report, user=coordinator)


# Norrbotten's 2022 round, partly answered: (lead organisation, how many of its activities are
# done, how many in draft); the rest of the round is missing. Texts are the demo's own, not the plan's.
DEMO_ROUND_ANSWERS = [("Region Norrbotten", 4, 1), ("Länsstyrgruppen", 1, 1)]


def create_demo_round() -> None:
    """Open the follow-up round Norrbotten 2022 and answer part of it (once; a rebuild keeps it)."""
    from activities.models import FollowUpState
    from rounds.models import FollowUpRound

    plan = Plan.objects.filter(county__letter_code="BD", start_year__lte=2022, end_year__gte=2022).first()
    if plan is None or FollowUpRound.objects.filter(plan=plan, year=2022).exists():
        return
    opener = get_user_model().objects.filter(username="samordnare").first()
    with history_context(user=opener, reason="Demodata: uppföljningsomgång 2022"):
        _saved(
            FollowUpRound(
                plan=plan,
                year=2022,
                deadline=date(2023, 1, 31),
                opened_by=opener,
                instructions=(
                    "Skriv för varje aktivitet er organisation leder vad som uppnåddes 2022 "
                    "(måluppfyllelse) och vad som planeras 2023 (planering). "
                    "Markera uppföljningen som klar när den är färdig."
                ),
            )
        )
        answered: set[int] = set()
        for organisation, done, draft in DEMO_ROUND_ANSWERS:
            activities = plan.activities.filter(lead_organisations__name=organisation)
            activities = activities.exclude(pk__in=answered)
            for index, activity in enumerate(activities.order_by("position", "id")[: done + draft]):
                state = FollowUpState.DONE if index < done else FollowUpState.DRAFT
                _saved(
                    ActivityFollowUp(
                        activity=activity,
                        year=2022,
                        status=activity.status,
                        state=state,
                        achieved="Arbetet genomfördes under året och redovisades för länsstyrgruppen.",
                        planning="" if state == FollowUpState.DRAFT else "Arbetet fortsätter 2023.",
                    )
                )
                answered.add(activity.pk)
