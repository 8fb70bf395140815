"""Upload → preview → confirm, for a plan's activity matrix and goals and a county's indicator values;
and the exports of the same, for anyone who may read them."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planportal.lib.swedish import format_number
from plans.imports import services, staging
from plans.imports.base import CHANGED, ERROR, NEW, SKIPPED, UNCHANGED, Preview, SheetImporter
from plans.imports.forms import ConfirmForm, PlanUploadForm, UploadForm
from plans.models import County, ImportRecord, Plan
from plans.permissions import get_plan_for_user, require_county_access

# How many rows of each kind the preview lists; the totals always count them all.
SHOWN_ROWS = {ERROR: 500, CHANGED: 500, NEW: 200, SKIPPED: 100, UNCHANGED: 200}


@dataclass
class Target:
    """What a file is imported into: a plan, or a county's indicator values."""

    county: County
    plan: Plan | None = None

    @property
    def key(self) -> str:
        return f"plan:{self.plan.pk}" if self.plan else f"county:{self.county.pk}"

    @property
    def import_url(self) -> str:
        if self.plan:
            return reverse("plan_import", args=[self.plan.pk])
        return reverse("county_indicator_import", args=[self.county.letter_code])

    @property
    def confirm_url(self) -> str:
        if self.plan:
            return reverse("plan_import_confirm", args=[self.plan.pk])
        return reverse("county_indicator_import_confirm", args=[self.county.letter_code])

    def importer(self, kind: str) -> SheetImporter:
        if self.plan:
            return services.plan_importer(kind=kind, plan=self.plan)
        return services.county_importer(county=self.county)

    def formats(self) -> list[tuple[str, tuple, str]]:
        """(title, columns, most rows per file) of each format this target takes."""
        if self.plan:
            importers = [
                (_("Activity matrix"), services.PLAN_KINDS[ImportRecord.Kind.ACTIVITIES]),
                (_("Goals"), services.PLAN_KINDS[ImportRecord.Kind.GOALS]),
            ]
        else:
            importers = [(_("Indicator values"), services.IndicatorValueImporter)]
        return [(title, importer.columns, format_number(importer.max_rows)) for title, importer in importers]

    # The preview page, and what it adds to the shared context (see ``preview_page``).
    preview_template = "imports/preview.html"

    def preview_context(self, preview: Preview) -> dict:
        return {"form": PlanUploadForm(initial={"kind": preview.kind}) if self.plan else UploadForm()}

    def recent_imports(self):
        records = ImportRecord.objects.select_related("user").order_by("-created_at")
        if self.plan:
            return records.filter(plan=self.plan)[:10]
        return records.filter(county=self.county, kind=ImportRecord.Kind.INDICATOR_VALUES)[:10]


def _county(user, letter_code: str, *, edit: bool) -> County:
    county = get_object_or_404(County, letter_code=letter_code.upper())
    require_county_access(user, county.pk, edit=edit)
    return county


@login_required
def plan_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    return _upload(request, form, Target(county=plan.county, plan=plan))


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    return confirm_import(request, Target(county=plan.county, plan=plan))


@login_required
def county_indicator_import(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = _county(request.user, letter_code, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    return _upload(request, form, Target(county=county))


@login_required
@require_POST
def county_indicator_import_confirm(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = _county(request.user, letter_code, edit=True)
    return confirm_import(request, Target(county=county))


@login_required
def plan_export(request: HttpRequest, plan_id: int, kind: str, fmt: str) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id)
    if kind not in ("aktiviteter", "mal") or fmt not in services.EXPORT_FORMATS:
        raise Http404
    return _download(services.export_plan(plan=plan, kind=kind, fmt=fmt))


@login_required
def county_indicator_export(request: HttpRequest, letter_code: str, fmt: str) -> HttpResponse:
    county = _county(request.user, letter_code, edit=False)
    if fmt not in services.EXPORT_FORMATS:
        raise Http404
    return _download(services.export_county_values(county=county, fmt=fmt))


def _download(export: services.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.file_name)
    return response


def _upload(request: HttpRequest, form: UploadForm, target: Target) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data.get("kind", ImportRecord.Kind.INDICATOR_VALUES)
        file_name = form.cleaned_data["file"].name
        preview = services.preview_import(
            importer=target.importer(kind), data=form.file_bytes, file_name=file_name
        )
        if not preview.can_commit:
            services.record_import(
                preview=preview,
                user=request.user,
                plan=target.plan,
                county=target.county,
                outcome=ImportRecord.Outcome.FAILED,
            )
        if preview.error:
            form.add_error("file", preview.error)
        else:
            token = None
            if preview.can_commit:
                token = staging.stage(
                    request, data=form.file_bytes, file_name=file_name, kind=kind, target=target.key
                )
            return preview_page(request, target, preview, token=token)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "target": target, "plan": target.plan, "county": target.county},
    )


def confirm_import(request: HttpRequest, target: Target) -> HttpResponse:
    """Confirm a previewed upload for ``target`` (a plan, a county, a follow-up round): all or nothing."""
    form = ConfirmForm(request.POST)
    staged = staging.load(request, form.cleaned_data["token"], target=target.key) if form.is_valid() else None
    if staged is None:
        messages.error(
            request, _("The uploaded file is no longer waiting to be imported. Please upload it again.")
        )
        return redirect(target.import_url)
    if "cancel" in request.POST:
        staging.discard(request, staged.token)
        messages.info(request, _("The import was cancelled; nothing was changed."))
        return redirect(target.import_url)
    try:
        committed = services.commit_import(
            importer=target.importer(staged.kind),
            data=staged.data,
            file_name=staged.file_name,
            user=request.user,
            plan=target.plan,
            county=target.county,
            expected_digest=form.cleaned_data["digest"],
        )
    except services.ImportOutdated as outdated:
        messages.warning(
            request,
            _("The data changed after the preview was made. Here is the preview again; please check it."),
        )
        return preview_page(request, target, outdated.preview, token=staged.token)
    except services.ImportRefused as refused:
        staging.discard(request, staged.token)
        messages.error(request, refused.message)
        return preview_page(request, target, refused.preview, token=None)
    staging.discard(request, staged.token)
    totals = committed.preview.totals
    messages.success(
        request,
        _("%(file)s was imported. New: %(new)s, changed: %(changed)s, unchanged: %(unchanged)s.")
        % {
            "file": staged.file_name,
            "new": format_number(totals[NEW]),
            "changed": format_number(totals[CHANGED]),
            "unchanged": format_number(totals[UNCHANGED]),
        },
    )
    return redirect(target.import_url)


def preview_page(
    request: HttpRequest, target: Target, preview: Preview, *, token: str | None
) -> HttpResponse:
    groups = []
    for status in (ERROR, CHANGED, NEW, SKIPPED, UNCHANGED):
        rows = preview.rows_with(status)
        if rows:
            shown = rows[: SHOWN_ROWS[status]]
            groups.append(
                {"status": status, "rows": shown, "hidden": len(rows) - len(shown), "count": len(rows)}
            )
    confirm_form = ConfirmForm(initial={"token": token, "digest": preview.digest}) if token else None
    return render(
        request,
        target.preview_template,
        {
            "target": target,
            "plan": target.plan,
            "county": target.county,
            "preview": preview,
            "totals": preview.totals,
            "groups": groups,
            "confirm_form": confirm_form,
            **target.preview_context(preview),
        },
    )
