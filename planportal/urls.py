from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.utils.functional import lazy
from django.views.generic import RedirectView

from planportal.converters import CountyCodeConverter
from planportal.views import ThrottledPasswordResetView

register_converter(CountyCodeConverter, "county")

# MEDIA_ROOT (the approved report PDFs) is deliberately not served as static files, not
# even with DEBUG on: those files are served only through views that check permissions.
urlpatterns = [
    # Browsers that ignore the <link rel="icon"> ask for /favicon.ico. The static URL is
    # resolved on the first request, not at import (a hashed storage may need its manifest).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg")), name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Single sign-on; before Django's own auth URLs (it answers login, logout and the password reset).
    path("", include("planportal.sso_urls")),
    # Before Django's own auth URLs, so that this one answers /konto/password_reset/.
    path("konto/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("konto/", include("django.contrib.auth.urls")),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    path("", include("activities.urls")),
    path("", include("indicators.urls")),
    path("", include("indicators.kolada_urls")),
    path("", include("analysis.urls")),
    path("", include("accessibility.urls")),
    path("", include("publication.urls")),
    path("", include("rounds.urls")),
    path("", include("rounds.spreadsheet_urls")),
    path("", include("rounds.reminder_urls")),
    path("", include("plans.imports.urls")),
]
