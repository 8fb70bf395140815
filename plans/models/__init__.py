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
from plans.models.reports import FollowUpReport, ReportComment, ReportRevision, ReportSection

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
    "ReportRevision",
    "ReportSection",
    "Role",
    "SubRegion",
    "TargetGroup",
]
