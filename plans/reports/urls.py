# The yearly follow-up report: preview, PDF, review flow.
from django.urls import path

from plans.reports import views

urlpatterns = [
    path("planer/<int:plan_id>/uppfoljning/", views.report_list, name="report_list"),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/", views.report_detail, name="report_detail"),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/pdf/aktuell/",
        views.report_pdf_live,
        name="report_pdf_live",
    ),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/skicka-in/", views.report_submit, name="report_submit"),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/godkann/", views.report_approve, name="report_approve"),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/atersand/", views.report_return, name="report_return"),
]
