from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accessibility.models import AccessibilityStatement


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organisation", "conformance", "assessed_on", "updated_at"]

    def has_add_permission(self, request) -> bool:
        # One statement only (id 1): it is made with its default text on its first view.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
