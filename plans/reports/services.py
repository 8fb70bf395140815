"""The follow-up report's review flow and its rendering.

utkast → inskickad (a redaktör submits) → godkänns → godkänd (a godkännare approves) or
återsänd with a comment (a godkännare returns it; the redaktör can submit it again).

Approving freezes the report: its status becomes "godkänns" with who approved and when, and
the HTML of the approved report (its cover saying so) is kept with a queued render
(``ReportRender``), all in one short transaction. A job (``plans.reports.rendering``) lays
that HTML out as PDF/A, off the request and outside any lock, and ``complete_approval`` stores
it with its SHA-256 as a new version (``ReportRevision``): only then is the report "godkänd"
and the editors mailed. From then on that file is the report, whatever happens to the plan
afterwards. If the PDF cannot be made, ``fail_approval`` sends the report back to "inskickad"
and the report page says so; the godkännare may approve again. A godkännare
can reopen an approved report with a reason: it becomes a draft again, and its next approval
stores version 2 beside version 1, whose bytes never change. Every step writes a history row
of the report with the user and a reason.

The functions take the acting user but do not check permissions: the views ask
``plans.permissions`` first, as everywhere else.
"""

import copy
import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from planportal import jobs
from planportal.lib import pdf
from planportal.lib.history import history_context
from planportal.lib.locking import lock_rows
from plans.models import FollowUpReport, Plan, ReportComment, ReportRender, ReportRevision
from plans.reports import mails
from plans.reports.data import ReportData, build_report

logger = logging.getLogger(__name__)

Status = FollowUpReport.Status

# The report is a Swedish document, whatever language the person who renders it reads.
REPORT_LANGUAGE = "sv"


class ReportFlowError(ValidationError):
    """A step that the report's current status does not allow."""


def download_filename(plan: Plan, year: int) -> str:
    """``uppfoljning-<county>-<plan>-<year>.pdf`` in ASCII: å and ä become a, ö becomes o."""
    plan_slug = slugify(plan.title.replace("–", "-").replace("—", "-"))[:60].strip("-")
    return f"uppfoljning-{slugify(plan.county.name)}-{plan_slug}-{year}.pdf"


def report_data(plan: Plan, year: int, *, report: FollowUpReport | None = None) -> ReportData:
    with translation.override(REPORT_LANGUAGE):
        return build_report(plan, year, report=report)


def render_report_html(data: ReportData) -> str:
    """The PDF's HTML (cover, contents, body), in Swedish."""
    with translation.override(REPORT_LANGUAGE):
        return render_to_string("plans/pdf/report.html", {"data": data})


def render_report_pdf(
    plan: Plan, year: int, *, report: FollowUpReport | None = None, archive: bool = False
) -> bytes:
    """The report as the plan stands now, as PDF bytes, in this process (tests and benchmarks;
    the product renders in jobs, ``plans.reports.rendering``)."""
    return pdf.html_to_pdf(render_report_html(report_data(plan, year, report=report)), archive=archive)


def _locked_report(plan: Plan, year: int, *, creating: bool = False) -> FollowUpReport | None:
    """The report as committed now, held until the transaction ends: two approvals (or an
    approval and a return) wait for each other, and the second finds the status the first left.

    ``creating``: the plan row is held first, so that two first submits do not both insert it.
    """
    if creating:
        lock_rows(Plan.objects.filter(pk=plan.pk)).first()
    return lock_rows(FollowUpReport.objects.filter(plan=plan, year=year)).first()


def _require(report: FollowUpReport | None, allowed: set[str], message: str) -> FollowUpReport:
    if report is None or report.status not in allowed:
        raise ReportFlowError(message)
    return report


def submit_report(*, plan: Plan, year: int, user) -> FollowUpReport:
    """A redaktör sends the report (a draft, or one the steering group returned) for approval."""
    if year not in plan.years:
        raise ReportFlowError(_("The plan has no report for that year."))
    with transaction.atomic(), history_context(user=user, reason="Inskickad för godkännande"):
        report = _locked_report(plan, year, creating=True)
        if report is None:
            report = FollowUpReport(plan=plan, year=year)
        elif report.status not in (Status.DRAFT, Status.RETURNED):
            raise ReportFlowError(_("Only a draft or a returned report can be submitted."))
        report.status = Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = user
        report.full_clean()
        report.save()
    mails.queue_report_mail(report, mails.SUBMITTED)
    return report


def return_report(*, plan: Plan, year: int, user, comment: str) -> FollowUpReport:
    """A godkännare sends a submitted report back to the editors, saying why."""
    comment = (comment or "").strip()
    if not comment:
        raise ReportFlowError(_("Say what needs to change before the report can be approved."))
    with transaction.atomic(), history_context(user=user, reason=f"Återsänd: {comment}"[:1000]):
        report = _require(
            _locked_report(plan, year), {Status.SUBMITTED}, _("Only a submitted report can be returned.")
        )
        report.status = Status.RETURNED
        report.comment = comment
        report.full_clean()
        report.save()
    mails.queue_report_mail(report, mails.RETURNED)
    return report


def approve_report(*, plan: Plan, year: int, user) -> FollowUpReport:
    """A godkännare approves a submitted report: it is frozen as "godkänns" and its PDF queued.

    The HTML is built here, in the transaction, with the report as approved (its cover says who
    approved it and when), and kept with the render: what is approved is what the report showed
    now, whatever is edited while the job waits. Building the HTML takes a fraction of a second
    (a third for 300 activities); the layout, which takes half a minute, is the job's. If
    anything here fails, nothing changes.
    """
    with transaction.atomic(), history_context(user=user, reason="Godkänns: PDF:en skapas"):
        report = _locked_report(plan, year)
        if report is not None and report.status == Status.APPROVING:
            raise ReportFlowError(_("The report is already being approved."))
        report = _require(report, {Status.SUBMITTED}, _("Only a submitted report can be approved."))
        report.status = Status.APPROVING
        report.approved_at = timezone.now()
        report.approved_by = user
        report.full_clean()
        report.save()
        html = approved_html(plan, year, report)
        render = ReportRender(
            kind=ReportRender.Kind.APPROVAL,
            plan=plan,
            year=year,
            report=report,
            html=html,
            html_sha256=hashlib.sha256(html.encode()).hexdigest(),
            requested_by=user,
        )
        render.save()
        # In the transaction: the queue is a table of the same database (see live_pdf.request_pdf).
        jobs.enqueue(APPROVAL_JOB, render.pk)
    logger.info("Report %s approved by %s; its PDF is queued (render %s)", report.pk, user, render.pk)
    return report


APPROVAL_JOB = "plans.reports.rendering.render_approval"


def approved_html(plan: Plan, year: int, report: FollowUpReport) -> str:
    """The HTML of ``report`` as approved: the status on its cover and in its footer is "godkänd"."""
    shown = copy.copy(report)
    shown.status = Status.APPROVED
    return render_report_html(report_data(plan, year, report=shown))


def _approval_in_progress(render_id: int) -> tuple[ReportRender, FollowUpReport] | None:
    """The approval render and its report, locked, while the one waits for the other; else None."""
    render = lock_rows(ReportRender.objects.filter(pk=render_id, kind=ReportRender.Kind.APPROVAL)).first()
    if render is None or not render.is_active:
        return None
    report = lock_rows(FollowUpReport.objects.filter(pk=render.report_id)).first()
    if report is None or report.status != Status.APPROVING:
        return None
    return render, report


def complete_approval(render: ReportRender, content: bytes) -> ReportRevision | None:
    """Store ``content`` as the approved version of the render's report, which becomes "godkänd".

    The file is written first (its name is never reused), the rows after; if the approval was
    undone or completed meanwhile (a job that ran twice), the file is removed and None returned.
    """
    report = FollowUpReport.objects.select_related("approved_by").get(pk=render.report_id)
    previous = report.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    revision = ReportRevision(
        report=report,
        number=previous + 1,
        approved_at=report.approved_at,
        approved_by=report.approved_by,
        pdf_sha256=hashlib.sha256(content).hexdigest(),
    )
    # Stored under its version and checksum (the download name is long, and set when it is
    # served); a name never reused, so an earlier version's file is never overwritten.
    stored_name = f"uppfoljning-{report.year}-v{revision.number}-{revision.pdf_sha256[:16]}.pdf"
    revision.pdf.save(stored_name, ContentFile(content), save=False)
    try:
        with transaction.atomic(), history_context(user=report.approved_by, reason="Godkänd av styrgruppen"):
            pending = _approval_in_progress(render.pk)
            if pending is None:
                revision.pdf.delete(save=False)
                return None
            render, report = pending
            report.status = Status.APPROVED
            report.full_clean()
            report.save()
            revision.report = report
            revision.full_clean()
            revision.save()
            render.state = ReportRender.State.DONE
            render.finished_at = timezone.now()
            render.error = ""
            # The PDF is the record now; the HTML it was made from need not be kept twice.
            render.html = ""
            render.save()
            mails.queue_report_mail(report, mails.APPROVED)
    except Exception:
        revision.pdf.delete(save=False)
        raise
    logger.info(
        "Report %s approved as version %s; PDF sha256 %s", report.pk, revision.number, revision.pdf_sha256
    )
    return revision


def fail_approval(render: ReportRender, error: str) -> FollowUpReport | None:
    """The PDF of an approval could not be made: the report goes back to "inskickad", and its page
    says so (``approval_failure``). The render keeps the error and the HTML, for whoever looks."""
    with transaction.atomic(), history_context(reason="Godkännandet avbröts: PDF:en kunde inte skapas"):
        pending = _approval_in_progress(render.pk)
        if pending is None:
            return None
        render, report = pending
        report.status = Status.SUBMITTED
        report.approved_at = None
        report.approved_by = None
        report.full_clean()
        report.save()
        render.state = ReportRender.State.FAILED
        render.finished_at = timezone.now()
        render.error = error[:10000]
        render.save()
    logger.error("The approval of report %s was undone: its PDF could not be made (%s)", report.pk, error)
    return report


def approval_render(report: FollowUpReport | None) -> ReportRender | None:
    """The newest approval render of ``report``: the one in progress while it is "godkänns"."""
    if report is None or report.pk is None:
        return None
    return (
        report.renders.filter(kind=ReportRender.Kind.APPROVAL).defer("html").order_by("-created_at").first()
    )


def approval_failure(report: FollowUpReport | None, render: ReportRender | None) -> ReportRender | None:
    """``render`` if it is an approval that failed since the report was last submitted, else None."""
    if report is None or render is None or report.status != Status.SUBMITTED:
        return None
    if render.state != ReportRender.State.FAILED:
        return None
    if report.submitted_at and render.finished_at and render.finished_at < report.submitted_at:
        return None
    return render


def reopen_report(*, plan: Plan, year: int, user, reason: str) -> FollowUpReport:
    """A godkännare reopens an approved report, saying why: it becomes a draft that the editors
    can change and submit again. The approved versions and their PDFs stay as they are."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportFlowError(_("Say why the report is reopened."))
    with transaction.atomic(), history_context(user=user, reason=f"Återöppnad: {reason}"[:1000]):
        report = _require(
            _locked_report(plan, year), {Status.APPROVED}, _("Only an approved report can be reopened.")
        )
        revision = report.revisions.order_by("-number").first()
        if revision is not None:
            revision.reopened_at = timezone.now()
            revision.reopened_by = user
            revision.reopen_reason = reason
            revision.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        report.status = Status.DRAFT
        report.comment = ""
        report.full_clean()
        report.save()
    return report


def draft_report(*, plan: Plan, year: int, user) -> FollowUpReport:
    """The report of the year, created as a draft when an editor first writes in it."""
    report = FollowUpReport.objects.filter(plan=plan, year=year).first()
    if report is not None:
        return report
    if year not in plan.years:
        raise ReportFlowError(_("The plan has no report for that year."))
    with transaction.atomic(), history_context(user=user, reason="Utkast påbörjat"):
        report = _locked_report(plan, year, creating=True)
        if report is None:
            report = FollowUpReport(plan=plan, year=year)
            report.full_clean()
            report.save()
    return report


def add_comment(
    *, report: FollowUpReport, user, text: str, target: str = "", parent: ReportComment | None = None
) -> ReportComment:
    """A new comment thread on ``target``, or an answer to ``parent``'s thread."""
    if parent is not None:
        target = parent.target
    comment = ReportComment(report=report, target=target, parent=parent, author=user, text=text)
    with transaction.atomic(), history_context(user=user, reason="Kommentar"):
        comment.full_clean()
        comment.save()
    return comment


def resolve_thread(*, comment: ReportComment, user, resolved: bool = True) -> ReportComment:
    """Mark a thread (its first comment) resolved, or open it again."""
    with transaction.atomic(), history_context(user=user, reason="Löst" if resolved else "Öppnad igen"):
        comment.resolved_at = timezone.now() if resolved else None
        comment.resolved_by = user if resolved else None
        comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    return comment


def revision_pdf(revision: ReportRevision) -> bytes | None:
    """An approved version's PDF bytes, or None when they are gone or no longer match their checksum."""
    if not revision.pdf:
        return None
    with revision.pdf.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != revision.pdf_sha256:
        logger.error(
            "The stored PDF of report %s, version %s, does not match its SHA-256",
            revision.report_id,
            revision.number,
        )
        return None
    return content


def stored_pdf(report: FollowUpReport) -> bytes | None:
    """The newest approved PDF's bytes, or None when the report is not approved, or the bytes
    are gone or no longer match their checksum."""
    revision = report.latest_revision() if report.status == Status.APPROVED else None
    return revision_pdf(revision) if revision is not None else None
