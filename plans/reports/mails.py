"""Mails of the report flow: the approvers hear of a submitted report, the editors of a
returned or approved one. Queued when the step's transaction commits and sent by a job
worker, so a step that fails sends nothing and no request waits for a mail server."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from planportal import jobs
from plans.models import FollowUpReport, Role

logger = logging.getLogger(__name__)

SUBMITTED, RETURNED, APPROVED = "submitted", "returned", "approved"
RECIPIENT_ROLE = {SUBMITTED: Role.APPROVER, RETURNED: Role.EDITOR, APPROVED: Role.EDITOR}
MAIL_LANGUAGE = "sv"


def queue_report_mail(report: FollowUpReport, event: str) -> None:
    """Queue the mail of ``event`` once the current transaction commits."""
    if event not in RECIPIENT_ROLE:
        raise ValueError(f"Unknown report event {event!r}")
    jobs.enqueue_on_commit("plans.reports.mails.send_report_mail", report.pk, event)


def send_report_mail(report_id: int, event: str) -> int:
    """The job: one mail to each active member of the county with the event's role; returns how many."""
    report = (
        FollowUpReport.objects.select_related("plan__county", "submitted_by", "approved_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return 0
    plan = report.plan
    users = (
        get_user_model()
        .objects.filter(
            memberships__county_id=plan.county_id, memberships__role=RECIPIENT_ROLE[event], is_active=True
        )
        .exclude(email="")
        .order_by("username")
        .distinct()
    )
    acting = report.submitted_by if event == SUBMITTED else report.approved_by if event == APPROVED else None
    context = {
        "event": event,
        "report": report,
        "plan": plan,
        "county": plan.county,
        "who": (acting.get_full_name() or acting.username) if acting else "",
        "url": settings.SITE_URL + reverse("report_detail", args=[plan.pk, report.year]),
    }
    with translation.override(MAIL_LANGUAGE):
        subject = " ".join(render_to_string("plans/email/report_subject.txt", context).split())
        body = render_to_string("plans/email/report.txt", context)
    messages = [EmailMessage(subject, body, to=[user.email]) for user in users]
    if messages:
        get_connection().send_messages(messages)
    logger.info("Report %s %s: %s mail(s)", report.pk, event, len(messages))
    return len(messages)
