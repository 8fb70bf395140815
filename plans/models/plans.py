"""Plans, their priority areas and goals, and the funds allocated to them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from planportal.lib.history import HistoricalRecords
from planportal.models import TimeStampedModel
from plans.models.geography import County, FocusArea, SubRegion

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class MoneyField(models.DecimalField):
    """An amount in Swedish kronor: shown as "450 000 kr" wherever values are shown generically."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


def non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
        name=name,
        violation_error_message=_("Amounts of money cannot be negative."),
    )


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        from plans.permissions import readable_county_ids

        if user.is_active and user.is_staff:
            return self
        return self.filter(county_id__in=readable_county_ids(user))

    def live(self) -> "PlanQuerySet":
        return self.exclude(status=Plan.Status.ARCHIVED)


class Plan(TimeStampedModel):
    """A county's handlingsplan for a period of years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")
        ARCHIVED = "archived", _("archived")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="plans", verbose_name=_("county")
    )
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(
        _("adopted by"), max_length=200, blank=True, help_text=_("The body that adopted the plan.")
    )
    revised_on = models.DateField(_("revised on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(scope="county")
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plan_period_ends_after_start",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class PriorityArea(TimeStampedModel):
    """An insatsområde of one plan, e.g. "Stärkt brukarmedverkan"."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="priority_areas", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords(scope="plan")

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["plan_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="priorityarea_unique_name_per_plan",
                violation_error_message=_("The plan already has a priority area with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.TextChoices):
    ADULTS = "adults", _("adults")
    CHILDREN = "children", _("children and young people")
    ALL = "all", _("all ages")


class Goal(TimeStampedModel):
    """A coded goal of a plan, e.g. V1.1 "Nollvision om suicid"."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    code = models.CharField(
        _("code"), max_length=20, help_text=_("Unique within the plan, e.g. V1.1 or B3.1.")
    )
    title = models.CharField(_("goal"), max_length=500)
    target_group = models.CharField(
        _("target group"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.ALL
    )
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("focus area"),
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("priority area"),
    )
    background = models.TextField(_("background"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords(scope="plan")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan_id", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="goal_unique_code_per_plan",
                violation_error_message=_("The plan already has a goal with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        if self.priority_area_id and self.plan_id and self.priority_area.plan_id != self.plan_id:
            raise ValidationError({"priority_area": _("The priority area belongs to another plan.")})


class FundingAllocation(TimeStampedModel):
    """Medelstilldelning: state funds (stimulansmedel) allocated in a county for a year."""

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="funding", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("priority area"),
    )
    sub_region = models.ForeignKey(
        SubRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("sub-region"),
    )
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    amount = MoneyField(_("amount (SEK)"))
    description = models.CharField(_("description"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding allocation")
        verbose_name_plural = _("funding allocations")
        ordering = ["county", "year", "recipient"]
        constraints = [non_negative("amount", "funding_amount_non_negative")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}: {self.recipient or self.description}"

    def clean(self) -> None:
        if self.priority_area_id and self.county_id and self.priority_area.plan.county_id != self.county_id:
            raise ValidationError({"priority_area": _("The priority area belongs to another county.")})
        if self.sub_region_id and self.county_id and self.sub_region.county_id != self.county_id:
            raise ValidationError({"sub_region": _("The sub-region belongs to another county.")})
