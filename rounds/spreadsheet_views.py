"""The follow-up round as a spreadsheet: export it (whole plan, one organisation or one's own
activities), and upload → preview → confirm it back, as the plan's imports do."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planportal.lib.spreadsheets import write_csv, write_xlsx
from planportal.lib.swedish import format_number
from plans.imports import services, staging
from plans.imports.base import CHANGED, ERROR, NEW, SKIPPED, UNCHANGED, Preview
from plans.imports.forms import ConfirmForm, UploadForm
from plans.models import ImportRecord, Organisation
from plans.permissions import Access, get_plan_for_user
from rounds.models import FollowUpRound
from rounds.resources import KIND, FollowUpImporter, follow_up_export, round_activities

# How many rows of each kind the preview lists; the totals always count them all.
SHOWN_ROWS = {ERROR: 500, CHANGED: 500, NEW: 200, SKIPPED: 100, UNCHANGED: 200}
MINE = "mina"


@dataclass
class RoundTarget:
    """What the shared import partials need to know of a round."""

    round: FollowUpRound

    @property
    def plan(self):
        return self.round.plan

    @property
    def key(self) -> str:
        return f"round:{self.round.pk}"

    @property
    def import_url(self) -> str:
        return reverse("round_import", args=[self.round.pk])

    @property
    def confirm_url(self) -> str:
        return reverse("round_import_confirm", args=[self.round.pk])

    def formats(self) -> list[tuple[str, tuple, str]]:
        return [
            (_("The round's spreadsheet"), FollowUpImporter.columns, format_number(FollowUpImporter.max_rows))
        ]

    def recent_imports(self):
        records = ImportRecord.objects.select_related("user").order_by("-created_at")
        return records.filter(plan=self.plan, kind=KIND)[:10]


def get_round_for_user(user, round_id: int, *, write: bool = False) -> tuple[FollowUpRound, Access]:
    """The round and the user's access, or Http404. ``write``: a redaktör, or a contributor,
    whose rows the importer then limits to the activities they contribute to."""
    round = FollowUpRound.objects.filter(pk=round_id).first()
    if round is None:
        raise Http404
    round.plan, access = get_plan_for_user(user, round.plan_id)
    if write and not access.may_contribute_somewhere:
        raise Http404
    return round, access


@login_required
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    round, access = get_round_for_user(request.user, round_id)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in services.EXPORT_FORMATS:
        raise Http404
    organisation, choice = None, request.GET.get("organisation", "")
    if choice and choice != MINE:
        organisation = Organisation.objects.filter(
            pk=int(choice) if choice.isdigit() else 0, activities__plan=round.plan
        ).first()
        if organisation is None:
            raise Http404
    activities = round_activities(round, organisation=organisation)
    name = f"uppfoljning-{round.plan.county.letter_code}-plan{round.plan.pk}-{round.year}"
    if organisation is not None:
        name += f"-org{organisation.pk}"
    elif choice == MINE:
        activities = [activity for activity in activities if access.may_contribute(activity)]
        name += "-mina"
    headers, rows = follow_up_export(round, activities=activities)
    if fmt == "csv":
        content = write_csv(headers=headers, rows=rows)
    else:
        title = _("Follow-up %(year)s – %(plan)s") % {"year": round.year, "plan": round.plan.title}
        content = write_xlsx(headers=headers, rows=rows, title=title, sheet_title=f"Uppföljning {round.year}")
    response = HttpResponse(content, content_type=services.EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, get_valid_filename(f"{name}.{fmt}"))
    return response


@login_required
def round_import(request: HttpRequest, round_id: int) -> HttpResponse:
    round, access = get_round_for_user(request.user, round_id, write=True)
    target = RoundTarget(round)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file_name = form.cleaned_data["file"].name
        importer = FollowUpImporter(round=round, access=access)
        preview = services.preview_import(importer=importer, data=form.file_bytes, file_name=file_name)
        if not preview.can_commit:
            services.record_import(
                preview=preview,
                user=request.user,
                plan=round.plan,
                county=round.plan.county,
                outcome=ImportRecord.Outcome.FAILED,
            )
        if preview.error:
            form.add_error("file", preview.error)
        else:
            token = None
            if preview.can_commit:
                token = staging.stage(
                    request, data=form.file_bytes, file_name=file_name, kind=KIND, target=target.key
                )
            return _preview_page(request, target, preview, token=token)
    organisations = Organisation.objects.filter(
        activities__in=[activity.pk for activity in round_activities(round)]
    ).distinct()
    return render(
        request,
        "rounds/import.html",
        {
            "form": form,
            "target": target,
            "round": round,
            "plan": round.plan,
            "organisations": sorted(organisations, key=lambda org: org.name.casefold()),
            "offer_mine": not access.can_edit,
            "mine": MINE,
        },
    )


@login_required
@require_POST
def round_import_confirm(request: HttpRequest, round_id: int) -> HttpResponse:
    round, access = get_round_for_user(request.user, round_id, write=True)
    target = RoundTarget(round)
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
            importer=FollowUpImporter(round=round, access=access),
            data=staged.data,
            file_name=staged.file_name,
            user=request.user,
            plan=round.plan,
            county=round.plan.county,
            expected_digest=form.cleaned_data["digest"],
        )
    except services.ImportOutdated as outdated:
        messages.warning(
            request,
            _("The data changed after the preview was made. Here is the preview again; please check it."),
        )
        return _preview_page(request, target, outdated.preview, token=staged.token)
    except services.ImportRefused as refused:
        staging.discard(request, staged.token)
        messages.error(request, refused.message)
        return _preview_page(request, target, refused.preview, token=None)
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


def _preview_page(
    request: HttpRequest, target: RoundTarget, preview: Preview, *, token: str | None
) -> HttpResponse:
    groups = []
    for status in (ERROR, CHANGED, NEW, SKIPPED, UNCHANGED):
        rows = preview.rows_with(status)
        if rows:
            shown = rows[: SHOWN_ROWS[status]]
            groups.append(
                {"status": status, "rows": shown, "hidden": len(rows) - len(shown), "count": len(rows)}
            )
    return render(
        request,
        "rounds/import_preview.html",
        {
            "target": target,
            "round": target.round,
            "plan": target.plan,
            "preview": preview,
            "totals": preview.totals,
            "groups": groups,
            "confirm_form": ConfirmForm(initial={"token": token, "digest": preview.digest})
            if token
            else None,
            "form": UploadForm(),
        },
    )
