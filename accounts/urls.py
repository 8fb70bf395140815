from django.urls import path

from accounts import views

PREFIX = "lan/<county:letter_code>/personer/"

urlpatterns = [
    path(PREFIX, views.county_people, name="county_people"),
    path(f"{PREFIX}<int:membership_id>/", views.membership_edit, name="membership_edit"),
    path(f"{PREFIX}<int:membership_id>/ta-bort/", views.membership_remove, name="membership_remove"),
    path(f"{PREFIX}<int:membership_id>/inaktivera/", views.person_deactivate, name="person_deactivate"),
    path(f"{PREFIX}inbjudningar/<int:invitation_id>/", views.invitation_revoke, name="invitation_revoke"),
    path("konto/", views.my_account, name="my_account"),
    path("konto/inbjudan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("konto/personuppgifter/", views.person_list, name="person_list"),
    path("konto/personuppgifter/<int:user_id>/", views.person_data, name="person_data"),
    path("konto/personuppgifter/<int:user_id>/export/", views.person_export, name="person_export"),
]
