"""The yearly follow-up report of a big plan: 300 activities, 30 goals, 30 indicator charts.

Times the four steps of ``plans.reports.services.render_report_pdf`` apart: reading the
report's content (SQL), rendering the template (Django, charts included), WeasyPrint's
layout, and writing the PDF. The share outside WeasyPrint (the first two) should stay
under a tenth of the total.
"""

import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, ActivityFollowUp, Status
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from planportal.lib import pdf
from plans.models import Abbreviation, County, FocusArea, Goal, Organisation, Plan, PriorityArea
from plans.national import load_national_data
from plans.reports import services

TITLE = "Follow-up report PDF (300 activities, 30 indicator charts)"
ACTIVITIES, GOALS, INDICATORS, RUNS, YEAR = 300, 30, 30, 3, 2024
STATUSES = [Status.ONGOING, Status.DONE, Status.PLANNED, Status.DELAYED]

LONG_TEXT = (
    "Länsgemensam utbildningsinsats i suicidprevention för kommunernas socialtjänst, "
    "primärvården och räddningstjänsten, med uppföljning i samverkansstrukturerna."
)


@transaction.atomic
def build_plan() -> Plan:
    if not County.objects.exists():
        load_national_data()
    county = County.objects.get(letter_code="AB")
    plan = Plan.objects.create(
        county=county, title="Benchmarkplan för psykisk hälsa", start_year=2020, end_year=2026
    )
    areas = [PriorityArea.objects.create(plan=plan, name=f"Insatsområde {n}", position=n) for n in range(5)]
    focus_areas = list(FocusArea.objects.order_by("number"))
    goals = Goal.objects.bulk_create(
        Goal(
            plan=plan,
            code=f"V{index % 5 + 1}.{index}",
            title=f"Mål {index}: minskad psykisk ohälsa genom tidiga och samordnade insatser",
            focus_area=focus_areas[index % 5],
            priority_area=areas[index % 5],
            background=LONG_TEXT * 3,
            position=index,
        )
        for index in range(GOALS)
    )
    organisations = [
        Organisation.objects.create(name=f"Benchmarkorganisation {n}", county=county) for n in range(10)
    ]
    Abbreviation.objects.bulk_create(
        Abbreviation(county=county, abbreviation=f"BF{n}", meaning=f"Benchmarkförkortning {n}")
        for n in range(20)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            plan=plan,
            priority_area=areas[index % 5],
            title=f"Aktivitet {index}: {LONG_TEXT}",
            current_state="Nuläge: arbetet har startat i hälften av kommunerna.",
            expected_result="Fler medarbetare har kunskap om tidiga tecken på psykisk ohälsa.",
            indicators_text="- antal utbildade\n- antal kommuner",
            timeline="2022–2025",
            responsible="Länssamordnare och delregionala processledare",
            cost_text="Stimulansmedel",
            status=STATUSES[index % 4],
            budget=Decimal(100000 + index * 1000),
            position=index,
        )
        for index in range(ACTIVITIES)
    )
    Activity.goals.through.objects.bulk_create(
        Activity.goals.through(activity_id=activity.id, goal_id=goals[index % GOALS].id)
        for index, activity in enumerate(activities)
    )
    Activity.lead_organisations.through.objects.bulk_create(
        Activity.lead_organisations.through(
            activity_id=activity.id, organisation_id=organisations[index % 10].id
        )
        for index, activity in enumerate(activities)
    )
    ActivityFollowUp.objects.bulk_create(
        ActivityFollowUp(
            activity=activity,
            year=YEAR,
            status=STATUSES[index % 4],
            achieved="Genomfört enligt plan; 40 deltagare från sex kommuner.",
            planning="Sprids till övriga kommuner under nästa år.",
            spent=Decimal(50000),
        )
        for index, activity in enumerate(activities)
    )
    for index in range(INDICATORS):
        indicator = Indicator.objects.create(
            code=f"BENCH{index:03d}", name=f"Benchmarkindikator {index}", unit=Indicator.Unit.PER_100K
        )
        indicator.goals.add(goals[index % GOALS])
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                county=county,
                year=year,
                value=Decimal(str(round(20 - (year - 2015) * 0.7, 1))),
            )
            for year in range(2015, 2025)
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, county=county, year=year, value=Decimal(12 - (year - 2024)))
            for year in (2024, 2025, 2026)
        )
    return Plan.objects.select_related("county").get(pk=plan.pk)


def measure(plan: Plan) -> dict:
    """Wall-clock and CPU seconds of each step (CPU time is steadier on a shared machine)."""
    steps = {}
    wall, cpu = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal wall, cpu
        now_wall, now_cpu = time.perf_counter(), time.process_time()
        steps[name], steps[f"{name}_cpu"] = now_wall - wall, now_cpu - cpu
        wall, cpu = now_wall, now_cpu

    with CaptureQueriesContext(connection) as queries:
        data = services.report_data(plan, YEAR)
    lap("read")
    html = services.render_report_html(data)
    lap("template")
    document = pdf.layout(html)
    lap("layout")
    content = pdf.write(document)
    lap("write")
    for suffix in ("", "_cpu"):
        steps[f"total{suffix}"] = sum(
            steps[f"{name}{suffix}"] for name in ("read", "template", "layout", "write")
        )
    steps.update(
        queries=len(queries), pages=len(document.pages), bytes=len(content), charts=html.count("<svg")
    )
    return steps


def run() -> str:
    built = time.perf_counter()
    plan = build_plan()
    build_time = time.perf_counter() - built
    runs = [measure(plan) for _run in range(RUNS)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    outside = median["read"] + median["template"]
    outside_cpu = median["read_cpu"] + median["template_cpu"]
    totals = ", ".join(f"{one['total']:.1f} s" for one in runs)
    rows = [
        ("Reading the content (SQL)", "read", f"{median['queries']:.0f} queries"),
        ("Rendering the template (Django, SVG charts)", "template", f"{median['charts']:.0f} charts"),
        ("WeasyPrint layout", "layout", f"{median['pages']:.0f} pages"),
        ("WeasyPrint writing the PDF", "write", f"{median['bytes'] / 1024:.0f} KiB"),
    ]
    lines = [
        f"A plan with {ACTIVITIES} activities (all followed up for {YEAR}), {GOALS} goals and {INDICATORS} "
        f"indicators with ten years of values and three targets each; the report for {YEAR} rendered "
        f"{RUNS} times, median of each step (building the plan took {build_time:.1f} s).",
        "",
        "| step | wall clock | CPU | |",
        "|---|---:|---:|---|",
        *[
            f"| {name} | {median[key]:.2f} s | {median[f'{key}_cpu']:.2f} s | {note} |"
            for name, key, note in rows
        ],
        f"| **total** | **{median['total']:.2f} s** | **{median['total_cpu']:.2f} s** | |",
        "",
        f"Outside WeasyPrint (queries and template): {outside:.2f} s wall clock, "
        f"**{outside / median['total']:.1%}** of the total "
        f"({outside_cpu / median['total_cpu']:.1%} of the CPU time); the goal is under 10 %. "
        f"Totals of the runs: {totals}. Nearly all the time is WeasyPrint laying out and drawing the text of "
        "the activity tables, in proportion to the number of pages.",
    ]
    return "\n".join(lines)
