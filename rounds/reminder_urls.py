from django.urls import path

from rounds import reminder_views

urlpatterns = [
    path("uppfoljningsomgangar/<int:round_id>/paminn/", reminder_views.round_remind, name="round_remind"),
]
