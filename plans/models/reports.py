"""The yearly follow-up report that the steering group approves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planportal.lib.history import HistoricalRecords
from planportal.models import TimeStampedModel
from plans.models.plans import YEAR_VALIDATORS, Plan


def report_upload_to(report: "FollowUpReport", filename: str) -> str:
    return f"reports/{report.plan.county.letter_code}/{report.plan_id}/{report.year}/{filename}"


class FollowUpReport(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    # A plan with reports is archived, not deleted: an approved report and its PDF are a public record.
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("The steering group's comment when it returns the report.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    pdf = models.FileField(_("approved PDF"), upload_to=report_upload_to, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the approved PDF"), max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                name="report_one_per_plan_and_year",
                violation_error_message=_("The plan already has a report for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}"
