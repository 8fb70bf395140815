"""The yearly follow-up report of a big plan: 300 activities, 30 goals, 30 indicator charts.

Times the four steps of ``plans.reports.services.render_report_pdf`` apart: reading the
report's content (SQL), rendering the template (Django, charts included), WeasyPrint's
layout, and writing the PDF. The share outside WeasyPrint (the first two) should stay
under a tenth of the total.

Then the whole render per page with Python's garbage collector running (layout and writing
called as they are) and paused (``planportal.lib.pdf.html_to_pdf``, which pauses it), in turn
within each run; and the request time of the PDF link, which renders nothing since the render
is a job: the first request of a state of the plan (it queues the job), the page's poll of the
job, and a request once the job has made the PDF (served from the file cache).
"""

import gc
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import OrmQ

from activities.models import Activity, ActivityFollowUp, Status
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from planportal.lib import pdf
from plans.models import (
    Abbreviation,
    County,
    FocusArea,
    Goal,
    Organisation,
    Plan,
    PriorityArea,
    ReportRender,
)
from plans.national import load_national_data
from plans.reports import rendering, services

TITLE = "Follow-up report PDF (300 activities, 30 indicator charts)"
ACTIVITIES, GOALS, INDICATORS, RUNS, YEAR = 300, 30, 30, 3, 2024
REQUESTS = 20  # timed requests of the PDF link, per kind
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
    # With the garbage collector running, as before it was paused during the render.
    assert gc.isenabled()
    document = pdf.layout(html)
    lap("layout")
    content = pdf.write(document)
    lap("write")
    for suffix in ("", "_cpu"):
        steps[f"total{suffix}"] = sum(
            steps[f"{name}{suffix}"] for name in ("read", "template", "layout", "write")
        )
        steps[f"pdf_gc{suffix}"] = steps[f"layout{suffix}"] + steps[f"write{suffix}"]
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    paused = pdf.html_to_pdf(html)  # pauses the collector, collects once after
    lap("pdf_paused")
    steps.update(
        queries=len(queries),
        pages=len(document.pages),
        bytes=len(content),
        paused_bytes=len(paused),
        charts=html.count("<svg"),
    )
    return steps


def measure_requests(plan: Plan) -> dict:
    """Median milliseconds of the PDF link: queuing the job, polling it, and serving its PDF."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = get_user_model().objects.create_user("bench-pdf", is_staff=True)
    client = Client()
    client.force_login(user)
    url = reverse("report_pdf", args=[plan.pk, YEAR])

    def timed(path: str, expected: int, **headers) -> float:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, **headers)
            content = response.content
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == expected, (path, response.status_code)
        timings.setdefault(path + str(expected), []).append((elapsed, len(queries), len(content)))
        return elapsed

    timings: dict[str, list] = {}
    result = {}
    for _run in range(REQUESTS):
        # Each time a state of the plan never made: no render row, nothing queued.
        ReportRender.objects.all().delete()
        OrmQ.objects.all().delete()
        timed(url, 202)
    render = ReportRender.objects.get()
    status_url = reverse("report_pdf_status", args=[plan.pk, YEAR, render.pk])
    for _run in range(REQUESTS):
        timed(status_url, 200, HTTP_HX_REQUEST="true")
    assert rendering.render_live(render.pk) == "rendered"
    for _run in range(REQUESTS):
        timed(url, 200)
    for key, name in ((url + "202", "queue"), (status_url + "200", "poll"), (url + "200", "serve")):
        runs = timings[key]
        result[name] = statistics.median(ms for ms, _queries, _bytes in runs)
        result[f"{name}_queries"] = runs[-1][1]
        result[f"{name}_bytes"] = runs[-1][2]
    return result


def run() -> str:
    built = time.perf_counter()
    plan = build_plan()
    build_time = time.perf_counter() - built
    runs = [measure(plan) for _run in range(RUNS)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    requests = measure_requests(plan)
    pages = median["pages"]
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
        f"On {connection.vendor}: a plan with {ACTIVITIES} activities (all followed up for {YEAR}), {GOALS} "
        f"goals and {INDICATORS} "
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
        "",
        "### Garbage collector paused during the render",
        "",
        f"Layout and writing of the same HTML ({median['pages']:.0f} pages), with Python's garbage collector "
        "running and paused (`html_to_pdf`: off during the render, one collection after), in turn in each "
        "run; median of the runs.",
        "",
        "| garbage collector | wall clock | CPU | per page (wall) | per page (CPU) |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {label} | {median[key]:.2f} s | {median[f'{key}_cpu']:.2f} s "
            f"| {median[key] / pages * 1000:.0f} ms | {median[f'{key}_cpu'] / pages * 1000:.0f} ms |"
            for label, key in (("running (before)", "pdf_gc"), ("paused (after)", "pdf_paused"))
        ],
        "",
        f"Paused, the render takes **{median['pdf_paused_cpu'] / median['pdf_gc_cpu']:.0%}** of the CPU time "
        "it took with the collector running "
        f"({median['pdf_paused'] / median['pdf_gc']:.0%} of the wall-clock time, which moves with the load "
        "of the machine: CPU time is the figure to compare).",
        "",
        "### The PDF link",
        "",
        f"GET of the report's PDF link by a logged-in person, median of {REQUESTS} requests each "
        "(Django's test client, in process). Before, the first request after any change to the plan rendered "
        f"the PDF inside the request: about {median['total']:.0f} s here, longer than common proxy timeouts. "
        "Now the request queues a job and answers with a page that polls it:",
        "",
        "| request | median | queries | answer |",
        "|---|---:|---:|---|",
        f"| first request of this state of the plan (queues the render) | {requests['queue']:.0f} ms "
        f"| {requests['queue_queries']} | 202, the waiting page ({requests['queue_bytes'] / 1024:.0f} KiB) |",
        f"| the page's poll of the job (htmx, every 2 s) | {requests['poll']:.0f} ms "
        f"| {requests['poll_queries']} | the status part ({requests['poll_bytes'] / 1024:.1f} KiB) |",
        f"| once the job has made it (served from the file cache) | {requests['serve']:.0f} ms "
        f"| {requests['serve_queries']} | 200, the PDF ({requests['serve_bytes'] / 1024:.0f} KiB) |",
    ]
    return "\n".join(lines)
