"""The county's Kolada page: the latest syncs and what they changed; staff start one."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from indicators import kolada
from indicators.models import Gender, KoladaSync
from planportal.lib.swedish import format_number
from plans.models import County
from plans.permissions import is_admin, require_county_access

RUNS_SHOWN = 10
GENDERS = dict(Gender.choices)


class KoladaSyncForm(forms.Form):
    years = forms.CharField(
        label=gettext_lazy("Years"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("E.g. 2020-2024. Empty: the last six years up to this one."),
    )

    def clean_years(self) -> list[int] | None:
        text = self.cleaned_data["years"].strip()
        if not text:
            return None
        try:
            return kolada.parse_years(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


@login_required
@require_http_methods(["GET", "POST"])
def kolada_sync(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = get_object_or_404(County, letter_code=letter_code)
    require_county_access(request.user, county.pk)
    may_start = is_admin(request.user)
    form = KoladaSyncForm()
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied
        form = KoladaSyncForm(request.POST)
        if form.is_valid():
            sync, started = kolada.start_sync(
                county=county, user=request.user, years=form.cleaned_data["years"]
            )
            if started:
                messages.success(request, _("The sync is queued; this page shows when it is done."))
            elif sync.status == KoladaSync.Status.RUNNING:
                message = _("A sync of %(county)s is already running; no other was started.")
                messages.info(request, message % {"county": county.name})
            else:
                message = _("A sync of %(county)s is already queued; no other was started.")
                messages.info(request, message % {"county": county.name})
            return redirect("kolada_sync", county.letter_code)

    syncs = list(county.kolada_syncs.select_related("requested_by")[:RUNS_SHOWN])
    for sync in syncs:
        sync.years_shown = kolada.describe_years(sync.years)
        sync.total_changes = sync.created + sync.updated
        sync.change_rows = [_change_row(change) for change in sync.changes]
    # The latest changes are shown open, older ones folded.
    with_changes = [sync for sync in syncs if sync.change_rows]
    if with_changes:
        with_changes[0].show_changes = True
    context = {
        "county": county,
        "syncs": syncs,
        "active": any(kolada.is_active(sync) for sync in syncs),
        "may_start": may_start,
        "form": form,
        "changes_kept": kolada.CHANGES_KEPT,
    }
    if request.htmx and request.GET.get("del") == "status":
        return render(request, "indicators/kolada_runs.html", context)
    context["indicators"] = kolada.kolada_indicators(county)
    return render(request, "indicators/kolada_sync.html", context, status=400 if form.errors else 200)


def _change_row(change: dict) -> dict:
    return {
        "indicator": change.get("indicator", ""),
        "area": change.get("area", ""),
        "year": change.get("year", ""),
        "gender": GENDERS.get(change.get("gender"), change.get("gender", "")),
        "old": _number(change.get("old")),
        "new": _number(change.get("new")),
    }


def _number(text) -> str:
    """A value as Swedish readers write it, with as many decimals as it has."""
    if text in (None, ""):
        return "–"
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return str(text)
    return format_number(value, max(0, -value.normalize().as_tuple().exponent))
