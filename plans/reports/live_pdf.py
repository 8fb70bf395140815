"""Live report PDFs, bounded: served from a file cache while the plan is unchanged, and
rendered at most once at a time and a few times an hour per user.

Rendering a 300-activity plan holds a web worker for many seconds, and any reader may ask
for it. Two things keep that cheap:

- The bytes are kept under ``MEDIA_ROOT/cache/reports`` (shared by every web worker, like
  the approved PDFs), named by a fingerprint of everything the report shows: the plan, its
  priority areas, goals, activities and follow-ups, the county's funding for the year,
  the report's status, the national data and the date on the cover. Any change gives a new
  fingerprint, so a stale PDF is never served; only the newest file per plan and year is kept.
- Rendering is bounded per user with counters in Django's cache: one render at a time,
  ``REPORT_PDF_RENDERS_PER_HOUR`` renders in any hour. A PDF served from the cache is free.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from activities.models import Activity, ActivityFollowUp
from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
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
    ReportSection,
)

# Bump when the report's templates or data change shape, so that no PDF of the old shape is served.
FORMAT = 3
HOUR = 3600
# A render that has not finished in this time is taken to have died with its worker.
RENDER_LOCK_SECONDS = 600


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


def cached_pdf(plan: Plan, year: int, digest: str) -> bytes | None:
    return filecache.read("reports", f"plan-{plan.pk}-{year}", digest, ".pdf")


def store_pdf(plan: Plan, year: int, digest: str, content: bytes) -> None:
    """Keep ``content`` as the plan's PDF for the year, replacing any older one."""
    filecache.store("reports", f"plan-{plan.pk}-{year}", digest, ".pdf", content)


@dataclass(frozen=True)
class Refusal:
    """Why a render was refused, and when the user may try again."""

    busy: bool
    retry_at: datetime
    limit: int

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - timezone.now()).total_seconds()))


def render_bounded(user_id: int, render: Callable[[], bytes]) -> bytes | Refusal:
    """Run ``render`` unless the user is rendering already or has used up the hour's renders."""
    limit = settings.REPORT_PDF_RENDERS_PER_HOUR
    lock_key = f"report-pdf:rendering:{user_id}"
    if not cache.add(lock_key, time.time(), RENDER_LOCK_SECONDS):
        # Another render of this user's runs: it is usually done within the minute.
        return Refusal(busy=True, retry_at=timezone.now() + timedelta(seconds=30), limit=limit)
    try:
        # Only the holder of the lock reads and writes the user's list of renders.
        renders_key = f"report-pdf:renders:{user_id}"
        now = time.time()
        recent = [started for started in cache.get(renders_key, []) if started > now - HOUR]
        if len(recent) >= limit:
            retry_at = datetime.fromtimestamp(min(recent) + HOUR, tz=timezone.get_current_timezone())
            return Refusal(busy=False, retry_at=retry_at, limit=limit)
        cache.set(renders_key, [*recent, now], HOUR)
        return render()
    finally:
        cache.delete(lock_key)
