from django.urls import path

from plans.imports import views

urlpatterns = [
    path("planer/<int:plan_id>/import/", views.plan_import, name="plan_import"),
    path("planer/<int:plan_id>/import/bekrafta/", views.plan_import_confirm, name="plan_import_confirm"),
    path("planer/<int:plan_id>/export/<slug:kind>.<slug:fmt>", views.plan_export, name="plan_export"),
    path(
        "lan/<county:letter_code>/indikatorer/import/",
        views.county_indicator_import,
        name="county_indicator_import",
    ),
    path(
        "lan/<county:letter_code>/indikatorer/import/bekrafta/",
        views.county_indicator_import_confirm,
        name="county_indicator_import_confirm",
    ),
    path(
        "lan/<county:letter_code>/indikatorer/export/varden.<slug:fmt>",
        views.county_indicator_export,
        name="county_indicator_export",
    ),
]
