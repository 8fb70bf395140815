from django.urls import include, path

from publication import public, views

urlpatterns = [
    path("planer/<int:plan_id>/publicering/", views.plan_publication, name="plan_publication"),
    path("publikt/", public.public_start, name="public_start"),
    path("publikt/<county:letter_code>/", public.public_county, name="public_county"),
    path("publikt/<county:letter_code>/<slug:slug>/", public.public_plan, name="public_plan"),
    path(
        "publikt/<county:letter_code>/<slug:slug>/uppfoljning/<int:year>.pdf",
        public.public_report_pdf,
        name="public_report_pdf",
    ),
    path("", include("publication.opendata_urls")),
]
