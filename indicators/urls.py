from django.urls import path

from indicators import views

PREFIX = "lan/<county:letter_code>/indikatorer/"

urlpatterns = [
    path(PREFIX, views.indicator_list, name="indicator_list"),
    path(f"{PREFIX}ny/", views.indicator_create, name="indicator_create"),
    path(f"{PREFIX}<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path(f"{PREFIX}<int:indicator_id>/csv/", views.indicator_csv, name="indicator_csv"),
    path(f"{PREFIX}<int:indicator_id>/redigera/", views.indicator_edit, name="indicator_edit"),
    path(
        f"{PREFIX}<int:indicator_id>/mal-och-varden/", views.indicator_plan_edit, name="indicator_plan_edit"
    ),
    path(
        f"{PREFIX}<int:indicator_id>/varden/<int:year>/",
        views.indicator_values_edit,
        name="indicator_values_edit",
    ),
    path(f"{PREFIX}<int:indicator_id>/kopplingar/", views.indicator_links_edit, name="indicator_links_edit"),
]
