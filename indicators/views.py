"""The indicator pages of a county: the list, an indicator's page with chart, table and CSV, and
the editing of its values, baseline, targets and links, and of the county's own indicators."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import services
from indicators.forms import GridForm, IndicatorForm, cell_text, parse_cell
from indicators.models import Gender, Indicator, IndicatorTarget
from indicators.progress import county_progress
from planportal.lib.charts import Series, series_chart
from planportal.lib.spreadsheets import write_csv
from plans.models import County, Plan
from plans.permissions import Access, is_admin, require_county_access
from plans.views.common import edit_object

VIEWS = {"diagram": "chart", "tabell": "table"}
GENDER_WORDS = {Gender.TOTAL: "totalt", Gender.WOMEN: "kvinnor", Gender.MEN: "män"}


def _county(user, letter_code: str, *, edit: bool = False) -> tuple[County, Access]:
    county = get_object_or_404(County, letter_code=letter_code.upper())
    return county, require_county_access(user, county.pk, edit=edit)


def _indicator(county: County, indicator_id: int) -> Indicator:
    """An indicator the county may see (national or its own); 404 for another county's own."""
    indicator = Indicator.objects.for_county(county.pk).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator


def _detail_url(county: County, indicator: Indicator, query: str = "") -> str:
    url = reverse("indicator_detail", args=[county.letter_code, indicator.pk])
    return f"{url}?{query}" if query else url


def _kolada_url(county: County) -> str:
    """The Kolada page of the county, once another part of the app provides it."""
    try:
        return reverse("kolada_sync", args=[county.letter_code])
    except NoReverseMatch:
        return ""


@login_required
def indicator_list(request: HttpRequest, letter_code: str) -> HttpResponse:
    county, access = _county(request.user, letter_code)
    groups = services.county_indicator_list(county)
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "county": county,
            "access": access,
            "groups": groups,
            "kolada_url": _kolada_url(county) if is_admin(request.user) or access.can_edit else "",
        },
    )


@login_required
def indicator_detail(request: HttpRequest, letter_code: str, indicator_id: int) -> HttpResponse:
    county, access = _county(request.user, letter_code)
    indicator = _indicator(county, indicator_id)
    gender = request.GET.get("kon", Gender.TOTAL)
    if gender not in Gender.values:
        gender = Gender.TOTAL
    view = VIEWS.get(request.GET.get("visa", ""), "chart")

    areas = services.county_areas(county)
    table = services.value_table(indicator, county, areas, gender=gender)
    targets = list(
        IndicatorTarget.objects.filter(indicator=indicator, county=county)
        .order_by("year")
        .values_list("year", "value")
    )
    baseline = indicator.baselines.filter(county=county).first()
    progress = county_progress(county.pk, [indicator])[indicator.pk]
    compared = next(
        (area for area, _cells in table.rows if area.key == request.GET.get("omrade") and area.kind != "c"),
        None,
    )
    county_area = areas[0]
    series = [Series(county_area.name, table.series(county_area.key))]
    if compared:
        series.append(Series(compared.name, table.series(compared.key)))
    chart = series_chart(
        series,
        targets,
        title=f"{indicator.name} – {', '.join(item.label for item in series)} ({GENDER_WORDS[gender]})",
        unit=indicator.get_unit_display(),
    )
    goals = list(
        indicator.goals.filter(plan__county=county).select_related("plan").order_by("plan__title", "position")
    )
    activities = list(
        indicator.activities.filter(plan__county=county)
        .select_related("plan")
        .order_by("plan__title", "position")
    )
    query = {"kon": gender, "omrade": compared.key if compared else ""}
    base_query = "&".join(f"{key}={value}" for key, value in query.items() if value)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "county": county,
            "access": access,
            "indicator": indicator,
            "is_own": indicator.county_id is not None,
            "goals": goals,
            "activities": activities,
            "baseline": baseline,
            "targets": targets,
            "progress": progress,
            "share_done": None if progress.share_done is None else min(progress.share_done, Decimal(1)) * 100,
            "table": table,
            "chart": chart,
            "view": view,
            "gender": gender,
            "genders": Gender.choices,
            "compared": compared,
            "comparable": [area for area, _cells in table.rows if area.kind != "c"],
            "base_query": base_query,
            "from_kolada": services.any_from_kolada(indicator, county),
            "changes": services.recent_changes(indicator, county, areas),
            "edit_year": table.years[-1] if table.years else timezone.now().year,
            "admin_url": reverse("admin:indicators_indicator_change", args=[indicator.pk])
            if is_admin(request.user) and indicator.county_id is None
            else "",
        },
    )


@login_required
def indicator_csv(request: HttpRequest, letter_code: str, indicator_id: int) -> HttpResponse:
    county, _access = _county(request.user, letter_code)
    indicator = _indicator(county, indicator_id)
    order = {area.key: index for index, area in enumerate(services.county_areas(county))}
    names = {area.key: area for area in services.county_areas(county)}
    genders = {value: str(label) for value, label in Gender.choices}
    sources = dict(services.ValueSource.choices)
    rows = []
    for value in services.county_values(indicator, county).values(
        "year", "gender", "value", "source", "county_id", "sub_region_id", "municipality_id"
    ):
        key = services._area_key(value["county_id"], value["sub_region_id"], value["municipality_id"])
        area = names[key]
        rows.append(
            (
                (order[key], value["year"], "TKM".index(value["gender"])),
                [
                    indicator.code,
                    indicator.name,
                    area.name,
                    area.kind_label,
                    value["year"],
                    genders[value["gender"]],
                    value["value"],
                    indicator.get_unit_display(),
                    str(sources.get(value["source"], "")),
                ],
            )
        )
    rows.sort(key=lambda row: row[0])
    headers = [
        _("Code"),
        _("Indicator"),
        _("Area"),
        _("Type of area"),
        _("Year"),
        _("Gender"),
        _("Value"),
        _("Unit"),
        _("Source"),
    ]
    content = write_csv(headers=headers, rows=[row for _order, row in rows])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    file_name = f"indikator-{county.letter_code}-{indicator.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
def indicator_create(request: HttpRequest, letter_code: str) -> HttpResponse:
    county, _access = _county(request.user, letter_code, edit=True)
    form = IndicatorForm(request.POST or None, instance=Indicator(county=county))
    return edit_object(
        request,
        form,
        context={
            "county": county,
            "title": _("New indicator of the county's own"),
            "cancel_url": reverse("indicator_list", args=[county.letter_code]),
        },
        success_url=lambda indicator: _detail_url(county, indicator),
    )


@login_required
def indicator_edit(request: HttpRequest, letter_code: str, indicator_id: int) -> HttpResponse:
    county, _access = _county(request.user, letter_code, edit=True)
    indicator = _indicator(county, indicator_id)
    if indicator.county_id is None:
        # The national catalogue is kept by staff, in the admin.
        if is_admin(request.user):
            return redirect("admin:indicators_indicator_change", indicator.pk)
        raise Http404
    form = IndicatorForm(request.POST or None, instance=indicator)
    return edit_object(
        request,
        form,
        context={
            "county": county,
            "title": _("Edit indicator"),
            "object": indicator,
            "cancel_url": _detail_url(county, indicator),
        },
        success_url=lambda indicator: _detail_url(county, indicator),
    )


def _gender_label(gender: str) -> str:
    return str(Gender(gender).label)


@login_required
def indicator_values_edit(
    request: HttpRequest, letter_code: str, indicator_id: int, year: int
) -> HttpResponse:
    county, _access = _county(request.user, letter_code, edit=True)
    indicator = _indicator(county, indicator_id)
    chosen = request.GET.get("ar", "")
    if chosen:
        if chosen.isdigit() and 2000 <= int(chosen) <= 2100:
            return redirect("indicator_values_edit", county.letter_code, indicator.pk, int(chosen))
        messages.error(request, _("Choose a year between 2000 and 2100."))
    if not 2000 <= year <= 2100:
        raise Http404
    areas = services.county_areas(county)
    labels = {
        services.cell_name(area, gender): f"{area.name}, {_gender_label(gender)}"
        for area in areas
        for gender in Gender.values
    }
    current = services.current_year_values(indicator, county, year)
    typed = {name: cell_text(value) for name, value in current.items()}
    was = {name: services.shown(value) for name, value in current.items()}
    errors: dict[str, str] = {}
    collisions = []
    status = 200
    form = GridForm(request.POST or None, cells=labels, percent=indicator.unit == Indicator.Unit.PERCENT)
    if request.method == "POST":
        typed = {name: request.POST.get(name, typed.get(name, "")) for name in labels}
        was = {name: request.POST.get(f"was-{name}", "") for name in labels}
        if form.is_valid():
            collisions = services.save_year_values(
                indicator=indicator,
                county=county,
                year=year,
                areas=areas,
                cells=form.parsed,
                user=request.user,
                labels=labels,
            )
            if not collisions:
                messages.success(request, _("Saved the values of %(year)s.") % {"year": year})
                return redirect(_detail_url(county, indicator, "visa=tabell"))
            # Show what is saved now in the cells that collided; the others keep what was typed.
            current = services.current_year_values(indicator, county, year)
            for collision in collisions:
                typed[collision.name] = cell_text(current.get(collision.name))
                was[collision.name] = services.shown(current.get(collision.name))
            status = 409
        else:
            errors = form.cell_errors
            status = 400
    rows = [
        {
            "area": area,
            "cells": [
                {
                    "name": services.cell_name(area, gender),
                    "label": labels[services.cell_name(area, gender)],
                    "gender": gender,
                    "text": typed.get(services.cell_name(area, gender), ""),
                    "was": was.get(services.cell_name(area, gender), ""),
                    "error": errors.get(services.cell_name(area, gender), ""),
                    "collided": any(c.name == services.cell_name(area, gender) for c in collisions),
                }
                for gender in Gender.values
            ],
        }
        for area in areas
    ]
    return render(
        request,
        "indicators/values_edit.html",
        {
            "county": county,
            "indicator": indicator,
            "year": year,
            "rows": rows,
            "genders": Gender.choices,
            "form": form,
            "collisions": [
                {"label": c.label, "theirs": cell_text(c.theirs), "mine": cell_text(c.mine)}
                for c in collisions
            ],
            "cancel_url": _detail_url(county, indicator, "visa=tabell"),
            "percent": indicator.unit == Indicator.Unit.PERCENT,
        },
        status=status,
    )


@login_required
def indicator_plan_edit(request: HttpRequest, letter_code: str, indicator_id: int) -> HttpResponse:
    """The county's baseline (year and value) and its targets per year."""
    county, _access = _county(request.user, letter_code, edit=True)
    indicator = _indicator(county, indicator_id)
    percent = indicator.unit == Indicator.Unit.PERCENT
    baseline, targets = services.current_plan_values(indicator, county)
    years = services.target_years(county, targets, baseline)
    typed = {
        "baseline-year": str(baseline.year) if baseline else "",
        "baseline-value": cell_text(baseline.value) if baseline else "",
        **{f"target-{year}": cell_text(targets.get(year)) for year in years},
    }
    was = {
        "baseline": services.baseline_shown(baseline),
        **{f"target-{year}": services.shown(targets.get(year)) for year in years},
    }
    errors: dict[str, str] = {}
    collisions = []
    status = 200
    if request.method == "POST":
        posted_years = sorted(
            {int(key[7:]) for key in request.POST if key.startswith("target-") and key[7:].isdigit()}
        )
        years = sorted(set(years) | {year for year in posted_years if 2000 <= year <= 2100})
        typed = {key: request.POST.get(key, "").strip()[:40] for key in typed} | {
            f"target-{year}": request.POST.get(f"target-{year}", "").strip()[:40] for year in years
        }
        was = {"baseline": request.POST.get("was-baseline", "")} | {
            f"target-{year}": request.POST.get(f"was-target-{year}", "") for year in years
        }
        new_baseline = None
        year_text, value_text = typed["baseline-year"], typed["baseline-value"]
        try:
            value = parse_cell(value_text, percent=percent)
        except Exception as error:  # a ValidationError with its Swedish message
            errors["baseline-value"] = error.messages[0]
            value = None
        if year_text and not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            errors["baseline-year"] = _("Enter a year between 2000 and 2100.")
        elif bool(year_text) != (value is not None) and "baseline-value" not in errors:
            errors["baseline-year" if not year_text else "baseline-value"] = _(
                "A baseline needs both a year and a value."
            )
        elif year_text and value is not None:
            new_baseline = (int(year_text), value)
        new_targets = {}
        for year in years:
            name = f"target-{year}"
            if name not in request.POST:
                continue
            try:
                new_targets[year] = (was[name], parse_cell(typed[name], percent=percent))
            except Exception as error:
                errors[name] = error.messages[0]
        if not errors:
            collisions = services.save_baseline_and_targets(
                indicator=indicator,
                county=county,
                baseline=new_baseline,
                baseline_was=was["baseline"],
                targets=new_targets,
                user=request.user,
            )
            if not collisions:
                messages.success(request, _("Saved the baseline and the targets."))
                return redirect(_detail_url(county, indicator))
            baseline, targets = services.current_plan_values(indicator, county)
            for collision in collisions:
                if collision.name == services.BASELINE_VALUE:
                    typed["baseline-year"] = str(baseline.year) if baseline else ""
                    typed["baseline-value"] = cell_text(baseline.value) if baseline else ""
                    was["baseline"] = services.baseline_shown(baseline)
                else:
                    year = int(collision.name[7:])
                    typed[collision.name] = cell_text(targets.get(year))
                    was[collision.name] = services.shown(targets.get(year))
            status = 409
        else:
            status = 400
    return render(
        request,
        "indicators/plan_edit.html",
        {
            "county": county,
            "indicator": indicator,
            "baseline_year": typed["baseline-year"],
            "baseline_value": typed["baseline-value"],
            "baseline_errors": [errors[key] for key in ("baseline-year", "baseline-value") if key in errors],
            "was": was,
            "errors": errors,
            "targets": [
                {
                    "year": year,
                    "name": f"target-{year}",
                    "text": typed.get(f"target-{year}", ""),
                    "was": was.get(f"target-{year}", ""),
                    "error": errors.get(f"target-{year}", ""),
                    "collided": any(c.name == f"target-{year}" for c in collisions),
                }
                for year in years
            ],
            "baseline_collided": any(c.name == services.BASELINE_VALUE for c in collisions),
            "collisions": [
                {"label": c.label, "theirs": cell_text(c.theirs), "mine": cell_text(c.mine)}
                for c in collisions
            ],
            "percent": percent,
            "cancel_url": _detail_url(county, indicator),
        },
        status=status,
    )


@login_required
def indicator_links_edit(request: HttpRequest, letter_code: str, indicator_id: int) -> HttpResponse:
    """Which of the county's goals (live plans) and of one plan's activities the indicator follows."""
    county, _access = _county(request.user, letter_code, edit=True)
    indicator = _indicator(county, indicator_id)
    plans = list(county.plans.exclude(status=Plan.Status.ARCHIVED).order_by("-start_year", "title"))
    plan_id = request.POST.get("plan") or request.GET.get("plan") or ""
    plan = next((p for p in plans if str(p.pk) == plan_id), plans[0] if plans else None)
    goals = services.live_goals(county)
    activities = services.plan_activities(plan)
    goal_ids, activity_ids = services.linked_ids(indicator, goals, activities)
    goals_was, activities_was = services.ids_shown(goal_ids), services.ids_shown(activity_ids)
    status = 200
    conflict = False
    if request.method == "POST":
        chosen_goals = {int(pk) for pk in request.POST.getlist("goal") if pk.isdigit()}
        chosen_activities = {int(pk) for pk in request.POST.getlist("activity") if pk.isdigit()}
        saved = services.save_links(
            indicator=indicator,
            goals=goals,
            activities=activities,
            chosen_goals=chosen_goals,
            chosen_activities=chosen_activities,
            goals_was=request.POST.get("was-goals", ""),
            activities_was=request.POST.get("was-activities", ""),
            user=request.user,
        )
        if saved:
            messages.success(request, _("Saved the links of “%(object)s”.") % {"object": indicator.name})
            return redirect(_detail_url(county, indicator))
        conflict = True
        status = 409
        goal_ids, activity_ids = services.linked_ids(indicator, goals, activities)
        goals_was, activities_was = services.ids_shown(goal_ids), services.ids_shown(activity_ids)
    return render(
        request,
        "indicators/links_edit.html",
        {
            "county": county,
            "indicator": indicator,
            "plans": plans,
            "plan": plan,
            "goals": list(goals),
            "activities": list(activities),
            "goal_ids": goal_ids,
            "activity_ids": activity_ids,
            "goals_was": goals_was,
            "activities_was": activities_was,
            "conflict": conflict,
            "cancel_url": _detail_url(county, indicator),
        },
        status=status,
    )
