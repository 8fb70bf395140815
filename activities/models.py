"""Activities — the rows of a plan's matrix — and their yearly follow-ups."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from planportal.lib.history import HistoricalRecords
from planportal.models import TimeStampedModel
from plans.models import Goal, Organisation, Plan, PriorityArea, SubRegion
from plans.models.plans import YEAR_VALIDATORS, MoneyField, non_negative


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")
    PAUSED = "paused", _("paused")
    CANCELLED = "cancelled", _("cancelled")


class ActivityType(models.TextChoices):
    KNOWLEDGE = "knowledge", _("knowledge raising")
    STAFFING = "staffing", _("staff resources")
    COLLABORATION = "collaboration", _("stronger collaboration structures")
    GUIDELINES = "guidelines", _("plans and guidelines")
    PRACTICE = "practice", _("changed ways of working")
    OTHER = "other", _("other")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActivityQuerySet":
        return self.filter(plan__in=Plan.objects.visible_to(user))


class Activity(TimeStampedModel):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("priority area"),
    )
    title = models.CharField(_("activity"), max_length=1000)
    current_state = models.TextField(_("current state"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    indicators_text = models.TextField(_("indicators"), blank=True)
    timeline = models.CharField(_("timeline"), max_length=200, blank=True)
    responsible = models.TextField(_("responsible"), blank=True)
    cost_text = models.TextField(_("cost"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    activity_type = models.CharField(
        _("activity type"), max_length=20, choices=ActivityType.choices, default=ActivityType.OTHER
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = MoneyField(_("budget (SEK)"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="activities", verbose_name=_("goals"))
    lead_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="activities", verbose_name=_("lead organisations")
    )
    sub_regions = models.ManyToManyField(
        SubRegion, blank=True, related_name="activities", verbose_name=_("sub-regions")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords(scope="plan", m2m_fields=[goals, lead_organisations, sub_regions])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan_id", "position", "id"]
        constraints = [
            non_negative("budget", "activity_budget_non_negative"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date"))
                | Q(end_date__isnull=True)
                | Q(start_date__isnull=True),
                name="activity_ends_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.priority_area_id and self.plan_id and self.priority_area.plan_id != self.plan_id:
            raise ValidationError({"priority_area": _("The priority area belongs to another plan.")})


class FollowUpState(models.TextChoices):
    """How far the year's follow-up is written; an activity with none for the year is "not started"."""

    DRAFT = "draft", _("draft")
    # "done" is already the activity status "genomförd"; a finished follow-up is "klar".
    DONE = "done", pgettext_lazy("follow-up state", "done")


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FollowUpQuerySet":
        return self.filter(activity__plan__in=Plan.objects.visible_to(user))


class ActivityFollowUp(TimeStampedModel):
    """Uppföljning: how an activity stood at the end of a year, and what comes next."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("activity")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status at year end"), max_length=20, choices=Status.choices, default=Status.ONGOING
    )
    achieved = models.TextField(
        _("achievement"), blank=True, help_text=_("What was achieved during the year.")
    )
    planning = models.TextField(_("planning"), blank=True, help_text=_("What comes next."))
    spent = MoneyField(_("spent (SEK)"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.DRAFT
    )

    history = HistoricalRecords(scope="activity")
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["activity_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "year"],
                name="followup_one_per_activity_and_year",
                violation_error_message=_("The activity already has a follow-up for this year."),
            ),
            non_negative("spent", "followup_spent_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.year}"
