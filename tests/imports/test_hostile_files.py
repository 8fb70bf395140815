"""Files that once got through the preview and failed at confirm, or were read wrongly without a word.

Every test runs on SQLite and on PostgreSQL (DATABASE_URL): a NUL that SQLite stores is a 500 on
PostgreSQL. Each asserts what the user sees (the message, with row and column), that no request
answers 500, and that a refused file changes nothing in the database.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from activities.models import Activity
from indicators.models import IndicatorValue
from planportal.lib.spreadsheets import MAX_FILE_BYTES
from plans.imports import services
from plans.models import Goal, ImportRecord, PriorityArea
from tests.factories import IndicatorFactory, MunicipalityFactory
from tests.personas import World

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def client():
    """A client that answers a crash with the 500 a user would see, instead of raising."""
    return Client(raise_request_exception=False)


def snapshot() -> dict:
    """What an import could change: the rows, their texts and their history."""
    return {
        "activities": sorted(
            Activity.objects.values_list("pk", "title", "current_state", "priority_area_id")
        ),
        "goals": sorted(Goal.objects.values_list("pk", "code", "title", "priority_area_id")),
        "areas": sorted(PriorityArea.objects.values_list("pk", "name")),
        "values": IndicatorValue.objects.count(),
        "activity_versions": Activity.history.count(),
    }


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def preview(client, world, data: bytes, *, name: str = "matris.csv", kind: str = "activities"):
    world.login(client, "editor")
    response = client.post(
        reverse("plan_import", args=[world.tree.plan.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )
    assert response.status_code == 200
    return response


def confirm(client, world, response):
    content = response.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', content).group(1)
    digest = re.search(r'name="digest" value="([0-9a-f]{32})"', content).group(1)
    answer = client.post(
        reverse("plan_import_confirm", args=[world.tree.plan.pk]), {"token": token, "digest": digest}
    )
    assert answer.status_code == 302
    return answer


def file_error(response) -> str:
    """The message under the file field, when the file could not be read at all."""
    errors = response.context["form"].errors.get("file", [])
    return " ".join(errors)


def row_errors(response) -> list[tuple[int, str, str]]:
    preview = response.context["preview"]
    return [(row.number, error.column, error.message) for row in preview.rows for error in row.errors]


def assert_refused_everywhere(world, data: bytes, *, name: str = "matris.csv", kind: str = "activities"):
    """The confirm would refuse the file too, and write nothing: the preview found every error."""
    before = snapshot()
    importer = services.plan_importer(kind=kind, plan=world.tree.plan)
    with pytest.raises(services.ImportRefused):
        services.commit_import(
            importer=importer, data=data, file_name=name, user=world.users["editor"], plan=world.tree.plan
        )
    assert snapshot() == before


def no_stored_control_characters() -> bool:
    texts = Activity.objects.values_list("title", "current_state", "expected_result")
    return not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text) for row in texts for text in row)


# --- Control characters ----------------------------------------------------------------------------


def test_it_removes_a_nul_after_the_first_8_kb_of_a_csv_and_says_where(client, world):
    filler = [f"Aktivitet {index};{'Ett långt nuläge. ' * 20}" for index in range(40)]
    data = csv_bytes(["Aktivitet;Nuläge", *filler, "Med\x00 NUL;Nu\x00läge"])
    assert data.index(b"\x00") > 8192
    before = snapshot()
    response = preview(client, world, data)
    assert snapshot() == before
    notes = " ".join(response.context["preview"].notes)
    assert "Osynliga styrtecken" in notes
    assert "rad 42 (Aktivitet), rad 42 (Nuläge)" in notes
    confirm(client, world, response)
    activity = Activity.objects.get(plan=world.tree.plan, title="Med NUL")
    assert activity.current_state == "Nuläge"
    assert no_stored_control_characters()


def test_it_removes_control_characters_that_excel_escapes_in_an_xlsx(client, world):
    workbook = Workbook()
    workbook.active.append(["Aktivitet", "Nuläge"])
    workbook.active.append(["TITEL", "NULAGE"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = _rewrite_sheet(
        buffer.getvalue(),
        {b"TITEL": b"Rad_x0000_ett_x0007_", b"NULAGE": b"Stycke ett_x000B_Stycke tv\xc3\xa5"},
    )
    response = preview(client, world, data, name="matris.xlsx")
    assert "rad 2 (Aktivitet)" in " ".join(response.context["preview"].notes)
    confirm(client, world, response)
    activity = Activity.objects.get(plan=world.tree.plan, title="Radett")
    assert activity.current_state == "Stycke ett\nStycke två"
    assert no_stored_control_characters()


def test_it_refuses_an_xlsx_whose_xml_holds_a_nul_as_damaged(client, world):
    workbook = Workbook()
    workbook.active.append(["Aktivitet", "Nuläge"])
    workbook.active.append(["TITEL", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = _rewrite_sheet(buffer.getvalue(), {b"TITEL": b"Rad&#0;ett"})
    before = snapshot()
    response = preview(client, world, data, name="matris.xlsx")
    assert "skadad eller ofullständig" in file_error(response)
    assert snapshot() == before
    assert_refused_everywhere(world, data, name="matris.xlsx")


def test_it_removes_other_c0_and_c1_control_characters(client, world):
    title = "Klocka\x07 esc\x1b del\x7f csi\x9b slut"
    data = csv_bytes(["Aktivitet;Nuläge", f"{title};Rad ett\x0bRad två\x85Rad tre\x0cRad fyra"])
    response = preview(client, world, data)
    confirm(client, world, response)
    activity = Activity.objects.get(plan=world.tree.plan, title="Klocka esc del csi slut")
    assert activity.current_state == "Rad ett\nRad två\nRad tre\nRad fyra"
    assert no_stored_control_characters()


def test_it_still_refuses_binary_data_after_a_textual_start(client, world):
    data = csv_bytes(["Aktivitet;Nuläge", *[f"A{index};B" for index in range(600)]]) + bytes(range(32)) * 1000
    before = snapshot()
    response = preview(client, world, data)
    assert "varken en Excel-arbetsbok" in file_error(response)
    assert snapshot() == before


# --- Headers and quotation marks -------------------------------------------------------------------


def test_it_refuses_a_header_that_is_there_twice(client, world):
    data = csv_bytes(["Aktivitet;Nuläge;Mål;Nuläge", "Ny aktivitet;Första;Mål;Andra"])
    before = snapshot()
    response = preview(client, world, data)
    assert (
        "Rubrikraden har kolumnen ”Nuläge” två gånger (kolumn B och D), och bara den ena skulle läsas"
        in file_error(response)
    )
    assert 'name="token"' not in response.content.decode()
    assert snapshot() == before
    assert_refused_everywhere(world, data)


def test_it_refuses_two_headers_that_mean_the_same_column(client, world):
    response = preview(client, world, csv_bytes(["Aktivitet;Nuläge;Current state", "Ny;Ett;Två"]))
    assert "Kolumnerna ”Nuläge” (B) och ”Current state” (C) betyder båda Nuläge" in file_error(response)


def test_it_refuses_a_quotation_mark_that_is_never_closed_and_names_the_row(client, world):
    data = csv_bytes(
        ["Aktivitet;Nuläge", "Första;Ett", '"Öppen titel;Två', "Tredje;Tre", "Fjärde;Fyra", "Femte;Fem"]
    )
    before = snapshot()
    response = preview(client, world, data)
    assert 'Rad 3 har ett citattecken (") som aldrig avslutas' in file_error(response)
    assert snapshot() == before
    assert_refused_everywhere(world, data)


def test_it_refuses_a_quotation_that_closes_on_a_later_line(client, world):
    data = csv_bytes(["Aktivitet;Nuläge", '"Öppen titel;Ett', "Andra;Två", 'Tredje;"Citerad" text'])
    response = preview(client, world, data)
    assert "Rad 2 går inte att läsa" in file_error(response)
    assert_refused_everywhere(world, data)


def test_it_still_reads_cells_over_several_lines_and_quotes_written_as_two(client, world):
    data = csv_bytes(["Aktivitet;Nuläge", '"Projekt ""Hjärnkoll"" i länet";"Rad ett', 'Rad två"'])
    response = preview(client, world, data)
    confirm(client, world, response)
    activity = Activity.objects.get(plan=world.tree.plan, title='Projekt "Hjärnkoll" i länet')
    assert activity.current_state == "Rad ett\nRad två"


# --- Every error the confirm would find, in the preview, with row and column -----------------------


def test_it_finds_an_over_long_priority_area_in_the_preview(client, world):
    area = "Insatsområdet " + "x" * 190
    data = csv_bytes(["Insatsområde;Aktivitet", "Kort område;Första", f"{area};Andra"])
    before = snapshot()
    response = preview(client, world, data)
    assert row_errors(response) == [
        (3, "Insatsområde", f"Säkerställ att detta värde har som mest 200 tecken (den har {len(area)}).")
    ]
    content = response.content.decode()
    assert 'name="token"' not in content and "Rader med fel" in content
    assert snapshot() == before
    assert ImportRecord.objects.get().outcome == ImportRecord.Outcome.FAILED
    assert_refused_everywhere(world, data)


def test_it_finds_an_over_long_priority_area_of_a_goal_in_the_preview(client, world):
    data = csv_bytes(["Kod;Mål;Insatsområde", f"V9.9;Ett mål;{'y' * 201}"])
    response = preview(client, world, data, kind="goals")
    assert [(row, column) for row, column, _message in row_errors(response)] == [(2, "Insatsområde")]
    assert_refused_everywhere(world, data, kind="goals")


def test_it_reads_a_cell_over_131_072_characters_and_checks_it_against_the_model(client, world):
    long_text = "å" * 131_073
    data = csv_bytes(["Aktivitet;Nuläge", f"Lång;{long_text}", f"{long_text};Kort"])
    before = snapshot()
    response = preview(client, world, data)
    assert file_error(response) == ""
    # Nuläge has no limit; a title has 1 000 characters at most.
    assert row_errors(response) == [
        (3, "Aktivitet", "Säkerställ att detta värde har som mest 1000 tecken (den har 131073).")
    ]
    assert snapshot() == before
    assert_refused_everywhere(world, data)


def test_it_tells_the_exact_size_of_a_file_one_byte_over_the_limit(client, world):
    data = b"Aktivitet\r\n" + b"x" * (MAX_FILE_BYTES + 1 - len(b"Aktivitet\r\n"))
    assert len(data) == 10 * 1024 * 1024 + 1
    before = snapshot()
    response = preview(client, world, data)
    assert file_error(response) == (
        f"Filen är för stor: 10{NBSP}485{NBSP}761 byte, och högst 10{NBSP}485{NBSP}760 byte (10 MB) "
        "kan importeras. Dela upp den i mindre filer."
    )
    assert snapshot() == before


# --- Rows of another plan or county ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "value"),
    [("Län", "X"), ("Län", "Gävleborgs län"), ("Län", "21"), ("Plan", "OTHER_PLAN"), ("Plan", "Annan plan")],
)
def test_it_refuses_rows_of_another_plan_or_county(client, world, header, value):
    value = str(world.other_tree.plan.pk) if value == "OTHER_PLAN" else value
    data = csv_bytes([f"Aktivitet;Nuläge;{header}", f"Främmande rad;Kapad;{value}"])
    before = snapshot()
    response = preview(client, world, data)
    errors = row_errors(response)
    assert [(row, column) for row, column, _message in errors] == [(2, header)]
    assert f"”{value}”" in errors[0][2]
    assert 'name="token"' not in response.content.decode()
    assert snapshot() == before
    assert_refused_everywhere(world, data)


@pytest.mark.parametrize("county", ["BD", "Norrbottens län", "Norrbotten", "25", "0025", ""])
def test_it_imports_rows_that_name_the_own_plan_and_county(client, world, county):
    plan = world.tree.plan
    data = csv_bytes(
        ["Plan;Län;Aktivitet", f"{plan.pk};{county};Egen rad", f"{plan.title};{county};Egen rad två"]
    )
    response = preview(client, world, data)
    assert row_errors(response) == []
    confirm(client, world, response)
    assert Activity.objects.filter(plan=plan, title__startswith="Egen rad").count() == 2


def test_it_refuses_goals_and_indicator_values_of_another_county(client, world):
    data = csv_bytes(["Kod;Mål;Län", "V1.9;Främmande mål;X"])
    response = preview(client, world, data, kind="goals")
    assert [(row, column) for row, column, _message in row_errors(response)] == [(2, "Län")]

    IndicatorFactory(code="N00927")
    MunicipalityFactory(code="2580", name="Luleå", county=world.county)
    world.login(client, "editor")
    response = client.post(
        reverse("county_indicator_import", args=["BD"]),
        {"file": SimpleUploadedFile("v.csv", csv_bytes(["kpi;kommun;år;värde;län", "N00927;2580;2020;5;X"]))},
    )
    assert response.status_code == 200
    assert [(row, column) for row, column, _message in row_errors(response)] == [(2, "Län")]
    assert IndicatorValue.objects.count() == 0


# --- Row limits --------------------------------------------------------------------------------------


def test_it_refuses_an_activity_file_over_the_row_limit_without_reading_it_all(client, world):
    lines = ["Aktivitet;Nuläge", *[f"Aktivitet {index};Nuläge" for index in range(60_000)]]
    data = csv_bytes(lines)
    before = snapshot()
    response = preview(client, world, data)
    assert file_error(response) == (
        f"Filen har fler än 1{NBSP}000 rader, och högst 1{NBSP}000 rader kan importeras på en gång. "
        "Dela upp filen i mindre filer och importera dem en i taget."
    )
    assert snapshot() == before


def test_it_refuses_an_xlsx_over_the_row_limit_and_takes_one_at_the_limit(client, world):
    def workbook(rows: int) -> bytes:
        book = Workbook(write_only=True)  # writes no recorded size: the rows are counted
        sheet = book.create_sheet()
        sheet.append(["Aktivitet"])
        for index in range(rows):
            sheet.append([f"Rad i arbetsboken {index}"])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    response = preview(client, world, workbook(1_001), name="matris.xlsx")
    assert "Filen har fler än 1" in file_error(response)
    response = preview(client, world, workbook(1_000), name="matris.xlsx")
    assert response.context["preview"].totals["new"] == 1_000


def test_it_refuses_indicator_values_over_their_row_limit(client, world):
    lines = ["kpi;kommun;år;värde", *["N00927;2580;2020;5" for _index in range(50_001)]]
    world.login(client, "editor")
    response = client.post(
        reverse("county_indicator_import", args=["BD"]),
        {"file": SimpleUploadedFile("v.csv", csv_bytes(lines))},
    )
    assert response.status_code == 200
    assert f"Filen har fler än 50{NBSP}000 rader" in file_error(response)
    assert IndicatorValue.objects.count() == 0


def _rewrite_sheet(xlsx: bytes, replacements: dict[bytes, bytes]) -> bytes:
    """The workbook with text replaced in its sheet's XML, as another program might have written it."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                for old, new in replacements.items():
                    data = data.replace(b">" + old + b"<", b">" + new + b"<")
            target.writestr(item, data)
    return buffer.getvalue()
