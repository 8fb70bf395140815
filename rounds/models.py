"""The yearly follow-up round: a redaktör asks the responsible organisations for the year's follow-ups."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planportal.lib.history import HistoricalRecords
from plans.models import Plan
from plans.models.plans import YEAR_VALIDATORS


def runs_in_year(year: int) -> Q:
    """Activities active in ``year`` by their dates, or followed up that year (as the plan page's filter)."""
    return (
        (Q(start_date__isnull=True) | Q(start_date__year__lte=year))
        & (Q(end_date__isnull=True) | Q(end_date__year__gte=year))
    ) | Q(follow_ups__year=year)


class FollowUpRoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FollowUpRoundQuerySet":
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def open(self) -> "FollowUpRoundQuerySet":
        return self.filter(status=FollowUpRound.Status.OPEN)


class FollowUpRound(models.Model):
    """Uppföljningsomgång: one per plan and year, with a deadline and an instruction.

    The answers themselves are the activities' follow-ups (``ActivityFollowUp``) of the
    year; the round only asks for them. So a round goes with its plan (CASCADE): a plan can
    be deleted only when it has no activities, hence no answers, and the round's own
    record stays in its history.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="follow_up_rounds", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("What the contributors should write, and how.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    history = HistoricalRecords(scope="plan")
    objects = FollowUpRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        ordering = ["plan_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                name="round_one_per_plan_and_year",
                violation_error_message=_("The plan already has a follow-up round for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def activities(self):
        """The plan's activities active in the round's year (the rows the round asks about)."""
        from activities.models import Activity

        ids = self.plan.activities.filter(runs_in_year(self.year)).values("pk")
        return Activity.objects.filter(pk__in=ids)

    def follow_ups(self):
        from activities.models import ActivityFollowUp

        return ActivityFollowUp.objects.filter(activity__in=self.activities().values("pk"), year=self.year)


class SentReminder(models.Model):
    """One reminder mail of a round to one person: who, when, on which occasion.

    The row is written in the same transaction as the mail is sent, and its constraints
    make a second mail for the same occasion impossible: the automatic occasions go once
    per person and round, the manual "Påminn" once per person and day.
    """

    class Occasion(models.TextChoices):
        OPENED = "opened", _("round opened")
        BEFORE_DEADLINE = "before_deadline", _("before the deadline")
        AFTER_DEADLINE = "after_deadline", _("after the deadline")
        MANUAL = "manual", _("reminder sent by hand")

    round = models.ForeignKey(
        FollowUpRound, on_delete=models.CASCADE, related_name="sent_reminders", verbose_name=_("round")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    # As addressed when sent: the record stays true if the user's address changes later.
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=300)
    missing = models.PositiveIntegerField(_("follow-ups missing"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "occasion"],
                condition=~Q(occasion="manual"),
                name="reminder_once_per_occasion",
            ),
            models.UniqueConstraint(
                fields=["round", "user", "occasion", "day"], name="reminder_once_per_occasion_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.email} ({self.get_occasion_display()})"
