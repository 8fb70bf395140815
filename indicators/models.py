"""Indicators, their values per area, year and gender, and the counties' targets."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from planportal.lib.history import HistoricalRecords
from planportal.lib.swedish import SwedishCollate
from planportal.models import TimeStampedModel
from plans.models import County, Goal, Municipality, SubRegion
from plans.models.plans import YEAR_VALIDATORS


class IndicatorQuerySet(models.QuerySet):
    def for_county(self, county_id: int) -> "IndicatorQuerySet":
        """The national catalogue and the county's own indicators; never another county's own."""
        return self.filter(Q(county__isnull=True) | Q(county_id=county_id))

    def national(self) -> "IndicatorQuerySet":
        return self.filter(county__isnull=True)


class Indicator(TimeStampedModel):
    """An indicator of the national catalogue (no county) or a county's own indicator."""

    class Unit(models.TextChoices):
        COUNT = "count", _("number")
        PERCENT = "percent", _("share (%)")
        PER_100K = "per_100k", _("per 100,000 inhabitants")
        SEK = "sek", _("SEK")
        OTHER = "other", _("other")

    class Kind(models.TextChoices):
        PROCESS = "process", _("process")
        OUTPUT = "output", _("output")
        OUTCOME = "outcome", _("outcome")

    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")
        NONE = "none", _("no desired direction")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_indicators",
        verbose_name=_("county"),
        help_text=_(
            "Empty for the national catalogue; a county's own indicator is seen by that county only."
        ),
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        help_text=_("Kolada KPI id or the county's own code; unique within the catalogue or the county."),
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.COUNT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OUTCOME)
    source = models.CharField(_("source"), max_length=200, blank=True)
    kolada_id = models.CharField(_("Kolada KPI id"), max_length=20, blank=True)
    desired_direction = models.CharField(
        _("desired direction"), max_length=10, choices=Direction.choices, default=Direction.NONE
    )
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="indicators", verbose_name=_("goals"))
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="indicators", verbose_name=_("activities")
    )

    history = HistoricalRecords(m2m_fields=[goals, activities])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = [SwedishCollate("name").asc()]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(county__isnull=True),
                name="indicator_unique_national_code",
                violation_error_message=_("The national catalogue already has an indicator with this code."),
            ),
            models.UniqueConstraint(
                fields=["county", "code"],
                condition=Q(county__isnull=False),
                name="indicator_unique_code_per_county",
                violation_error_message=_("The county already has an indicator with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Gender(models.TextChoices):
    TOTAL = "T", _("total")
    WOMEN = "K", _("women")
    MEN = "M", _("men")


AREA_FIELDS = ("county", "municipality", "sub_region")


def _exactly_one_area() -> Q:
    conditions = Q()
    for field in AREA_FIELDS:
        others = [other for other in AREA_FIELDS if other != field]
        conditions |= Q(**{f"{field}__isnull": False}, **{f"{other}__isnull": True for other in others})
    return conditions


class ValueSource(models.TextChoices):
    ENTERED = "entered", _("entered by hand")
    IMPORTED = "imported", _("imported from a spreadsheet")
    KOLADA = "kolada", _("Kolada")


class IndicatorValue(models.Model):
    """One value of an indicator for one area (county, municipality or sub-region), year and gender."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    sub_region = models.ForeignKey(
        SubRegion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-region"),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=10, choices=ValueSource.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year"]
        indexes = [models.Index(fields=["indicator", "year"], name="indicatorvalue_ind_year")]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_area(),
                name="indicatorvalue_exactly_one_area",
                violation_error_message=_(
                    "A value belongs to exactly one county, municipality or sub-region."
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=["indicator", field, "year", "gender"],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"indicatorvalue_unique_{field}",
                    violation_error_message=_(
                        "There is already a value for this indicator, area, year and gender."
                    ),
                )
                for field in AREA_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area} {self.year} {self.gender}: {self.value}"

    @property
    def area(self):
        return self.county or self.municipality or self.sub_region

    def owning_county_id(self) -> int | None:
        """The county whose members may see this value."""
        if self.county_id:
            return self.county_id
        if self.municipality_id:
            return self.municipality.county_id
        if self.sub_region_id:
            return self.sub_region.county_id
        return None


class IndicatorTarget(models.Model):
    """A county's target for an indicator in a given year."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="indicator_targets", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "county", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "county", "year"],
                name="indicatortarget_one_per_county_and_year",
                violation_error_message=_("The county already has a target for this indicator and year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.county} {self.year}: {self.value}"

    def clean(self) -> None:
        is_share = self.indicator_id and self.indicator.unit == Indicator.Unit.PERCENT
        if is_share and self.value is not None and not 0 <= self.value <= 100:
            raise ValidationError({"value": _("A share must lie between 0 and 100 %.")})


class IndicatorBaseline(models.Model):
    """Where a county started: the indicator's value in the baseline year (utgångsläge)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("indicator")
    )
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="indicator_baselines", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(_("baseline year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator baseline")
        verbose_name_plural = _("indicator baselines")
        ordering = ["indicator", "county"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "county"],
                name="indicatorbaseline_one_per_county",
                violation_error_message=_("The county already has a baseline for this indicator."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.county} {self.year}: {self.value}"


class KoladaSync(models.Model):
    """One run of the Kolada sync for a county: when, by whom, and what it changed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="kolada_syncs", verbose_name=_("county")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    years = models.CharField(_("years"), max_length=200, blank=True)
    created = models.PositiveIntegerField(_("new values"), default=0)
    updated = models.PositiveIntegerField(_("changed values"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged values"), default=0)
    skipped = models.PositiveIntegerField(_("skipped values"), default=0)
    message = models.TextField(_("message"), blank=True)
    # What changed, for people to read: [{"indicator", "area", "year", "gender", "old", "new"}, …].
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("Kolada sync")
        verbose_name_plural = _("Kolada syncs")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["county", "-requested_at"], name="koladasync_county_date")]

    def __str__(self) -> str:
        return f"{self.county} {self.requested_at:%Y-%m-%d %H:%M}: {self.get_status_display()}"
