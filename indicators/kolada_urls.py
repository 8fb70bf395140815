from django.urls import path

from indicators import kolada_views

urlpatterns = [
    path("lan/<county:letter_code>/indikatorer/kolada/", kolada_views.kolada_sync, name="kolada_sync"),
]
