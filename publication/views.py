"""The plan's publication page: publish, republish and unpublish the plan and its approved reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from plans.models import FollowUpReport, Plan
from plans.permissions import Access, get_plan_for_user
from publication.forms import ExpectedForm, PublishForm, ReportForm
from publication.models import DEFAULT_INTERNAL_FIELDS, Licence, PlanPublication, ReportPublication
from publication.services import (
    PublicationError,
    publish_plan,
    publish_report,
    unpublish_plan,
    unpublish_report,
)


def may_publish(access: Access) -> bool:
    """Coordinators (redaktör), approvers (godkännare) and staff publish; readers see the state only."""
    return access.can_edit or access.can_approve


def _publish_form(current: PlanPublication | None, data=None) -> PublishForm:
    initial = {
        "licence": current.licence if current else Licence.CC_BY,
        "internal_fields": current.internal_fields if current else DEFAULT_INTERNAL_FIELDS,
        "expected": current.number if current else 0,
    }
    return PublishForm(data, initial=initial)


@login_required
def plan_publication(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    can_publish = may_publish(access)
    publications = list(
        PlanPublication.objects.filter(plan=plan)
        .select_related("published_by", "unpublished_by")
        .defer("snapshot")
        .order_by("-number")
    )
    current = next((publication for publication in publications if publication.is_live), None)
    form = _publish_form(current)
    status = 200
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        response, form = _handle_post(request, plan, current)
        if response is not None:
            return response
        status = 400

    reports = list(plan.reports.order_by("-year"))
    report_publications = list(
        ReportPublication.objects.filter(report__plan=plan)
        .select_related("revision", "published_by", "unpublished_by")
        .order_by("-published_at", "-id")
    )
    rows = []
    for report in reports:
        own = [publication for publication in report_publications if publication.report_id == report.pk]
        rows.append(
            {
                "report": report,
                "live": next((publication for publication in own if publication.is_live), None),
                "log": own,
                "approved": report.status == FollowUpReport.Status.APPROVED,
            }
        )
    public_url = (
        reverse("public_plan", args=[plan.county.letter_code, current.slug]) if current is not None else ""
    )
    return render(
        request,
        "publication/plan_publication.html",
        {
            "plan": plan,
            "county": plan.county,
            "access": access,
            "can_publish": can_publish,
            "publishable": plan.status == Plan.Status.ADOPTED,
            "current": current,
            "publications": publications,
            "public_url": public_url,
            "form": form,
            "reports": rows,
        },
        status=status,
    )


def _handle_post(request: HttpRequest, plan: Plan, current: PlanPublication | None):
    """(redirect, None) after an action; (None, form) with the reason when it was refused."""
    action = request.POST.get("action")
    form = _publish_form(current)
    try:
        if action == "publish":
            form = _publish_form(current, request.POST)
            if not form.is_valid():
                messages.error(request, _("Check the choices below."))
                return None, form
            publication = publish_plan(
                plan=plan,
                user=request.user,
                licence=form.cleaned_data["licence"],
                internal_fields=form.cleaned_data["internal_fields"],
                expected=form.cleaned_data["expected"],
            )
            if publication.number == 1:
                messages.success(request, _("The plan is published."))
            else:
                messages.success(request, _("The plan is published again with its current content."))
        elif action == "unpublish":
            expected = ExpectedForm(request.POST)
            if not expected.is_valid():
                raise PublicationError(_("The form was incomplete. Try again."))
            unpublish_plan(plan=plan, user=request.user, expected=expected.cleaned_data["expected"])
            messages.success(request, _("The plan is no longer published."))
        elif action in ("publish-report", "unpublish-report"):
            report = _report(plan, request.POST)
            if action == "publish-report":
                publish_report(report=report, user=request.user)
                messages.success(request, _("The %(year)s report is published.") % {"year": report.year})
            else:
                unpublish_report(report=report, user=request.user)
                messages.success(
                    request, _("The %(year)s report is no longer published.") % {"year": report.year}
                )
        else:
            raise PublicationError(_("Unknown action. Try again."))
    except PublicationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None, form
    return redirect("plan_publication", plan_id=plan.pk), None


def _report(plan: Plan, data) -> FollowUpReport:
    form = ReportForm(data)
    report = None
    if form.is_valid():
        report = plan.reports.select_related("plan").filter(pk=form.cleaned_data["report"]).first()
    if report is None:
        raise PublicationError(_("The report was not found. Reload the page and try again."))
    return report
