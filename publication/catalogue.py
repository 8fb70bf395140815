"""The catalogue of the published open data in DCAT-AP-SE, the profile Sweden's data portal harvests.

One ``dcat:Dataset`` per published plan, with a ``dcat:Distribution`` per file of
``publication.opendata``. Written as RDF/XML (what dataportal.se harvests) and as JSON-LD
(the same graph) with the standard library: the graph is small and its shape fixed, so no
RDF library is needed at run time (the tests parse the output with rdflib).

Controlled vocabularies are the ones DCAT-AP-SE names: EU data themes and file types,
IANA media types, the ADMS publisher types, and Creative Commons licence URIs in the form
of DCAT-AP-SE's licence list, which the portal matches strictly (``http://``). A county is
named by its NUTS 3 code (data.europa.eu/nuts). The contact point is the region as an
organisation, with the public pages' address and a function mailbox, never a person.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree import ElementTree

from django.conf import settings

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
NAMESPACES = {"rdf": RDF, "rdfs": RDFS, "dcat": DCAT, "dcterms": DCT, "foaf": FOAF, "vcard": VCARD}

THEME_HEALTH = "http://publications.europa.eu/resource/authority/data-theme/HEAL"
THEME_TAXONOMY = "http://publications.europa.eu/resource/authority/data-theme"
LANGUAGE_SWEDISH = "http://publications.europa.eu/resource/authority/language/SWE"
REGIONAL_AUTHORITY = "http://purl.org/adms/publishertype/RegionalAuthority"
FILE_TYPES = {
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
}
MEDIA_TYPES = {
    "csv": "https://www.iana.org/assignments/media-types/text/csv",
    "json": "https://www.iana.org/assignments/media-types/application/json",
}
# The Creative Commons URIs as DCAT-AP-SE's licence list writes them (the portal matches strictly).
CATALOGUE_LICENCES = {
    "cc0": "http://creativecommons.org/publicdomain/zero/1.0/",
    "cc-by-4.0": "http://creativecommons.org/licenses/by/4.0/",
}
# The catalogue's own metadata is free for anyone to reuse.
METADATA_LICENCE = CATALOGUE_LICENCES["cc0"]

# NUTS 3 (data.europa.eu/nuts) of the counties, by SCB county code.
NUTS3 = {
    "01": "SE110",
    "03": "SE121",
    "04": "SE122",
    "05": "SE123",
    "06": "SE211",
    "07": "SE212",
    "08": "SE213",
    "09": "SE214",
    "10": "SE221",
    "12": "SE224",
    "13": "SE231",
    "14": "SE232",
    "17": "SE311",
    "18": "SE124",
    "19": "SE125",
    "20": "SE312",
    "21": "SE313",
    "22": "SE321",
    "23": "SE322",
    "24": "SE331",
    "25": "SE332",
}


def county_location(scb_code: str, fallback: str) -> str:
    """The URI of a county as a place: its NUTS 3 code, else ``fallback`` (an address of ours)."""
    nuts = NUTS3.get(scb_code)
    return f"http://data.europa.eu/nuts/code/{nuts}" if nuts else fallback


@dataclass(frozen=True)
class Agent:
    uri: str
    name: str
    kind: str = ""  # an ADMS publisher type


@dataclass(frozen=True)
class Contact:
    """A vcard:Organization: a function address of an organisation, never a person."""

    uri: str
    name: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class Distribution:
    uri: str
    title: str
    description: str
    url: str
    fmt: str  # a key of FILE_TYPES
    licence: str
    issued: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class Dataset:
    uri: str
    title: str
    description: str
    publisher: Agent
    contact: Contact
    landing_page: str
    spatial: str
    spatial_label: str
    issued: datetime
    modified: datetime
    start_year: int | None = None
    end_year: int | None = None
    keywords: Sequence[str] = ()
    distributions: Sequence[Distribution] = ()


@dataclass(frozen=True)
class Catalogue:
    uri: str
    title: str
    description: str
    title_en: str
    description_en: str
    publisher: Agent
    homepage: str
    modified: datetime | None
    datasets: Sequence[Dataset] = field(default_factory=list)


def _date(value: date | datetime) -> str:
    return (value.date() if isinstance(value, datetime) else value).isoformat()


# --- RDF/XML -------------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.root = ElementTree.Element(f"{{{RDF}}}RDF")
        self.seen: set[str] = set()

    def node(self, kind: str, uri: str) -> ElementTree.Element | None:
        """A new described resource, or None when ``uri`` is described already (a shared agent)."""
        if uri in self.seen:
            return None
        self.seen.add(uri)
        return ElementTree.SubElement(self.root, kind, {f"{{{RDF}}}about": uri})

    @staticmethod
    def text(parent, tag: str, value: str, *, lang: str = "") -> None:
        element = ElementTree.SubElement(parent, tag)
        element.text = value
        if lang:
            element.set("{http://www.w3.org/XML/1998/namespace}lang", lang)

    @staticmethod
    def typed(parent, tag: str, value: str, datatype: str) -> None:
        element = ElementTree.SubElement(parent, tag, {f"{{{RDF}}}datatype": XSD + datatype})
        element.text = value

    @staticmethod
    def link(parent, tag: str, uri: str) -> None:
        ElementTree.SubElement(parent, tag, {f"{{{RDF}}}resource": uri})

    def agent(self, agent: Agent) -> None:
        element = self.node(f"{{{FOAF}}}Agent", agent.uri)
        if element is not None:
            self.text(element, f"{{{FOAF}}}name", agent.name, lang="sv")
            if agent.kind:
                self.link(element, f"{{{DCT}}}type", agent.kind)


def catalogue_rdfxml(catalogue: Catalogue) -> bytes:
    """The catalogue as RDF/XML, UTF-8."""
    for prefix, uri in NAMESPACES.items():
        ElementTree.register_namespace(prefix, uri)
    w = _Writer()
    root = w.node(f"{{{DCAT}}}Catalog", catalogue.uri)
    w.text(root, f"{{{DCT}}}title", catalogue.title, lang="sv")
    w.text(root, f"{{{DCT}}}title", catalogue.title_en, lang="en")
    w.text(root, f"{{{DCT}}}description", catalogue.description, lang="sv")
    w.text(root, f"{{{DCT}}}description", catalogue.description_en, lang="en")
    w.link(root, f"{{{DCT}}}publisher", catalogue.publisher.uri)
    w.link(root, f"{{{DCT}}}license", METADATA_LICENCE)
    w.link(root, f"{{{DCT}}}language", LANGUAGE_SWEDISH)
    w.link(root, f"{{{FOAF}}}homepage", catalogue.homepage)
    w.link(root, f"{{{DCAT}}}themeTaxonomy", THEME_TAXONOMY)
    if catalogue.modified:
        w.typed(root, f"{{{DCT}}}modified", _date(catalogue.modified), "date")
    for dataset in catalogue.datasets:
        w.link(root, f"{{{DCAT}}}dataset", dataset.uri)
    w.agent(catalogue.publisher)

    for dataset in catalogue.datasets:
        element = w.node(f"{{{DCAT}}}Dataset", dataset.uri)
        if element is None:
            continue
        w.text(element, f"{{{DCT}}}title", dataset.title, lang="sv")
        w.text(element, f"{{{DCT}}}description", dataset.description, lang="sv")
        w.link(element, f"{{{DCT}}}publisher", dataset.publisher.uri)
        w.link(element, f"{{{DCAT}}}contactPoint", dataset.contact.uri)
        w.link(element, f"{{{DCAT}}}theme", THEME_HEALTH)
        w.link(element, f"{{{DCT}}}language", LANGUAGE_SWEDISH)
        w.link(element, f"{{{DCT}}}spatial", dataset.spatial)
        w.link(element, f"{{{DCAT}}}landingPage", dataset.landing_page)
        w.typed(element, f"{{{DCT}}}issued", _date(dataset.issued), "date")
        w.typed(element, f"{{{DCT}}}modified", _date(dataset.modified), "date")
        for keyword in dataset.keywords:
            w.text(element, f"{{{DCAT}}}keyword", keyword, lang="sv")
        if dataset.start_year and dataset.end_year:
            temporal = ElementTree.SubElement(element, f"{{{DCT}}}temporal")
            period = ElementTree.SubElement(temporal, f"{{{DCT}}}PeriodOfTime")
            w.typed(period, f"{{{DCAT}}}startDate", f"{dataset.start_year}-01-01", "date")
            w.typed(period, f"{{{DCAT}}}endDate", f"{dataset.end_year}-12-31", "date")
        for distribution in dataset.distributions:
            w.link(element, f"{{{DCAT}}}distribution", distribution.uri)
        w.agent(dataset.publisher)
        place = w.node(f"{{{DCT}}}Location", dataset.spatial)
        if place is not None:
            w.text(place, f"{{{RDFS}}}label", dataset.spatial_label, lang="sv")
        contact = w.node(f"{{{VCARD}}}Organization", dataset.contact.uri)
        if contact is not None:
            w.text(contact, f"{{{VCARD}}}fn", dataset.contact.name, lang="sv")
            if dataset.contact.email:
                w.link(contact, f"{{{VCARD}}}hasEmail", f"mailto:{dataset.contact.email}")
            if dataset.contact.url:
                w.link(contact, f"{{{VCARD}}}hasURL", dataset.contact.url)
        for distribution in dataset.distributions:
            item = w.node(f"{{{DCAT}}}Distribution", distribution.uri)
            w.text(item, f"{{{DCT}}}title", distribution.title, lang="sv")
            w.text(item, f"{{{DCT}}}description", distribution.description, lang="sv")
            w.link(item, f"{{{DCAT}}}accessURL", distribution.url)
            w.link(item, f"{{{DCAT}}}downloadURL", distribution.url)
            w.link(item, f"{{{DCAT}}}mediaType", MEDIA_TYPES[distribution.fmt])
            w.link(item, f"{{{DCT}}}format", FILE_TYPES[distribution.fmt])
            w.link(item, f"{{{DCT}}}license", distribution.licence)
            if distribution.issued:
                w.typed(item, f"{{{DCT}}}issued", _date(distribution.issued), "date")
            if distribution.modified:
                w.typed(item, f"{{{DCT}}}modified", _date(distribution.modified), "date")
    ElementTree.indent(w.root)
    return ElementTree.tostring(w.root, encoding="utf-8", xml_declaration=True) + b"\n"


# --- JSON-LD -------------------------------------------------------------------------------------


def _sv(value: str) -> dict:
    return {"@value": value, "@language": "sv"}


def _day(value: date | datetime) -> dict:
    return {"@value": _date(value), "@type": "xsd:date"}


def _id(uri: str) -> dict:
    return {"@id": uri}


def catalogue_jsonld(catalogue: Catalogue) -> dict:
    """The same graph as :func:`catalogue_rdfxml`, as JSON-LD (one ``@graph``, prefixed names)."""
    graph: list[dict] = []
    described: set[str] = set()

    def add(node: dict) -> None:
        if node["@id"] not in described:
            described.add(node["@id"])
            graph.append(node)

    def agent(value: Agent) -> None:
        node = {"@id": value.uri, "@type": "foaf:Agent", "foaf:name": _sv(value.name)}
        if value.kind:
            node["dcterms:type"] = _id(value.kind)
        add(node)

    root = {
        "@id": catalogue.uri,
        "@type": "dcat:Catalog",
        "dcterms:title": [_sv(catalogue.title), {"@value": catalogue.title_en, "@language": "en"}],
        "dcterms:description": [
            _sv(catalogue.description),
            {"@value": catalogue.description_en, "@language": "en"},
        ],
        "dcterms:publisher": _id(catalogue.publisher.uri),
        "dcterms:license": _id(METADATA_LICENCE),
        "dcterms:language": _id(LANGUAGE_SWEDISH),
        "foaf:homepage": _id(catalogue.homepage),
        "dcat:themeTaxonomy": _id(THEME_TAXONOMY),
        "dcat:dataset": [_id(dataset.uri) for dataset in catalogue.datasets],
    }
    if catalogue.modified:
        root["dcterms:modified"] = _day(catalogue.modified)
    add(root)
    agent(catalogue.publisher)
    for dataset in catalogue.datasets:
        node = {
            "@id": dataset.uri,
            "@type": "dcat:Dataset",
            "dcterms:title": _sv(dataset.title),
            "dcterms:description": _sv(dataset.description),
            "dcterms:publisher": _id(dataset.publisher.uri),
            "dcat:contactPoint": _id(dataset.contact.uri),
            "dcat:theme": _id(THEME_HEALTH),
            "dcterms:language": _id(LANGUAGE_SWEDISH),
            "dcterms:spatial": _id(dataset.spatial),
            "dcat:landingPage": _id(dataset.landing_page),
            "dcterms:issued": _day(dataset.issued),
            "dcterms:modified": _day(dataset.modified),
            "dcat:keyword": [_sv(keyword) for keyword in dataset.keywords],
            "dcat:distribution": [_id(item.uri) for item in dataset.distributions],
        }
        if dataset.start_year and dataset.end_year:
            node["dcterms:temporal"] = {
                "@type": "dcterms:PeriodOfTime",
                "dcat:startDate": {"@value": f"{dataset.start_year}-01-01", "@type": "xsd:date"},
                "dcat:endDate": {"@value": f"{dataset.end_year}-12-31", "@type": "xsd:date"},
            }
        add(node)
        agent(dataset.publisher)
        add({"@id": dataset.spatial, "@type": "dcterms:Location", "rdfs:label": _sv(dataset.spatial_label)})
        contact = {
            "@id": dataset.contact.uri,
            "@type": "vcard:Organization",
            "vcard:fn": _sv(dataset.contact.name),
        }
        if dataset.contact.email:
            contact["vcard:hasEmail"] = _id(f"mailto:{dataset.contact.email}")
        if dataset.contact.url:
            contact["vcard:hasURL"] = _id(dataset.contact.url)
        add(contact)
        for item in dataset.distributions:
            distribution = {
                "@id": item.uri,
                "@type": "dcat:Distribution",
                "dcterms:title": _sv(item.title),
                "dcterms:description": _sv(item.description),
                "dcat:accessURL": _id(item.url),
                "dcat:downloadURL": _id(item.url),
                "dcat:mediaType": _id(MEDIA_TYPES[item.fmt]),
                "dcterms:format": _id(FILE_TYPES[item.fmt]),
                "dcterms:license": _id(item.licence),
            }
            if item.issued:
                distribution["dcterms:issued"] = _day(item.issued)
            if item.modified:
                distribution["dcterms:modified"] = _day(item.modified)
            add(distribution)
    context = {**NAMESPACES, "xsd": XSD}
    return {"@context": context, "@graph": graph}


def catalogue_jsonld_bytes(catalogue: Catalogue) -> bytes:
    return json.dumps(catalogue_jsonld(catalogue), ensure_ascii=False, indent=1).encode("utf-8")


def site_url(path: str) -> str:
    """An absolute URL of ours: the catalogue's identifiers and links must not depend on the request."""
    return settings.SITE_URL.rstrip("/") + path


def licence_for_catalogue(key: str) -> str:
    return CATALOGUE_LICENCES[key]


def contact_email() -> str:
    """A function mailbox for questions about the data (``OPENDATA_CONTACT_EMAIL``), or none."""
    return getattr(settings, "OPENDATA_CONTACT_EMAIL", "")


def catalogue_publisher(homepage: str) -> Agent:
    """Who publishes the catalogue: the organisation that runs Planportal (``OPENDATA_PUBLISHER``)."""
    return Agent(uri=homepage + "#utgivare", name=getattr(settings, "OPENDATA_PUBLISHER", "Planportalen"))
