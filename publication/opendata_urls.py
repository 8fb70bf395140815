"""Open data: the files of each published plan and the DCAT-AP-SE catalogue (see opendata_views)."""

from django.urls import path

from publication import opendata_views

urlpatterns = [
    path("publikt/katalog.rdf", opendata_views.catalogue_rdf, name="opendata_catalogue_rdf"),
    path("publikt/katalog.jsonld", opendata_views.catalogue_jsonld, name="opendata_catalogue_jsonld"),
    path(
        "publikt/<county:county>/<slug:slug>/data/<str:name>",
        opendata_views.plan_file,
        name="opendata_file",
    ),
]
