"""The yearly follow-up report that the steering group approves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planportal.lib.history import HistoricalRecords
from planportal.models import TimeStampedModel
from plans.models.plans import YEAR_VALIDATORS, Plan


def report_upload_to(report: "FollowUpReport", filename: str) -> str:
    return f"reports/{report.plan.county.letter_code}/{report.plan_id}/{report.year}/{filename}"


def report_upload_to_revision(revision: "ReportRevision", filename: str) -> str:
    return report_upload_to(revision.report, filename)


class FollowUpReport(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")
        # Approved by a godkännare, frozen, while a job creates the PDF that makes it "approved".
        APPROVING = "approving", _("being approved")

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

    def latest_revision(self) -> "ReportRevision | None":
        """The newest approved version: the one ``…/pdf/`` serves while the report is approved."""
        return self.revisions.order_by("-number").first()


class ReportSection(TimeStampedModel):
    """A part of the report that the editors write: the summary, an area's assessment, the use
    of the state funds, the closing part. Written in a small Markdown (``planportal.lib.markup``).

    ``key`` names the part: ``summary``, ``funds``, ``closing``, or ``focus-<number>`` /
    ``priority-<id>`` for an area's assessment, as the plan is organised (``plans.reports.data``).
    The summary, funds and closing parts use ``text``; an assessment uses the three others.
    """

    SUMMARY = "summary"
    FUNDS = "funds"
    CLOSING = "closing"

    report = models.ForeignKey(
        FollowUpReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("report")
    )
    key = models.CharField(_("part"), max_length=40)
    text = models.TextField(_("text"), blank=True, max_length=20000)
    achieved = models.TextField(
        _("achievement"), blank=True, max_length=20000, help_text=_("What was achieved during the year.")
    )
    analysis = models.TextField(
        _("analysis"), blank=True, max_length=20000, help_text=_("Why it went as it did, and what it means.")
    )
    planning = models.TextField(_("planning"), blank=True, max_length=20000, help_text=_("What comes next."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="report_section_one_per_key",
                violation_error_message=_("The report already has this part."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.key}"

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.achieved or self.analysis or self.planning)


class ReportComment(TimeStampedModel):
    """A comment of the steering group on a written part or a goal of the report, or an answer to one.

    ``target`` is the part's key (``summary``, ``focus-2`` …) or ``goal-<id>``. A thread is a
    comment without ``parent`` and its answers; resolving the first comment resolves the thread.
    """

    report = models.ForeignKey(
        FollowUpReport, on_delete=models.CASCADE, related_name="comments", verbose_name=_("report")
    )
    target = models.CharField(_("commented part"), max_length=40)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("answer to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("comment"), max_length=4000)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} – {self.target}: {self.text[:40]}"


class ReportRevision(models.Model):
    """One approval of the report and the PDF stored with it; never changed afterwards, except
    to record that the report was reopened after it (who, when, why)."""

    report = models.ForeignKey(
        FollowUpReport, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    approved_at = models.DateTimeField(_("approved at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    pdf = models.FileField(_("approved PDF"), upload_to=report_upload_to_revision, max_length=200)
    pdf_sha256 = models.CharField(_("SHA-256 of the approved PDF"), max_length=64)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("approved version")
        verbose_name_plural = _("approved versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="report_revision_unique_number",
                violation_error_message=_("The report already has a version with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportRender(models.Model):
    """One PDF of a report made by a job (``plans.reports.rendering``), off the request.

    A live render (``kind`` live) makes the report as the plan stands now; the request that asks
    for it stores the fingerprint of the data (``plans.reports.live_pdf.fingerprint``), at most one
    render per fingerprint, and the job stores the bytes in the file cache under the SHA-256 of
    the HTML it laid out. An approval render (``kind`` approval) lays out the HTML frozen when the
    godkännare approved, and its job stores the approved version (``ReportRevision``).
    """

    class Kind(models.TextChoices):
        LIVE = "live", _("current PDF")
        APPROVAL = "approval", _("approved PDF")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being created")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIVE)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    report = models.ForeignKey(
        FollowUpReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="renders",
        verbose_name=_("report"),
    )
    fingerprint = models.CharField(_("fingerprint of the data"), max_length=64, blank=True)
    html = models.TextField(_("frozen HTML"), blank=True)
    html_sha256 = models.CharField(_("SHA-256 of the HTML"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF render")
        verbose_name_plural = _("PDF renders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "fingerprint"],
                condition=models.Q(kind="live"),
                name="report_render_one_live_per_fingerprint",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "state"], name="report_render_user_state"),
            models.Index(fields=["plan", "year", "state"], name="report_render_plan_year_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plan_id}/{self.year} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE
