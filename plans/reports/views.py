"""The follow-up report's pages: the list of years, the preview, the PDF and the review steps.

Everyone who may read the county may read its reports and the steering group's comments; a
redaktör writes the report's parts, submits it and answers or resolves comments; a godkännare
comments, approves (after a confirmation), returns or reopens it (``plans.permissions``).
Anyone else gets 404.
"""

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plans.models import (
    FollowUpReport,
    Goal,
    Plan,
    ReportComment,
    ReportRender,
    ReportRevision,
    ReportSection,
)
from plans.permissions import Access, get_plan_for_user
from plans.reports import live_pdf, rendering, services
from plans.reports.data import ReportData, build_report, written_part_titles
from plans.reports.forms import (
    ApproveForm,
    AssessmentForm,
    CommentForm,
    ReopenForm,
    ReturnForm,
    TextSectionForm,
)
from plans.views.common import conflict, save_unless_changed
from rounds.models import FollowUpRound

logger = logging.getLogger(__name__)

Status = FollowUpReport.Status
# A report that nobody may change: approved, or frozen while its approved PDF is made.
FROZEN = (Status.APPROVED, Status.APPROVING)
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


def _attach_threads(data: ReportData, report: FollowUpReport | None) -> int:
    """Hang each comment thread on the part or goal it is about; the number of open threads."""
    if report is None:
        return 0
    comments = list(report.comments.select_related("author", "resolved_by").order_by("created_at", "id"))
    threads: dict[str, list[ReportComment]] = {}
    by_id = {}
    for comment in comments:
        comment.thread_answers = []
        by_id[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is None:
            threads.setdefault(comment.target, []).append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].thread_answers.append(comment)
    for part in data.written_parts:
        part.threads = threads.get(part.key, [])
    for section in data.focus_areas:
        for goal_section in section.goals:
            goal_section.threads = threads.get(f"goal-{goal_section.goal.pk}", [])
    return sum(1 for target in threads.values() for thread in target if thread.resolved_at is None)


def _detail(
    request: HttpRequest,
    plan: Plan,
    access: Access,
    year: int,
    *,
    return_form=None,
    reopen_form=None,
    status: int = 200,
) -> HttpResponse:
    report = _report_for(plan, year)
    # An approval whose job was lost is undone here, before the page shows the report's status.
    approval = services.approval_render(report)
    if (
        approval is not None
        and approval.is_active
        and rendering.expire_if_lost(approval).state == ReportRender.State.FAILED
    ):
        report = _report_for(plan, year)
    data = build_report(plan, year, report=report)
    open_threads = _attach_threads(data, report)
    review_steps = (
        report.history.select_related("history_user").order_by("history_date", "history_id") if report else []
    )
    revisions = list(report.revisions.select_related("approved_by", "reopened_by")) if report else []
    # The PDF being made, if any: the approval's while the report is being approved, else the
    # newest live render still queued or running.
    if report is not None and report.status == Status.APPROVING:
        making = approval
    else:
        making = (
            ReportRender.objects.filter(
                kind=ReportRender.Kind.LIVE, plan=plan, year=year, state__in=ReportRender.ACTIVE
            )
            .defer("html")
            .order_by("-created_at")
            .first()
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
        "review": True,
        "can_write": access.can_edit and data.status in (Status.DRAFT, Status.RETURNED),
        "can_comment": access.can_approve and data.status not in FROZEN,
        "can_answer": (access.can_edit or access.can_approve) and data.status not in FROZEN,
        "can_reopen": access.can_approve and data.status == Status.APPROVED,
        "approve_form": ApproveForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "comment_form": CommentForm(),
        "open_threads": open_threads,
        "revisions": revisions,
        "latest_revision": revisions[-1] if revisions else None,
        # The year's follow-up round, where the answers the report shows are collected.
        "follow_up_round": FollowUpRound.objects.filter(plan=plan, year=year).first(),
        "approval_failure": services.approval_failure(report, approval),
        **_render_context(plan, year, making),
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


def _pdf_url(plan: Plan, year: int, pdf_render: ReportRender) -> str:
    """Where the PDF a render makes is served: the approved PDF, or the report as it stands now."""
    name = "report_pdf" if pdf_render.kind == ReportRender.Kind.APPROVAL else "report_pdf_live"
    return reverse(name, args=[plan.pk, year])


def _render_context(plan: Plan, year: int, pdf_render: ReportRender | None) -> dict:
    """What ``partials/pdf_status.html`` shows of a render (None: nothing)."""
    if pdf_render is None:
        return {"pdf_render": None}
    return {
        "pdf_render": pdf_render,
        "pdf_url": _pdf_url(plan, year, pdf_render),
        "status_url": reverse("report_pdf_status", args=[plan.pk, year, pdf_render.pk]),
    }


def _pending(request: HttpRequest, plan: Plan, year: int, pdf_render: ReportRender) -> HttpResponse:
    """The page that says the PDF is being made: it asks every 2 s (htmx) and offers the PDF when made."""
    context = {"plan": plan, "year": year, **_render_context(plan, year, pdf_render)}
    status = 202 if pdf_render.is_active else 200
    response = render(request, "plans/report/pdf_pending.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["Retry-After"] = "2"
    return response


def _live_pdf(request: HttpRequest, plan: Plan, year: int, report, filename: str) -> HttpResponse:
    """The report as the plan stands now: from the cache while the plan is unchanged, else made by a
    job while the person waits on a page that says so (``plans.reports.live_pdf``)."""
    result = live_pdf.request_pdf(plan, year, report, request.user)
    if isinstance(result, live_pdf.Refusal):
        response = render(
            request,
            "plans/report/too_many_renders.html",
            {"plan": plan, "year": year, "refusal": result},
            status=429,
        )
        response["Retry-After"] = str(result.retry_after_seconds)
        return response
    if isinstance(result, ReportRender):
        return _pending(request, plan, year, result)
    return _pdf_response(request, result, filename)


@login_required
@require_GET
def report_pdf(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The approved PDF as it was stored; while it is being approved, a page that waits for it;
    before approval, the report as the plan stands now."""
    plan, _access = get_plan_for_user(request.user, plan_id)
    report = _report_for(plan, year)
    filename = services.download_filename(plan, year)
    if report and report.status == Status.APPROVING:
        pdf_render = rendering.expire_if_lost(services.approval_render(report))
        report.refresh_from_db()
        if pdf_render is not None and report.status == Status.APPROVING:
            return _pending(request, plan, year, pdf_render)
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


@login_required
@require_GET
def report_pdf_status(request: HttpRequest, plan_id: int, year: int, render_id: int) -> HttpResponse:
    """Whether a render is done: the status part for htmx to swap in, else the waiting page again."""
    plan, _access = get_plan_for_user(request.user, plan_id)
    pdf_render = get_object_or_404(ReportRender.objects.defer("html"), pk=render_id, plan=plan, year=year)
    pdf_render = rendering.expire_if_lost(pdf_render)
    if not request.htmx:
        return _pending(request, plan, year, pdf_render)
    context = {"plan": plan, "year": year, **_render_context(plan, year, pdf_render)}
    response = render(request, "plans/report/partials/pdf_status.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


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
@require_GET
def report_approve_confirm(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The confirmation step of an approval, as a page of its own (also shown when the box was not ticked)."""
    plan, _access = get_plan_for_user(request.user, plan_id, approve=True)
    report = _report_for(plan, year)
    if report is None or report.status != Status.SUBMITTED:
        messages.error(request, _("Only a submitted report can be approved."))
        return redirect("report_detail", plan.pk, year)
    context = {"plan": plan, "year": year, "report": report, "form": ApproveForm()}
    return render(request, "plans/report/approve.html", context)


@login_required
@require_POST
def report_approve(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Approve, once the approver has ticked the confirmation box: the report is frozen and its PDF
    made by a job; it is approved when the PDF is stored."""
    plan, _access = get_plan_for_user(request.user, plan_id, approve=True)
    report = _report_for(plan, year)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        if report is None or report.status != Status.SUBMITTED:
            messages.error(request, _("Only a submitted report can be approved."))
            return redirect("report_detail", plan.pk, year)
        context = {"plan": plan, "year": year, "report": report, "form": form}
        return render(request, "plans/report/approve.html", context, status=400)
    try:
        services.approve_report(plan=plan, year=year, user=request.user)
    except ValidationError as error:
        _flow_error(request, error)
    except Exception:
        # Building the report's HTML is the one step that can fail on content we did not
        # foresee: say so, keep the report submitted, and leave the details to the log.
        logger.exception("Building the report of plan %s, year %s for approval failed", plan.pk, year)
        messages.error(
            request, _("The PDF could not be created, so the report was not approved. Try again later.")
        )
    else:
        messages.success(
            request,
            _(
                "The report is being approved: its PDF is being created and stored. "
                "The report is approved when the PDF is ready."
            ),
        )
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


@login_required
@require_POST
def report_reopen(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id, approve=True)
    _report_for(plan, year)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, access, year, reopen_form=form, status=400)
    try:
        services.reopen_report(plan=plan, year=year, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _flow_error(request, error)
    else:
        messages.success(
            request, _("The report was reopened as a draft. The approved versions and their PDFs are kept.")
        )
    return redirect("report_detail", plan.pk, year)


@login_required
@require_GET
def report_revision_pdf(request: HttpRequest, plan_id: int, year: int, number: int) -> HttpResponse:
    """An approved version's PDF, exactly as it was stored."""
    plan, _access = get_plan_for_user(request.user, plan_id)
    revision = get_object_or_404(ReportRevision, report__plan=plan, report__year=year, number=number)
    content = services.revision_pdf(revision)
    if content is None:
        return HttpResponse(
            _("The approved PDF could not be read. Tell the system administrator."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    filename = services.download_filename(plan, year).removesuffix(".pdf") + f"-version-{number}.pdf"
    return _pdf_response(request, content, filename)


def _detail_url(plan: Plan, year: int, anchor: str = "") -> str:
    url = reverse("report_detail", args=[plan.pk, year])
    return f"{url}#{anchor}" if anchor else url


@login_required
def report_section_edit(request: HttpRequest, plan_id: int, year: int, key: str) -> HttpResponse:
    """Write one part of the report: on its own page, or inline on the report page with htmx."""
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    report = _report_for(plan, year)
    titles = written_part_titles(report or FollowUpReport(plan=plan, year=year))
    if key not in titles:
        raise Http404
    if report is not None and report.status not in (Status.DRAFT, Status.RETURNED):
        messages.error(request, _("A submitted or approved report cannot be changed."))
        return redirect(_detail_url(plan, year, f"avsnitt-{key}"))
    section = None
    if report is not None:
        section = ReportSection.objects.filter(report=report, key=key).first()
    if section is None:
        section = ReportSection(report=report, key=key)
    form_class = (
        TextSectionForm
        if key in (ReportSection.SUMMARY, ReportSection.FUNDS, ReportSection.CLOSING)
        else AssessmentForm
    )
    context = {
        "plan": plan,
        "county": plan.county,
        "year": year,
        "title": titles[key],
        "key": key,
        "cancel_url": _detail_url(plan, year, f"avsnitt-{key}"),
    }
    if request.method == "POST":
        if report is None:
            report = services.draft_report(plan=plan, year=year, user=request.user)
            section.report = report
        form = form_class(request.POST, instance=section)
        if form.is_valid():
            saved = save_unless_changed(form)
            if saved is not None:
                messages.success(request, _("Saved “%(part)s”.") % {"part": titles[key]})
                return redirect(_detail_url(plan, year, f"avsnitt-{key}"))
            if not form.errors:
                return conflict(request, form, context)
        return render(request, "plans/report/section_edit.html", {**context, "form": form}, status=400)
    form = form_class(instance=section)
    template = "plans/report/partials/section_form.html" if request.htmx else "plans/report/section_edit.html"
    return render(request, template, {**context, "form": form})


def _comment_target_anchor(plan: Plan, report: FollowUpReport, target: str) -> str | None:
    """The page anchor of a comment's target, or None when the report has no such part or goal."""
    if target.startswith("goal-"):
        goal_id = target.removeprefix("goal-")
        if goal_id.isdigit() and Goal.objects.filter(plan=plan, pk=int(goal_id)).exists():
            return f"mal-{goal_id}"
        return None
    return f"avsnitt-{target}" if target in written_part_titles(report) else None


@login_required
@require_POST
def report_comment_add(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """A godkännare starts a comment thread on a written part or a goal."""
    plan, _access = get_plan_for_user(request.user, plan_id, approve=True)
    report = _report_for(plan, year) or FollowUpReport(plan=plan, year=year)
    target = request.POST.get("target", "")
    anchor = _comment_target_anchor(plan, report, target)
    if anchor is None:
        raise Http404
    if report.status in FROZEN:
        messages.error(request, _("Reopen the report before commenting on it."))
        return redirect(_detail_url(plan, year, anchor))
    form = CommentForm(request.POST)
    if form.is_valid():
        if report.pk is None:
            report = services.draft_report(plan=plan, year=year, user=request.user)
        services.add_comment(report=report, user=request.user, target=target, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment of at most 4 000 characters."))
    return redirect(_detail_url(plan, year, anchor))


def _thread_for(request: HttpRequest, plan_id: int, year: int, comment_id: int):
    """The plan, the thread's first comment and its anchor, for an editor or an approver; else 404."""
    plan, access = get_plan_for_user(request.user, plan_id)
    if not (access.can_edit or access.can_approve):
        raise Http404
    comment = get_object_or_404(
        ReportComment.objects.select_related("report"),
        pk=comment_id,
        report__plan=plan,
        report__year=year,
        parent__isnull=True,
    )
    anchor = _comment_target_anchor(plan, comment.report, comment.target) or ""
    return plan, comment, anchor


@login_required
@require_POST
def report_comment_answer(request: HttpRequest, plan_id: int, year: int, comment_id: int) -> HttpResponse:
    plan, thread, anchor = _thread_for(request, plan_id, year, comment_id)
    form = CommentForm(request.POST)
    if thread.report.status in FROZEN:
        messages.error(request, _("Reopen the report before commenting on it."))
    elif form.is_valid():
        services.add_comment(
            report=thread.report, user=request.user, parent=thread, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Your answer was added."))
    else:
        messages.error(request, _("Write a comment of at most 4 000 characters."))
    return redirect(_detail_url(plan, year, anchor))


@login_required
@require_POST
def report_comment_resolve(request: HttpRequest, plan_id: int, year: int, comment_id: int) -> HttpResponse:
    plan, thread, anchor = _thread_for(request, plan_id, year, comment_id)
    resolved = request.POST.get("resolved", "1") != "0"
    services.resolve_thread(comment=thread, user=request.user, resolved=resolved)
    messages.success(
        request, _("The comment was marked resolved.") if resolved else _("The comment was opened again.")
    )
    return redirect(_detail_url(plan, year, anchor))
