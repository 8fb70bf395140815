"""What the indicator pages read and write: a county's indicators, their values per area, and
the edits of values, baselines, targets and links (with history, row locks and conflict checks).

Every reader here is scoped to one county: its own areas (the county, its sub-regions and its
municipalities) and the indicators it may see (``Indicator.objects.for_county``). A value of
another county's area never leaves this module.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from activities.models import Activity
from indicators.models import (
    Indicator,
    IndicatorBaseline,
    IndicatorTarget,
    IndicatorValue,
    ValueSource,
)
from indicators.progress import Progress, county_progress
from planportal.lib.history import history_context, save_with_history
from planportal.lib.locking import lock_row, lock_rows
from planportal.lib.swedish import swedish_sort_key
from plans.models import County, Goal, Plan

WEB_REASON = "Ändrad i webben"

COUNTY, SUB_REGION, MUNICIPALITY = "c", "s", "m"
AREA_FIELD = {COUNTY: "county_id", SUB_REGION: "sub_region_id", MUNICIPALITY: "municipality_id"}


@dataclass(frozen=True)
class Area:
    """One of a county's areas, keyed as the forms and URLs name it: "c-25", "s-3", "m-1480"."""

    kind: str
    pk: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def kind_label(self) -> str:
        return {COUNTY: _("County"), SUB_REGION: _("Sub-region"), MUNICIPALITY: _("Municipality")}[self.kind]


def county_areas(county: County) -> list[Area]:
    """The county, then its sub-regions, then its municipalities (each in Swedish order): two queries."""
    areas = [Area(COUNTY, county.pk, county.name)]
    sub_regions = county.sub_regions.order_by().values_list("pk", "name")
    areas += [
        Area(SUB_REGION, pk, name) for pk, name in sorted(sub_regions, key=lambda r: swedish_sort_key(r[1]))
    ]
    municipalities = county.municipalities.order_by().values_list("pk", "name")
    areas += [
        Area(MUNICIPALITY, pk, name)
        for pk, name in sorted(municipalities, key=lambda r: swedish_sort_key(r[1]))
    ]
    return areas


def county_values(indicator: Indicator, county: County, *, gender: str | None = None):
    """The indicator's values for the county's own areas only."""
    queryset = IndicatorValue.objects.filter(indicator=indicator).filter(
        Q(county_id=county.pk) | Q(sub_region__county_id=county.pk) | Q(municipality__county_id=county.pk)
    )
    if gender:
        queryset = queryset.filter(gender=gender)
    return queryset.order_by()


def _area_key(county_id, sub_region_id, municipality_id) -> str:
    if county_id:
        return f"{COUNTY}-{county_id}"
    if sub_region_id:
        return f"{SUB_REGION}-{sub_region_id}"
    return f"{MUNICIPALITY}-{municipality_id}"


# --- The list page -----------------------------------------------------------------------


@dataclass
class ListRow:
    indicator: Indicator
    progress: Progress
    goals: list[Goal] = field(default_factory=list)
    activity_count: int = 0


@dataclass
class ListGroup:
    title: str
    rows: list[ListRow]


def county_indicator_list(county: County) -> list[ListGroup]:
    """The county's indicators in groups: those its plans follow, its own, the rest of the catalogue.

    A fixed number of queries whatever the number of indicators, values and goals.
    """
    indicators = list(Indicator.objects.for_county(county.pk))
    goal_links: dict[int, list[Goal]] = defaultdict(list)
    for link in (
        Indicator.goals.through.objects.filter(
            goal__plan__county_id=county.pk, indicator__in=[i.pk for i in indicators]
        )
        .exclude(goal__plan__status=Plan.Status.ARCHIVED)
        .select_related("goal")
        .order_by("goal__position", "goal__code")
    ):
        goal_links[link.indicator_id].append(link.goal)
    activity_counts: dict[int, int] = defaultdict(int)
    for indicator_id in (
        Indicator.activities.through.objects.filter(activity__plan__county_id=county.pk)
        .exclude(activity__plan__status=Plan.Status.ARCHIVED)
        .values_list("indicator_id", flat=True)
    ):
        activity_counts[indicator_id] += 1
    progress = county_progress(county.pk, indicators)

    followed, own, national = [], [], []
    for indicator in indicators:
        row = ListRow(
            indicator,
            progress[indicator.pk],
            goals=goal_links.get(indicator.pk, []),
            activity_count=activity_counts.get(indicator.pk, 0),
        )
        if row.goals or row.activity_count:
            followed.append(row)
        elif indicator.county_id:
            own.append(row)
        else:
            national.append(row)
    # Those the plans follow: by the first goal they follow, as the plan lists its goals.
    followed.sort(key=lambda row: (0, row.goals[0].position, row.goals[0].code) if row.goals else (1, 0, ""))
    groups = [
        ListGroup(_("Followed in the county's plans"), followed),
        ListGroup(_("The county's own indicators"), own),
        ListGroup(_("The national catalogue"), national),
    ]
    return [group for group in groups if group.rows]


# --- The detail page ---------------------------------------------------------------------


@dataclass
class ValueTable:
    """Values of one gender: areas as rows, years as columns."""

    years: list[int]
    rows: list[tuple[Area, list[Decimal | None]]]
    from_kolada: bool

    def series(self, area_key: str) -> list[tuple[int, Decimal]]:
        for area, cells in self.rows:
            if area.key == area_key:
                return [
                    (year, value) for year, value in zip(self.years, cells, strict=True) if value is not None
                ]
        return []


def value_table(indicator: Indicator, county: County, areas: list[Area], *, gender: str) -> ValueTable:
    """One query for the values; areas without a single value are left out (the county row stays)."""
    by_area: dict[str, dict[int, Decimal]] = defaultdict(dict)
    from_kolada = False
    for year, value, source, county_id, sub_region_id, municipality_id in county_values(
        indicator, county, gender=gender
    ).values_list("year", "value", "source", "county_id", "sub_region_id", "municipality_id"):
        by_area[_area_key(county_id, sub_region_id, municipality_id)][year] = value
        from_kolada = from_kolada or source == ValueSource.KOLADA
    years = sorted({year for values in by_area.values() for year in values})
    rows = [
        (area, [by_area[area.key].get(year) for year in years])
        for area in areas
        if area.kind == COUNTY or area.key in by_area
    ]
    return ValueTable(years=years, rows=rows, from_kolada=from_kolada)


def any_from_kolada(indicator: Indicator, county: County) -> bool:
    return county_values(indicator, county).filter(source=ValueSource.KOLADA).exists()


# --- Editing: values per year ------------------------------------------------------------


def cell_name(area: Area, gender: str) -> str:
    return f"{area.key}-{gender}"


def shown(value: Decimal | None) -> str:
    """A value as a cell carries it between the page and the next POST (exact, not formatted)."""
    if value is None:
        return ""
    normal = value.normalize()
    return f"{normal:f}"


@dataclass(frozen=True)
class Collision:
    """A cell someone else changed after the page was loaded."""

    name: str
    label: str
    theirs: Decimal | None
    mine: Decimal | None


def current_year_values(indicator: Indicator, county: County, year: int) -> dict[str, Decimal]:
    return {
        f"{_area_key(c, s, m)}-{gender}": value
        for c, s, m, gender, value in county_values(indicator, county)
        .filter(year=year)
        .values_list("county_id", "sub_region_id", "municipality_id", "gender", "value")
    }


def save_year_values(
    *,
    indicator: Indicator,
    county: County,
    year: int,
    areas: list[Area],
    cells: dict[str, tuple[str, Decimal | None]],
    user,
    labels: dict[str, str],
) -> list[Collision]:
    """Write one year's grid: ``cells`` maps a cell name to (the value it was shown, the value sent).

    A cell whose value in the database is no longer the one shown collides, unless it already
    holds what was sent; any collision saves nothing. An empty cell deletes the value.
    Returns the collisions (empty when saved).
    """
    try:
        return _save_year_values(
            indicator=indicator, county=county, year=year, areas=areas, cells=cells, user=user, labels=labels
        )
    except IntegrityError:
        # A value made at the same moment by something that does not take the indicator's lock
        # (an import, a Kolada sync): the cells being created collided with it.
        current = current_year_values(indicator, county, year)
        return [
            Collision(name, labels.get(name, name), current.get(name), mine)
            for name, (was, mine) in cells.items()
            if was == "" and name in current
        ] or [Collision("", _("A value"), None, None)]


def _save_year_values(*, indicator, county, year, areas, cells, user, labels) -> list[Collision]:
    area_by_key = {area.key: area for area in areas}
    with transaction.atomic():
        # One lock on the indicator serialises every grid save of it: the values a cell may
        # create do not exist yet, so they cannot be locked themselves.
        if lock_row(indicator) is None:
            return []
        # Locked by id: PostgreSQL cannot lock through the outer joins that find the areas.
        ids = list(county_values(indicator, county).filter(year=year).values_list("pk", flat=True))
        existing = {
            f"{_area_key(v.county_id, v.sub_region_id, v.municipality_id)}-{v.gender}": v
            for v in lock_rows(IndicatorValue.objects.filter(pk__in=ids))
        }
        collisions, changes = [], []
        for name, (was, mine) in cells.items():
            row = existing.get(name)
            current = row.value if row else None
            if mine == current or (mine is not None and current is not None and mine.compare(current) == 0):
                continue
            if shown(current) != was:
                collisions.append(Collision(name, labels.get(name, name), current, mine))
                continue
            changes.append((name, row, mine))
        if collisions:
            return collisions
        with history_context(user=user, reason=WEB_REASON):
            for name, row, mine in changes:
                if mine is None:
                    row.delete()
                elif row is not None:
                    row.value = mine
                    row.source = ValueSource.ENTERED
                    row.save()
                else:
                    area_key, gender = name.rsplit("-", 1)
                    area = area_by_key[area_key]
                    IndicatorValue.objects.create(
                        indicator=indicator,
                        year=year,
                        gender=gender,
                        value=mine,
                        source=ValueSource.ENTERED,
                        **{AREA_FIELD[area.kind]: area.pk},
                    )
    return []


# --- Editing: baseline and targets -------------------------------------------------------

BASELINE_YEAR, BASELINE_VALUE = "baseline-year", "baseline-value"


def target_years(
    county: County, targets: dict[int, Decimal], baseline: IndicatorBaseline | None
) -> list[int]:
    """The years a target may be set for: the live plans' periods, and every year that has one."""
    years = set(targets)
    for start, end in county.plans.exclude(status=Plan.Status.ARCHIVED).values_list("start_year", "end_year"):
        if start and end and end >= start:
            years.update(range(start, end + 1))
    if not years:
        from django.utils import timezone

        this_year = timezone.now().year
        years.update(range(this_year, this_year + 5))
    if baseline:
        years = {year for year in years if year > baseline.year} | set(targets)
    return sorted(years)


def current_plan_values(
    indicator: Indicator, county: County
) -> tuple[IndicatorBaseline | None, dict[int, Decimal]]:
    baseline = IndicatorBaseline.objects.filter(indicator=indicator, county=county).first()
    targets = dict(
        IndicatorTarget.objects.filter(indicator=indicator, county=county).values_list("year", "value")
    )
    return baseline, targets


def save_baseline_and_targets(
    *,
    indicator: Indicator,
    county: County,
    baseline: tuple[int, Decimal] | None,
    baseline_was: str,
    targets: dict[int, tuple[str, Decimal | None]],
    user,
) -> list[Collision]:
    """Write the county's baseline (None deletes it) and targets per year, unless someone changed
    what the page showed meanwhile (then nothing is saved and the collisions are returned)."""
    try:
        return _save_baseline_and_targets(
            indicator=indicator,
            county=county,
            baseline=baseline,
            baseline_was=baseline_was,
            targets=targets,
            user=user,
        )
    except IntegrityError:
        # Made at the same moment by something that does not take the indicator's lock (an import).
        current, _targets = current_plan_values(indicator, county)
        return [Collision(BASELINE_VALUE, _("Baseline"), current.value if current else None, None)]


def _save_baseline_and_targets(
    *, indicator, county, baseline, baseline_was, targets, user
) -> list[Collision]:
    with transaction.atomic():
        if lock_row(indicator) is None:
            return []
        current_baseline = lock_rows(
            IndicatorBaseline.objects.filter(indicator=indicator, county=county)
        ).first()
        current_targets = {
            target.year: target
            for target in lock_rows(IndicatorTarget.objects.filter(indicator=indicator, county=county))
        }
        collisions = []
        now = _baseline_shown(current_baseline)
        mine = f"{baseline[0]}|{shown(baseline[1])}" if baseline else ""
        baseline_changed = mine != now
        if baseline_changed and now != baseline_was:
            collisions.append(
                Collision(
                    BASELINE_VALUE,
                    _("Baseline"),
                    current_baseline.value if current_baseline else None,
                    baseline[1] if baseline else None,
                )
            )
        target_changes = []
        for year, (was, value) in targets.items():
            row = current_targets.get(year)
            current = row.value if row else None
            if shown(current) == shown(value):
                continue
            if shown(current) != was:
                collisions.append(
                    Collision(f"target-{year}", _("Target %(year)s") % {"year": year}, current, value)
                )
                continue
            target_changes.append((year, row, value))
        if collisions:
            return collisions
        with history_context(user=user, reason=WEB_REASON):
            if baseline_changed:
                if baseline is None:
                    current_baseline.delete()
                elif current_baseline is None:
                    IndicatorBaseline.objects.create(
                        indicator=indicator, county=county, year=baseline[0], value=baseline[1]
                    )
                else:
                    current_baseline.year, current_baseline.value = baseline
                    current_baseline.save()
            for year, row, value in target_changes:
                if value is None:
                    row.delete()
                elif row is None:
                    IndicatorTarget.objects.create(indicator=indicator, county=county, year=year, value=value)
                else:
                    row.value = value
                    row.save()
    return []


def _baseline_shown(baseline: IndicatorBaseline | None) -> str:
    return f"{baseline.year}|{shown(baseline.value)}" if baseline else ""


def baseline_shown(baseline: IndicatorBaseline | None) -> str:
    return _baseline_shown(baseline)


# --- Editing: links to goals and activities ----------------------------------------------


def live_goals(county: County):
    return (
        Goal.objects.filter(plan__county=county)
        .exclude(plan__status=Plan.Status.ARCHIVED)
        .select_related("plan")
        .order_by("plan__title", "position", "code")
    )


def plan_activities(plan: Plan):
    return Activity.objects.filter(plan=plan).order_by("position", "id") if plan else Activity.objects.none()


def linked_ids(indicator: Indicator, goals, activities) -> tuple[set[int], set[int]]:
    """Which of ``goals`` and ``activities`` the indicator follows now."""
    goal_ids = set(
        Indicator.goals.through.objects.filter(indicator=indicator, goal__in=goals).values_list(
            "goal_id", flat=True
        )
    )
    activity_ids = set(
        Indicator.activities.through.objects.filter(indicator=indicator, activity__in=activities).values_list(
            "activity_id", flat=True
        )
    )
    return goal_ids, activity_ids


def ids_shown(ids: set[int]) -> str:
    return ",".join(str(pk) for pk in sorted(ids))


def save_links(
    *,
    indicator: Indicator,
    goals,
    activities,
    chosen_goals: set[int],
    chosen_activities: set[int],
    goals_was: str,
    activities_was: str,
    user,
) -> bool:
    """Link the indicator to ``chosen_*`` among ``goals`` and ``activities`` (a county's, one plan's),
    leaving its links elsewhere (other counties' goals) as they are. False, saving nothing, when the
    links shown on the page were changed meanwhile."""
    with transaction.atomic():
        current = lock_row(indicator)
        if current is None:
            return True
        goal_ids, activity_ids = linked_ids(current, goals, activities)
        if ids_shown(goal_ids) != goals_was or ids_shown(activity_ids) != activities_was:
            # Someone else changed them; unless to just what was chosen here, nothing is saved.
            return goal_ids == chosen_goals and activity_ids == chosen_activities
        scope_goals = set(goals.values_list("pk", flat=True))
        scope_activities = set(activities.values_list("pk", flat=True))
        all_goals = set(current.goals.values_list("pk", flat=True))
        all_activities = set(current.activities.values_list("pk", flat=True))
        new_goals = (all_goals - scope_goals) | (chosen_goals & scope_goals)
        new_activities = (all_activities - scope_activities) | (chosen_activities & scope_activities)
        if new_goals == all_goals and new_activities == all_activities:
            return True

        def save_m2m() -> None:
            current.goals.set(new_goals)
            current.activities.set(new_activities)

        with history_context(user=user, reason=WEB_REASON):
            save_with_history(current, save_m2m=save_m2m, reason=WEB_REASON)
    return True


# --- What changed lately -------------------------------------------------------------------

RECENT_CHANGES = 15


@dataclass(frozen=True)
class Change:
    when: object
    who: str
    reason: str
    action: str  # "+", "~" or "-", as in the history pages
    what: str
    value: Decimal | None


def recent_changes(indicator: Indicator, county: County, areas: list[Area]) -> list[Change]:
    """The latest changes of the county's values, baseline and targets of ``indicator``: who,
    when, why (e.g. "Kolada-synk", "Ändrad i webben", an import) and what. Three queries.
    """
    names = {area.key: area.name for area in areas}
    in_county = Q(county_id=county.pk)
    sub_regions = [area.pk for area in areas if area.kind == SUB_REGION]
    municipalities = [area.pk for area in areas if area.kind == MUNICIPALITY]
    if sub_regions:
        in_county |= Q(sub_region_id__in=sub_regions)
    if municipalities:
        in_county |= Q(municipality_id__in=municipalities)
    genders = {"T": "", "K": f" ({_('women')})", "M": f" ({_('men')})"}
    changes = []
    for record in (
        IndicatorValue.history.filter(in_county, indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:RECENT_CHANGES]
    ):
        area = names.get(_area_key(record.county_id, record.sub_region_id, record.municipality_id), "")
        changes.append(_change(record, f"{area} {record.year}{genders.get(record.gender, '')}"))
    for model, label in ((IndicatorBaseline, _("Baseline")), (IndicatorTarget, _("Target"))):
        for record in (
            model.history.filter(indicator_id=indicator.pk, county_id=county.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:RECENT_CHANGES]
        ):
            changes.append(_change(record, f"{label} {record.year}"))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:RECENT_CHANGES]


def _change(record, what: str) -> Change:
    user = record.history_user
    return Change(
        when=record.history_date,
        who=(user.get_full_name() or user.get_username()) if user else _("the system"),
        reason=record.history_change_reason or "",
        action=record.history_type,
        what=what,
        value=None if record.history_type == "-" else record.value,
    )
