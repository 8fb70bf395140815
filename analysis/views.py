"""The plan's logic and coverage pages (readers of the county) and the national view (staff)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from activities.models import Status
from analysis.charts import bar_chart
from analysis.coverage import build_coverage
from analysis.logic import PlanLogic, build_plan_logic
from analysis.national import build_indicator_across, build_overview, national_indicators
from planportal.lib.spreadsheets import escape_formula
from planportal.lib.swedish import format_sek
from plans.permissions import get_plan_for_user, is_admin
from plans.views.plan_page import parse_id


@login_required
def plan_logic(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    logic = build_plan_logic(plan)
    render_activity_lines(logic)
    return render(
        request,
        "analysis/plan_logic.html",
        {"plan": plan, "county": plan.county, "access": access, "logic": logic},
    )


@login_required
def plan_coverage(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    coverage = build_coverage(plan)
    if request.GET.get("format") == "csv":
        return coverage_csv(coverage)
    return render(
        request,
        "analysis/plan_coverage.html",
        {"plan": plan, "county": plan.county, "access": access, "coverage": coverage},
    )


def render_activity_lines(logic: PlanLogic) -> None:
    """Each activity's line of the goal lists, written once: an activity serving three goals stands
    under each, and a plan of 300 activities renders in a tenth of the template's time."""
    budget_word, spent_word = _("budget"), _("spent")
    statuses = dict(Status.choices)
    # One reverse() for all: the activity URL with a placeholder id.
    url_before, url_after = reverse("activity_detail", args=[0]).rsplit("0", 1)
    lines = {line.activity.pk: line for goal in logic.goals for line in goal.shown_activities}
    for line in lines.values():
        activity = line.activity
        money = [
            f"{word} {format_sek(amount)}"
            for word, amount in ((budget_word, activity.budget), (spent_word, line.spent))
            if amount
        ]
        title = activity.title if len(activity.title) <= 120 else Truncator(activity.title).chars(120)
        line.html = format_html(
            '<li><a href="{}">{}</a> <span class="status status-{}">{}</span>{}</li>',
            f"{url_before}{activity.pk}{url_after}",
            title,
            activity.status,
            statuses.get(activity.status, activity.status),
            format_html(' <span class="muted nowrap">{}</span>', " · ".join(money)) if money else "",
        )


def coverage_csv(coverage) -> HttpResponse:
    """The matrix as Swedish Excel opens it: semicolons, UTF-8 with BOM."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"tackning-{coverage.plan.county.letter_code}-{coverage.plan.period}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    whole = _("Whole county / not stated")
    names = [escape_formula(column.name or whole) for column in coverage.columns]
    writer.writerow([_("Code"), _("Goal"), *names, _("Total")])
    for row in coverage.rows:
        code, title = (row.goal.code, row.goal.title) if row.goal else ("", _("Without goal"))
        writer.writerow(
            [escape_formula(code), escape_formula(title), *(cell.count for cell in row.cells), row.total]
        )
    writer.writerow(["", _("Total"), *coverage.column_totals, coverage.total])
    return response


def require_staff(user) -> None:
    """The national view shows every county: staff only, everyone else is answered 404."""
    if not is_admin(user):
        raise Http404


@login_required
def national_overview(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    # The indicator select sends ?indikator=<id>: a form that works without JavaScript.
    chosen = parse_id(request.GET.get("indikator"))
    if chosen and national_indicators().filter(pk=chosen).exists():
        return redirect("national_indicator", chosen)
    overview = build_overview(parse_id(request.GET.get("ar"), low=1900, high=2100))
    return render(
        request,
        "analysis/national_overview.html",
        {"overview": overview, "indicators": national_indicators().only("pk", "code", "name")},
    )


@login_required
def national_indicator(request: HttpRequest, indicator_id: int) -> HttpResponse:
    require_staff(request.user)
    indicators = list(national_indicators().only("pk", "code", "name", "unit", "desired_direction"))
    indicator = next((item for item in indicators if item.pk == indicator_id), None)
    if indicator is None:
        raise Http404
    across = build_indicator_across(indicator)
    ranked = across.ranked
    chart = bar_chart(
        [(row.county.name, row.latest[1], row.latest[0]) for row in ranked],
        title=_("%(indicator)s: the latest value of each county") % {"indicator": indicator.name},
        unit=indicator.get_unit_display(),
    )
    return render(
        request,
        "analysis/national_indicator.html",
        {"indicator": indicator, "indicators": indicators, "across": across, "chart": chart},
    )
