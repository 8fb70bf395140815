from django.urls import path

from rounds import views

urlpatterns = [
    path("planer/<int:plan_id>/uppfoljningsomgangar/", views.plan_rounds, name="plan_rounds"),
    path("planer/<int:plan_id>/uppfoljningsomgangar/ny/", views.round_open, name="round_open"),
    path("uppfoljningsomgangar/<int:round_id>/", views.round_detail, name="round_detail"),
    path("uppfoljningsomgangar/<int:round_id>/redigera/", views.round_edit, name="round_edit"),
    path("uppfoljning/mina/", views.my_follow_up, name="my_follow_up"),
]
