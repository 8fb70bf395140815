"""The invitation mail: queued when the invitation commits, sent by a job worker."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation

logger = logging.getLogger(__name__)
MAIL_LANGUAGE = "sv"


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[invitation.token])


def send_invitation(invitation_id: int) -> int:
    """The job: mail the link, unless the invitation was used or revoked meanwhile; returns how many mails."""
    invitation = Invitation.objects.select_related("county", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return 0
    context = {"invitation": invitation, "county": invitation.county, "url": invitation_url(invitation)}
    with translation.override(MAIL_LANGUAGE):
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        body = render_to_string("accounts/email/invitation.txt", context)
    EmailMessage(subject, body, to=[invitation.email]).send()
    logger.info("Invitation %s mailed", invitation.pk)
    return 1
