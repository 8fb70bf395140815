from plans.models.access import Membership, Role
from plans.models.geography import (
    Abbreviation,
    County,
    FocusArea,
    Municipality,
    Organisation,
    SubRegion,
)
from plans.models.imports import ImportRecord
from plans.models.plans import FundingAllocation, Goal, Plan, PriorityArea, TargetGroup
from plans.models.reports import (
    FollowUpReport,
    ReportComment,
    ReportRender,
    ReportRevision,
    ReportSection,
)

__all__ = [
    "Abbreviation",
    "County",
    "FocusArea",
    "FollowUpReport",
    "FundingAllocation",
    "Goal",
    "ImportRecord",
    "Membership",
    "Municipality",
    "Organisation",
    "Plan",
    "PriorityArea",
    "ReportComment",
    "ReportRender",
    "ReportRevision",
    "ReportSection",
    "Role",
    "SubRegion",
    "TargetGroup",
]
