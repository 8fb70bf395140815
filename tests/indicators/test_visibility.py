"""Another county's own indicators never show on a county's pages, not even by guessing their ids;
nor do the values of another county's areas."""

import pytest
from django.urls import reverse

from tests.indicators.test_pages_support import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return build()


def guessed_urls(pk: int) -> list[str]:
    return [
        reverse("indicator_detail", args=["BD", pk]),
        reverse("indicator_csv", args=["BD", pk]),
        reverse("indicator_edit", args=["BD", pk]),
        reverse("indicator_plan_edit", args=["BD", pk]),
        reverse("indicator_values_edit", args=["BD", pk, 2021]),
        reverse("indicator_links_edit", args=["BD", pk]),
    ]


@pytest.mark.parametrize("persona", ["editor", "reader", "admin"])
def test_it_never_shows_another_county_own_indicator_on_this_county_pages(client, setup, persona):
    setup.world.login(client, persona)
    html = client.get(reverse("indicator_list", args=["BD"])).content.decode()
    assert setup.others_own.name not in html
    assert setup.own.name in html
    for url in guessed_urls(setup.others_own.pk):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"goal": [setup.world.tree.goals[0].pk]}).status_code == 404, url
    assert not setup.others_own.goals.exists()


def test_its_own_county_sees_it_and_not_the_other_county_own(client, setup):
    setup.world.login(client, "other_editor")
    html = client.get(reverse("indicator_list", args=["X"])).content.decode()
    assert setup.others_own.name in html
    assert setup.own.name not in html
    assert client.get(reverse("indicator_detail", args=["X", setup.own.pk])).status_code == 404
    # The other county's pages of a national indicator show its own values only.
    detail = reverse("indicator_detail", args=["X", setup.national.pk])
    html = client.get(detail, {"visa": "tabell"}).content.decode()
    assert "888" in html and "777" in html
    assert "Luleå" not in html and "Östra Norrbotten" not in html
    csv = client.get(reverse("indicator_csv", args=["X", setup.national.pk])).content.decode("utf-8-sig")
    assert "Gävle" in csv and "Luleå" not in csv and "Norrbottens län" not in csv


def test_it_offers_only_the_county_goals_and_plans_for_links(client, setup):
    setup.world.login(client, "editor")
    html = client.get(
        reverse("indicator_links_edit", args=["BD", setup.national.pk]),
        {"plan": setup.world.other_tree.plan.pk},
    ).content.decode()
    assert setup.world.other_tree.goals[0].title not in html
    assert setup.world.other_tree.activities[0].title not in html
    assert setup.world.tree.goals[0].title in html


def test_it_keeps_another_county_value_cells_out_of_the_grid(client, setup):
    setup.world.login(client, "editor")
    url = reverse("indicator_values_edit", args=["BD", setup.national.pk, 2021])
    html = client.get(url).content.decode()
    assert "Gävle" not in html and "888" not in html
    # A cell of Gävle's municipality, posted by hand, is ignored.
    response = client.post(url, {f"m-{setup.gavle.pk}-T": "1", f"was-m-{setup.gavle.pk}-T": "777"})
    assert response.status_code == 302
    from indicators.models import IndicatorValue

    assert (
        IndicatorValue.objects.get(
            indicator=setup.national, municipality=setup.gavle, year=2021, gender="T"
        ).value
        == 777
    )
