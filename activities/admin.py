from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, ActivityFollowUp
from activities.resources import ActivityResource
from plans.imports.integration import SpreadsheetImportExportMixin


class FollowUpInline(admin.StackedInline):
    model = ActivityFollowUp
    extra = 0
    fields = ["year", "status", "achieved", "planning", "spent"]


@admin.register(Activity)
class ActivityAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ActivityResource]
    list_display = ["title", "plan", "priority_area", "status", "activity_type", "budget"]
    list_filter = ["status", "activity_type", "plan__county", "plan"]
    search_fields = ["title", "current_state", "expected_result", "indicators_text", "responsible"]
    list_select_related = ["plan", "priority_area"]
    # "Show all" must cover a whole plan (bench/bench_pages.py compares the plan page with it).
    list_max_show_all = 3000
    filter_horizontal = ["goals", "lead_organisations", "sub_regions"]
    inlines = [FollowUpInline]


@admin.register(ActivityFollowUp)
class ActivityFollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "year", "status", "spent"]
    list_filter = ["year", "status", "activity__plan__county"]
    search_fields = ["activity__title", "achieved", "planning"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]
