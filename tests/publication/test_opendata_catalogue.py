"""The DCAT-AP-SE catalogue of the published open data, parsed back with rdflib.

Checked: the mandatory (and the recommended properties we claim) of Catalog, Dataset,
Distribution, Agent and contact point, the controlled vocabularies' URIs, absolute URLs from
SITE_URL that answer, the JSON-LD as the same graph as the RDF/XML, conditional requests, and
that unpublished plans, drafts and replaced publications never appear.
"""

import pytest
from django.urls import reverse
from django.utils.http import parse_http_date
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from publication.catalogue import CATALOGUE_LICENCES
from publication.models import Licence
from publication.opendata import FILES
from publication.services import publish_plan, unpublish_plan
from tests.publication.test_opendata import build_published

pytestmark = pytest.mark.django_db

# Open namespaces: rdflib's closed ones warn when pytest looks at them.
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SITE = "https://planportal.example.se"
HEALTH = URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL")
LICENCES = {URIRef(uri) for uri in CATALOGUE_LICENCES.values()}


@pytest.fixture
def published(settings):
    settings.SITE_URL = SITE
    return build_published(licence=Licence.CC_BY)


def _graph(client, name: str = "opendata_catalogue_rdf", fmt: str = "xml") -> Graph:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=fmt)


def _one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def _swedish_text(graph: Graph, subject, predicate) -> str:
    texts = [value for value in graph.objects(subject, predicate) if value.language == "sv"]
    assert len(texts) == 1 and str(texts[0]).strip(), (subject, predicate)
    return str(texts[0])


def _agent(graph: Graph, agent) -> None:
    assert (agent, RDF.type, FOAF.Agent) in graph
    assert str(_one(graph, agent, FOAF.name)).strip()


def test_it_describes_the_catalogue_with_dcat_ap_se_mandatory_properties(client, published):
    response = client.get(reverse("opendata_catalogue_rdf"))
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    graph = Graph().parse(data=response.content, format="xml")

    [catalogue] = graph.subjects(RDF.type, DCAT.Catalog)
    assert str(catalogue) == SITE + "/publikt/katalog.rdf"
    _swedish_text(graph, catalogue, DCTERMS.title)
    _swedish_text(graph, catalogue, DCTERMS.description)
    _agent(graph, _one(graph, catalogue, DCTERMS.publisher))
    assert _one(graph, catalogue, DCTERMS.license) in LICENCES
    assert _one(graph, catalogue, FOAF.homepage) == URIRef(SITE + "/publikt/")
    assert _one(graph, catalogue, DCTERMS.modified).datatype == XSD.date
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1


def test_it_describes_each_published_plan_as_a_dataset(client, published):
    graph = _graph(client)
    [dataset] = graph.subjects(RDF.type, DCAT.Dataset)
    plan = published.world.tree.plan
    page = f"{SITE}/publikt/BD/{published.publication.slug}/"

    assert _swedish_text(graph, dataset, DCTERMS.title) == plan.title
    _swedish_text(graph, dataset, DCTERMS.description)
    publisher = _one(graph, dataset, DCTERMS.publisher)
    _agent(graph, publisher)
    assert str(_one(graph, publisher, FOAF.name)) == published.world.county.region_name
    assert _one(graph, publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/RegionalAuthority"
    )
    assert _one(graph, dataset, DCAT.theme) == HEALTH
    assert _one(graph, dataset, DCAT.landingPage) == URIRef(page)
    spatial = _one(graph, dataset, DCTERMS.spatial)
    assert spatial == URIRef("http://data.europa.eu/nuts/code/SE332")  # Norrbottens län
    assert str(_one(graph, spatial, RDFS.label)) == "Norrbottens län"
    day = published.publication.published_at.date().isoformat()
    assert _one(graph, dataset, DCTERMS.issued) == Literal(day, datatype=XSD.date)
    assert _one(graph, dataset, DCTERMS.modified) == Literal(day, datatype=XSD.date)
    period = _one(graph, dataset, DCTERMS.temporal)
    assert _one(graph, period, DCAT.startDate) == Literal(f"{plan.start_year}-01-01", datatype=XSD.date)
    assert _one(graph, period, DCAT.endDate) == Literal(f"{plan.end_year}-12-31", datatype=XSD.date)


def test_its_contact_point_is_an_organisation_never_a_person(client, published, settings):
    settings.OPENDATA_CONTACT_EMAIL = "psykiskhalsa@region.example.se"
    graph = _graph(client)
    [dataset] = graph.subjects(RDF.type, DCAT.Dataset)
    contact = _one(graph, dataset, DCAT.contactPoint)

    assert (contact, RDF.type, VCARD.Organization) in graph
    assert not set(graph.subjects(RDF.type, VCARD.Individual))
    assert str(_one(graph, contact, VCARD.fn)) == published.world.county.region_name
    assert _one(graph, contact, VCARD.hasEmail) == URIRef("mailto:psykiskhalsa@region.example.se")
    assert _one(graph, contact, VCARD.hasURL) == URIRef(SITE + "/publikt/BD/")
    names = {user.get_full_name() for user in published.world.users.values()} - {""}
    usernames = {user.username for user in published.world.users.values()}
    text = client.get(reverse("opendata_catalogue_rdf")).content.decode()
    assert not any(name in text for name in names | usernames)


def test_it_lists_a_distribution_per_file_that_answers(client, published):
    graph = _graph(client)
    [dataset] = graph.subjects(RDF.type, DCAT.Dataset)
    distributions = set(graph.objects(dataset, DCAT.distribution))

    assert len(distributions) == len(FILES)
    urls = set()
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        _swedish_text(graph, distribution, DCTERMS.title)
        access = _one(graph, distribution, DCAT.accessURL)
        assert _one(graph, distribution, DCAT.downloadURL) == access
        assert _one(graph, distribution, DCTERMS.license) == URIRef(
            "http://creativecommons.org/licenses/by/4.0/"
        )
        media = str(_one(graph, distribution, DCAT.mediaType))
        file_type = str(_one(graph, distribution, DCTERMS["format"]))
        if str(access).endswith(".csv"):
            assert media == "https://www.iana.org/assignments/media-types/text/csv"
            assert file_type == "http://publications.europa.eu/resource/authority/file-type/CSV"
        else:
            assert media == "https://www.iana.org/assignments/media-types/application/json"
            assert file_type == "http://publications.europa.eu/resource/authority/file-type/JSON"
        assert str(access).startswith(SITE + "/publikt/BD/")
        urls.add(str(access))
        response = client.get(str(access).removeprefix(SITE))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media.rsplit("/", 2)[-2] + "/" + media.rsplit("/", 1)[-1])
    assert {url.rsplit("/", 1)[-1] for url in urls} == set(FILES)


def test_the_json_ld_is_the_same_graph(client, published):
    response = client.get(reverse("opendata_catalogue_jsonld"))

    assert response["Content-Type"] == "application/ld+json"
    assert isomorphic(_graph(client, "opendata_catalogue_jsonld", "json-ld"), _graph(client))


def test_it_lists_live_publications_only(client, published):
    world = published.world
    other = publish_plan(
        plan=world.other_tree.plan, user=world.users["other_editor"], licence="cc0", internal_fields=[]
    )
    graph = _graph(client)
    landing = {str(page) for page in graph.objects(None, DCAT.landingPage)}
    assert landing == {f"{SITE}/publikt/BD/{published.publication.slug}/", f"{SITE}/publikt/X/{other.slug}/"}

    # Republished: still one dataset, first published then, modified now.
    publish_plan(plan=world.tree.plan, user=world.users["editor"], licence="cc0", internal_fields=[])
    graph = _graph(client)
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 2

    unpublish_plan(plan=world.tree.plan, user=world.users["editor"])
    graph = _graph(client)
    landing = {str(page) for page in graph.objects(None, DCAT.landingPage)}
    assert landing == {f"{SITE}/publikt/X/{other.slug}/"}
    assert published.publication.slug not in client.get(reverse("opendata_catalogue_jsonld")).content.decode()


def test_it_answers_304_and_changes_its_etag_when_a_plan_is_unpublished(client, published):
    url = reverse("opendata_catalogue_rdf")
    first = client.get(url)
    assert first["Cache-Control"].startswith("public")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    unpublish_plan(plan=published.world.tree.plan, user=published.world.users["editor"])
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert parse_http_date(after["Last-Modified"]) >= parse_http_date(first["Last-Modified"])
    assert after.content != first.content


def test_its_queries_do_not_grow_with_the_publications(client, published, django_assert_num_queries):
    url = reverse("opendata_catalogue_rdf")
    with django_assert_num_queries(2):  # what changed when, then the live publications
        client.get(url)
    with django_assert_num_queries(1):  # unchanged: the catalogue written before is kept
        client.get(url)
    world = published.world
    publish_plan(
        plan=world.other_tree.plan, user=world.users["other_editor"], licence="cc0", internal_fields=[]
    )
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.content.count(b"<dcat:Dataset ") == 2


def test_texts_that_look_like_numbers_stay_texts(client, published):
    # SQLite's JSON_EXTRACT gives the county code "25" back as a number; a title may be a year.
    plan = published.world.tree.plan
    plan.title = "2024"
    plan.save()
    publish_plan(plan=plan, user=published.world.users["editor"], licence="cc0", internal_fields=[])
    graph = _graph(client)
    [dataset] = graph.subjects(RDF.type, DCAT.Dataset)

    assert _swedish_text(graph, dataset, DCTERMS.title) == "2024"
    assert _one(graph, dataset, DCTERMS.spatial) == URIRef("http://data.europa.eu/nuts/code/SE332")


def test_an_empty_catalogue_is_still_a_catalogue(client, settings):
    settings.SITE_URL = SITE
    graph = _graph(client)
    [catalogue] = graph.subjects(RDF.type, DCAT.Catalog)
    assert not list(graph.objects(catalogue, DCAT.dataset))
