"""The app's URLs with the "Påminn" URL, until the round app's urls include it."""

from django.urls import include, path

from planportal.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("", include("rounds.reminder_urls")), *app_urlpatterns]
