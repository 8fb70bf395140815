from django.urls import include, path

from plans.views import home, workspace

urlpatterns = [
    path("", home.home, name="home"),
    path("lan/<str:letter_code>/", workspace.county_detail, name="county_detail"),
    path("planer/<int:plan_id>/", workspace.plan_detail, name="plan_detail"),
    path("", include("plans.reports.urls")),
]
