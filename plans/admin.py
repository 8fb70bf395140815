from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.imports.integration import SpreadsheetImportExportMixin
from plans.models import (
    Abbreviation,
    County,
    FocusArea,
    FollowUpReport,
    FundingAllocation,
    Goal,
    ImportRecord,
    Membership,
    Municipality,
    Organisation,
    Plan,
    PriorityArea,
    ReportComment,
    ReportRender,
    ReportRevision,
    ReportSection,
    SubRegion,
)
from plans.resources import GoalResource


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "letter_code", "code", "region_name"]
    search_fields = ["name", "letter_code", "code", "region_name"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]
    list_select_related = ["county"]


@admin.register(SubRegion)
class SubRegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "county", "population_share"]
    list_filter = ["county"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    list_select_related = ["county"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "county"]
    list_filter = ["kind", "county"]
    search_fields = ["name", "short_name"]
    list_select_related = ["county"]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name"]


@admin.register(Abbreviation)
class AbbreviationAdmin(SimpleHistoryAdmin):
    list_display = ["abbreviation", "meaning", "county"]
    list_filter = ["county"]
    search_fields = ["abbreviation", "meaning"]


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    extra = 0
    fields = ["position", "name", "description"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "county", "start_year", "end_year", "status"]
    list_filter = ["status", "county"]
    search_fields = ["title", "description"]
    date_hierarchy = "adopted_on"
    list_select_related = ["county"]
    inlines = [PriorityAreaInline]


@admin.register(PriorityArea)
class PriorityAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "position"]
    list_filter = ["plan__county"]
    search_fields = ["name", "description"]
    list_select_related = ["plan"]


@admin.register(Goal)
class GoalAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [GoalResource]
    list_display = ["code", "title", "plan", "target_group", "focus_area", "priority_area"]
    list_filter = ["plan__county", "target_group", "focus_area"]
    search_fields = ["code", "title", "background", "responsible"]
    list_select_related = ["plan", "focus_area", "priority_area"]
    autocomplete_fields = ["plan", "priority_area"]


@admin.register(FundingAllocation)
class FundingAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["county", "year", "recipient", "amount", "priority_area", "sub_region"]
    list_filter = ["county", "year"]
    search_fields = ["recipient", "description"]
    list_select_related = ["county", "priority_area", "sub_region"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "county", "role"]
    list_filter = ["role", "county"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "county__name"]
    list_select_related = ["user", "county"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["organisations"]


class ReportRevisionInline(admin.TabularInline):
    """The approved versions and their PDFs: a record, so read only."""

    model = ReportRevision
    extra = 0
    can_delete = False
    fields = ["number", "approved_at", "approved_by", "pdf", "pdf_sha256", "reopened_at", "reopen_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FollowUpReport)
class FollowUpReportAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "year", "status", "submitted_at", "approved_at"]
    list_filter = ["status", "year", "plan__county"]
    search_fields = ["plan__title"]
    readonly_fields = ["submitted_at", "submitted_by", "approved_at", "approved_by"]
    list_select_related = ["plan"]
    inlines = [ReportRevisionInline]


@admin.register(ReportSection)
class ReportSectionAdmin(SimpleHistoryAdmin):
    list_display = ["report", "key", "updated_at"]
    list_filter = ["report__plan__county"]
    search_fields = ["report__plan__title", "text", "achieved", "analysis", "planning"]
    list_select_related = ["report__plan"]


@admin.register(ReportComment)
class ReportCommentAdmin(SimpleHistoryAdmin):
    list_display = ["report", "target", "author", "created_at", "resolved_at"]
    list_filter = ["report__plan__county"]
    search_fields = ["report__plan__title", "text"]
    list_select_related = ["report__plan", "author"]
    raw_id_fields = ["report", "parent", "author", "resolved_by"]


@admin.register(ReportRevision)
class ReportRevisionAdmin(admin.ModelAdmin):
    """The approved versions: a record of what was approved, so read only."""

    list_display = ["report", "number", "approved_at", "approved_by", "reopened_at"]
    list_filter = ["report__plan__county"]
    search_fields = ["report__plan__title", "pdf_sha256"]
    list_select_related = ["report__plan", "approved_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportRender)
class ReportRenderAdmin(admin.ModelAdmin):
    """The PDFs made by jobs: staff see here why a render failed. Written by the jobs only."""

    list_display = ["plan", "year", "kind", "state", "requested_by", "created_at", "finished_at", "attempts"]
    list_filter = ["kind", "state", "plan__county"]
    search_fields = ["plan__title", "error", "html_sha256"]
    list_select_related = ["plan", "requested_by"]
    exclude = ["html"]
    readonly_fields = [
        "kind",
        "plan",
        "year",
        "report",
        "fingerprint",
        "html_sha256",
        "state",
        "requested_by",
        "error",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """The log of imports: read only, since it records what happened."""

    list_display = [
        "created_at",
        "file_name",
        "kind",
        "outcome",
        "user",
        "county",
        "plan",
        "rows_new",
        "rows_changed",
    ]
    list_filter = ["kind", "outcome", "county"]
    search_fields = ["file_name", "user__username"]
    list_select_related = ["user", "county", "plan"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
