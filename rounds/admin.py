from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rounds.models import FollowUpRound


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "year", "deadline", "status"]
    list_filter = ["status", "plan__county"]
    raw_id_fields = ["plan", "opened_by"]
