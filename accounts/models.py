"""Invitations to a county, and the log of what a county's administrators did to its people."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import County, Organisation, Role

TOKEN_SALT = "accounts.invitation"


def new_key() -> str:
    return secrets.token_urlsafe(24)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mailed offer of a role in a county; its link is signed, expires and works once."""

    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("county")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="invitations", verbose_name=_("organisations")
    )
    # The secret in the link besides the signature: a revoked or used invitation's link is dead.
    key = models.CharField(max_length=64, default=new_key, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} – {self.county} ({self.get_role_display()})"

    @property
    def token(self) -> str:
        # Without a timestamp, so that the same invitation always has the same link: it expires
        # by ``expires_at``, which a setting decides and a test can move.
        return signing.Signer(salt=TOKEN_SALT).sign_object({"id": self.pk, "key": self.key})

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class PeopleEvent(models.Model):
    """One change to a county's people: who did it, to whom, and why (kept when the person is erased)."""

    class Action(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted an invitation")
        REVOKED = "revoked", _("revoked an invitation")
        ROLE_CHANGED = "role_changed", _("changed the role")
        REMOVED = "removed", _("removed the membership")
        DEACTIVATED = "deactivated", _("deactivated")
        EXPORTED = "exported", _("exported personal data")
        ERASED = "erased", _("erased personal data")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people_events",
        verbose_name=_("person"),
    )
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # What changed, in words that name no one (the erased keep their row here).
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("change to people")
        verbose_name_plural = _("changes to people")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
