"""Published plans and approved reports: what everyone may read at /publikt/.

Every publication is a row of its own and is never deleted, so the rows are the log of who
published what and when, and who took it down. Republishing a plan freezes a new snapshot
in a new row and marks the previous one replaced; the public URL (county + slug) stays.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models import County, FollowUpReport, Plan, ReportRevision


class Licence(models.TextChoices):
    CC0 = "cc0", _("CC0 1.0 (public domain)")
    CC_BY = "cc-by-4.0", _("CC BY 4.0 (attribution)")


LICENCE_URLS = {
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
}


class InternalField(models.TextChoices):
    """Fields a county may keep out of the published plan. Personal names are kept out by default."""

    ACTIVITY_RESPONSIBLE = "activity.responsible", _("activities: responsible (free text)")
    GOAL_RESPONSIBLE = "goal.responsible", _("goals: responsible (free text)")
    ACTIVITY_COST = "activity.cost_text", _("activities: cost")
    ACTIVITY_BUDGET = "activity.budget", _("activities: budget")
    ACTIVITY_FUNDING = "activity.funding_source", _("activities: funding source")
    ACTIVITY_CURRENT_STATE = "activity.current_state", _("activities: current state")


# Free-text responsible fields often hold people's names: internal unless the county opts in.
DEFAULT_INTERNAL_FIELDS = [InternalField.ACTIVITY_RESPONSIBLE.value, InternalField.GOAL_RESPONSIBLE.value]


def default_internal_fields() -> list[str]:
    return list(DEFAULT_INTERNAL_FIELDS)


LIVE = Q(unpublished_at__isnull=True, replaced_at__isnull=True)


class PublicationQuerySet(models.QuerySet):
    def live(self) -> "PublicationQuerySet":
        """What the public pages show: neither unpublished nor replaced by a newer publication."""
        return self.filter(LIVE)


class PublicationRecord(models.Model):
    """When and by whom something was published, unpublished or replaced by a newer publication.

    Rows are never deleted: together they are the log of what was public when.
    """

    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    unpublished_at = models.DateTimeField(_("unpublished at"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unpublished by"),
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_live(self) -> bool:
        return self.unpublished_at is None and self.replaced_at is None


class PlanPublication(PublicationRecord):
    """One publication of an adopted plan, with the snapshot the public pages show.

    ``snapshot`` is built by ``publication.snapshot.build_snapshot`` (its shape is documented
    there); ``snapshot_sha256`` is the SHA-256 of its canonical JSON and the public ETag.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="publications", verbose_name=_("plan")
    )
    # The plan's county when published: the public URL and the one-query lookup use it.
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="plan_publications", verbose_name=_("county")
    )
    number = models.PositiveIntegerField(_("publication number"))
    slug = models.SlugField(_("address"), max_length=120, help_text=_("The plan's part of the public URL."))
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY)
    internal_fields = models.JSONField(_("fields kept internal"), default=default_internal_fields, blank=True)
    snapshot = models.JSONField(_("published content"))
    snapshot_sha256 = models.CharField(_("SHA-256 of the published content"), max_length=64)

    class Meta:
        verbose_name = _("plan publication")
        verbose_name_plural = _("plan publications")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planpublication_unique_number"),
            models.UniqueConstraint(
                fields=["plan"], condition=LIVE, name="planpublication_one_live_per_plan"
            ),
            models.UniqueConstraint(
                fields=["county", "slug"], condition=LIVE, name="planpublication_live_slug_unique"
            ),
        ]
        indexes = [models.Index(fields=["county", "slug"], name="planpublication_county_slug")]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class ReportPublication(PublicationRecord):
    """One publication of an approved report: the frozen PDF of one of its approved versions."""

    report = models.ForeignKey(
        FollowUpReport, on_delete=models.PROTECT, related_name="publications", verbose_name=_("report")
    )
    revision = models.ForeignKey(
        ReportRevision,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("approved version"),
    )

    class Meta:
        verbose_name = _("report publication")
        verbose_name_plural = _("report publications")
        ordering = ["report", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=LIVE, name="reportpublication_one_live_per_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.revision.number if self.revision_id else '?'}"
