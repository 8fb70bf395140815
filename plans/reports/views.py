"""The follow-up report's pages: the list of years, the preview, the PDF and the review steps.

Everyone who may read the county may read its reports; a redaktör submits, a godkännare
approves or returns (``plans.permissions``). Anyone else gets 404.
"""

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plans.models import FollowUpReport, Plan
from plans.permissions import Access, get_plan_for_user
from plans.reports import live_pdf, services
from plans.reports.data import build_report
from plans.reports.forms import ReturnForm

logger = logging.getLogger(__name__)

Status = FollowUpReport.Status
_TOKEN = re.compile(r"^[A-Za-z0-9]{1,40}$")


def _report_for(plan: Plan, year: int) -> FollowUpReport | None:
    """The plan's report for the year, or None until someone submits it; 404 for a year the plan lacks."""
    report = (
        FollowUpReport.objects.filter(plan=plan, year=year)
        .select_related("submitted_by", "approved_by")
        .first()
    )
    if report is None and year not in plan.years:
        raise Http404
    return report


@login_required
@require_GET
def report_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    reports = {report.year: report for report in FollowUpReport.objects.filter(plan=plan)}
    years = sorted(set(plan.years) | set(reports), reverse=True)
    rows = [(year, reports.get(year)) for year in years]
    return render(request, "plans/report/list.html", {"plan": plan, "access": access, "rows": rows})


def _detail(
    request: HttpRequest, plan: Plan, access: Access, year: int, *, return_form=None, status: int = 200
) -> HttpResponse:
    report = _report_for(plan, year)
    data = build_report(plan, year, report=report)
    review_steps = (
        report.history.select_related("history_user").order_by("history_date", "history_id") if report else []
    )
    context = {
        "plan": plan,
        "access": access,
        "year": year,
        "report": report,
        "data": data,
        "review_steps": review_steps,
        "can_submit": access.can_edit and data.status in (Status.DRAFT, Status.RETURNED),
        "can_review": access.can_approve and data.status == Status.SUBMITTED,
        "return_form": return_form or ReturnForm(),
        "other_years": [other for other in plan.years if other != year],
    }
    return render(request, "plans/report/detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    return _detail(request, plan, access, year)


def _pdf_response(request: HttpRequest, content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    # Never kept on disk by the browser or a shared cache, approved or not (see SecurityHeadersMiddleware).
    response["Cache-Control"] = "private, no-store"
    # The preview page waits for this cookie to stop saying "Creating PDF …".
    token = request.GET.get("download_token", "")
    if _TOKEN.match(token):
        response.set_cookie("report_download", token, max_age=120, samesite="Lax")
    return response


def _live_pdf(request: HttpRequest, plan: Plan, year: int, report, filename: str) -> HttpResponse:
    """The report as the plan stands now: from the cache while the plan is unchanged, else rendered
    within the user's bounds (``plans.reports.live_pdf``)."""
    digest = live_pdf.fingerprint(plan, year, report)
    content = live_pdf.cached_pdf(plan, year, digest)
    if content is None:
        result = live_pdf.render_bounded(
            request.user.pk, lambda: services.render_report_pdf(plan, year, report=report)
        )
        if isinstance(result, live_pdf.Refusal):
            response = render(
                request,
                "plans/report/too_many_renders.html",
                {"plan": plan, "year": year, "refusal": result},
                status=429,
            )
            response["Retry-After"] = str(result.retry_after_seconds)
            return response
        content = result
        live_pdf.store_pdf(plan, year, digest, content)
    return _pdf_response(request, content, filename)


@login_required
@require_GET
def report_pdf(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The approved PDF as it was stored; before approval, the report as the plan stands now."""
    plan, _access = get_plan_for_user(request.user, plan_id)
    report = _report_for(plan, year)
    filename = services.download_filename(plan, year)
    if report and report.status == Status.APPROVED:
        content = services.stored_pdf(report)
        if content is None:
            return HttpResponse(
                _("The approved PDF could not be read. Tell the system administrator."),
                status=500,
                content_type="text/plain; charset=utf-8",
            )
        return _pdf_response(request, content, filename)
    return _live_pdf(request, plan, year, report, filename)


@login_required
@require_GET
def report_pdf_live(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The report as the plan stands now, also after approval."""
    plan, _access = get_plan_for_user(request.user, plan_id)
    report = _report_for(plan, year)
    filename = services.download_filename(plan, year)
    if report and report.status == Status.APPROVED:
        filename = filename.removesuffix(".pdf") + "-aktuell.pdf"
    return _live_pdf(request, plan, year, report, filename)


def _flow_error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def report_submit(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    _report_for(plan, year)
    try:
        services.submit_report(plan=plan, year=year, user=request.user)
    except ValidationError as error:
        _flow_error(request, error)
    else:
        messages.success(request, _("The report was submitted to the steering group for approval."))
    return redirect("report_detail", plan.pk, year)


@login_required
@require_POST
def report_approve(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, approve=True)
    _report_for(plan, year)
    try:
        services.approve_report(plan=plan, year=year, user=request.user)
    except ValidationError as error:
        _flow_error(request, error)
    except Exception:
        # Rendering is the one step that can fail on content we did not foresee: say so,
        # keep the report submitted, and leave the details to the log.
        logger.exception("Rendering the PDF of plan %s, year %s failed", plan.pk, year)
        messages.error(
            request, _("The PDF could not be created, so the report was not approved. Try again later.")
        )
    else:
        messages.success(request, _("The report was approved. Its PDF is stored and will not change."))
    return redirect("report_detail", plan.pk, year)


@login_required
@require_POST
def report_return(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id, approve=True)
    _report_for(plan, year)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, access, year, return_form=form, status=400)
    try:
        services.return_report(plan=plan, year=year, user=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        _flow_error(request, error)
    else:
        messages.success(request, _("The report was returned to the editors with your comment."))
    return redirect("report_detail", plan.pk, year)
