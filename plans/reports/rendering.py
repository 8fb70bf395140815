"""The jobs that make report PDFs, off the request (queued by ``live_pdf.request_pdf`` and
``services.approve_report``; run by ``manage.py qcluster``).

A job may run twice: django-q2 hands a job out again when its worker died or overran the
timeout (``settings.Q_CLUSTER``). Each job first claims its ``ReportRender`` row: a row that is
queued, or running since longer than the timeout (its worker is gone), is taken; anything else
(done, failed, or running in another worker now) makes the job return at once. What a job
writes is keyed by content (the live PDF by the SHA-256 of its HTML) or guarded by the
report's status (an approval completes once), so a repeated job changes nothing.

A render that fails is marked failed and not retried: the same HTML would fail again. The
person asks again (a live PDF) or approves again (an approval), and the error is kept on the
row and in the log.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from planportal.lib import pdf
from plans.models import FollowUpReport, Plan, ReportRender
from plans.reports import live_pdf, services

logger = logging.getLogger(__name__)

State = ReportRender.State
# Finished live renders are kept this long: they answer "was this state of the plan made?" and
# count against the hourly limit.
KEEP_FINISHED = timedelta(days=1)


def claim(render_id: int, kind: str) -> ReportRender | None:
    """Take the render for this worker, or None when it is done, failed or taken by a live worker."""
    now = timezone.now()
    orphaned = now - timedelta(seconds=settings.Q_CLUSTER["timeout"])
    taken = (
        ReportRender.objects.filter(pk=render_id, kind=kind)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, started_at__lt=orphaned))
        .update(state=State.RUNNING, started_at=now, attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    return ReportRender.objects.select_related("plan__county").get(pk=render_id)


def _error(exception: Exception) -> str:
    return f"{type(exception).__name__}: {exception}"


def render_live(render_id: int) -> str:
    """The job of a live PDF: lay out the report as the plan stands now and keep it in the cache.

    Returns what it did: "rendered", "reused" (a PDF of the same HTML was kept already: nothing
    laid out), "skipped" (nothing to do) or "failed".
    """
    render = claim(render_id, ReportRender.Kind.LIVE)
    if render is None:
        return "skipped"
    plan: Plan = render.plan
    try:
        report = (
            FollowUpReport.objects.filter(plan=plan, year=render.year).select_related("approved_by").first()
        )
        html = services.render_report_html(services.report_data(plan, render.year, report=report))
        html_sha256 = hashlib.sha256(html.encode()).hexdigest()
        outcome = "reused"
        if live_pdf.cached_pdf(plan, render.year, html_sha256) is None:
            live_pdf.store_pdf(plan, render.year, html_sha256, pdf.html_to_pdf(html))
            outcome = "rendered"
    except Exception as exception:
        logger.exception(
            "The PDF of plan %s, year %s could not be made (render %s)", plan.pk, render.year, render.pk
        )
        ReportRender.objects.filter(pk=render.pk, state=State.RUNNING).update(
            state=State.FAILED, finished_at=timezone.now(), error=_error(exception)[:10000]
        )
        return "failed"
    ReportRender.objects.filter(pk=render.pk, state=State.RUNNING).update(
        state=State.DONE, finished_at=timezone.now(), html_sha256=html_sha256, error=""
    )
    ReportRender.objects.filter(
        kind=ReportRender.Kind.LIVE,
        plan=plan,
        year=render.year,
        state__in=(State.DONE, State.FAILED),
        created_at__lt=timezone.now() - KEEP_FINISHED,
    ).delete()
    logger.info("PDF of plan %s, year %s %s (render %s)", plan.pk, render.year, outcome, render.pk)
    return outcome


def render_approval(render_id: int) -> str:
    """The job of an approval: lay out the frozen HTML as PDF/A and store it as the approved version.

    Returns "approved", "skipped" (nothing to do, or the approval was undone meanwhile) or
    "failed" (the report is back to "inskickad").
    """
    render = claim(render_id, ReportRender.Kind.APPROVAL)
    if render is None:
        return "skipped"
    try:
        content = pdf.html_to_pdf(render.html, archive=True)
        revision = services.complete_approval(render, content)
    except Exception as exception:
        logger.exception(
            "The approved PDF of report %s could not be made (render %s)", render.report_id, render.pk
        )
        services.fail_approval(render, _error(exception))
        return "failed"
    return "approved" if revision is not None else "skipped"


def expire_if_lost(render: ReportRender | None) -> ReportRender | None:
    """Mark a render failed that has waited longer than any retry of its job (``live_pdf.stale_after``):
    no worker will finish it. An approval's report goes back to "inskickad"."""
    if render is None or not live_pdf.is_stale(render):
        return render
    error = "Ingen jobbkörare gjorde klart PDF:en i tid."
    if render.kind == ReportRender.Kind.APPROVAL:
        services.fail_approval(render, error)
    else:
        ReportRender.objects.filter(pk=render.pk, state=render.state).update(
            state=State.FAILED, finished_at=timezone.now(), error=error
        )
    render.refresh_from_db()
    return render
