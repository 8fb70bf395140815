"""Counties, municipalities, sub-regions, organisations and the national focus areas."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from planportal.lib.history import HistoricalRecords
from planportal.lib.swedish import SwedishCollate


class County(models.Model):
    """A län: the unit that owns plans and whose members may see them."""

    code = models.CharField(_("SCB code"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")])
    letter_code = models.CharField(
        _("letter code"),
        max_length=2,
        unique=True,
        help_text=_("The county's letter, e.g. AC for Västerbotten."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    region_name = models.CharField(
        _("region"), max_length=100, help_text=_("The region that is the county's health-care principal.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = [SwedishCollate("name").asc()]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("SCB code"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")])
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = [SwedishCollate("name").asc()]

    def __str__(self) -> str:
        return self.name


class SubRegion(models.Model):
    """A delregion or vårdsamverkansområde: a group of a county's municipalities."""

    county = models.ForeignKey(
        County, on_delete=models.CASCADE, related_name="sub_regions", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=100)
    population_share = models.DecimalField(
        _("population share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The sub-region's share of the county's population, in per cent."),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="sub_regions", verbose_name=_("municipalities")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")
        ordering = [SwedishCollate("name").asc()]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="subregion_unique_name_per_county",
                violation_error_message=_("The county already has a sub-region with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


def municipality_name_keys(organisation_name: str) -> list[str]:
    """The municipality names an organisation's name may stand for, casefolded.

    "Luleå kommun" → luleå; "Bodens kommun" → bodens, boden; "Göteborgs Stad" → göteborgs, göteborg.
    """
    name = organisation_name.strip().casefold()
    for suffix in (" kommun", " stad"):
        if name.endswith(suffix):
            stem = name.removesuffix(suffix).strip()
            return [stem, stem[:-1]] if stem.endswith("s") else [stem]
    return []


class Organisation(models.Model):
    """A huvudman or partner: a region, a municipality, an association, a user organisation."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        MUNICIPALITY = "municipality", _("municipality")
        ASSOCIATION = "association", _("association of municipalities")
        USER_ORG = "user_org", _("user organisation")
        COLLABORATION = "collaboration", _("collaboration body")
        AUTHORITY = "authority", _("government agency")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    county = models.ForeignKey(
        County,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county"),
        help_text=_("Empty for national organisations."),
    )
    municipality = models.ForeignKey(
        "Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("The municipality this organisation is, for a municipality's own organisation."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [SwedishCollate("name").asc()]

    def __str__(self) -> str:
        return self.name


class FocusArea(models.Model):
    """One of the five national focus areas of the agreement on mental health."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Abbreviation(models.Model):
    """An abbreviation used in a county's plans, listed in the report's appendix."""

    county = models.ForeignKey(
        County,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="abbreviations",
        verbose_name=_("county"),
        help_text=_("Empty for abbreviations every county uses."),
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=40)
    meaning = models.CharField(_("meaning"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("abbreviation")
        verbose_name_plural = _("abbreviations")
        ordering = [SwedishCollate("abbreviation").asc()]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "abbreviation"],
                name="abbreviation_unique_per_county",
                violation_error_message=_("This abbreviation is already explained."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} – {self.meaning}"
