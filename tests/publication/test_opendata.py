"""Open-data files of a published plan: served from the frozen snapshot, for everyone, cacheable.

Checked: the JSON against its shape (keys, types, the licence's URI), the CSV's headers and a
round trip through the spreadsheet reader, "Källa: Kolada" where values came from Kolada, the
licence in a Link header, ETag/Last-Modified and 304, formula injection neutralised, and that
nothing unpublished, replaced or of another county is served (404 after unpublishing).
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity, Status
from activities.resources import ActivityMatrixImporter
from indicators.models import (
    Gender,
    Indicator,
    IndicatorBaseline,
    IndicatorTarget,
    IndicatorValue,
    ValueSource,
)
from planportal.lib.spreadsheets import read_sheet
from plans.models import Plan
from plans.resources import GoalImporter
from publication.models import DEFAULT_INTERNAL_FIELDS, LICENCE_URLS, Licence, PlanPublication
from publication.opendata import CODE_VERSION, FILES, KOLADA_ATTRIBUTION, VALUE_HEADERS
from publication.services import publish_plan, unpublish_plan
from tests.factories import ActivityFactory, IndicatorFactory, PlanTree
from tests.personas import World

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid","klicka")'


@dataclass
class Published:
    world: World
    publication: PlanPublication
    indicator: Indicator

    @property
    def base(self) -> str:
        return f"/publikt/{self.world.county.letter_code}/{self.publication.slug}/data/"

    def url(self, name: str) -> str:
        return reverse("opendata_file", args=[self.world.county.letter_code, self.publication.slug, name])


def build_published(*, licence: str = Licence.CC0, activities: int = 3) -> Published:
    """County A's plan published with an indicator (Kolada and hand-entered values, baseline,
    target), an activity whose title is a formula and one whose responsible names a person."""
    world = World.build(activities=activities)
    tree = world.tree
    first = tree.activities[0]
    first.title = FORMULA
    first.responsible = "Kim Exempelsson, kim@example.invalid"
    first.budget = Decimal("450000")
    first.status = Status.ONGOING
    first.save()
    tree.goals[0].responsible = "Alex Exempel"
    tree.goals[0].save()
    indicator = IndicatorFactory(code="U90460", name="Självmord per 100 000 inv.", kolada_id="U90460")
    indicator.desired_direction = Indicator.Direction.DOWN
    indicator.unit = Indicator.Unit.PER_100K
    indicator.save()
    indicator.goals.add(tree.goals[0])
    indicator.activities.add(first)
    county = world.county
    IndicatorBaseline.objects.create(indicator=indicator, county=county, year=2020, value=Decimal("15"))
    IndicatorTarget.objects.create(indicator=indicator, county=county, year=2025, value=Decimal("10"))
    for year, value, source in ((2021, "14.5", ValueSource.KOLADA), (2022, "-12", ValueSource.ENTERED)):
        IndicatorValue.objects.create(
            indicator=indicator,
            county=county,
            year=year,
            gender=Gender.TOTAL,
            value=Decimal(value),
            source=source,
        )
    publication = publish_plan(
        plan=tree.plan,
        user=world.users["editor"],
        licence=licence,
        internal_fields=list(DEFAULT_INTERNAL_FIELDS),
    )
    return Published(world=world, publication=publication, indicator=indicator)


@pytest.fixture
def published() -> Published:
    return build_published()


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with a BOM, as Swedish Excel wants it"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# --- JSON ---------------------------------------------------------------------------------------

ENVELOPE = {
    "format": str,
    "title": str,
    "publisher": str,
    "published_at": str,
    "url": str,
    "licence": dict,
    "attribution": list,
    "snapshot_sha256": str,
}
PLAN_KEYS = {
    **ENVELOPE,
    "internal_fields": list,
    "county": dict,
    "plan": dict,
    "focus_areas": list,
    "priority_areas": list,
    "goals": list,
    "activities": list,
    "indicators": list,
}
ACTIVITY_KEYS = {
    "id": int,
    "title": str,
    "priority_area": (int, type(None)),
    "goals": list,
    "status": str,
    "status_label": str,
    "activity_type": str,
    "activity_type_label": str,
    "start_date": (str, type(None)),
    "end_date": (str, type(None)),
    "timeline": str,
    "expected_result": str,
    "indicators_text": str,
    "lead_organisations": list,
    "sub_regions": list,
    "indicators": list,
}
INDICATOR_KEYS = {
    "id": int,
    "code": str,
    "name": str,
    "unit": str,
    "unit_label": str,
    "kolada_id": str,
    "desired_direction": str,
    "national": bool,
    "values": list,
    "baseline": (dict, type(None)),
    "targets": list,
    "progress": dict,
    "attribution": str,
}


def assert_shape(data: dict, shape: dict) -> None:
    for key, kind in shape.items():
        assert key in data, key
        assert isinstance(data[key], kind), (key, data[key])


def test_it_serves_the_whole_published_plan_as_json(client, published):
    response = client.get(published.url("plan.json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert_shape(data, PLAN_KEYS)
    assert data["format"] == "planportal.opendata/1"
    assert data["licence"] == {"id": "cc0", "name": str(Licence.CC0.label), "url": LICENCE_URLS[Licence.CC0]}
    assert data["licence"]["url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert data["snapshot_sha256"] == published.publication.snapshot_sha256
    assert data["url"].endswith(f"/publikt/BD/{published.publication.slug}/")
    assert data["title"] == published.world.tree.plan.title
    assert data["publisher"] == published.world.county.region_name
    assert data["attribution"] == [KOLADA_ATTRIBUTION]
    assert len(data["activities"]) == 3
    for activity in data["activities"]:
        assert_shape(activity, ACTIVITY_KEYS)
        # Kept internal by default: free-text responsible, where names of people are written.
        assert "responsible" not in activity
    assert {activity["status_label"] for activity in data["activities"]} >= {"pågående"}
    assert all("responsible" not in goal for goal in data["goals"])
    assert "Kim Exempelsson" not in response.content.decode()
    assert "Alex Exempel" not in response.content.decode()
    [indicator] = data["indicators"]
    assert_shape(indicator, INDICATOR_KEYS)
    assert indicator["attribution"] == KOLADA_ATTRIBUTION
    assert indicator["values"] == [
        {"year": 2021, "gender": "T", "value": "14.5", "source": "kolada"},
        {"year": 2022, "gender": "T", "value": "-12", "source": "entered"},
    ]
    assert indicator["baseline"] == {"year": 2020, "value": "15"}
    assert indicator["targets"] == [{"year": 2025, "value": "10"}]
    assert indicator["progress"]["judgement"] == "on_track"
    assert indicator["progress"]["label"] == "i fas"


def test_it_serves_the_indicator_values_as_json(client, published):
    data = json.loads(client.get(published.url("indikatorvarden.json")).content)

    assert_shape(data, {**ENVELOPE, "county": dict, "plan": dict, "indicators": list})
    assert set(data["plan"]) == {"id", "title", "start_year", "end_year"}
    assert data["licence"]["url"] == LICENCE_URLS[Licence.CC0]
    [indicator] = data["indicators"]
    assert_shape(indicator, INDICATOR_KEYS)
    assert [value["source"] for value in indicator["values"]] == ["kolada", "entered"]


def test_it_names_no_kolada_source_when_no_value_came_from_there(client):
    published = build_published(licence=Licence.CC_BY)
    IndicatorValue.objects.update(source=ValueSource.IMPORTED)
    republished = publish_plan(
        plan=published.world.tree.plan,
        user=published.world.users["editor"],
        licence=Licence.CC_BY,
        internal_fields=[],
    )
    data = json.loads(client.get(published.url("plan.json")).content)

    assert data["snapshot_sha256"] == republished.snapshot_sha256
    assert data["attribution"] == []
    assert data["indicators"][0]["attribution"] == ""
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    # Nothing kept internal this time: the responsible column is published, e-mail addresses never.
    assert data["activities"][0]["responsible"] == "Kim Exempelsson,"
    rows = _csv(client.get(published.url("indikatorvarden.csv")))
    assert {row[VALUE_HEADERS.index("Källa")] for row in rows[1:]} == {"", "Importerad"}


# --- CSV ----------------------------------------------------------------------------------------


def test_it_serves_the_activities_as_csv_that_imports_back(client, published):
    response = client.get(published.url("aktiviteter.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    headers = rows[0]
    assert headers[:3] == ["Id", "Insatsområde", "Aktivitet"]
    assert "Ansvar" not in headers  # kept internal
    assert {"Nuläge", "Mål", "Indikatorer", "Tidsplan", "Kostnad", "Målkod", "Status", "Budget"} <= set(
        headers
    )
    assert len(rows) == 4
    by_id = {int(row[0]): dict(zip(headers, row, strict=True)) for row in rows[1:]}
    first = published.world.tree.activities[0]
    assert by_id[first.pk]["Budget"] == "450000"
    assert by_id[first.pk]["Status"] == "pågående"
    assert by_id[first.pk]["Målkod"] == published.world.tree.goals[0].code
    assert by_id[first.pk]["Indikatorkoder"] == "U90460"

    # Round trip: the project's own reader finds the import format's columns and the same rows.
    sheet = read_sheet(response.content, "aktiviteter.csv", ActivityMatrixImporter.columns)
    assert sheet.header_row == 1
    titles = [row.values["title"] for row in sheet.rows]
    assert titles == [
        activity.title
        for activity in Activity.objects.filter(plan=published.world.tree.plan).order_by(
            "priority_area__position", "position", "id"
        )
    ]


def test_it_neutralises_formulas_in_csv(client, published):
    rows = _csv(client.get(published.url("aktiviteter.csv")))
    headers = rows[0]
    cells = [row[headers.index("Aktivitet")] for row in rows[1:]]

    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    values = _csv(client.get(published.url("indikatorvarden.csv")))
    # A negative number stays a number (not text with an apostrophe).
    assert "-12" in [row[VALUE_HEADERS.index("Värde")] for row in values[1:]]


def test_it_serves_the_goals_as_csv(client, published):
    rows = _csv(client.get(published.url("mal.csv")))

    assert rows[0] == [
        "Kod",
        "Mål",
        "Målgrupp",
        "Fokusområde",
        "Insatsområde",
        "Beskrivning",
        "Indikatorkoder",
        "Antal aktiviteter",
    ]
    codes = [row[0] for row in rows[1:]]
    assert codes == [goal.code for goal in published.world.tree.goals]
    sheet = read_sheet(client.get(published.url("mal.csv")).content, "mal.csv", GoalImporter.columns)
    assert [row.values["code"] for row in sheet.rows] == codes


def test_it_serves_the_indicator_values_in_long_shape_with_kolada_as_source(client, published):
    rows = _csv(client.get(published.url("indikatorvarden.csv")))

    assert rows[0] == VALUE_HEADERS
    table = [dict(zip(VALUE_HEADERS, row, strict=True)) for row in rows[1:]]
    assert [(row["Typ"], row["År"], row["Värde"], row["Källa"]) for row in table] == [
        ("Utgångsläge", "2020", "15", ""),
        ("Utfall", "2021", "14,5", "Kolada"),
        ("Utfall", "2022", "-12", "Inmatad"),
        ("Målvärde", "2025", "10", ""),
    ]
    assert {row["Län"] for row in table} == {"Norrbottens län"}
    assert {row["Länskod"] for row in table} == {"25"}
    assert table[1]["Kön"] == "totalt"


# --- HTTP: licence, caching, conditional requests -----------------------------------------------


@pytest.mark.parametrize("name", list(FILES))
def test_it_sends_licence_and_cache_headers(client, published, name):
    response = client.get(published.url(name))

    assert response.status_code == 200
    assert response["Link"] == '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
    assert response["Cache-Control"].startswith("public")
    assert response["ETag"] == f'"{published.publication.snapshot_sha256}-{CODE_VERSION}-{name}"'
    assert response["Last-Modified"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


def test_it_answers_304_to_a_current_copy_with_one_query(client, published, django_assert_num_queries):
    url = published.url("plan.json")
    first = client.get(url)

    with django_assert_num_queries(1):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Link"] == first["Link"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_it_keeps_the_written_file_and_reads_the_snapshot_once(client, published, django_assert_num_queries):
    url = published.url("aktiviteter.csv")
    with django_assert_num_queries(2):  # the publication, then its snapshot
        first = client.get(url)
    with django_assert_num_queries(1):  # the publication; the file is kept
        again = client.get(url)
    assert again.content == first.content


def test_a_signed_in_person_gets_the_same_public_file(client, published):
    anonymous = client.get(published.url("plan.json"))
    published.world.login(client, "other_editor")
    signed_in = client.get(published.url("plan.json"))

    assert signed_in.status_code == 200
    assert signed_in.content == anonymous.content
    assert signed_in["Cache-Control"].startswith("public")


def test_the_queries_do_not_grow_with_the_plan(client, django_assert_num_queries):
    small = build_published(activities=3)
    url = small.url("plan.json")
    with django_assert_num_queries(2):
        client.get(url)
    plan = small.world.tree.plan
    for _ in range(40):
        ActivityFactory(plan=plan)
    publish_plan(plan=plan, user=small.world.users["editor"], licence=Licence.CC0, internal_fields=[])
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(json.loads(response.content)["activities"]) == 43


# --- What is served: the frozen snapshot of live publications only -------------------------------


def test_it_serves_what_was_published_until_the_county_publishes_again(client, published):
    url = published.url("plan.json")
    before = client.get(url)
    activity = published.world.tree.activities[1]
    activity.title = "Ändrad efter publiceringen"
    activity.save()

    unchanged = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert unchanged.status_code == 304
    assert "Ändrad efter publiceringen" not in client.get(url).content.decode()

    publish_plan(
        plan=published.world.tree.plan,
        user=published.world.users["editor"],
        licence=Licence.CC0,
        internal_fields=list(DEFAULT_INTERNAL_FIELDS),
    )
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Ändrad efter publiceringen" in after.content.decode()


def test_it_answers_404_after_unpublishing(client, published):
    for name in FILES:
        assert client.get(published.url(name)).status_code == 200
    unpublish_plan(plan=published.world.tree.plan, user=published.world.users["editor"])

    for name in FILES:
        assert client.get(published.url(name)).status_code == 404


def test_it_serves_nothing_unpublished_or_of_another_address(client, published):
    world = published.world
    slug = published.publication.slug
    draft = PlanTree.build(county=world.county).plan
    draft.status = Plan.Status.DRAFT
    draft.save()
    other_plan = world.other_tree.plan
    other = publish_plan(
        plan=other_plan, user=world.users["other_editor"], licence=Licence.CC0, internal_fields=[]
    )

    # Another county's published plan is not under this county's address, nor this one's under it.
    assert client.get(reverse("opendata_file", args=["BD", other.slug, "plan.json"])).status_code == 404
    assert client.get(reverse("opendata_file", args=["X", slug, "plan.json"])).status_code == 404
    assert client.get(reverse("opendata_file", args=["X", other.slug, "plan.json"])).status_code == 200
    assert client.get(reverse("opendata_file", args=["BD", "utkast", "plan.json"])).status_code == 404
    assert client.get(published.url("hemligt.csv")).status_code == 404
    assert client.get(published.url("plan.json").replace("/BD/", "/bd/")).status_code == 200
    assert client.post(published.url("plan.json")).status_code == 405
    assert client.head(published.url("plan.json")).status_code == 200
