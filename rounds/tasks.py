"""Jobs of the follow-up round, run by the job workers (queued through ``planportal.jobs``).

Arguments are ids and ISO dates: a job reads the rows as they are when it runs.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from planportal import jobs
from rounds import reminders
from rounds.models import FollowUpRound, SentReminder


def send_due_reminders(today: str | None = None) -> int:
    """Daily (``planportal.jobs.SCHEDULES``): every open round's due reminders; returns how many."""
    return reminders.send_due_reminders(today=dt.date.fromisoformat(today) if today else None)


def send_round_reminders(round_id: int) -> int:
    """At once for one round, e.g. when it has just been opened: its due occasion."""
    round = FollowUpRound.objects.select_related("plan__county").filter(pk=round_id).first()
    occasion = round and reminders.due_occasion(round, timezone.localdate())
    if not occasion:
        return 0
    return len(reminders.send_reminders(round, occasion))


def send_manual_reminders(round_id: int, sent_by_id: int | None, day: str) -> int:
    """The round page's "Påminn": everyone who still owes a follow-up, once a day each."""
    round = FollowUpRound.objects.select_related("plan__county").filter(pk=round_id).first()
    if round is None or not round.is_open:
        return 0
    sent_by = get_user_model().objects.filter(pk=sent_by_id).first()
    sent = reminders.send_reminders(
        round, SentReminder.Occasion.MANUAL, today=dt.date.fromisoformat(day), sent_by=sent_by
    )
    return len(sent)


def queue_manual_reminders(round: FollowUpRound, user) -> None:
    """Queue the "Påminn" job once the request's transaction commits."""
    jobs.enqueue_on_commit(
        "rounds.tasks.send_manual_reminders", round.pk, user.pk, timezone.localdate().isoformat()
    )


def queue_round_reminders(round: FollowUpRound) -> None:
    """Queue the opening mails of a round that has just been opened (call inside the transaction)."""
    jobs.enqueue_on_commit("rounds.tasks.send_round_reminders", round.pk)
