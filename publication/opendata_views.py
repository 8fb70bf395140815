"""Open data for everyone, without login: the files of each published plan and the DCAT-AP-SE catalogue.

Everything is read from the live publications (``PlanPublication.objects.live()``): an
unpublished or replaced publication answers 404, and nothing but what a county published is
reachable. Responses are cacheable by anyone (``Cache-Control: public``) and conditional
(ETag and Last-Modified, 304 Not Modified): a file's ETag is its snapshot's SHA-256 and the
file's name, so a new publication with other content gets a new ETag, and a revalidation
costs one query and never reads the snapshot.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from planportal.lib import filecache
from publication import catalogue as dcat
from publication.models import PlanPublication
from publication.opendata import CODE_VERSION, FILES, Published, code_version, licence_url, write_file

# Shared caches may keep the files for five minutes; after that they revalidate (a 304 when unchanged).
CACHE_CONTROL = "public, max-age=300"


def public_data(view: Callable) -> Callable:
    """The same answer for everyone, signed in or not: no session read, so no cookie, no
    ``Vary: Cookie`` and no ``private, no-store`` from the security middleware."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.user = AnonymousUser()
        return view(request, *args, **kwargs)

    return wrapped


def _headers(response: HttpResponse, *, etag: str, last_modified: datetime | None) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = CACHE_CONTROL
    # Open data: any site's script may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _conditional(request: HttpRequest, *, etag: str, last_modified: datetime | None) -> HttpResponse | None:
    """304 (or 412) when the client's copy is current, else None."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    return _headers(response, etag=etag, last_modified=last_modified) if response is not None else None


def public_plan_url(letter_code: str, slug: str) -> str:
    return reverse("public_plan", args=[letter_code, slug])


def file_url(letter_code: str, slug: str, name: str) -> str:
    return reverse("opendata_file", args=[letter_code, slug, name])


def data_files(letter_code: str, slug: str) -> list[dict]:
    """The open-data files of a published plan, for its public page: name, title, format and URL."""
    return [
        {
            "name": item.name,
            "title": item.title,
            "fmt": item.fmt,
            "url": file_url(letter_code, slug, item.name),
        }
        for item in FILES.values()
    ]


@require_safe
@public_data
def plan_file(request: HttpRequest, county: str, slug: str, name: str) -> HttpResponse:
    """One open-data file of a published plan, written from its snapshot once and kept."""
    data_file = FILES.get(name)
    if data_file is None:
        raise Http404("No such file.")
    row = (
        PlanPublication.objects.live()
        .filter(county__letter_code=county, slug=slug)
        .values("pk", "snapshot_sha256", "published_at", "licence")
        .first()
    )
    if row is None:
        raise Http404("No published plan at this address.")
    etag = f'"{row["snapshot_sha256"]}-{CODE_VERSION}-{name}"'
    licence = licence_url(row["licence"])
    not_modified = _conditional(request, etag=etag, last_modified=row["published_at"])
    if not_modified is not None:
        not_modified["Link"] = f'<{licence}>; rel="license"'
        return not_modified

    # The file depends on the snapshot and on the publication (its date); kept per both.
    digest = hashlib.sha256(f"{CODE_VERSION}:{row['pk']}:{row['snapshot_sha256']}".encode()).hexdigest()
    kept_name = f"{county}-{slug}-{name}"
    content = filecache.read("opendata", kept_name, digest, "")
    if content is None:
        snapshot = PlanPublication.objects.values_list("snapshot", flat=True).get(pk=row["pk"])
        published = Published(
            published_at=row["published_at"],
            url=dcat.site_url(public_plan_url(county, slug)),
            sha256=row["snapshot_sha256"],
        )
        content = write_file(name, snapshot, published)
        filecache.store("opendata", kept_name, digest, "", content)
    response = HttpResponse(content, content_type=data_file.content_type)
    response["Link"] = f'<{licence}>; rel="license"'
    return _headers(response, etag=etag, last_modified=row["published_at"])


# --- The catalogue ------------------------------------------------------------------------------

# The code that writes the catalogue: a new version is a new ETag and a new kept file.
CATALOGUE_VERSION = code_version(dcat.__file__, __file__)
CATALOGUE_WRITERS = {
    "rdf": (dcat.catalogue_rdfxml, "application/rdf+xml; charset=utf-8"),
    "jsonld": (dcat.catalogue_jsonld_bytes, "application/ld+json"),
}


def catalogue_state() -> tuple[str, datetime | None]:
    """A digest of everything the catalogue says, and when it last changed: one aggregate over the
    publications' rows, never their snapshots.

    Publishing adds a row (and replaces the one before it), unpublishing and replacing set a
    date on a row: each changes the number of rows, the newest id or the latest date. The rest
    of what the catalogue says is frozen in the rows (the snapshot's title and county) or comes
    from the settings, which are part of the digest too.
    """
    state = PlanPublication.objects.aggregate(
        rows=Count("pk"),
        newest=Max("pk"),
        # Coalesced: SQLite's (and MySQL's) GREATEST is NULL when any of its arguments is.
        changed=Max(
            Greatest(
                "published_at",
                Coalesce("unpublished_at", "published_at"),
                Coalesce("replaced_at", "published_at"),
            )
        ),
    )
    parts = [
        CATALOGUE_VERSION,
        CODE_VERSION,
        settings.SITE_URL,
        dcat.contact_email(),
        dcat.catalogue_publisher("").name,
        state["rows"],
        state["newest"],
        state["changed"].isoformat() if state["changed"] else "",
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest(), state["changed"]


def _listing() -> list[dict]:
    """The live publications with what the catalogue says of them, in one query.

    The plan's title and period and the county's names are read from the snapshot in the
    database (JSON keys): frozen as published, and the snapshots themselves are never loaded.
    """
    first_published = (
        PlanPublication.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by()
        .values("plan_id")
        .annotate(first=Min("published_at"))
        .values("first")
    )
    return list(
        PlanPublication.objects.live()
        .order_by("county__code", "slug")
        .annotate(first_published=Subquery(first_published))
        .values(
            "slug",
            "licence",
            "published_at",
            "first_published",
            "county__letter_code",
            "snapshot__county__code",
            "snapshot__county__name",
            "snapshot__county__region_name",
            "snapshot__plan__title",
            "snapshot__plan__description",
            "snapshot__plan__start_year",
            "snapshot__plan__end_year",
        )
    )


def _text(value) -> str:
    """A text read from the snapshot by key: SQLite's JSON_EXTRACT gives "25" back as the number 25."""
    return "" if value is None else str(value)


def _dataset(row: dict) -> dcat.Dataset:
    letter, slug = row["county__letter_code"], row["slug"]
    page = dcat.site_url(public_plan_url(letter, slug))
    county_page = dcat.site_url(reverse("public_county", args=[letter]))
    county = _text(row["snapshot__county__name"]) or letter
    region = _text(row["snapshot__county__region_name"]) or county
    licence = dcat.licence_for_catalogue(row["licence"])
    start, end = row["snapshot__plan__start_year"], row["snapshot__plan__end_year"]
    description = _text(row["snapshot__plan__description"]).strip() or (
        f"Handlingsplan för psykisk hälsa i {county} {start}–{end}: mål, aktiviteter och indikatorer "
        "med länets värden, utgångslägen och målvärden."
    )
    distributions = [
        dcat.Distribution(
            uri=dcat.site_url(file_url(letter, slug, item.name)),
            title=str(item.title),
            description=str(item.description),
            url=dcat.site_url(file_url(letter, slug, item.name)),
            fmt=item.fmt,
            licence=licence,
            issued=row["published_at"],
            modified=row["published_at"],
        )
        for item in FILES.values()
    ]
    return dcat.Dataset(
        uri=page + "#datamangd",
        title=_text(row["snapshot__plan__title"]),
        description=description,
        publisher=dcat.Agent(uri=county_page + "#utgivare", name=region, kind=dcat.REGIONAL_AUTHORITY),
        contact=dcat.Contact(
            uri=county_page + "#kontakt", name=region, url=county_page, email=dcat.contact_email()
        ),
        landing_page=page,
        spatial=dcat.county_location(_text(row["snapshot__county__code"]).zfill(2), county_page + "#lan"),
        spatial_label=county,
        issued=row["first_published"] or row["published_at"],
        modified=row["published_at"],
        start_year=start,
        end_year=end,
        keywords=["psykisk hälsa", "suicidprevention", "handlingsplan", county],
        distributions=distributions,
    )


def build_catalogue(changed: datetime | None) -> dcat.Catalogue:
    home = dcat.site_url(reverse("public_start"))
    return dcat.Catalogue(
        uri=dcat.site_url(reverse("opendata_catalogue_rdf")),
        title="Planportalen – länens handlingsplaner för psykisk hälsa",
        description=(
            "Publicerade handlingsplaner för psykisk hälsa och suicidprevention från Sveriges län: "
            "mål, aktiviteter och indikatorer med värden, som CSV och JSON."
        ),
        title_en="Planportal – the counties' action plans for mental health",
        description_en=(
            "Published regional action plans for mental health and suicide prevention in Sweden: "
            "goals, activities and indicators with values, as CSV and JSON."
        ),
        publisher=dcat.catalogue_publisher(home),
        homepage=home,
        modified=changed,
        datasets=[_dataset(row) for row in _listing()],
    )


def _catalogue(request: HttpRequest, fmt: str) -> HttpResponse:
    """The catalogue as ``fmt``: written once per change of the publications and kept."""
    digest, changed = catalogue_state()
    etag = f'"{digest}-{fmt}"'
    not_modified = _conditional(request, etag=etag, last_modified=changed)
    if not_modified is not None:
        return not_modified
    write, content_type = CATALOGUE_WRITERS[fmt]
    content = filecache.read("opendata", "katalog", digest, f".{fmt}")
    if content is None:
        # Its texts are Swedish (xml:lang="sv") whatever the language of the request.
        with translation.override("sv"):
            content = write(build_catalogue(changed))
        filecache.store("opendata", "katalog", digest, f".{fmt}", content)
    response = HttpResponse(content, content_type=content_type)
    return _headers(response, etag=etag, last_modified=changed)


@require_safe
@public_data
def catalogue_rdf(request: HttpRequest) -> HttpResponse:
    """The catalogue in RDF/XML, the format Sweden's data portal harvests."""
    return _catalogue(request, "rdf")


@require_safe
@public_data
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    """The same catalogue as JSON-LD."""
    return _catalogue(request, "jsonld")
