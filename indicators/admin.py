from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue, KoladaSync
from indicators.resources import IndicatorValueResource
from plans.imports.integration import SpreadsheetImportExportMixin


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "county", "unit", "kind", "source", "desired_direction"]
    list_filter = [("county", admin.EmptyFieldListFilter), "county", "kind", "unit", "desired_direction"]
    search_fields = ["code", "name", "kolada_id", "description"]
    list_select_related = ["county"]
    autocomplete_fields = ["goals", "activities"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = ["indicator", "year", "county", "municipality", "sub_region", "gender", "value"]
    list_filter = ["year", "gender", "county"]
    search_fields = ["indicator__code", "indicator__name", "municipality__name"]
    list_select_related = ["indicator", "county", "municipality", "sub_region"]
    autocomplete_fields = ["indicator", "municipality"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "county", "year", "value"]
    list_filter = ["year", "county"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator", "county"]


@admin.register(IndicatorBaseline)
class IndicatorBaselineAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "county", "year", "value"]
    list_filter = ["county"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator", "county"]


@admin.register(KoladaSync)
class KoladaSyncAdmin(admin.ModelAdmin):
    list_display = ["county", "requested_at", "status", "created", "updated", "unchanged", "skipped"]
    list_filter = ["status", "county"]
    list_select_related = ["county"]
    readonly_fields = [field.name for field in KoladaSync._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
