"""A record of every spreadsheet import: who, when, which file, what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models.geography import County
from plans.models.plans import Plan


class ImportRecord(models.Model):
    class Kind(models.TextChoices):
        ACTIVITIES = "activities", _("activity matrix")
        GOALS = "goals", _("goals")
        INDICATOR_VALUES = "indicator_values", _("indicator values")
        FOLLOW_UPS = "follow_ups", _("follow-ups")

    class Outcome(models.TextChoices):
        COMMITTED = "committed", _("committed")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    county = models.ForeignKey(
        County, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports", verbose_name=_("plan")
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    rows_new = models.PositiveIntegerField(_("new rows"), default=0)
    rows_changed = models.PositiveIntegerField(_("changed rows"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged rows"), default=0)
    rows_error = models.PositiveIntegerField(_("rows with errors"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
