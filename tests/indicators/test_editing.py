"""Editing an indicator's values, baseline, targets and links, and the county's own indicators:
Swedish numbers, history, nothing saved on bad input, and conflicts said out loud."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue, ValueSource
from indicators.services import WEB_REASON
from tests.factories import GoalFactory, PlanFactory
from tests.indicators.test_pages_support import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return build()


def values_url(setup, year=2021):
    return reverse("indicator_values_edit", args=["BD", setup.national.pk, year])


def grid(client, url) -> dict[str, str]:
    """What the grid page would post back untouched: every cell and the value it was shown."""
    html = client.get(url).content.decode()
    import re

    data = dict(re.findall(r'name="((?:was-)?[csm]-\d+-[TKM])"[^>]*value="([^"]*)"', html))
    data.update(
        re.findall(r'<input type="text"[^>]*name="([csm]-\d+-[TKM])" id="[^"]*" value="([^"]*)"', html)
    )
    return data


def value(setup, year=2021, gender="T", **area):
    row = IndicatorValue.objects.filter(indicator=setup.national, year=year, gender=gender, **area).first()
    return row.value if row else None


def test_it_saves_a_swedish_number_as_an_entered_value_with_history(client, setup):
    setup.world.login(client, "editor")
    data = grid(client, values_url(setup))
    county_cell = f"c-{setup.world.county.pk}-T"
    assert data[county_cell] == "57" and data[f"was-{county_cell}"] == "57"
    data[county_cell] = "57,5"
    data[f"m-{setup.pitea.pk}-K"] = ""  # empty: the value goes
    response = client.post(values_url(setup), data)
    assert response.status_code == 302
    row = IndicatorValue.objects.get(
        indicator=setup.national, year=2021, gender="T", county=setup.world.county
    )
    assert row.value == Decimal("57.5") and row.source == ValueSource.ENTERED
    latest = row.history.order_by("-history_id").first()
    assert latest.history_change_reason == WEB_REASON
    assert latest.history_user == setup.world.users["editor"]
    assert value(setup, gender="K", municipality=setup.pitea) is None
    # Untouched cells are not written again.
    assert value(setup, municipality=setup.lulea) == Decimal("58")
    assert IndicatorValue.history.filter(history_change_reason=WEB_REASON).count() == 2


def test_it_creates_a_value_in_an_empty_year(client, setup):
    setup.world.login(client, "editor")
    url = values_url(setup, 2024)
    data = grid(client, url)
    data[f"s-{setup.sub_region.pk}-T"] = " 12,25 "
    assert client.post(url, data).status_code == 302
    assert value(setup, 2024, sub_region=setup.sub_region) == Decimal("12.25")


@pytest.mark.parametrize("typed", ["tolv", "101", "-1", "12,34567"])
def test_it_refuses_bad_input_with_a_swedish_message_and_saves_nothing(client, setup, typed):
    setup.world.login(client, "editor")
    data = grid(client, values_url(setup))
    data[f"c-{setup.world.county.pk}-T"] = "60"
    data[f"m-{setup.lulea.pk}-T"] = typed
    before = list(IndicatorValue.objects.order_by("pk").values_list("value", flat=True))
    response = client.post(values_url(setup), data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert list(IndicatorValue.objects.order_by("pk").values_list("value", flat=True)) == before


def test_it_saves_nothing_and_names_the_cells_someone_else_changed_meanwhile(client, setup):
    setup.world.login(client, "editor")
    data = grid(client, values_url(setup))
    # Someone else saves Luleå's total after this page was loaded.
    IndicatorValue.objects.filter(
        indicator=setup.national, year=2021, gender="T", municipality=setup.lulea
    ).update(value=Decimal("80"))
    data[f"m-{setup.lulea.pk}-T"] = "61"
    data[f"c-{setup.world.county.pk}-T"] = "62"
    response = client.post(values_url(setup), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Luleå" in html.split('role="alert"', 1)[1].split("</div>")[0]
    assert value(setup, municipality=setup.lulea) == Decimal("80")
    assert value(setup, county=setup.world.county) == Decimal("57")  # nothing at all was saved
    # The page now shows the saved value and carries it; saving again goes through.
    data = grid_from(html)
    assert data[f"m-{setup.lulea.pk}-T"] == "80"
    assert client.post(values_url(setup), data).status_code == 302
    assert value(setup, county=setup.world.county) == Decimal("62")


def grid_from(html: str) -> dict[str, str]:
    import re

    data = dict(re.findall(r'name="(was-[csm]-\d+-[TKM])" value="([^"]*)"', html))
    data.update(
        re.findall(r'<input type="text"[^>]*name="([csm]-\d+-[TKM])" id="[^"]*" value="([^"]*)"', html)
    )
    return data


def test_it_lets_two_people_save_the_same_new_value(client, setup):
    setup.world.login(client, "editor")
    data = grid(client, values_url(setup))
    IndicatorValue.objects.filter(
        indicator=setup.national, year=2021, gender="T", county=setup.world.county
    ).update(value=Decimal("60"))
    data[f"c-{setup.world.county.pk}-T"] = "60"
    assert client.post(values_url(setup), data).status_code == 302


def test_it_saves_the_baseline_and_targets(client, setup):
    setup.world.login(client, "editor")
    url = reverse("indicator_plan_edit", args=["BD", setup.national.pk])
    html = client.get(url).content.decode()
    assert 'name="was-baseline" value="2018|50"' in html
    data = {
        "was-baseline": "2018|50",
        "baseline-year": "2019",
        "baseline-value": "52,5",
        "target-2025": "75",
        "was-target-2025": "70",
        "target-2024": "72",
        "was-target-2024": "",
    }
    assert client.post(url, data).status_code == 302
    baseline = IndicatorBaseline.objects.get(indicator=setup.national, county=setup.world.county)
    assert (baseline.year, baseline.value) == (2019, Decimal("52.5"))
    targets = dict(
        IndicatorTarget.objects.filter(indicator=setup.national, county=setup.world.county).values_list(
            "year", "value"
        )
    )
    assert targets == {2024: Decimal("72"), 2025: Decimal("75")}
    assert IndicatorTarget.objects.get(county=setup.world.other_county).value == Decimal("98765")
    assert baseline.history.order_by("-history_id").first().history_change_reason == WEB_REASON


def test_it_refuses_half_a_baseline_and_a_share_over_100(client, setup):
    setup.world.login(client, "editor")
    url = reverse("indicator_plan_edit", args=["BD", setup.national.pk])
    for data in (
        {"was-baseline": "2018|50", "baseline-year": "2018", "baseline-value": ""},
        {
            "was-baseline": "2018|50",
            "baseline-year": "2018",
            "baseline-value": "50",
            "target-2025": "120",
            "was-target-2025": "70",
        },
        {"was-baseline": "2018|50", "baseline-year": "nästa år", "baseline-value": "50"},
    ):
        assert client.post(url, data).status_code == 400
    assert IndicatorBaseline.objects.get(indicator=setup.national, county=setup.world.county).value == 50
    assert IndicatorTarget.objects.get(indicator=setup.national, county=setup.world.county).value == 70


def test_it_saves_no_target_someone_else_changed_meanwhile(client, setup):
    setup.world.login(client, "editor")
    url = reverse("indicator_plan_edit", args=["BD", setup.national.pk])
    IndicatorTarget.objects.filter(county=setup.world.county).update(value=Decimal("65"))
    data = {
        "was-baseline": "2018|50",
        "baseline-year": "2017",
        "baseline-value": "50",
        "target-2025": "75",
        "was-target-2025": "70",
    }
    response = client.post(url, data)
    assert response.status_code == 409
    assert 'value="65"' in response.content.decode()
    assert IndicatorBaseline.objects.get(indicator=setup.national, county=setup.world.county).year == 2018


def test_it_links_the_county_goals_and_leaves_other_counties_links_alone(client, setup):
    setup.world.login(client, "editor")
    other_goal = setup.world.other_tree.goals[0]
    setup.national.goals.add(other_goal)
    url = reverse("indicator_links_edit", args=["BD", setup.national.pk])
    html = client.get(url).content.decode()
    first, second = setup.world.tree.goals
    assert other_goal.title not in html
    activity = setup.world.tree.activities[1]
    data = {
        "plan": setup.world.tree.plan.pk,
        "goal": [second.pk],
        "activity": [activity.pk],
        "was-goals": str(first.pk),
        "was-activities": "",
    }
    assert client.post(url, data).status_code == 302
    assert set(setup.national.goals.all()) == {second, other_goal}
    assert list(setup.national.activities.all()) == [activity]
    version = setup.national.history.order_by("-history_id").first()
    assert version.history_change_reason == WEB_REASON


def test_it_saves_no_links_someone_else_changed_meanwhile(client, setup):
    setup.world.login(client, "editor")
    first, second = setup.world.tree.goals
    setup.national.goals.add(second)  # someone else, after the page was loaded
    url = reverse("indicator_links_edit", args=["BD", setup.national.pk])
    data = {"plan": setup.world.tree.plan.pk, "goal": [], "was-goals": str(first.pk), "was-activities": ""}
    response = client.post(url, data)
    assert response.status_code == 409
    assert set(setup.national.goals.all()) == {first, second}


def test_it_creates_an_own_indicator_and_refuses_a_code_the_county_already_has(client, setup):
    setup.world.login(client, "editor")
    url = reverse("indicator_create", args=["BD"])
    data = {
        "code": "BD-2",
        "name": "Antal deltagare i suicidpreventiva utbildningar",
        "unit": "count",
        "kind": "output",
        "desired_direction": "up",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    created = Indicator.objects.get(code="BD-2")
    assert created.county == setup.world.county
    assert created.history.count() == 1
    response = client.post(url, {**data, "code": "BD-1"})
    assert response.status_code == 400
    assert Indicator.objects.filter(code="BD-1").count() == 1
    assert "errorlist" in response.content.decode()
    # Gävleborg's own code is no hindrance: codes are unique within a county.
    assert client.post(url, {**data, "code": "X-1"}).status_code == 302


def test_it_edits_own_indicators_only_and_sends_staff_to_the_admin_for_national_ones(client, setup):
    setup.world.login(client, "editor")
    assert client.get(reverse("indicator_edit", args=["BD", setup.national.pk])).status_code == 404
    response = client.get(reverse("indicator_edit", args=["BD", setup.own.pk]))
    data = {
        "code": "BD-1",
        "name": "Antal utbildade i Första hjälpen till psykisk hälsa",
        "unit": "count",
        "kind": "output",
        "desired_direction": "up",
        "version": response.context["form"]["version"].value(),
    }
    assert client.post(reverse("indicator_edit", args=["BD", setup.own.pk]), data).status_code == 302
    setup.own.refresh_from_db()
    assert setup.own.name.startswith("Antal utbildade i Första")
    setup.world.login(client, "admin")
    response = client.get(reverse("indicator_edit", args=["BD", setup.national.pk]))
    assert response.status_code == 302 and "/admin/" in response["Location"]


def test_it_refuses_every_edit_to_a_reader(client, setup):
    setup.world.login(client, "reader")
    data = grid(client.__class__(), values_url(setup))
    response = client.post(
        values_url(setup), {f"c-{setup.world.county.pk}-T": "1", f"was-c-{setup.world.county.pk}-T": "57"}
    )
    assert response.status_code == 404
    assert data == {}
    assert value(setup, county=setup.world.county) == Decimal("57")


def test_it_shows_staff_the_links_of_plans_in_any_county(client, setup):
    plan = PlanFactory(county=setup.world.county, title="Ny plan 2026–2030")
    goal = GoalFactory(plan=plan, title="Ett mål i den nya planen")
    setup.world.login(client, "admin")
    html = client.get(reverse("indicator_links_edit", args=["BD", setup.national.pk])).content.decode()
    assert goal.title in html
