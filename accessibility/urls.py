from django.urls import path

from accessibility import views

urlpatterns = [
    path("tillganglighet/", views.statement, name="accessibility_statement"),
    path("tillganglighet/redigera/", views.statement_edit, name="accessibility_statement_edit"),
]
