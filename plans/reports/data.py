"""What the yearly follow-up report says, read from the database in a fixed number of queries.

``build_report(plan, year)`` gathers everything the report template shows: the summary,
a section per focus area and goal with its indicators and activities, the activities
that serve no goal, what changed during the year (from the history) and the appendix.
The HTML preview and the PDF render the same ``ReportData`` with the same template.

Every list is read with one query whatever its length (prefetches and ``values()``
reads grouped in Python), so a 300-activity plan costs what a 3-activity plan does.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityFollowUp, FollowUpState, Status
from planportal.lib import markup
from planportal.lib.swedish import swedish_sort_key
from plans.models import (
    Abbreviation,
    FocusArea,
    FollowUpReport,
    FundingAllocation,
    Goal,
    Organisation,
    Plan,
    PriorityArea,
    ReportSection,
)
from plans.reports.changes import Change, changes_during
from plans.reports.indicator_blocks import IndicatorBlock, indicator_blocks


@dataclass
class ActivityRow:
    activity: Activity
    follow_up: ActivityFollowUp | None
    status: str
    status_label: str
    responsible: str
    timeline: str
    # Where the row is shown in full: under the first goal it serves, in the report's order.
    anchor: str = ""
    first_goal: Goal | None = None


@dataclass
class GoalSection:
    goal: Goal
    anchor: str
    activities: list[ActivityRow]  # shown in full here
    indicators: list[IndicatorBlock]
    # Activities that serve this goal too but are shown in full under an earlier goal.
    references: list[ActivityRow] = field(default_factory=list)
    # The steering group's comments on the goal; filled in by the review page only.
    threads: list = field(default_factory=list)

    @property
    def comment_target(self) -> str:
        return f"goal-{self.goal.pk}"

    @property
    def follow_ups(self) -> list[ActivityRow]:
        return [row for row in (*self.activities, *self.references) if row.follow_up]


@dataclass
class FocusAreaSection:
    focus_area: FocusArea | None
    anchor: str
    title: str
    goals: list[GoalSection]


@dataclass
class PriorityAreaGroup:
    """Activities that serve no goal, under their priority area (or none)."""

    name: str
    activities: list[ActivityRow]


@dataclass
class MoneyRow:
    name: str
    activities: int = 0
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    allocated: Decimal = Decimal(0)


NO_TEXT = SafeString("")


@dataclass
class WrittenPart:
    """A part of the report the editors write, rendered from its Markdown (``ReportSection``).

    An assessment (of a focus area or a priority area) has three texts; every other part one.
    """

    key: str
    title: str
    anchor: str
    section: ReportSection | None
    is_assessment: bool = False
    text: SafeString = NO_TEXT
    achieved: SafeString = NO_TEXT
    analysis: SafeString = NO_TEXT
    planning: SafeString = NO_TEXT
    # The steering group's comments on the part; filled in by the review page only.
    threads: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.achieved or self.analysis or self.planning)


@dataclass
class ReportData:
    plan: Plan
    year: int
    report: FollowUpReport | None
    status: str
    status_label: str
    report_date: date
    activities: list[ActivityRow]
    status_counts: list[tuple[str, str, int]]
    money: list[MoneyRow]
    money_total: MoneyRow
    county_allocation: Decimal
    goals_without_activity: list[Goal]
    focus_areas: list[FocusAreaSection]
    unlinked: list[PriorityAreaGroup]
    changes: list[Change]
    change_counts: list[tuple[str, int]]
    abbreviations: list[Abbreviation]
    organisations: list[Organisation]
    goal_count: int = 0
    indicator_count: int = 0
    follow_up_count: int = 0
    # Follow-ups for the year that their writers marked done; activities of the year without one.
    follow_ups_done: int = 0
    follow_ups_missing: int = 0
    summary: WrittenPart | None = None
    assessments: list[WrittenPart] = field(default_factory=list)
    assessments_by_focus_area: bool = True
    funds: WrittenPart | None = None
    closing: WrittenPart | None = None

    @property
    def follow_ups_draft(self) -> int:
        return self.follow_up_count - self.follow_ups_done

    @property
    def written_parts(self) -> list[WrittenPart]:
        """Every written part, in the report's order."""
        return [self.summary, *self.assessments, self.funds, self.closing]

    @property
    def county(self):
        return self.plan.county

    @property
    def is_approved(self) -> bool:
        return self.status == FollowUpReport.Status.APPROVED


def _active_in(activity: Activity, year: int) -> bool:
    """Whether the activity's dates overlap the year (an open end overlaps everything)."""
    starts_later = activity.start_date is not None and activity.start_date.year > year
    ended_before = activity.end_date is not None and activity.end_date.year < year
    return not starts_later and not ended_before


def _activity_rows(plan: Plan, year: int) -> list[ActivityRow]:
    activities = (
        Activity.objects.filter(plan=plan)
        .select_related("priority_area")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("id", "code", "plan_id")),
            Prefetch("lead_organisations", queryset=Organisation.objects.only("id", "name", "short_name")),
            Prefetch(
                "follow_ups", queryset=ActivityFollowUp.objects.filter(year=year), to_attr="year_follow_ups"
            ),
        )
        .order_by("priority_area__position", "position", "id")
    )
    rows = []
    for activity in activities:
        follow_up = activity.year_follow_ups[0] if activity.year_follow_ups else None
        # An activity belongs to the year's report when its dates overlap the year or when it
        # was followed up that year (whatever its dates say).
        if follow_up is None and not _active_in(activity, year):
            continue
        status = follow_up.status if follow_up else activity.status
        timeline = activity.timeline
        if not timeline and (activity.start_date or activity.end_date):
            start = activity.start_date.isoformat() if activity.start_date else ""
            end = activity.end_date.isoformat() if activity.end_date else ""
            timeline = f"{start}–{end}"
        responsible = activity.responsible or ", ".join(
            org.short_name or org.name for org in activity.lead_organisations.all()
        )
        rows.append(
            ActivityRow(
                activity=activity,
                follow_up=follow_up,
                status=status,
                status_label=Status(status).label,
                responsible=responsible,
                timeline=timeline,
                anchor=f"aktivitet-{activity.id}",
            )
        )
    return rows


def _money(
    plan: Plan, year: int, areas: list[PriorityArea], rows: list[ActivityRow]
) -> tuple[list[MoneyRow], MoneyRow, Decimal]:
    by_area = {area.id: MoneyRow(name=area.name) for area in areas}
    without_area = MoneyRow(name=_("No priority area"))
    for row in rows:
        money = by_area.get(row.activity.priority_area_id, without_area)
        money.activities += 1
        money.budget += row.activity.budget or 0
        if row.follow_up and row.follow_up.spent:
            money.spent += row.follow_up.spent
    county_allocation = Decimal(0)
    for area_id, amount in FundingAllocation.objects.filter(county_id=plan.county_id, year=year).values_list(
        "priority_area_id", "amount"
    ):
        county_allocation += amount
        if area_id in by_area:
            by_area[area_id].allocated += amount
    result = list(by_area.values())
    if without_area.activities:
        result.append(without_area)
    total = MoneyRow(name=_("Total"))
    for money in result:
        total.activities += money.activities
        total.budget += money.budget
        total.spent += money.spent
        total.allocated += money.allocated
    return result, total, county_allocation


def _organisations(plan: Plan) -> list[Organisation]:
    """The county's organisations and any other that leads one of the plan's activities."""
    organisations = (
        Organisation.objects.filter(Q(county_id=plan.county_id) | Q(activities__plan=plan))
        .annotate(led=Count("activities", filter=Q(activities__plan=plan), distinct=True))
        .order_by("id")
    )
    return sorted(organisations, key=lambda org: swedish_sort_key(org.name))


def _part(key: str, title: str, section: ReportSection | None, *, assessment: bool = False) -> WrittenPart:
    part = WrittenPart(
        key=key, title=title, anchor=f"avsnitt-{key}", section=section, is_assessment=assessment
    )
    if section is not None:
        if assessment:
            part.achieved = markup.render(section.achieved)
            part.analysis = markup.render(section.analysis)
            part.planning = markup.render(section.planning)
        else:
            part.text = markup.render(section.text)
    return part


def _written_parts(
    report: FollowUpReport | None, goals: list[Goal], areas: list[PriorityArea]
) -> tuple[WrittenPart, list[WrittenPart], bool, WrittenPart, WrittenPart]:
    """The written parts: summary, an assessment per focus area (when the plan's goals have focus
    areas) or else per priority area, use of the state funds, closing."""
    sections = {section.key: section for section in report.sections.all()} if report and report.pk else {}
    focus_areas = sorted(
        {goal.focus_area for goal in goals if goal.focus_area is not None}, key=lambda area: area.number
    )
    by_focus_area = bool(focus_areas) or not areas
    if by_focus_area:
        assessments = [
            _part(
                f"focus-{area.number}",
                _("Focus area %(number)s: %(name)s") % {"number": area.number, "name": area.name},
                sections.get(f"focus-{area.number}"),
                assessment=True,
            )
            for area in focus_areas
        ]
    else:
        assessments = [
            _part(f"priority-{area.id}", area.name, sections.get(f"priority-{area.id}"), assessment=True)
            for area in areas
        ]
    return (
        _part(ReportSection.SUMMARY, _("Summary"), sections.get(ReportSection.SUMMARY)),
        assessments,
        by_focus_area,
        _part(ReportSection.FUNDS, _("Use of the state funds"), sections.get(ReportSection.FUNDS)),
        _part(
            ReportSection.CLOSING,
            _("Closing: governance and next steps"),
            sections.get(ReportSection.CLOSING),
        ),
    )


def written_part_titles(report: FollowUpReport) -> dict[str, str]:
    """The key and title of every part the report can have, for forms and comments."""
    plan = report.plan
    goals = list(Goal.objects.filter(plan=plan).select_related("focus_area"))
    areas = list(PriorityArea.objects.filter(plan=plan).order_by("position", "name"))
    summary, assessments, _by_focus_area, funds, closing = _written_parts(None, goals, areas)
    return {part.key: part.title for part in (summary, *assessments, funds, closing)}


def build_report(plan: Plan, year: int, *, report: FollowUpReport | None = None) -> ReportData:
    """Everything the report of ``plan`` for ``year`` shows. ``plan.county`` should be selected."""
    if report is None:
        report = FollowUpReport.objects.filter(plan=plan, year=year).select_related("approved_by").first()
    status = report.status if report else FollowUpReport.Status.DRAFT
    if report and report.approved_at and status == FollowUpReport.Status.APPROVED:
        report_date = timezone.localdate(report.approved_at)
    else:
        report_date = timezone.localdate()

    areas = list(PriorityArea.objects.filter(plan=plan).order_by("position", "name"))
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("focus_area", "priority_area")
        .order_by("position", "code")
    )
    rows = _activity_rows(plan, year)

    per_goal: dict[int, list[ActivityRow]] = defaultdict(list)
    unlinked_rows = []
    for row in rows:
        goal_ids = [goal.id for goal in row.activity.goals.all()]
        for goal_id in goal_ids:
            per_goal[goal_id].append(row)
        if not goal_ids:
            unlinked_rows.append(row)

    indicators = indicator_blocks(plan, goals, year)
    sections: dict[int | None, FocusAreaSection] = {}
    for goal in sorted(
        goals, key=lambda goal: (goal.focus_area is None, getattr(goal.focus_area, "number", 0))
    ):
        key = goal.focus_area_id
        if key not in sections:
            if goal.focus_area:
                title = _("Focus area %(number)s: %(name)s") % {
                    "number": goal.focus_area.number,
                    "name": goal.focus_area.name,
                }
                anchor = f"fokusomrade-{goal.focus_area.number}"
            else:
                title, anchor = _("Goals without a focus area"), "fokusomrade-saknas"
            sections[key] = FocusAreaSection(focus_area=goal.focus_area, anchor=anchor, title=title, goals=[])
        # An activity serving several goals is shown in full once, under the first of them, and
        # referred to under the others: repeating it made a 3 000-activity report several times
        # longer than the plan.
        full, references = [], []
        for row in per_goal.get(goal.id, []):
            if row.first_goal is None:
                row.first_goal = goal
                full.append(row)
            else:
                references.append(row)
        sections[key].goals.append(
            GoalSection(
                goal=goal,
                anchor=f"mal-{goal.id}",
                activities=full,
                indicators=indicators.get(goal.id, []),
                references=references,
            )
        )

    unlinked: dict[int | None, PriorityAreaGroup] = {}
    area_names = {area.id: area.name for area in areas}
    for row in unlinked_rows:
        area_id = row.activity.priority_area_id
        if area_id not in unlinked:
            unlinked[area_id] = PriorityAreaGroup(
                name=area_names.get(area_id) or _("No priority area"), activities=[]
            )
        unlinked[area_id].activities.append(row)

    summary, assessments, by_focus_area, funds, closing = _written_parts(report, goals, areas)
    status_counter = Counter(row.status for row in rows)
    money, money_total, county_allocation = _money(plan, year, areas, rows)
    changes, change_counts = changes_during(plan, year)
    abbreviations = sorted(
        Abbreviation.objects.filter(Q(county_id=plan.county_id) | Q(county__isnull=True)),
        key=lambda abbreviation: swedish_sort_key(abbreviation.abbreviation),
    )
    return ReportData(
        plan=plan,
        year=year,
        report=report,
        status=status,
        status_label=str(FollowUpReport.Status(status).label),
        report_date=report_date,
        activities=rows,
        status_counts=[(value, str(label), status_counter[value]) for value, label in Status.choices],
        money=money,
        money_total=money_total,
        county_allocation=county_allocation,
        goals_without_activity=[goal for goal in goals if not per_goal.get(goal.id)],
        focus_areas=list(sections.values()),
        unlinked=list(unlinked.values()),
        changes=changes,
        change_counts=change_counts,
        abbreviations=abbreviations,
        organisations=_organisations(plan),
        goal_count=len(goals),
        indicator_count=len({block.indicator.id for blocks in indicators.values() for block in blocks}),
        follow_up_count=sum(1 for row in rows if row.follow_up),
        follow_ups_done=sum(1 for row in rows if row.follow_up and row.follow_up.state == FollowUpState.DONE),
        follow_ups_missing=sum(1 for row in rows if not row.follow_up),
        summary=summary,
        assessments=assessments,
        assessments_by_focus_area=by_focus_area,
        funds=funds,
        closing=closing,
    )
