"""Builders of the publication tests: approved reports with stored PDFs, and published plans."""

import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from indicators.models import (
    Gender,
    Indicator,
    IndicatorBaseline,
    IndicatorTarget,
    IndicatorValue,
    ValueSource,
)
from plans.models import FollowUpReport, Plan, ReportRevision
from tests.factories import IndicatorFactory


def approved_report(plan: Plan, year: int, *, content: bytes | None = None) -> FollowUpReport:
    """A report approved with a stored PDF (made-up bytes: the PDF's making is the report tests' part)."""
    content = content or b"%PDF-1.7\n% Uppfoljning " + str(year).encode() + b"\n%%EOF\n"
    now = timezone.now()
    report = FollowUpReport.objects.create(
        plan=plan, year=year, status=FollowUpReport.Status.APPROVED, approved_at=now
    )
    add_revision(report, content)
    return report


def add_revision(report: FollowUpReport, content: bytes) -> ReportRevision:
    number = report.revisions.count() + 1
    revision = ReportRevision(
        report=report,
        number=number,
        approved_at=timezone.now(),
        pdf_sha256=hashlib.sha256(content).hexdigest(),
    )
    revision.pdf.save(f"godkand-{number}.pdf", ContentFile(content), save=False)
    revision.save()
    return revision


def indicator_with_values(plan: Plan, *, name: str = "Självmord per 100 000 invånare") -> Indicator:
    """An indicator of the plan's first goal with the county's baseline, target and values."""
    indicator = IndicatorFactory(
        name=name, unit=Indicator.Unit.PER_100K, desired_direction=Indicator.Direction.DOWN
    )
    indicator.goals.add(plan.goals.order_by("position", "code").first())
    county = plan.county
    IndicatorBaseline.objects.create(indicator=indicator, county=county, year=2020, value=Decimal("15"))
    IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=Decimal("10"))
    for year, value in ((2021, "14.5"), (2022, "14")):
        IndicatorValue.objects.create(
            indicator=indicator,
            county=county,
            year=year,
            gender=Gender.TOTAL,
            value=Decimal(value),
            source=ValueSource.KOLADA,
        )
    return indicator
