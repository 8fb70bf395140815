"""The indicator list and an indicator's page: who sees them, what they show, and at what cost."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from indicators.progress import Judgement
from tests.indicators.test_pages_support import add_values, build, mark_kolada
from tests.personas import EDIT, PERSONAS, READ, assert_status, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return build()


def urls(setup) -> dict[str, str]:
    pk = setup.national.pk
    return {
        "list": reverse("indicator_list", args=["BD"]),
        "detail": reverse("indicator_detail", args=["BD", pk]),
        "csv": reverse("indicator_csv", args=["BD", pk]),
    }


def edit_urls(setup) -> dict[str, str]:
    pk = setup.national.pk
    return {
        "create": reverse("indicator_create", args=["BD"]),
        "edit own": reverse("indicator_edit", args=["BD", setup.own.pk]),
        "plan": reverse("indicator_plan_edit", args=["BD", pk]),
        "values": reverse("indicator_values_edit", args=["BD", pk, 2021]),
        "links": reverse("indicator_links_edit", args=["BD", pk]),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_each_persona_as_the_matrix_says(client, setup, persona):
    setup.world.login(client, persona)
    for name, url in urls(setup).items():
        assert_status(client.get(url), READ[persona]), name
    for name, url in edit_urls(setup).items():
        assert_status(client.get(url), EDIT[persona]), name


def test_it_lists_the_county_indicators_with_progress_and_the_followed_first(client, setup):
    setup.world.login(client, "editor")
    response = client.get(reverse("indicator_list", args=["BD"]))
    html = response.content.decode()
    # Followed by a goal or an activity: both come before any unfollowed national indicator.
    unfollowed = Indicator.objects.create(code="Z9", name="Ingen följer denna")
    response = client.get(reverse("indicator_list", args=["BD"]))
    html = response.content.decode()
    assert html.index(setup.national.name) < html.index(unfollowed.name)
    assert html.index(setup.own.name) < html.index(unfollowed.name)
    # Baseline 50 (2018), latest 57 (2021), target 70 (2025): 7 of 20 in 3 of 7 years → some progress.
    row = html[html.index(setup.national.name) :]
    row = row[: row.index("</tr>")]
    assert str(Judgement.SOME_PROGRESS.label) in row
    assert "◐" in row
    assert "57" in row and "70" in row
    assert "↑" in row  # 56 → 57, with its words for screen readers
    assert reverse("indicator_create", args=["BD"]) in html


def test_it_offers_no_new_indicator_to_a_reader(client, setup):
    setup.world.login(client, "reader")
    html = client.get(reverse("indicator_list", args=["BD"])).content.decode()
    assert reverse("indicator_create", args=["BD"]) not in html
    assert reverse("indicator_values_edit", args=["BD", setup.national.pk, 2021]) not in html


def test_it_shows_the_definition_baseline_targets_goals_and_the_chart(client, setup):
    setup.world.login(client, "reader")
    response = client.get(reverse("indicator_detail", args=["BD", setup.national.pk]))
    html = response.content.decode()
    assert setup.national.name in html
    assert "2018" in html and "50" in html  # baseline
    assert "2025" in html and "70" in html  # target
    assert "98765" not in html and "98\u00a0765" not in html and "98 765" not in html  # Gävleborg's target
    goal = setup.world.tree.goals[0]
    assert f"#mal-{goal.pk}" in html and goal.title[:30] in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert 'href="?visa=diagram&amp;kon=T" aria-current="page"' in html
    assert "Luleå" not in html.split("<svg", 1)[1].split("</svg>")[0]  # the county alone until compared


def test_it_compares_the_county_with_an_area_in_the_chart(client, setup):
    setup.world.login(client, "reader")
    url = reverse("indicator_detail", args=["BD", setup.national.pk])
    html = client.get(url, {"omrade": f"m-{setup.lulea.pk}"}).content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>")[0]
    assert "Luleå" in svg and "Norrbottens län" in svg
    assert 'stroke-dasharray="2 3"' in svg  # told apart without colour
    # Another county's municipality cannot be chosen, even by its id.
    html = client.get(url, {"omrade": f"m-{setup.gavle.pk}"}).content.decode()
    assert "Gävle" not in html


def test_it_shows_the_table_of_areas_and_years_by_gender(client, setup):
    setup.world.login(client, "reader")
    url = reverse("indicator_detail", args=["BD", setup.national.pk])
    html = client.get(url, {"visa": "tabell", "kon": "K"}).content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert 'aria-current="page">' in html
    for name in ("Norrbottens län", "Östra Norrbotten", "Luleå", "Piteå"):
        assert name in html
    table = html.split("<table", 1)[1].split("</table>")[0]
    assert ">2019<" in table and ">2021<" in table
    assert ">59<" in table  # the county's women 2021: 57 + 2
    assert "777" not in table and "888" not in table and "Gävle" not in table


def test_it_names_kolada_as_the_source_only_where_values_came_from_there(client, setup):
    setup.world.login(client, "reader")
    url = reverse("indicator_detail", args=["BD", setup.national.pk])
    assert "CC BY 4.0" not in client.get(url).content.decode()
    mark_kolada(setup.national)
    html = client.get(url).content.decode()
    assert "CC BY 4.0" in html and "kolada.se" in html


def test_it_downloads_the_county_areas_values_as_csv(client, setup):
    setup.world.login(client, "reader")
    response = client.get(reverse("indicator_csv", args=["BD", setup.national.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    # 3 years × 3 genders × (county, sub-region, two municipalities), and a header.
    assert len(lines) == 1 + 3 * 3 * 4
    assert "Luleå" in text and "Östra Norrbotten" in text
    assert "Gävle" not in text and "777" not in text and "888" not in text
    assert lines[1].split(";")[2] == "Norrbottens län"


def test_its_list_costs_the_same_number_of_queries_with_twice_the_indicators_and_values(client, setup):
    setup.world.login(client, "editor")
    url = reverse("indicator_list", args=["BD"])
    few = queries_for(client, url)
    for index in range(3):
        extra = Indicator.objects.create(code=f"E{index}", name=f"Extra {index}", desired_direction="up")
        extra.goals.add(setup.world.tree.goals[1])
        add_values(
            extra,
            setup.world,
            lulea=setup.lulea,
            pitea=setup.pitea,
            sub_region=setup.sub_region,
            gavle=setup.gavle,
            years=6,
        )
    assert queries_for(client, url) == few


def test_its_detail_page_costs_the_same_number_of_queries_with_twice_the_values_and_areas(client, setup):
    from plans.models import Municipality, SubRegion

    setup.world.login(client, "editor")
    url = reverse("indicator_detail", args=["BD", setup.national.pk])
    few_chart = queries_for(client, url)
    few_table = queries_for(client, url + "?visa=tabell")
    county = setup.world.county
    more = [
        Municipality.objects.create(code=f"25{n:02d}", name=f"Kommun {n}", county=county)
        for n in range(90, 92)
    ]
    sub_region = SubRegion.objects.create(county=county, name="Västra Norrbotten")
    add_values(
        setup.national,
        setup.world,
        lulea=more[0],
        pitea=more[1],
        sub_region=sub_region,
        gavle=setup.gavle,
        years=3,
        first=2022,
    )
    assert IndicatorValue.objects.filter(indicator=setup.national).count() > 100
    assert queries_for(client, url) == few_chart
    assert queries_for(client, url + "?visa=tabell") == few_table
