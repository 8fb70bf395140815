"""The public pages: published plans and approved reports for everyone, without login.

They are the same for every visitor, so they are served as to an anonymous visitor: nothing
reads the session or sets a cookie, no response varies on one, and shared caches may keep
them (``Cache-Control: public``). Everything shown comes from live publications: the plan
from its frozen snapshot, the reports as the bytes of the published approved version.
ETag and Last-Modified come from the publications (Django's ``condition``), so a revisit
that has the page gets 304.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from activities.models import ActivityType, Status
from indicators.models import Gender, Indicator, ValueSource
from indicators.progress import Judgement, Progress
from planportal.lib.charts import decimals_needed, indicator_chart
from planportal.lib.swedish import SwedishCollate, format_number, format_sek
from plans.models import County, TargetGroup
from plans.reports.services import revision_pdf
from publication.models import LICENCE_URLS, Licence, PlanPublication, ReportPublication
from publication.opendata import FILES

# How long a browser or shared cache may keep a public page before asking again (seconds);
# after an unpublication the page is gone from caches within this time.
MAX_AGE = 300
# How long a rendered plan page is kept in the cache (it is keyed by its ETag, so never stale).
RENDERED_SECONDS = 24 * 60 * 60


def public_page(view: Callable) -> Callable:
    """The same page for everyone: no session, no cookie, cacheable by anyone."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The lazy user would read the session (and make the answer vary on the cookie) as soon
        # as anything asked whether someone is logged in; a public page never needs to know.
        request.user = AnonymousUser()
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response

    return wrapped


def _layout_version() -> str:
    """The SHA-256 of what the pages look like besides their content: their templates, style sheets
    and code. In every ETag, so that a deploy that changes the pages is not answered with 304."""
    root = Path(settings.BASE_DIR)
    files = sorted((root / "templates" / "publication").rglob("public*.html"))
    files += [root / "templates" / "publication" / "partials" / "breadcrumbs.html"]
    files += [
        root / "static" / "css" / name for name in ("planportal.css", "progress.css", "publication.css")
    ]
    files += [Path(__file__), root / "planportal" / "lib" / "charts.py"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


LAYOUT_VERSION = _layout_version()


def _etag(*parts) -> str:
    """An ETag of the content ``parts`` in the page's language and layout."""
    text = "|".join(str(part) for part in (LAYOUT_VERSION, get_language(), *parts))
    return hashlib.sha256(text.encode()).hexdigest()


# --- the start page: counties with published plans -------------------------------------------


def _counties(request: HttpRequest) -> list:
    if not hasattr(request, "_public_counties"):
        request._public_counties = list(
            County.objects.filter(plan_publications__in=PlanPublication.objects.live())
            .annotate(
                published_plans=Count("plan_publications"), latest=Max("plan_publications__published_at")
            )
            .order_by(SwedishCollate("name").asc())
        )
    return request._public_counties


def _start_etag(request: HttpRequest) -> str:
    return _etag(
        "start", *((county.pk, county.published_plans, county.latest) for county in _counties(request))
    )


def _start_modified(request: HttpRequest):
    # An unpublication changes the page too: the list must not look older than it is.
    unpublished = PlanPublication.objects.aggregate(latest=Max("unpublished_at"))["latest"]
    return _latest(*(county.latest for county in _counties(request)), unpublished)


def _latest(*moments):
    return max((moment for moment in moments if moment is not None), default=None)


@public_page
@require_safe
@condition(etag_func=_start_etag, last_modified_func=_start_modified)
def public_start(request: HttpRequest) -> HttpResponse:
    return render(request, "publication/public_start.html", {"counties": _counties(request)})


# --- a county's published plans ---------------------------------------------------------------


def _county_publications(request: HttpRequest, letter_code: str) -> list[PlanPublication]:
    if not hasattr(request, "_public_county"):
        request._public_county = list(
            PlanPublication.objects.live()
            .filter(county__letter_code=letter_code)
            .select_related("county")
            .defer("snapshot")
            # The title as published, never the plan's title now.
            .annotate(title=KT("snapshot__plan__title"), start_year=KT("snapshot__plan__start_year"))
            .order_by("-start_year", "title")
        )
    if not request._public_county:
        raise Http404
    return request._public_county


def _county_etag(request: HttpRequest, letter_code: str) -> str:
    return _etag(
        "county",
        *((pub.pk, pub.snapshot_sha256) for pub in _county_publications(request, letter_code)),
    )


def _county_modified(request: HttpRequest, letter_code: str):
    published = [pub.published_at for pub in _county_publications(request, letter_code)]
    unpublished = PlanPublication.objects.filter(county__letter_code=letter_code).aggregate(
        latest=Max("unpublished_at")
    )["latest"]
    return _latest(*published, unpublished)


@public_page
@require_safe
@condition(etag_func=_county_etag, last_modified_func=_county_modified)
def public_county(request: HttpRequest, letter_code: str) -> HttpResponse:
    publications = _county_publications(request, letter_code)
    return render(
        request,
        "publication/public_county.html",
        {"county": publications[0].county, "publications": publications},
    )


# --- a published plan -------------------------------------------------------------------------


def _plan_publication(request: HttpRequest, letter_code: str, slug: str) -> tuple:
    """The live publication, its live report publications and when they last changed, or 404;
    read once per request."""
    if not hasattr(request, "_public_plan"):
        publication = (
            PlanPublication.objects.live()
            .filter(county__letter_code=letter_code, slug=slug)
            .defer("snapshot")
            .first()
        )
        if publication is None:
            raise Http404
        # Every publication of the plan's reports: an unpublished one changed the page too.
        all_reports = list(
            ReportPublication.objects.filter(report__plan_id=publication.plan_id)
            .select_related("revision", "report")
            .order_by("-report__year")
        )
        changed = _latest(
            publication.published_at,
            *(moment for r in all_reports for moment in (r.published_at, r.unpublished_at, r.replaced_at)),
        )
        request._public_plan = (publication, [report for report in all_reports if report.is_live], changed)
    return request._public_plan


def _plan_etag(request: HttpRequest, letter_code: str, slug: str) -> str:
    publication, reports, _changed = _plan_publication(request, letter_code, slug)
    return _etag(
        publication.snapshot_sha256, *((report.pk, report.revision.pdf_sha256) for report in reports)
    )


def _plan_modified(request: HttpRequest, letter_code: str, slug: str):
    return _plan_publication(request, letter_code, slug)[2]


@public_page
@require_safe
@condition(etag_func=_plan_etag, last_modified_func=_plan_modified)
def public_plan(request: HttpRequest, letter_code: str, slug: str) -> HttpResponse:
    publication, reports, _changed = _plan_publication(request, letter_code, slug)
    # A page is the same for as long as its ETag is: rendered once (a plan of 300 activities
    # takes longer to lay out than to serve), then served from the cache.
    key = f"publication:plan:{_plan_etag(request, letter_code, slug)}"
    body = cache.get(key)
    if body is None:
        publication.refresh_from_db(fields=["snapshot"])
        page = plan_page(publication.snapshot)
        context = {
            "publication": publication,
            "county": page.county,
            "page": page,
            "licence": Licence(publication.licence).label,
            "licence_url": LICENCE_URLS[publication.licence],
            "reports": reports,
            "letter_code": letter_code,
            "open_data": [
                (reverse("opendata_file", args=[letter_code, slug, item.name]), item.title, item.description)
                for item in FILES.values()
            ],
        }
        body = render_to_string("publication/public_plan.html", context, request=request)
        cache.set(key, body, RENDERED_SECONDS)
    return HttpResponse(body)


# --- an approved report's PDF -----------------------------------------------------------------


def _report_publication(request: HttpRequest, letter_code: str, slug: str, year: int) -> ReportPublication:
    _publication, reports, _changed = _plan_publication(request, letter_code, slug)
    found = next((report for report in reports if report.report.year == year), None)
    if found is None:
        raise Http404
    return found


def _pdf_etag(request: HttpRequest, letter_code: str, slug: str, year: int) -> str:
    return _report_publication(request, letter_code, slug, year).revision.pdf_sha256


def _pdf_modified(request: HttpRequest, letter_code: str, slug: str, year: int):
    return _report_publication(request, letter_code, slug, year).published_at


@public_page
@require_safe
@condition(etag_func=_pdf_etag, last_modified_func=_pdf_modified)
def public_report_pdf(request: HttpRequest, letter_code: str, slug: str, year: int) -> HttpResponse:
    published = _report_publication(request, letter_code, slug, year)
    content = revision_pdf(published.revision)
    if content is None:
        # The stored bytes are gone or no longer match their checksum: never serve other bytes.
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"uppfoljning-{letter_code.lower()}-{slug}-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- from the snapshot to what the plan page shows --------------------------------------------


@dataclass
class IndicatorView:
    id: int
    code: str
    name: str
    unit: str
    description: str
    source: str
    progress: Progress
    chart: str
    rows: list[tuple[int, str, str]]
    baseline: str
    from_kolada: bool
    genders: list[tuple[str, str]]


@dataclass
class GoalView:
    code: str
    title: str
    target_group: str
    priority_area: str
    background: str
    responsible: str | None
    indicators: list[IndicatorView]
    activities: int


@dataclass
class Group:
    title: str
    anchor: str
    description: str = ""
    items: list = field(default_factory=list)


@dataclass
class PlanPage:
    county: dict
    plan: dict
    adopted_on: object
    revised_on: object
    goal_groups: list[Group]
    activity_groups: list[Group]
    indicators: list[IndicatorView]
    internal_fields: list[str]
    activity_count: int


def _progress(data: dict) -> Progress:
    def point(value: dict | None):
        return (value["year"], Decimal(value["value"])) if value else None

    return Progress(
        Judgement(data["judgement"]),
        data["direction"],
        baseline=point(data.get("baseline")),
        latest=point(data.get("latest")),
        previous=point(data.get("previous")),
        target=point(data.get("target")),
        missing=data.get("missing", ""),
    )


def _indicator(data: dict) -> IndicatorView:
    unit = Indicator.Unit(data["unit"])
    unit_label = str(unit.label) if unit != Indicator.Unit.OTHER else ""
    totals = [(v["year"], Decimal(v["value"])) for v in data["values"] if v["gender"] == Gender.TOTAL]
    targets = [(t["year"], Decimal(t["value"])) for t in data["targets"]]
    baseline = data.get("baseline")
    numbers = [value for _y, value in totals + targets] + ([Decimal(baseline["value"])] if baseline else [])
    decimals = decimals_needed(numbers)
    by_year, target_by_year = dict(totals), dict(targets)
    rows = [
        (year, format_number(by_year.get(year), decimals), format_number(target_by_year.get(year), decimals))
        for year in sorted(set(by_year) | set(target_by_year))
    ]
    genders = sorted({v["gender"] for v in data["values"]} - {Gender.TOTAL})
    return IndicatorView(
        id=data["id"],
        code=data["code"],
        name=data["name"],
        unit=unit_label,
        description=data["description"],
        source=data["source"],
        progress=_progress(data["progress"]),
        chart=indicator_chart(totals, targets, title=data["name"], unit=unit_label) if totals else "",
        rows=rows,
        baseline=f"{format_number(Decimal(baseline['value']), decimals)} ({baseline['year']})"
        if baseline
        else "",
        from_kolada=any(v["source"] == ValueSource.KOLADA for v in data["values"]),
        genders=[(g, str(Gender(g).label)) for g in genders],
    )


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def plan_page(snapshot: dict) -> PlanPage:
    """What the public plan page shows, read from a publication's snapshot alone (no query)."""
    indicators = [_indicator(data) for data in snapshot["indicators"]]
    indicator_by_id = {indicator.id: indicator for indicator in indicators}
    areas = {area["id"]: area for area in snapshot["priority_areas"]}
    goal_codes = {goal["id"]: goal["code"] for goal in snapshot["goals"]}

    focus_names = {area["number"]: area["name"] for area in snapshot["focus_areas"]}
    goal_groups = {
        number: Group(f"{number}. {name}", f"fokus-{number}") for number, name in focus_names.items()
    }
    without_focus = Group(_("Goals without a focus area"), "fokus-ovriga")
    for goal in snapshot["goals"]:
        group = goal_groups.get(goal["focus_area"], without_focus)
        area = areas.get(goal["priority_area"])
        group.items.append(
            GoalView(
                code=goal["code"],
                title=goal["title"],
                target_group=_label(TargetGroup, goal["target_group"]),
                priority_area=area["name"] if area else "",
                background=goal["background"],
                responsible=goal.get("responsible"),
                indicators=[indicator_by_id[i] for i in goal["indicators"] if i in indicator_by_id],
                activities=len(goal["activities"]),
            )
        )
    goal_list = [group for group in goal_groups.values() if group.items]
    if without_focus.items:
        goal_list.append(without_focus)

    activity_groups = {
        area["id"]: Group(area["name"], f"insatsomrade-{area['id']}", area["description"])
        for area in snapshot["priority_areas"]
    }
    without_area = Group(_("Activities without a priority area"), "insatsomrade-ovriga")
    for activity in snapshot["activities"]:
        start, end = parse_date(activity["start_date"] or ""), parse_date(activity["end_date"] or "")
        budget = activity.get("budget")
        activity_groups.get(activity["priority_area"], without_area).items.append(
            {
                **activity,
                "status_label": _label(Status, activity["status"]),
                "type_label": _label(ActivityType, activity["activity_type"]),
                "goal_codes": [goal_codes[g] for g in activity["goals"] if g in goal_codes],
                "start": start,
                "end": end,
                "budget_text": format_sek(Decimal(budget)) if budget else "",
                "indicator_names": [
                    indicator_by_id[i].name for i in activity["indicators"] if i in indicator_by_id
                ],
            }
        )
    activity_list = [group for group in activity_groups.values() if group.items]
    if without_area.items:
        activity_list.append(without_area)

    plan = snapshot["plan"]
    return PlanPage(
        county=snapshot["county"],
        plan=plan,
        adopted_on=parse_date(plan["adopted_on"] or ""),
        revised_on=parse_date(plan["revised_on"] or ""),
        goal_groups=goal_list,
        activity_groups=activity_list,
        indicators=indicators,
        internal_fields=snapshot["internal_fields"],
        activity_count=len(snapshot["activities"]),
    )
