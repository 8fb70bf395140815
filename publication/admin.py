from django.contrib import admin

from publication.models import PlanPublication, ReportPublication


@admin.register(PlanPublication)
class PlanPublicationAdmin(admin.ModelAdmin):
    """Read-only: publications are made and withdrawn on the plan's publication page, and kept as its log."""

    list_display = [
        "plan",
        "number",
        "county",
        "slug",
        "licence",
        "published_at",
        "unpublished_at",
        "replaced_at",
    ]
    list_filter = ["county", "licence"]
    search_fields = ["plan__title", "slug"]
    exclude = ["snapshot"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportPublication)
class ReportPublicationAdmin(admin.ModelAdmin):
    list_display = ["report", "revision", "published_at", "unpublished_at", "replaced_at"]
    list_filter = ["report__plan__county"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
