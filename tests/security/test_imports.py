"""Spreadsheet import and export: staged files stay with their user and target, ids and codes of
another county are refused without showing its data, and exports hold only the county's own rows."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from activities.models import Activity
from indicators.models import IndicatorValue
from plans.models import Goal, ImportRecord, Role
from tests.factories import IndicatorFactory, IndicatorValueFactory, MunicipalityFactory, PlanTree, member
from tests.security.conftest import shows_secret

pytestmark = pytest.mark.django_db


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\r\n".join(text.splitlines()) + "\r\n").encode("utf-8"))


def confirm_fields(response) -> dict:
    content = response.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', content).group(1)
    digest = re.search(r'name="digest" value="([0-9a-f]{32})"', content).group(1)
    return {"token": token, "digest": digest}


def stage_matrix(client, plan) -> dict:
    response = client.post(
        reverse("plan_import", args=[plan.pk]),
        {"kind": "activities", "file": upload("matris.csv", "Aktivitet;Nuläge\nStagad aktivitet;Ny\n")},
    )
    assert response.status_code == 200
    return confirm_fields(response)


def test_it_does_not_confirm_another_users_staged_file(client, world):
    colleague = Client()
    colleague.force_login(member(world.county, Role.EDITOR, username="kollega"))
    fields = stage_matrix(colleague, world.tree.plan)
    world.login(client, "editor")
    response = client.post(reverse("plan_import_confirm", args=[world.tree.plan.pk]), fields)
    assert response.status_code == 302
    assert not Activity.objects.filter(title="Stagad aktivitet").exists()
    # ... and the colleague can still confirm it.
    assert (
        colleague.post(reverse("plan_import_confirm", args=[world.tree.plan.pk]), fields).status_code == 302
    )
    assert Activity.objects.filter(title="Stagad aktivitet", plan=world.tree.plan).exists()


def test_it_does_not_confirm_a_staged_file_into_another_plan(client, world):
    second = PlanTree.build(county=world.county, activities=1).plan
    world.login(client, "admin")
    fields = stage_matrix(client, world.tree.plan)
    for url in (
        reverse("plan_import_confirm", args=[second.pk]),
        reverse("plan_import_confirm", args=[world.other_tree.plan.pk]),
        reverse("county_indicator_import_confirm", args=["BD"]),
    ):
        assert client.post(url, fields).status_code == 302, url
    assert not Activity.objects.filter(title="Stagad aktivitet").exists()


def test_it_does_not_let_another_countys_editor_confirm_with_a_stolen_token(client, world):
    world.login(client, "editor")
    fields = stage_matrix(client, world.tree.plan)
    client.logout()
    world.login(client, "other_editor")
    assert client.post(reverse("plan_import_confirm", args=[world.tree.plan.pk]), fields).status_code == 404
    assert (
        client.post(reverse("plan_import_confirm", args=[world.other_tree.plan.pk]), fields).status_code
        == 302
    )
    assert not Activity.objects.filter(title="Stagad aktivitet").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"token": "../../etc/passwd", "digest": "0" * 32},
        {"token": "0" * 32},
        {"token": "A" * 32, "digest": "B" * 32},
        {"token": "0" * 32, "digest": "0" * 32, "cancel": "1"},
    ],
)
def test_it_answers_a_bad_confirmation_with_a_message(safe_client, world, data):
    world.login(safe_client, "editor")
    for url in (
        reverse("plan_import_confirm", args=[world.tree.plan.pk]),
        reverse("county_indicator_import_confirm", args=["BD"]),
    ):
        assert safe_client.post(url, data).status_code == 302, url


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "activities"},
        {"kind": "indicator_values", "file": ("m.csv", "kpi;kommun;år;värde\n")},
        {"kind": "nonsense", "file": ("m.csv", "Aktivitet\nA\n")},
        {"kind": "activities", "file": ("m.csv", "")},
        {"kind": "activities", "file": ("m.xlsx", "not a zip")},
        {"kind": "activities", "file": ("m.csv", "Aktivitet;Id\nA;99999999999999999999\nB;-1\nC;x\n")},
        {"kind": "goals", "file": ("m.csv", "Kod;Mål;Fokusområde\nV1;Mål;99999999999999999999\n")},
        {"kind": "activities", "file": ("m\x00.csv", "Aktivitet\nA\n")},
    ],
    ids=[
        "empty",
        "no-file",
        "kind-of-county",
        "bad-kind",
        "empty-file",
        "broken-xlsx",
        "bad-ids",
        "bad-focus",
        "nul-name",
    ],
)
def test_it_answers_bad_uploads_without_crashing(safe_client, world, data):
    world.login(safe_client, "editor")
    post = dict(data)
    if "file" in post:
        name, text = post["file"]
        post["file"] = upload(name, text)
    response = safe_client.post(reverse("plan_import", args=[world.tree.plan.pk]), post)
    assert response.status_code in (200, 400)
    assert Activity.objects.filter(plan=world.tree.plan).count() == 3


def test_it_refuses_an_activity_id_of_another_county_and_does_not_show_it(client, world):
    foreign = world.other_tree.activities[0]
    world.login(client, "editor")
    response = client.post(
        reverse("plan_import", args=[world.tree.plan.pk]),
        {"kind": "activities", "file": upload("m.csv", f"Aktivitet;Nuläge;Id\nKapad;Kapad;{foreign.pk}\n")},
    )
    assert response.status_code == 200
    assert 'name="token"' not in response.content.decode()
    assert not shows_secret(response)
    foreign.refresh_from_db()
    assert foreign.plan_id == world.other_tree.plan.pk
    assert foreign.current_state != "Kapad"


def test_it_refuses_a_goal_code_of_another_county_and_does_not_list_its_codes(client, world):
    world.login(client, "editor")
    foreign_code = world.other_tree.goals[1].code
    response = client.post(
        reverse("plan_import", args=[world.tree.plan.pk]),
        {"kind": "activities", "file": upload("m.csv", "Aktivitet;Målkod\nNy;X9.0\n")},
    )
    assert response.status_code == 200
    assert not shows_secret(response)
    assert foreign_code not in response.content.decode()


def test_it_imports_a_goal_with_another_countys_code_into_the_own_plan_only(client, world):
    foreign = world.other_tree.goals[0]
    world.login(client, "editor")
    response = client.post(
        reverse("plan_import", args=[world.tree.plan.pk]),
        {"kind": "goals", "file": upload("mal.csv", f"Kod;Mål\n{foreign.code};Eget mål\n")},
    )
    assert not shows_secret(response)
    assert (
        client.post(
            reverse("plan_import_confirm", args=[world.tree.plan.pk]), confirm_fields(response)
        ).status_code
        == 302
    )
    foreign.refresh_from_db()
    assert foreign.title.startswith("Hemlig")
    assert Goal.objects.get(plan=world.tree.plan, code=foreign.code).title == "Eget mål"


def test_it_keeps_indicator_values_to_their_county(client, world):
    indicator = IndicatorFactory(code="N00927")
    lulea = MunicipalityFactory(code="2580", name="Luleå", county=world.county)
    gavle = MunicipalityFactory(code="2180", name="Gävle", county=world.other_county)
    foreign_value = IndicatorValueFactory(
        indicator=indicator, county=None, municipality=gavle, year=2020, value=777
    )
    IndicatorValueFactory(indicator=indicator, county=None, municipality=lulea, year=2020, value=5)
    world.login(client, "editor")
    response = client.post(
        reverse("county_indicator_import", args=["BD"]),
        {"file": upload("v.csv", "kpi;kommun;år;kön;värde\nN00927;2180;2020;T;1\nN00927;0021;2020;T;1\n")},
    )
    assert response.status_code == 200
    assert 'name="token"' not in response.content.decode()
    foreign_value.refresh_from_db()
    assert foreign_value.value == 777
    export = client.get(reverse("county_indicator_export", args=["BD", "csv"]))
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "Luleå" in text
    assert "Gävle" not in text and "777" not in text
    assert client.get(reverse("county_indicator_export", args=["X", "csv"])).status_code == 404
    assert client.get(reverse("county_indicator_import", args=["X"])).status_code == 404
    assert IndicatorValue.objects.count() == 2
    assert ImportRecord.objects.filter(county=world.other_county).count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["aktiviteter", "mal"])
def test_it_exports_only_the_plans_own_rows(client, world, kind, fmt):
    world.login(client, "reader")
    response = client.get(reverse("plan_export", args=[world.tree.plan.pk, kind, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        assert not shows_secret(response)
    assert client.get(reverse("plan_export", args=[world.other_tree.plan.pk, kind, fmt])).status_code == 404


@pytest.mark.parametrize(
    "path", ["aktiviteter.pdf", "mal.json", "historik.csv", "aktiviteter.CSV", "indikatorvarden.csv"]
)
def test_it_answers_404_for_an_unknown_export(client, world, path):
    world.login(client, "admin")
    assert client.get(f"/planer/{world.tree.plan.pk}/export/{path}").status_code == 404


def test_it_answers_404_for_an_unknown_indicator_export_format(client, world):
    world.login(client, "admin")
    assert client.get("/lan/BD/indikatorer/export/varden.json").status_code == 404


def test_it_escapes_formulas_in_an_export(client, world):
    activity = world.tree.activities[0]
    activity.title = '=HYPERLINK("https://evil.example","klicka")'
    activity.save()
    world.login(client, "reader")
    response = client.get(reverse("plan_export", args=[world.tree.plan.pk, "aktiviteter", "csv"]))
    for line in response.content.decode("utf-8-sig").splitlines():
        for cell in re.split(r"[;,]", line):
            assert not cell.strip('"').startswith("=HYPERLINK"), line
