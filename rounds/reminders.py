"""Reminder mails of a follow-up round: who still owes a follow-up, and the mail that says so.

Recipients are the county's contributors (bidragsgivare) whose organisations lead activities
of the round whose follow-up for the year is not done. Each person gets one mail per
occasion — when the round opens, REMINDER_DAYS_BEFORE_DEADLINE days before the deadline,
after it — and at most one "Påminn" mail a day. Mails are sent by jobs (``rounds.tasks``),
never inside a request.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import FollowUpState
from plans.models import Membership, Role
from rounds.models import FollowUpRound, SentReminder

logger = logging.getLogger(__name__)

Occasion = SentReminder.Occasion

# Mails are Swedish, whatever language the person who pressed the button reads.
MAIL_LANGUAGE = "sv"
# Activities listed in one mail; the link shows them all.
LISTED_ACTIVITIES = 25


@dataclass
class Recipient:
    user: object
    activities: list[str] = field(default_factory=list)


def due_occasion(round: FollowUpRound, today: dt.date) -> str | None:
    """The automatic occasion of an open round on ``today``: one a day, the most urgent."""
    if not round.is_open:
        return None
    if today > round.deadline:
        return Occasion.AFTER_DEADLINE
    if today >= round.deadline - dt.timedelta(days=settings.REMINDER_DAYS_BEFORE_DEADLINE):
        return Occasion.BEFORE_DEADLINE
    return Occasion.OPENED


def recipients(round: FollowUpRound) -> list[Recipient]:
    """The county's active contributors with an address, each with the titles of the activities
    their organisations lead whose follow-up of the round's year is not done (a fixed number of
    queries, however many people and activities)."""
    done = round.follow_ups().filter(state=FollowUpState.DONE).values("activity_id")
    rows = (
        round.activities()
        .exclude(pk__in=done)
        .filter(lead_organisations__isnull=False)
        .values_list("pk", "title", "lead_organisations")
    )
    by_organisation: dict[int, dict[int, str]] = {}
    for activity_id, title, organisation_id in rows:
        by_organisation.setdefault(organisation_id, {})[activity_id] = title
    memberships = (
        Membership.objects.filter(county_id=round.plan.county_id, role=Role.CONTRIBUTOR, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("organisations")
        .order_by("user__username")
    )
    found = []
    for membership in memberships:
        owed: dict[int, str] = {}
        for organisation in membership.organisations.all():
            owed.update(by_organisation.get(organisation.pk, {}))
        if owed:
            found.append(Recipient(user=membership.user, activities=sorted(owed.values(), key=str.casefold)))
    return found


def follow_up_url() -> str:
    """Where a contributor sees and writes what their organisations still owe."""
    return settings.SITE_URL + reverse("my_follow_up")


def render_reminder(round: FollowUpRound, recipient: Recipient, occasion: str) -> tuple[str, str]:
    """The mail's subject and text, in Swedish."""
    context = {
        "round": round,
        "plan": round.plan,
        "county": round.plan.county,
        "occasion": occasion,
        "user": recipient.user,
        "activities": recipient.activities[:LISTED_ACTIVITIES],
        "more": max(0, len(recipient.activities) - LISTED_ACTIVITIES),
        "count": len(recipient.activities),
        "url": follow_up_url(),
    }
    with translation.override(MAIL_LANGUAGE):
        subject = render_to_string("rounds/email/reminder_subject.txt", context)
        body = render_to_string("rounds/email/reminder.txt", context)
    return " ".join(subject.split()), body


def send_reminders(
    round: FollowUpRound, occasion: str, *, today: dt.date | None = None, sent_by=None
) -> list[SentReminder]:
    """Mail everyone who still owes a follow-up and has not had this occasion's mail (today's,
    for the manual one). Safe to run any number of times, also twice at once: the reminder's
    row is written before its mail is sent, in one transaction per person, and the unique
    constraints let only one of two runs write it. A failed mail rolls back its row, so the
    job's retry sends it."""
    today = today or timezone.localdate()
    lookup_day = {"day": today} if occasion == Occasion.MANUAL else {}
    sent = []
    for recipient in recipients(round):
        user = recipient.user
        with transaction.atomic():
            reminder, created = SentReminder.objects.get_or_create(
                round=round,
                user=user,
                occasion=occasion,
                **lookup_day,
                defaults={
                    "day": today,
                    "email": user.email,
                    "name": user.get_full_name() or user.username,
                    "missing": len(recipient.activities),
                    "sent_by": sent_by,
                },
            )
            if not created:
                continue
            subject, body = render_reminder(round, recipient, occasion)
            send_mail(subject, body, None, [user.email])
        sent.append(reminder)
    logger.info("Round %s: %s reminder(s) sent (%s)", round.pk, len(sent), occasion)
    return sent


def send_due_reminders(*, today: dt.date | None = None) -> int:
    """The daily job's work: each open round's due occasion to those who have not had it."""
    today = today or timezone.localdate()
    total = 0
    for round in FollowUpRound.objects.open().select_related("plan__county").order_by("pk"):
        occasion = due_occasion(round, today)
        if occasion:
            total += len(send_reminders(round, occasion, today=today))
    return total
