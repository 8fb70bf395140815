from django.contrib import admin

from accounts.models import Invitation, PeopleEvent


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "county", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["county", "role"]
    search_fields = ["email"]
    readonly_fields = ["key", "accepted_by", "accepted_at"]


@admin.register(PeopleEvent)
class PeopleEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "county", "actor", "person", "detail", "reason"]
    list_filter = ["action", "county"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
