"""The pages a coordinator uses, on the national dataset (``manage.py build_national_dataset``).

Every page is fetched with Django's test client as the staff user "systemforvaltare"
(logged in with ``force_login``): one warm-up request, then ``RUNS`` timed ones; the table
gives the median, the number of SQL queries and the size of the response. The plan page of
300 activities is set beside the Django admin's changelist of the same 300 rows
(``?plan__id__exact=<id>&all=``), which is the yardstick of issue 8.

The public pages of issue 13 and their open data are fetched by an anonymous visitor after
every county's adopted plan (and the growth plans of 30 and 300 activities) is published.
"""

import shutil
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from activities.models import Activity
from indicators.models import Indicator, IndicatorValue
from plans.management.commands.build_national_dataset import GROWTH_SIZES, GROWTH_TITLE
from plans.models import County, Plan

TITLE = "Pages at national size"
DATASET = "national"
RUNS = 7
COUNTY = "BD"
REPORT_YEAR = 2024
GOAL_MS = 150
# Issue 11: the plan's logic, its coverage, the national view and the indicator pages.
ANALYSIS_GOAL_MS = 200
# Issue 13: the public pages, their open-data files and the catalogue, for anonymous visitors.
PUBLIC_GOAL_MS = 100


def prepare() -> None:
    """Build the national dataset in an empty database; refuse one that holds something else."""
    if Plan.objects.filter(title=GROWTH_TITLE.format(size=GROWTH_SIZES[-1])).exists():
        return
    if Plan.objects.exists():
        raise SystemExit(
            "The benchmark database has plans but not the national dataset; point DATABASE_URL at an "
            "empty database or run `manage.py build_national_dataset --force` there."
        )
    print("Building the national dataset (once; a few minutes)…", flush=True)
    call_command("build_national_dataset")


def measure(client: Client, url: str, runs: int = RUNS, *, before_each=None) -> dict:
    """Median wall clock of ``runs`` GETs of ``url`` after a warm-up; ``before_each`` runs untimed."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _run in range(runs):
        if before_each is not None:
            before_each()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            content = response.content
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {"ms": statistics.median(timings), "queries": len(queries), "bytes": len(content)}


def measure_cold(client: Client, url: str, folder: Path, runs: int = 3) -> dict:
    """Like ``measure``, but each fetch finds no kept file: the first download after a change."""
    return measure(client, url, runs, before_each=lambda: shutil.rmtree(folder, ignore_errors=True))


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{count / 1024:.0f} kB"


def analysis_pages(county: County, growth: dict[int, int]) -> list[tuple[str, str, int | None]]:
    """The pages of issue 11: the logic and coverage of the county's own plan and of the plan of
    300 activities (3 000 for scale, without a goal), the national view, one indicator across the
    counties, and the indicator's page in the county (when the indicator pages are there)."""
    plan = (
        Plan.objects.filter(county=county)
        .exclude(pk__in=growth.values())
        .annotate(n=Count("activities"))
        .order_by("-n")
        .first()
    )
    indicator = Indicator.objects.national().annotate(n=Count("goals")).order_by("-n", "pk").first()
    values = IndicatorValue.objects.filter(indicator=indicator, county__isnull=False).count()
    pages = [
        (
            f"plan's logic ({county.name}, {plan.n} activities)",
            reverse("plan_logic", args=[plan.pk]),
            ANALYSIS_GOAL_MS,
        ),
        ("plan's logic, 300 activities", reverse("plan_logic", args=[growth[300]]), ANALYSIS_GOAL_MS),
        ("plan's logic, 3 000 activities", reverse("plan_logic", args=[growth[3000]]), None),
        (f"coverage ({county.name})", reverse("plan_coverage", args=[plan.pk]), ANALYSIS_GOAL_MS),
        ("coverage, 3 000 activities", reverse("plan_coverage", args=[growth[3000]]), ANALYSIS_GOAL_MS),
        ("national view (21 counties)", reverse("national_overview"), ANALYSIS_GOAL_MS),
        (
            f"one indicator across the counties ({values} county values)",
            reverse("national_indicator", args=[indicator.pk]),
            ANALYSIS_GOAL_MS,
        ),
    ]
    try:
        detail = reverse("indicator_detail", args=[county.letter_code, indicator.pk])
    except NoReverseMatch:
        return pages
    return [*pages, (f"indicator page ({county.name})", detail, ANALYSIS_GOAL_MS)]


def publish_for_bench() -> dict[str, str]:
    """Publish every county's adopted plan and the growth plans of 30 and 300 activities, as the
    staff user; again on every run, so that the snapshots are those of today's code. Returns each
    plan's public address ("letter code/slug") by its title."""
    from publication.models import DEFAULT_INTERNAL_FIELDS, Licence
    from publication.services import publish_plan

    user = get_user_model().objects.get(username="systemforvaltare")
    plans = Plan.objects.filter(status=Plan.Status.ADOPTED).exclude(
        title=GROWTH_TITLE.format(size=GROWTH_SIZES[-1])
    )
    addresses = {}
    started = time.perf_counter()
    for plan in plans.select_related("county").order_by("pk"):
        publication = publish_plan(
            plan=plan, user=user, licence=Licence.CC_BY, internal_fields=list(DEFAULT_INTERNAL_FIELDS)
        )
        addresses[plan.title] = f"{plan.county.letter_code}/{publication.slug}"
    print(f"Published {len(addresses)} plans in {time.perf_counter() - started:.1f} s", flush=True)
    return addresses


def measure_not_modified(client: Client, url: str, runs: int = RUNS) -> dict:
    """Median of ``runs`` revalidations of ``url`` with its current ETag (each must answer 304)."""
    etag = client.get(url)["ETag"]
    timings = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, HTTP_IF_NONE_MATCH=etag)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 304, (url, response.status_code)
    return {"ms": statistics.median(timings), "queries": len(queries), "bytes": 0}


def public_section() -> list[str]:
    """Issue 13: the public pages and the open data, fetched by an anonymous visitor."""
    addresses = publish_for_bench()
    county = County.objects.get(letter_code=COUNTY)
    own_plan = Plan.objects.filter(county=county, status=Plan.Status.ADOPTED).order_by("pk").first()
    growth = addresses[GROWTH_TITLE.format(size=300)].split("/")
    own = addresses[own_plan.title].split("/")
    own_activities = own_plan.activities.count()
    client = Client()
    pages = [
        (f"public start page ({len(addresses)} plans published)", reverse("public_start"), "page"),
        (f"public county page ({county.name})", reverse("public_county", args=[COUNTY]), "page"),
        (
            f"public plan page ({county.name}, {own_activities} activities)",
            reverse("public_plan", args=own),
            "page",
        ),
        ("public plan page, 300 activities", reverse("public_plan", args=growth), "page"),
        ("… the same, first view after publishing", reverse("public_plan", args=growth), "unrendered"),
        ("… the same, revalidated (304)", reverse("public_plan", args=growth), "304"),
        ("plan.json, 300 activities", reverse("opendata_file", args=[*growth, "plan.json"]), "page"),
        (
            "aktiviteter.csv, 300 activities",
            reverse("opendata_file", args=[*growth, "aktiviteter.csv"]),
            "page",
        ),
        (
            f"indikatorvarden.csv ({county.name})",
            reverse("opendata_file", args=[*own, "indikatorvarden.csv"]),
            "page",
        ),
        (
            "… plan.json, first download after publishing",
            reverse("opendata_file", args=[*growth, "plan.json"]),
            "cold",
        ),
        ("… plan.json, revalidated (304)", reverse("opendata_file", args=[*growth, "plan.json"]), "304"),
        (f"catalogue, RDF/XML ({len(addresses)} datasets)", reverse("opendata_catalogue_rdf"), "page"),
        ("catalogue, JSON-LD", reverse("opendata_catalogue_jsonld"), "page"),
        (
            "… catalogue, RDF/XML, first download after a publication",
            reverse("opendata_catalogue_rdf"),
            "cold",
        ),
    ]
    kept = Path(settings.MEDIA_ROOT) / "cache" / "opendata"
    lines = [
        "",
        "### Public pages and open data (issue 13)",
        "",
        f"{len(addresses)} adopted plans published (every county's and the growth plans of 30 and 300 "
        "activities) at the start of the run; each page fetched by an anonymous visitor, "
        f"{RUNS} times after a warm-up; median wall clock. An open-data file (and the catalogue) is "
        "written on its first download and kept, a public plan page rendered on its first view and "
        "kept in the cache; “first download” and “first view” find nothing kept (median of 3); "
        f"“revalidated” sends the ETag of the page and gets 304. Goal: ≤ {PUBLIC_GOAL_MS} ms.",
        "",
        "| page | median | queries | HTML / file | goal |",
        "|---|---:|---:|---:|---|",
    ]
    for label, url, kind in pages:
        if kind == "304":
            figures = measure_not_modified(client, url)
        elif kind == "cold":
            figures = measure_cold(client, url, kept)
        elif kind == "unrendered":  # the plan page is rendered once per ETag and kept in the cache
            figures = measure(client, url, 3, before_each=cache.clear)
        else:
            figures = measure(client, url)
        print(f"{label}: {figures['ms']:.0f} ms, {figures['queries']} queries, {_size(figures['bytes'])}")
        verdict = "✓" if figures["ms"] <= PUBLIC_GOAL_MS else f"over {PUBLIC_GOAL_MS} ms"
        size = _size(figures["bytes"]) if figures["bytes"] else "–"
        lines.append(f"| {label} | {figures['ms']:.0f} ms | {figures['queries']} | {size} | {verdict} |")
    return lines


def run() -> str:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="systemforvaltare"))
    growth = {
        size: Plan.objects.get(title=GROWTH_TITLE.format(size=size)).pk
        for size in GROWTH_SIZES
        if Plan.objects.filter(title=GROWTH_TITLE.format(size=size)).exists()
    }
    county = County.objects.get(letter_code=COUNTY)
    long_history = (
        Activity.history.values("id").annotate(n=Count("history_id")).filter(n__gte=30).order_by("id").first()
    )
    county_values = IndicatorValue.objects.filter(municipality__county=county).count() + (
        IndicatorValue.objects.filter(county=county).count()
    )
    pages = [
        ("plan page, 30 activities", reverse("plan_detail", args=[growth[30]]), None),
        ("plan page, 300 activities", reverse("plan_detail", args=[growth[300]]), None),
        (
            "Django admin changelist, the same 300 activities",
            reverse("admin:activities_activity_changelist") + f"?plan__id__exact={growth[300]}&all=",
            None,
        ),
        ("plan page, 3 000 activities", reverse("plan_detail", args=[growth[3000]]), None),
        ("home page (staff, 21 counties)", reverse("home"), GOAL_MS),
        (f"county page ({county.name})", reverse("county_detail", args=[COUNTY]), GOAL_MS),
        (
            f"history of an activity ({long_history['n']} versions)",
            reverse("object_history", args=["activity", long_history["id"]]),
            GOAL_MS,
        ),
        (f"deleted items ({county.name})", reverse("county_deleted", args=[COUNTY]), GOAL_MS),
        (
            f"indicator values export, xlsx ({county_values} values)",
            reverse("county_indicator_export", args=[COUNTY, "xlsx"]),
            GOAL_MS,
        ),
        (
            "indicator values export, csv",
            reverse("county_indicator_export", args=[COUNTY, "csv"]),
            GOAL_MS,
        ),
        (
            f"report preview {REPORT_YEAR}, 3 000 activities",
            reverse("report_detail", args=[growth[3000], REPORT_YEAR]),
            None,
        ),
    ]
    pages += analysis_pages(county, growth)
    exports = Path(settings.MEDIA_ROOT) / "cache" / "exports"
    xlsx_url = reverse("county_indicator_export", args=[COUNTY, "xlsx"])
    csv_url = reverse("county_indicator_export", args=[COUNTY, "csv"])
    cold = {
        "… xlsx, first download after the values changed": xlsx_url,
        "… csv, first download after the values changed": csv_url,
    }
    labels = [page[0] for page in pages]
    position = labels.index("indicator values export, csv") + 1
    pages[position:position] = [(label, url, None) for label, url in cold.items()]
    results = {}
    for label, url, _goal in pages:
        results[label] = measure_cold(client, url, exports) if label in cold else measure(client, url)
        figures = results[label]
        print(f"{label}: {figures['ms']:.0f} ms, {figures['queries']} queries, {_size(figures['bytes'])}")

    admin = results["Django admin changelist, the same 300 activities"]["ms"]
    lines = [
        f"The national dataset (`manage.py build_national_dataset`) on {connection.vendor}: "
        f"{Plan.objects.count()} plans, {Activity.objects.count():,} activities, "
        f"{IndicatorValue.objects.count():,} indicator values. Each page fetched {RUNS} times after a "
        "warm-up by the staff user with Django's test client; median wall clock. A county's value "
        "export is written once per change of the values and kept: the rows marked “first download” "
        "are fetched with no kept file (median of 3). "
        f"Goal for the pages marked with one: ≤ {GOAL_MS} ms; for the plan's logic and coverage pages "
        f"and the national and indicator pages (issue 11): ≤ {ANALYSIS_GOAL_MS} ms.".replace(",", " "),
        "",
        "| page | median | queries | HTML / file | × admin (300) | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, _url, goal in pages:
        figures = results[label]
        verdict = ""
        if goal:
            verdict = "✓" if figures["ms"] <= goal else f"over {goal} ms"
        lines.append(
            f"| {label} | {figures['ms']:.0f} ms | {figures['queries']} | {_size(figures['bytes'])} | "
            f"{figures['ms'] / admin:.2f}× | {verdict} |"
        )
    plan = {
        30: results["plan page, 30 activities"]["ms"],
        300: results["plan page, 300 activities"]["ms"],
        3000: results["plan page, 3 000 activities"]["ms"],
    }
    lines += [
        "",
        f"Growth of the plan page: 30 → 300 activities {plan[300] / plan[30]:.1f}×, "
        f"300 → 3 000 {plan[3000] / plan[300]:.1f}× (the rows grow 10×). "
        f"Plan page at 300 activities: **{plan[300] / admin:.2f}×** the admin changelist of the same rows "
        f"(goal ≤ 1.0×); 3 000 activities: {plan[3000] / admin:.2f}× (goal < 1.0×).",
    ]
    lines += public_section()
    return "\n".join(lines)
