import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from activities.models import Status
from indicators.models import IndicatorTarget
from planportal.lib.history import history_context
from plans.models import (
    Abbreviation,
    FollowUpReport,
    FundingAllocation,
    Organisation,
    ReportRevision,
    Role,
    SubRegion,
)
from tests.factories import (
    CountyFactory,
    FocusAreaFactory,
    FollowUpFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MunicipalityFactory,
    PlanTree,
    UserFactory,
    member,
)

PDF = b"%PDF-1.7\n% an approved report, frozen\n" + bytes(range(256)) * 40


def build_county(letter: str, code: str, name: str, *, editor, indicator) -> dict:
    """A county with a plan, edits and a deletion in its history, links, follow-ups, a report
    with an approved PDF, funding, a sub-region and indicator values."""
    county = CountyFactory(letter_code=letter, code=code, name=name)
    municipality = MunicipalityFactory(county=county, name=f"Kommun i {name}")
    sub_region = SubRegion.objects.create(county=county, name=f"Delregion {letter}", population_share=40)
    sub_region.municipalities.add(municipality)
    organisation = Organisation.objects.create(
        name=f"Region {name}", kind=Organisation.Kind.REGION, county=county
    )
    Abbreviation.objects.create(
        county=county, abbreviation=f"SIP-{letter}", meaning="Samordnad individuell plan"
    )
    member(county, Role.EDITOR, username=f"samordnare-{letter.lower()}")
    tree = PlanTree.build(county=county, goals=3, activities=5)
    tree.goals[0].focus_area = FocusAreaFactory()
    tree.goals[0].save()
    with history_context(user=editor, reason="Läget i mars"):
        first = tree.activities[0]
        first.status = Status.ONGOING
        first.budget = 450000
        first.save()
        first.lead_organisations.add(organisation)
        first.sub_regions.add(sub_region)
        first.goals.add(tree.goals[1])
        tree.activities[-1].delete()
    FollowUpFactory(activity=first, year=2022, spent=120000)
    indicator.goals.add(tree.goals[0])
    IndicatorValueFactory(indicator=indicator, county=county, year=2022, value=12.5)
    IndicatorValueFactory(indicator=indicator, county=None, municipality=municipality, year=2022, value=3)
    IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=10)
    FundingAllocation.objects.create(county=county, year=2022, amount=1774000, recipient="Kommunerna")
    report = FollowUpReport.objects.create(plan=tree.plan, year=2022, status=FollowUpReport.Status.APPROVED)
    content = PDF + letter.encode()
    revision = ReportRevision(
        report=report, number=1, approved_at=timezone.now(), pdf_sha256=hashlib.sha256(content).hexdigest()
    )
    revision.pdf.save("uppfoljning.pdf", ContentFile(content))
    return {"county": county, "tree": tree, "report": report, "pdf": content}


def build_two_counties() -> dict:
    editor = UserFactory(username="redaktor")
    indicator = IndicatorFactory(code="U90401", name="Självmord per 100 000 invånare")
    return {
        "BD": build_county("BD", "25", "Norrbottens län", editor=editor, indicator=indicator),
        "AC": build_county("AC", "24", "Västerbottens län", editor=editor, indicator=indicator),
    }


@pytest.fixture
def two_counties(db) -> dict:
    return build_two_counties()


@pytest.fixture
def committed_counties(transactional_db) -> dict:
    """The same rows, committed, so that another process (pg_dump) sees them."""
    return build_two_counties()
