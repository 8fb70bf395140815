from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from indicators.resources import IndicatorValueResource
from plans.imports.integration import SpreadsheetImportExportMixin


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "kind", "source", "desired_direction"]
    list_filter = ["kind", "unit", "desired_direction"]
    search_fields = ["code", "name", "kolada_id", "description"]
    filter_horizontal = ["goals"]


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
