"""Live report PDFs, made off the request: served from a file cache while the plan is unchanged,
else made by a job (``plans.reports.rendering``), at most one per state of the plan, and a
few at a time per person.

Rendering a 300-activity plan takes half a minute of WeasyPrint, and any reader may ask for
it. The request never renders:

- It computes a fingerprint of everything the report shows (a dozen indexed aggregate
  queries, milliseconds): the plan, its priority areas, goals, activities and follow-ups, the
  county's funding for the year, the report's status and written parts, the national data and
  the date on the cover. Any change gives a new fingerprint, so a stale PDF is never served.
- A finished render of that fingerprint (a ``ReportRender`` row) names the SHA-256 of the HTML
  it laid out; the bytes are kept under ``MEDIA_ROOT/cache/reports`` by that hash (shared by
  every web worker, like the approved PDFs; only the newest file per plan and year is kept).
  Hashing the HTML itself would cost the request the whole template (a third of a second for
  300 activities), so the request keys on the data and the job on the HTML: a change that
  moves the fingerprint but not the document (another county's indicator values, say) costs a
  job the template, not a render.
- Otherwise one render is queued for the fingerprint, whoever asks; a person may have
  ``RENDERS_AT_ONCE`` renders queued or running and ``REPORT_PDF_RENDERS_PER_HOUR`` in any hour.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from activities.models import Activity, ActivityFollowUp
from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from planportal import jobs
from planportal.lib import filecache
from plans.models import (
    Abbreviation,
    FocusArea,
    FollowUpReport,
    FundingAllocation,
    Goal,
    Organisation,
    Plan,
    PriorityArea,
    ReportRender,
    ReportSection,
)

State = ReportRender.State
HOUR = 3600
# Renders one person may have queued or running at once; more and the request is refused (429).
RENDERS_AT_ONCE = 3
RENDER_JOB = "plans.reports.rendering.render_live"

# Bump when the report's templates or data change shape, so that no PDF of the old shape is served.
FORMAT = 3


def fingerprint(plan: Plan, year: int, report: FollowUpReport | None) -> str:
    """A digest that changes whenever anything the report of ``plan`` for ``year`` shows changes.

    Every editable model keeps a history, and every create, edit, delete, restore and change
    of links writes a row to it: the newest history id and the number of rows of the
    plan's own objects catch each change. National and county-wide data (indicator values,
    organisations, …) change seldom, in batches: the newest history id of the whole table.
    A handful of indexed aggregate queries, whatever the size of the plan.
    """
    parts: list[object] = [FORMAT, plan.pk, year, plan.updated_at, timezone.localdate()]
    if report is not None:
        parts += [report.pk, report.status, report.updated_at]
        # The written parts: every save writes a history row.
        parts.append(
            tuple(
                ReportSection.history.filter(report_id=report.pk)
                .aggregate(Max("history_id"), Count("pk"))
                .values()
            )
        )
    for model in (PriorityArea, Goal, Activity):
        own = model.history.filter(plan_id=plan.pk)
        parts.append(tuple(own.aggregate(Max("history_id"), Count("pk")).values()))
    parts.append(
        tuple(
            ActivityFollowUp.objects.filter(activity__plan=plan)
            .aggregate(Max("updated_at"), Count("pk"))
            .values()
        )
    )
    parts.append(
        tuple(
            FundingAllocation.objects.filter(county_id=plan.county_id, year=year)
            .aggregate(Max("updated_at"), Count("pk"))
            .values()
        )
    )
    for model in (
        Indicator,
        IndicatorValue,
        IndicatorTarget,
        IndicatorBaseline,
        Organisation,
        Abbreviation,
        FocusArea,
    ):
        parts.append(model.history.aggregate(Max("history_id"))["history_id__max"])
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_pdf(plan: Plan, year: int, html_sha256: str) -> bytes | None:
    """The kept PDF of the plan's report whose HTML had this SHA-256, or None."""
    if not html_sha256:
        return None
    return filecache.read("reports", f"plan-{plan.pk}-{year}", html_sha256, ".pdf")


def store_pdf(plan: Plan, year: int, html_sha256: str, content: bytes) -> None:
    """Keep ``content`` as the plan's PDF for the year, replacing any older one."""
    filecache.store("reports", f"plan-{plan.pk}-{year}", html_sha256, ".pdf", content)


def stale_after() -> timedelta:
    """How long a render may stay queued or running before it is taken to be lost.

    django-q2 hands a job out again ``retry`` seconds after a worker took it, at most
    ``max_attempts`` times; after that nobody will finish it.
    """
    cluster = settings.Q_CLUSTER
    return timedelta(seconds=cluster["retry"] * cluster["max_attempts"])


def is_stale(render: ReportRender) -> bool:
    return render.is_active and render.created_at < timezone.now() - stale_after()


@dataclass(frozen=True)
class Refusal:
    """Why a render was refused, and when the user may try again."""

    busy: bool  # the person has RENDERS_AT_ONCE renders queued or running
    retry_at: datetime
    limit: int

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - timezone.now()).total_seconds()))


def _refusal(user_id: int) -> Refusal | None:
    """Why the person may not queue another render now, or None."""
    now = timezone.now()
    active = ReportRender.objects.filter(
        kind=ReportRender.Kind.LIVE,
        requested_by_id=user_id,
        state__in=ReportRender.ACTIVE,
        created_at__gte=now - stale_after(),
    ).count()
    if active >= RENDERS_AT_ONCE:
        # A render is usually done within the minute.
        return Refusal(busy=True, retry_at=now + timedelta(seconds=30), limit=RENDERS_AT_ONCE)
    limit = settings.REPORT_PDF_RENDERS_PER_HOUR
    hour = ReportRender.objects.filter(
        kind=ReportRender.Kind.LIVE, requested_by_id=user_id, created_at__gte=now - timedelta(seconds=HOUR)
    ).aggregate(count=Count("pk"), first=Min("created_at"))
    if hour["count"] >= limit:
        return Refusal(busy=False, retry_at=hour["first"] + timedelta(seconds=HOUR), limit=limit)
    return None


def request_pdf(plan: Plan, year: int, report: FollowUpReport | None, user) -> bytes | ReportRender | Refusal:
    """The PDF of the report as the plan stands now if it is made, else the render that makes it
    (queued now if need be), or why the person may not queue one. Never renders."""
    digest = fingerprint(plan, year, report)
    lookup = {"kind": ReportRender.Kind.LIVE, "plan": plan, "year": year, "fingerprint": digest}
    render = ReportRender.objects.filter(**lookup).first()
    if render is not None:
        if render.state == State.DONE:
            content = cached_pdf(plan, year, render.html_sha256)
            if content is not None:
                return content
        elif render.is_active and not is_stale(render):
            return render
    # Nothing made or being made for this state of the plan (or its file was replaced, or its
    # render failed or was lost): queue one, in the person's name.
    refusal = _refusal(user.pk)
    if refusal is not None:
        return refusal
    queued = {"state": State.QUEUED, "requested_by": user, "created_at": timezone.now()}
    queued |= {"started_at": None, "finished_at": None, "error": "", "attempts": 0}
    with transaction.atomic():
        if render is None:
            try:
                with transaction.atomic():
                    render = ReportRender.objects.create(**lookup, **queued)
            except IntegrityError:
                # Someone asked for the same state of the plan at the same moment: theirs it is.
                return ReportRender.objects.get(**lookup)
        elif not ReportRender.objects.filter(pk=render.pk, state=render.state).update(**queued):
            # Someone else queued it again first.
            render.refresh_from_db()
            return render
        else:
            render.refresh_from_db()
        # In the same transaction as the row: the queue is a table of the same database, so the
        # job and its row exist together or not at all, and no worker sees the job before the row.
        jobs.enqueue(RENDER_JOB, render.pk)
    return render
