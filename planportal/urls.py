from django.contrib import admin
from django.urls import include, path, register_converter

from planportal.converters import CountyCodeConverter

register_converter(CountyCodeConverter, "county")

# MEDIA_ROOT (the approved report PDFs) is deliberately not served as static files, not
# even with DEBUG on: those files are served only through views that check permissions.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("django.contrib.auth.urls")),
    path("", include("plans.urls")),
    path("", include("activities.urls")),
    path("", include("indicators.urls")),
    path("", include("plans.imports.urls")),
]
