"""The follow-up round as a spreadsheet: export it (whole plan, one organisation or one's own
activities), and upload → preview → confirm it back, as the plan's imports do."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planportal.lib.spreadsheets import write_csv, write_xlsx
from planportal.lib.swedish import format_number
from plans.imports import services, staging
from plans.imports.base import Preview
from plans.imports.forms import UploadForm
from plans.imports.views import confirm_import, preview_page
from plans.models import ImportRecord, Organisation
from plans.permissions import Access, get_plan_for_user
from rounds.models import FollowUpRound
from rounds.resources import KIND, FollowUpImporter, follow_up_export, round_activities

MINE = "mina"


@dataclass
class RoundTarget:
    """What the shared import partials need to know of a round."""

    round: FollowUpRound
    access: Access

    preview_template = "rounds/import_preview.html"

    @property
    def plan(self):
        return self.round.plan

    @property
    def county(self):
        return self.round.plan.county

    def importer(self, kind: str = KIND) -> FollowUpImporter:
        return FollowUpImporter(round=self.round, access=self.access)

    def preview_context(self, preview: Preview) -> dict:
        return {"round": self.round, "form": UploadForm()}

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
    target = RoundTarget(round, access)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file_name = form.cleaned_data["file"].name
        importer = target.importer()
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
            return preview_page(request, target, preview, token=token)
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
    return confirm_import(request, RoundTarget(round, access))
