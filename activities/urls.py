from django.urls import path

from activities import views

urlpatterns = [
    path("planer/<int:plan_id>/aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("aktiviteter/<int:activity_id>/redigera/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:activity_id>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("aktiviteter/<int:activity_id>/status/", views.activity_status, name="activity_status"),
    path("aktiviteter/<int:activity_id>/uppfoljning/ny/", views.follow_up_create, name="follow_up_create"),
    path("uppfoljningar/<int:follow_up_id>/", views.follow_up_show, name="follow_up_show"),
    path("uppfoljningar/<int:follow_up_id>/redigera/", views.follow_up_edit, name="follow_up_edit"),
    path("uppfoljningar/<int:follow_up_id>/ta-bort/", views.follow_up_delete, name="follow_up_delete"),
    path("uppfoljningar/<int:follow_up_id>/lage/", views.follow_up_state, name="follow_up_state"),
]
