"""The import and export pages: who may use them, upload → preview → confirm, and bad files."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity
from indicators.models import IndicatorValue
from plans.models import ImportRecord, Role
from tests.factories import (
    CountyFactory,
    IndicatorFactory,
    MunicipalityFactory,
    PlanTree,
    UserFactory,
    member,
)
from tests.imports import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A county with a plan, the people around it, and a county next door."""
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    other = CountyFactory(name="Västerbottens län", letter_code="AC", code="24")
    tree = PlanTree.build(county=county, goals=2, activities=3)
    return {
        "county": county,
        "other": other,
        "tree": tree,
        "plan": tree.plan,
        "lulea": MunicipalityFactory(code="2580", name="Luleå", county=county),
        "umea": MunicipalityFactory(code="2480", name="Umeå", county=other),
        "indicator": IndicatorFactory(code="N00927", name="Självmord"),
        "people": {
            "editor": member(county, Role.EDITOR, "redaktor"),
            "other_editor": member(other, Role.EDITOR, "redaktor-ac"),
            "reader": member(county, Role.READER, "lasare"),
            "approver": member(county, Role.APPROVER, "godkannare"),
            "admin": UserFactory(username="admin", is_staff=True),
            "anonymous": None,
        },
    }


def login(client, world, who: str):
    user = world["people"][who]
    if user:
        client.force_login(user)
    return user


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def matrix_csv(world, extra_rows: list[str] = ()) -> bytes:
    """The plan's own matrix with one activity retitled and one added."""
    activities = world["tree"].activities
    lines = ["Aktivitet;Nuläge;Målkod"]
    lines.append(f"{activities[0].title};Nytt nuläge;{world['tree'].goals[0].code}")
    lines.append(f"{activities[1].title};{activities[1].current_state};{world['tree'].goals[1].code}")
    lines.append("Helt ny aktivitet;Saknas;")
    lines.extend(extra_rows)
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _staging_dir(user) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)


def confirm_fields(response) -> dict:
    content = response.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', content).group(1)
    digest = re.search(r'name="digest" value="([0-9a-f]{32})"', content).group(1)
    return {"token": token, "digest": digest}


# --- Who may do what -----------------------------------------------------------------------------

IMPORTERS = {
    "editor": 200,
    "admin": 200,
    "other_editor": 404,
    "reader": 404,
    "approver": 404,
    "anonymous": 302,
}
READERS = {"editor": 200, "admin": 200, "reader": 200, "approver": 200, "other_editor": 404, "anonymous": 302}


@pytest.mark.parametrize(("who", "status"), IMPORTERS.items())
def test_it_lets_only_the_countys_editors_and_admins_open_the_import_pages(client, world, who, status):
    login(client, world, who)
    for url in (
        reverse("plan_import", args=[world["plan"].pk]),
        reverse("county_indicator_import", args=["BD"]),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("who", "status"), IMPORTERS.items())
def test_it_lets_only_the_countys_editors_and_admins_upload_and_confirm(client, world, who, status):
    login(client, world, who)
    plan = world["plan"]
    response = client.post(
        reverse("plan_import", args=[plan.pk]),
        {"kind": "activities", "file": upload("matris.csv", matrix_csv(world))},
    )
    assert response.status_code == status
    confirm = client.post(
        reverse("plan_import_confirm", args=[plan.pk]), {"token": "0" * 32, "digest": "0" * 32}
    )
    assert confirm.status_code == (302 if status in (200, 302) else 404)
    assert plan.activities.count() == 3
    assert not plan.activities.filter(title="Helt ny aktivitet").exists()


@pytest.mark.parametrize(("who", "status"), READERS.items())
def test_it_lets_everyone_who_may_read_the_county_export(client, world, who, status):
    login(client, world, who)
    plan = world["plan"]
    for url in (
        reverse("plan_export", args=[plan.pk, "aktiviteter", "xlsx"]),
        reverse("plan_export", args=[plan.pk, "mal", "csv"]),
        reverse("county_indicator_export", args=["BD", "csv"]),
    ):
        assert client.get(url).status_code == status, url


def test_it_answers_404_for_unknown_exports(client, world):
    login(client, world, "editor")
    plan = world["plan"]
    assert client.get(reverse("plan_export", args=[plan.pk, "hemligt", "xlsx"])).status_code == 404
    assert client.get(reverse("plan_export", args=[plan.pk, "aktiviteter", "pdf"])).status_code == 404
    assert client.get(reverse("county_indicator_export", args=["ZZ", "csv"])).status_code == 404


def test_it_exports_the_matrix_as_a_download_for_swedish_excel(client, world):
    login(client, world, "reader")
    plan = world["plan"]
    response = client.get(reverse("plan_export", args=[plan.pk, "aktiviteter", "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="aktiviteter-BD-plan{plan.pk}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Insatsområde;Aktivitet;Nuläge;Mål;Indikatorer;Tidsplan;Ansvar;Kostnad;Målkod")
    response = client.get(reverse("plan_export", args=[plan.pk, "aktiviteter", "xlsx"]))
    assert response.content.startswith(b"PK")


# --- Upload → preview → confirm -------------------------------------------------------------------


def test_it_previews_then_imports_the_file_when_confirmed(client, world):
    editor = login(client, world, "editor")
    plan = world["plan"]
    response = client.post(
        reverse("plan_import", args=[plan.pk]),
        {"kind": "activities", "file": upload("matris.csv", matrix_csv(world))},
    )
    content = response.content.decode()
    assert "Förhandsgranskning av matris.csv" in content
    assert "Nytt nuläge" in content
    assert "Importera 2 rader" in content
    assert plan.activities.count() == 3, "the preview writes nothing"
    assert len(list(_staging_dir(editor).iterdir())) == 1, "the file waits for confirmation"

    response = client.post(
        reverse("plan_import_confirm", args=[plan.pk]), confirm_fields(response), follow=True
    )
    assert "matris.csv har importerats. Nya: 1, ändrade: 1, oförändrade: 1." in response.content.decode()
    assert plan.activities.count() == 4
    assert (
        plan.activities.get(title="Helt ny aktivitet").history.get().history_change_reason
        == "Import: matris.csv"
    )
    assert ImportRecord.objects.get().outcome == "committed"
    assert list(_staging_dir(editor).iterdir()) == [], "the staged file is removed"


def test_it_changes_nothing_when_the_import_is_cancelled(client, world):
    login(client, world, "editor")
    plan = world["plan"]
    url = reverse("plan_import", args=[plan.pk])
    response = client.post(url, {"kind": "activities", "file": upload("matris.csv", matrix_csv(world))})
    fields = confirm_fields(response)
    response = client.post(
        reverse("plan_import_confirm", args=[plan.pk]), {**fields, "cancel": ""}, follow=True
    )
    assert "Importen avbröts; ingenting ändrades." in response.content.decode()
    response = client.post(reverse("plan_import_confirm", args=[plan.pk]), fields, follow=True)
    assert "väntar inte längre" in response.content.decode()
    assert plan.activities.count() == 3
    assert not ImportRecord.objects.exists()


def test_it_confirms_a_file_only_for_the_user_and_plan_that_uploaded_it(client, world):
    login(client, world, "editor")
    plan = world["plan"]
    response = client.post(
        reverse("plan_import", args=[plan.pk]),
        {"kind": "activities", "file": upload("matris.csv", matrix_csv(world))},
    )
    fields = confirm_fields(response)
    other_plan = PlanTree.build(county=world["county"], goals=0, activities=0).plan
    client.post(reverse("plan_import_confirm", args=[other_plan.pk]), fields)
    client.force_login(world["people"]["admin"])
    client.post(reverse("plan_import_confirm", args=[plan.pk]), fields)
    assert plan.activities.count() == 3
    assert other_plan.activities.count() == 0


def test_it_shows_the_preview_again_when_the_plan_changed_meanwhile(client, world):
    login(client, world, "editor")
    plan = world["plan"]
    response = client.post(
        reverse("plan_import", args=[plan.pk]),
        {"kind": "activities", "file": upload("matris.csv", matrix_csv(world))},
    )
    fields = confirm_fields(response)
    Activity.objects.filter(pk=world["tree"].activities[1].pk).update(current_state="Ändrat av en kollega")
    response = client.post(reverse("plan_import_confirm", args=[plan.pk]), fields)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Uppgifterna har ändrats sedan förhandsgranskningen" in content
    assert "Ändrat av en kollega" in content
    assert not plan.activities.filter(title="Helt ny aktivitet").exists()
    response = client.post(reverse("plan_import_confirm", args=[plan.pk]), confirm_fields(response))
    assert plan.activities.filter(title="Helt ny aktivitet").exists()


def test_it_imports_indicator_values_of_the_county(client, world):
    login(client, world, "editor")
    url = reverse("county_indicator_import", args=["bd"])
    data = "kpi;kommun;år;kön;värde\r\nN00927;2580;2021;T;17,2\r\nN00927;Luleå;2021;K;9,5\r\n".encode(
        "cp1252"
    )
    response = client.post(url, {"file": upload("kolada.csv", data)})
    assert "Importera 2 rader" in response.content.decode()
    client.post(reverse("county_indicator_import_confirm", args=["BD"]), confirm_fields(response))
    assert IndicatorValue.objects.filter(municipality=world["lulea"]).count() == 2
    record = ImportRecord.objects.get()
    assert (record.kind, record.county, record.plan) == ("indicator_values", world["county"], None)


# --- Bad files: a clear Swedish message, nothing changed, never a 500 ---------------------------

BAD_ACTIVITY_FILES = [
    ("bild.xlsx", files.png_bytes(), "Filen är en PNG-fil, inte ett kalkylark."),
    ("matris.xlsx", "TRUNCATED", "Filen är skadad eller ofullständig"),
    ("matris.xlsx", "MACROS", "Arbetsboken innehåller makron"),
    ("matris.xlsm", "MACROS", "Arbetsboken innehåller makron"),
    (
        "matris.csv",
        b"Aktivitet;Budget\r\n" + b"x" * (10 * 1024 * 1024),
        "Filen är för stor: 10\u00a0485\u00a0778 byte, och högst 10\u00a0485\u00a0760 byte (10 MB)",
    ),
    (
        "matris.csv",
        "Insatsområde;Nuläge\r\nX;Y\r\n".encode("cp1252"),
        "Filen saknar kolumnen/kolumnerna Aktivitet.",
    ),
    ("matris.csv", "Aktivitet;Målkod\r\nNy;N77\r\n".encode("cp1252"), "Okänd målkod: N77."),
    ("matris.csv", "Aktivitet;Budget\r\nNy;ca 50 tkr\r\n".encode("cp1252"), "”ca 50 tkr” är inget belopp."),
    ("matris.csv", b"Aktivitet\r\n", "har en rubrikrad (rad 1) men inga rader under den"),
    ("matris.csv", os.urandom(4096), ""),
    ("matris.xlsx", b"PK\x03\x04" + os.urandom(2048), "Filen är skadad eller ofullständig"),
]


def _bad_file(data):
    matrix = files.xlsx_file(files.MATRIX_HEADERS, files.matrix_rows()[:3])
    if data == "TRUNCATED":
        return matrix[: len(matrix) - 700]
    if data == "MACROS":
        return files.with_macros(matrix)
    return data


@pytest.mark.parametrize(("name", "data", "message"), BAD_ACTIVITY_FILES)
def test_it_refuses_bad_files_with_a_swedish_message_and_changes_nothing(client, world, name, data, message):
    login(client, world, "editor")
    plan = world["plan"]
    history_before = Activity.history.count()
    response = client.post(
        reverse("plan_import", args=[plan.pk]), {"kind": "activities", "file": upload(name, _bad_file(data))}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'name="token"' not in content, "no way to confirm a bad file"
    assert plan.activities.count() == 3
    assert Activity.history.count() == history_before
    assert not ImportRecord.objects.filter(outcome="committed").exists()


def test_it_refuses_a_row_of_another_county_on_the_county_page(client, world):
    login(client, world, "editor")
    data = "kpi;kommun;år;kön;värde\r\nN00927;2480;2021;T;12\r\nN00927;2580;2021;T;inget\r\n".encode("cp1252")
    response = client.post(
        reverse("county_indicator_import", args=["BD"]), {"file": upload("kolada.csv", data)}
    )
    content = response.content.decode()
    assert "Umeå hör till Västerbottens län, inte till Norrbottens län." in content
    assert "”inget” är inget tal." in content
    assert not IndicatorValue.objects.exists()


def test_it_refuses_an_empty_upload(client, world):
    login(client, world, "editor")
    response = client.post(
        reverse("plan_import", args=[world["plan"].pk]),
        {"kind": "activities", "file": upload("tom.csv", b"")},
    )
    assert response.status_code == 200
    assert "tom" in response.content.decode()
