"""The round's spreadsheet: export, and upload → preview → confirm (planportal/urls.py includes it)."""

from django.urls import path

from rounds import spreadsheet_views as views

urlpatterns = [
    path("uppfoljningsomgangar/<int:round_id>/kalkylblad/export/", views.round_export, name="round_export"),
    path("uppfoljningsomgangar/<int:round_id>/kalkylblad/import/", views.round_import, name="round_import"),
    path(
        "uppfoljningsomgangar/<int:round_id>/kalkylblad/import/bekrafta/",
        views.round_import_confirm,
        name="round_import_confirm",
    ),
]
