from django.urls import path

from analysis import views

urlpatterns = [
    path("planer/<int:plan_id>/logik/", views.plan_logic, name="plan_logic"),
    path("planer/<int:plan_id>/tackning/", views.plan_coverage, name="plan_coverage"),
    path("nationellt/", views.national_overview, name="national_overview"),
    path("nationellt/indikatorer/<int:indicator_id>/", views.national_indicator, name="national_indicator"),
]
