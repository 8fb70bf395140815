"""Publishing and unpublishing plans and approved reports.

Each function locks the plan's row first, so that two people who press "Publicera" at the same
moment are served one after the other; ``expected`` is the publication number the person saw
(0 for none), and a state changed since then is refused with a message instead of being
overwritten.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from planportal.lib.locking import lock_row
from plans.models import FollowUpReport, Plan
from publication.models import InternalField, Licence, PlanPublication, ReportPublication
from publication.snapshot import build_snapshot, snapshot_sha256

SLUG_LENGTH = 100


class PublicationError(ValidationError):
    """A publication refused, with the reason in the user's language."""


def live_publication(plan: Plan) -> PlanPublication | None:
    return PlanPublication.objects.live().filter(plan=plan).first()


def _lock_plan(plan: Plan) -> Plan:
    locked = lock_row(plan)
    if locked is None:
        raise PublicationError(_("The plan no longer exists."))
    return locked


def _check_expected(plan: Plan, expected: int | None) -> PlanPublication | None:
    current = live_publication(plan)
    if expected is not None and (current.number if current else 0) != expected:
        raise PublicationError(
            _(
                "Someone else changed the publication of this plan while you had the page open. "
                "Look at the current state below and try again."
            )
        )
    return current


def plan_slug(plan: Plan) -> str:
    """The plan's part of its public URL: kept from its earlier publications, unique in the county."""
    earlier = PlanPublication.objects.filter(plan=plan).order_by("-number").values_list("slug", flat=True)
    if earlier:
        return earlier[0]
    base = slugify(plan.title.replace("–", "-").replace("—", "-"))[:SLUG_LENGTH].strip("-") or "plan"
    if str(plan.start_year) not in base:
        base = f"{base}-{plan.period.replace('–', '-')}"
    taken = set(
        PlanPublication.objects.filter(county_id=plan.county_id)
        .exclude(plan=plan)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def publish_plan(
    *, plan: Plan, user, licence: str, internal_fields: list[str], expected: int | None = None
) -> PlanPublication:
    """Publish ``plan`` as it stands now, replacing its earlier publication (same URL)."""
    plan = _lock_plan(plan)
    if plan.status != Plan.Status.ADOPTED:
        raise PublicationError(
            _("Only an adopted plan can be published. This plan is “%(status)s”.")
            % {"status": plan.get_status_display()}
        )
    if licence not in Licence.values:
        raise PublicationError(_("Choose a licence."))
    unknown = set(internal_fields) - set(InternalField.values)
    if unknown:
        raise PublicationError(_("Unknown field kept internal: %(fields)s.") % {"fields": ", ".join(unknown)})
    current = _check_expected(plan, expected)
    now = timezone.now()
    slug = plan_slug(plan)
    if current is not None:
        current.replaced_at = now
        current.save(update_fields=["replaced_at"])
    snapshot = build_snapshot(plan, licence=licence, internal_fields=internal_fields)
    last = PlanPublication.objects.filter(plan=plan).order_by("-number").values_list("number", flat=True)
    publication = PlanPublication(
        plan=plan,
        county_id=plan.county_id,
        number=(last[0] if last else 0) + 1,
        slug=slug,
        licence=licence,
        internal_fields=sorted(set(internal_fields)),
        snapshot=snapshot,
        snapshot_sha256=snapshot_sha256(snapshot),
        published_at=now,
        published_by=user,
    )
    publication.full_clean(exclude=["plan", "county", "published_by"])
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError as error:
        raise PublicationError(
            _("Someone else published this plan at the same moment. Look at the current state and try again.")
        ) from error
    return publication


@transaction.atomic
def unpublish_plan(*, plan: Plan, user, expected: int | None = None) -> PlanPublication:
    """Take the plan off the public pages; its reports go with it (they are shown on its page)."""
    plan = _lock_plan(plan)
    current = _check_expected(plan, expected)
    if current is None:
        raise PublicationError(_("The plan is not published."))
    current.unpublished_at = timezone.now()
    current.unpublished_by = user
    current.save(update_fields=["unpublished_at", "unpublished_by"])
    return current


def live_report_publication(report: FollowUpReport) -> ReportPublication | None:
    return ReportPublication.objects.live().filter(report=report).select_related("revision").first()


@transaction.atomic
def publish_report(*, report: FollowUpReport, user) -> ReportPublication:
    """Publish the approved PDF of ``report`` (its newest approved version), frozen as stored."""
    _lock_plan(report.plan)
    report.refresh_from_db()
    revision = report.latest_revision() if report.status == FollowUpReport.Status.APPROVED else None
    if revision is None:
        raise PublicationError(
            _("Only an approved report can be published. The %(year)s report is “%(status)s”.")
            % {"year": report.year, "status": report.get_status_display()}
        )
    current = live_report_publication(report)
    if current is not None and current.revision_id == revision.pk:
        raise PublicationError(_("This version of the report is already published."))
    now = timezone.now()
    if current is not None:
        current.replaced_at = now
        current.save(update_fields=["replaced_at"])
    return ReportPublication.objects.create(
        report=report, revision=revision, published_at=now, published_by=user
    )


@transaction.atomic
def unpublish_report(*, report: FollowUpReport, user) -> ReportPublication:
    _lock_plan(report.plan)
    current = live_report_publication(report)
    if current is None:
        raise PublicationError(_("The report is not published."))
    current.unpublished_at = timezone.now()
    current.unpublished_by = user
    current.save(update_fields=["unpublished_at", "unpublished_by"])
    return current
