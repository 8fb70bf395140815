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
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/pdf/skapas/<int:render_id>/",
        views.report_pdf_status,
        name="report_pdf_status",
    ),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/skicka-in/", views.report_submit, name="report_submit"),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/godkann/", views.report_approve, name="report_approve"),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/atersand/", views.report_return, name="report_return"),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/godkann/bekrafta/",
        views.report_approve_confirm,
        name="report_approve_confirm",
    ),
    path("planer/<int:plan_id>/uppfoljning/<int:year>/ateroppna/", views.report_reopen, name="report_reopen"),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/pdf/version/<int:number>/",
        views.report_revision_pdf,
        name="report_revision_pdf",
    ),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/avsnitt/<slug:key>/",
        views.report_section_edit,
        name="report_section_edit",
    ),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/kommentarer/",
        views.report_comment_add,
        name="report_comment_add",
    ),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/kommentarer/<int:comment_id>/svar/",
        views.report_comment_answer,
        name="report_comment_answer",
    ),
    path(
        "planer/<int:plan_id>/uppfoljning/<int:year>/kommentarer/<int:comment_id>/lost/",
        views.report_comment_resolve,
        name="report_comment_resolve",
    ),
]
