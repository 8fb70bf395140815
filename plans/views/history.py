"""Version history pages: list, compare two versions, restore one, and the county's deleted items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Activity, ActivityFollowUp
from plans.models import County, Goal, Plan, PriorityArea
from plans.permissions import require_county_access
from plans.versions import (
    KINDS,
    county_id_of_version,
    diff_versions,
    related_names,
    restore_version,
    version_title,
    versions_of,
)


def _versions(request: HttpRequest, kind: str, object_id: int, *, edit: bool = False):
    """The model, its versions (newest first) and the user's access; 404 if unknown or not allowed."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    versions = list(versions_of(model, object_id))
    if not versions:
        raise Http404
    county_id = county_id_of_version(model, versions[0])
    if county_id is None:
        raise Http404
    access = require_county_access(request.user, county_id, edit=edit)
    return model, versions, access, county_id


def _plan_of(model, version) -> Plan | None:
    """The plan a version belongs to, for the breadcrumbs (None once the plan is gone)."""
    if model is Plan:
        plan_id = version.id
    elif model is ActivityFollowUp:
        plan_id = Activity.objects.filter(pk=version.activity_id).values_list("plan_id", flat=True).first()
    else:
        plan_id = version.plan_id
    return Plan.objects.select_related("county").filter(pk=plan_id).first()


def _object_url(kind: str, object_id: int, model) -> str | None:
    if not model.objects.filter(pk=object_id).exists():
        return None
    names = {"plan": "plan_detail", "activity": "activity_detail"}
    if kind in names:
        return reverse(names[kind], args=[object_id])
    return None


@login_required
def object_history(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    model, versions, access, county_id = _versions(request, kind, object_id)
    names = related_names(model, versions)
    for version, older in zip(versions, [*versions[1:], None], strict=True):
        version.changes = diff_versions(model, older, version, names=names) if older else []
    return render(
        request,
        "plans/history/object_history.html",
        {
            "kind": kind,
            "object_id": object_id,
            "model_name": model._meta.verbose_name,
            "title": version_title(model, versions[0]),
            "versions": versions,
            "access": access,
            "county": County.objects.get(pk=county_id),
            "plan": _plan_of(model, versions[0]),
            "object_url": _object_url(kind, object_id, model),
            "exists": model.objects.filter(pk=object_id).exists(),
        },
    )


@login_required
def history_compare(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    model, versions, access, county_id = _versions(request, kind, object_id)
    by_id = {version.history_id: version for version in versions}
    try:
        older = by_id[int(request.GET["fran"])]
        newer = by_id[int(request.GET["till"])]
    except (KeyError, ValueError):
        # No (or no valid) choice: the latest change.
        newer, older = versions[0], versions[1] if len(versions) > 1 else versions[0]
    if older.history_date > newer.history_date:
        older, newer = newer, older
    return render(
        request,
        "plans/history/compare.html",
        {
            "kind": kind,
            "object_id": object_id,
            "model_name": model._meta.verbose_name,
            "title": version_title(model, versions[0]),
            "older": older,
            "newer": newer,
            "changes": diff_versions(model, older, newer),
            "versions": versions,
            "access": access,
            "county": County.objects.get(pk=county_id),
            "plan": _plan_of(model, versions[0]),
        },
    )


@login_required
@require_POST
def history_restore(request: HttpRequest, kind: str, object_id: int, history_id: int) -> HttpResponse:
    model, versions, _access, _county_id = _versions(request, kind, object_id, edit=True)
    record = next((version for version in versions if version.history_id == history_id), None)
    if record is None:
        raise Http404
    # The version may come from a time when the object lived in another county (a plan
    # moved between counties): restoring it writes into that county too.
    require_county_access(request.user, county_id_of_version(model, record), edit=True)
    try:
        restored = restore_version(model=model, record=record, user=request.user)
    except ValueError as error:
        messages.error(request, _("The version could not be restored: %(reason)s") % {"reason": error})
    else:
        messages.success(
            request, _("Restored “%(object)s”. The restore is itself a new version.") % {"object": restored}
        )
    return redirect("object_history", kind=kind, object_id=object_id)


@login_required
def county_deleted(request: HttpRequest, letter_code: str) -> HttpResponse:
    """Deleted priority areas, goals and activities of the county that can be restored."""
    county = get_object_or_404(County, letter_code=letter_code.upper())
    access = require_county_access(request.user, county.pk)
    sections = []
    for kind, model in (("activity", Activity), ("goal", Goal), ("priorityarea", PriorityArea)):
        # Deletions in the county's plans of objects that have not come back. NOT EXISTS
        # on the primary key, not NOT IN over the whole table, and the history tables'
        # partial index on deletions keeps it fast at national size.
        deletions = (
            model.history.filter(history_type="-", plan__county_id=county.pk)
            .filter(~Exists(model.objects.filter(pk=OuterRef("id"))))
            .select_related("history_user", "plan")
            .order_by("-history_date", "-history_id")
        )
        latest = {}
        for record in deletions:
            if record.id not in latest:
                record.label = version_title(model, record)
                latest[record.id] = record
        sections.append(
            {"kind": kind, "label": model._meta.verbose_name_plural, "records": list(latest.values())}
        )
    return render(
        request, "plans/county_deleted.html", {"county": county, "access": access, "sections": sections}
    )
