"""Who belongs to which county, and in what role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planportal.lib.history import HistoricalRecords
from plans.models.geography import County, Organisation


class Role(models.TextChoices):
    READER = "reader", _("reader")
    EDITOR = "editor", _("editor")
    APPROVER = "approver", _("approver")
    # Reads like a reader; edits the follow-ups and status of the activities their organisations lead.
    CONTRIBUTOR = "contributor", _("contributor")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("county")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisations"),
        help_text=_("For a contributor: the organisations whose activities they follow up."),
    )

    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "county"],
                name="membership_one_role_per_county",
                violation_error_message=_("The user already has a role in this county."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.county} ({self.get_role_display()})"
