from django.urls import include, path

from plans.views import editing, history, home, plan_page, workspace

urlpatterns = [
    path("", home.home, name="home"),
    path("lan/<county:letter_code>/", workspace.county_detail, name="county_detail"),
    path("lan/<county:letter_code>/borttaget/", history.county_deleted, name="county_deleted"),
    path("lan/<county:letter_code>/planer/ny/", editing.plan_create, name="plan_create"),
    path("planer/<int:plan_id>/", plan_page.plan_detail, name="plan_detail"),
    path("planer/<int:plan_id>/redigera/", editing.plan_edit, name="plan_edit"),
    path("planer/<int:plan_id>/ta-bort/", editing.plan_delete, name="plan_delete"),
    path("planer/<int:plan_id>/insatsomraden/ny/", editing.priority_area_create, name="priority_area_create"),
    path("insatsomraden/<int:area_id>/redigera/", editing.priority_area_edit, name="priority_area_edit"),
    path("insatsomraden/<int:area_id>/ta-bort/", editing.priority_area_delete, name="priority_area_delete"),
    path("planer/<int:plan_id>/mal/ny/", editing.goal_create, name="goal_create"),
    path("mal/<int:goal_id>/redigera/", editing.goal_edit, name="goal_edit"),
    path("mal/<int:goal_id>/ta-bort/", editing.goal_delete, name="goal_delete"),
    path("historik/<str:kind>/<int:object_id>/", history.object_history, name="object_history"),
    path("historik/<str:kind>/<int:object_id>/jamfor/", history.history_compare, name="history_compare"),
    path(
        "historik/<str:kind>/<int:object_id>/aterstall/<int:history_id>/",
        history.history_restore,
        name="history_restore",
    ),
    path("", include("plans.reports.urls")),
]
