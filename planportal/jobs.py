"""The one place where background work is queued and scheduled.

Jobs are plain functions, named by their dotted path, that django-q2 workers run
(`manage.py qcluster`; `make run` starts one beside the dev server). The queue is a table in
the app's own database (django-q2's ORM broker), so a job queued inside a transaction exists
only if that transaction commits; use ``enqueue_on_commit`` when the job must see what the
transaction wrote. A job may run twice (a worker that dies is replaced and its job handed out
again), so every job must be safe to repeat.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

logger = logging.getLogger(__name__)


def enqueue(func: str, *args: Any, **kwargs: Any) -> str:
    """Queue ``func`` (a dotted path) with its arguments; returns the job's id.

    Arguments are pickled into the queue: pass ids and plain values, not model instances,
    so that the job reads the rows as they are when it runs.
    """
    job_id = async_task(func, *args, task_name=func.rsplit(".", 1)[-1], **kwargs)
    logger.info("Queued %s (%s)", func, job_id)
    return job_id


def enqueue_on_commit(func: str, *args: Any, **kwargs: Any) -> None:
    """Queue ``func`` once the current transaction commits (at once outside one).

    A rolled-back transaction queues nothing, and the job never runs before the rows it
    reads are visible to the worker.
    """
    transaction.on_commit(lambda: enqueue(func, *args, **kwargs))


@dataclass(frozen=True)
class ScheduledJob:
    """A job that a worker's scheduler queues every day at ``at`` (Stockholm time)."""

    name: str
    func: str
    at: dt.time


SCHEDULES: tuple[ScheduledJob, ...] = (
    # Reminders of follow-up rounds: when a round opens, before and after its deadline.
    ScheduledJob(name="rounds.reminders", func="rounds.tasks.send_due_reminders", at=dt.time(7, 0)),
    # Kolada's values for every county with Kolada indicators (one queued sync per county), at
    # night when nobody is editing.
    ScheduledJob(name="indicators.kolada", func="indicators.kolada.sync_all_counties", at=dt.time(3, 30)),
)


def _next_daily_run(at: dt.time, now: dt.datetime) -> dt.datetime:
    local_now = timezone.localtime(now)
    candidate = local_now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= local_now:
        candidate += dt.timedelta(days=1)
    return candidate


def setup_schedules(*, now: dt.datetime | None = None) -> list[Schedule]:
    """Create or update the daily schedules of ``SCHEDULES``; safe to run any number of times.

    An existing schedule keeps its next run (running the command does not postpone or
    repeat a day's job) unless its time of day changed.
    """
    now = now or timezone.now()
    schedules = []
    for job in SCHEDULES:
        schedule = Schedule.objects.filter(name=job.name).first()
        next_run = _next_daily_run(job.at, now)
        if schedule is None:
            schedule = Schedule(name=job.name, next_run=next_run)
        elif schedule.next_run is None or timezone.localtime(schedule.next_run).time() != job.at:
            schedule.next_run = next_run
        schedule.func = job.func
        schedule.schedule_type = Schedule.DAILY
        schedule.repeats = -1
        schedule.full_clean()
        schedule.save()
        schedules.append(schedule)
    return schedules
