"""The follow-up round as a spreadsheet: export, upload → preview → confirm, and who may do it."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from activities.models import Activity, ActivityFollowUp, FollowUpState, Status
from plans.imports import services
from plans.imports.base import CHANGED, ERROR, NEW, UNCHANGED
from plans.models import ImportRecord, Membership, Role
from plans.permissions import access_to_county
from rounds.models import FollowUpRound
from rounds.resources import FollowUpImporter
from tests.factories import (
    CountyFactory,
    FollowUpFactory,
    OrganisationFactory,
    PlanTree,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

HEADERS = ["Aktivitet", "Ansvar", "Status", "Måluppfyllelse", "Planering", "Förbrukat", "Klar", "År", "Id"]


@pytest.fixture
def world():
    """A county with a plan of four activities and a 2022 round, the people around it, and a county next door.

    Activity 0 has a 2022 follow-up and is led by the region; activity 1 is led by the
    municipality; activity 2 has none; activity 3 ended in 2021 and is not in the round.
    """
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    other = CountyFactory(name="Västerbottens län", letter_code="AC", code="24")
    tree = PlanTree.build(county=county, goals=2, activities=4)
    other_tree = PlanTree.build(county=other, goals=1, activities=1)
    region = OrganisationFactory(name="Region Norrbotten", short_name="RN")
    lulea = OrganisationFactory(name="Luleå kommun", short_name="")
    activities = tree.activities
    activities[0].lead_organisations.add(region)
    activities[1].lead_organisations.add(lulea)
    activities[1].responsible = ""
    activities[1].status = Status.DELAYED
    activities[1].save()
    Activity.objects.filter(pk=activities[3].pk).update(end_date=date(2021, 12, 31))
    FollowUpFactory(
        activity=activities[0],
        year=2022,
        status=Status.ONGOING,
        achieved="=Två utbildningar",
        planning="Fler kommuner",
        spent=Decimal("1234.50"),
        state=FollowUpState.DONE,
    )
    FollowUpFactory(activity=activities[0], year=2021, achieved="Förra året")
    contributor = member(county, Role.CONTRIBUTOR, "kontaktperson-lulea")
    Membership.objects.get(user=contributor).organisations.add(lulea)
    return {
        "county": county,
        "plan": tree.plan,
        "activities": activities,
        "other_activity": other_tree.activities[0],
        "round": FollowUpRound.objects.create(plan=tree.plan, year=2022, deadline=date(2023, 2, 15)),
        "region": region,
        "lulea": lulea,
        "people": {
            "editor": member(county, Role.EDITOR, "redaktor"),
            "contributor": contributor,
            "reader": member(county, Role.READER, "lasare"),
            "approver": member(county, Role.APPROVER, "godkannare"),
            "other_editor": member(other, Role.EDITOR, "redaktor-ac"),
            "admin": UserFactory(username="admin", is_staff=True),
            "anonymous": None,
        },
    }


def login(client, world, who: str):
    user = world["people"][who]
    if user:
        client.force_login(user)
    return user


def urls(world) -> dict[str, str]:
    args = [world["round"].pk]
    return {
        "export": reverse("round_export", args=args),
        "import": reverse("round_import", args=args),
        "confirm": reverse("round_import_confirm", args=args),
    }


def export(client, world, who: str = "editor", **params) -> bytes:
    login(client, world, who)
    response = client.get(urls(world)["export"], {"format": "xlsx", **params})
    assert response.status_code == 200
    return response.content


def sheet_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
        for cell in workbook.active[workbook.active.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, as Excel keeps a cell written with a quote prefix
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def importer(world, who: str = "editor") -> FollowUpImporter:
    access = access_to_county(world["people"][who], world["county"].pk)
    return FollowUpImporter(round=world["round"], access=access)


def preview(world, data: bytes, name: str = "uppfoljning.xlsx", who: str = "editor"):
    return services.preview_import(importer=importer(world, who), data=data, file_name=name)


def commit(world, data: bytes, name: str = "uppfoljning.xlsx", who: str = "editor"):
    return services.commit_import(
        importer=importer(world, who),
        data=data,
        file_name=name,
        user=world["people"][who],
        plan=world["plan"],
    )


def by_id(rows: list[list], pk: int) -> list:
    return next(row for row in rows if row[-1] == pk)


def test_it_exports_one_row_per_activity_of_the_round(client, world):
    rows = sheet_rows(export(client, world))
    first, second, third, _ended = world["activities"]
    assert rows[0] == HEADERS
    assert [row[-1] for row in rows[1:]] == [first.pk, second.pk, third.pk]
    assert by_id(rows, first.pk)[2:8] == [
        "pågående",
        "=Två utbildningar",
        "Fler kommuner",
        1234.5,
        "ja",
        2022,
    ]
    # Not yet followed up: the activity's status, nothing written, not done; Ansvar from the lead.
    assert by_id(rows, second.pk)[1:8] == ["Luleå kommun", "försenad", None, None, None, "nej", 2022]
    sheet = load_workbook(io.BytesIO(export(client, world))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=4).data_type == "s"  # "=…" stays text, not a formula
    assert sheet.cell(row=2, column=6).number_format == "#,##0"


def test_it_exports_the_activities_of_one_organisation(client, world):
    rows = sheet_rows(export(client, world, organisation=world["lulea"].pk))
    assert [row[-1] for row in rows[1:]] == [world["activities"][1].pk]
    login(client, world, "editor")
    other = OrganisationFactory(name="Annan organisation")
    assert client.get(urls(world)["export"], {"organisation": other.pk}).status_code == 404
    assert client.get(urls(world)["export"], {"format": "pdf"}).status_code == 404


def test_it_exports_a_contributors_own_activities(client, world):
    rows = sheet_rows(export(client, world, "contributor", organisation="mina"))
    assert [row[-1] for row in rows[1:]] == [world["activities"][1].pk]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_imports_an_exported_round_back_unchanged_and_writes_no_version(client, world, fmt):
    login(client, world, "editor")
    data = client.get(urls(world)["export"], {"format": fmt}).content
    found = preview(world, data, f"uppfoljning.{fmt}")
    assert not found.error
    assert [row.status for row in found.rows] == [UNCHANGED] * 3
    versions = ActivityFollowUp.history.count()
    follow_ups = list(ActivityFollowUp.objects.values())
    commit(world, data, f"uppfoljning.{fmt}")
    assert ActivityFollowUp.history.count() == versions
    assert list(ActivityFollowUp.objects.values()) == follow_ups


def test_it_previews_changed_values_then_writes_them_with_history(client, world):
    first, second, *_rest = world["activities"]
    rows = sheet_rows(export(client, world))
    row = by_id(rows, first.pk)
    row[2:7] = ["genomförd", "Tre utbildningar", "Fler kommuner", "2 000", "ja"]
    row = by_id(rows, second.pk)
    row[3], row[6] = "Kartläggning klar", "nej"
    upload = SimpleUploadedFile("uppfoljning 2022.xlsx", xlsx(rows))
    response = client.post(urls(world)["import"], {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Förhandsgranskning" in page and "pågående" in page and "genomförd" in page
    assert "1\u00a0234,5" in page and "2\u00a0000" in page
    assert ActivityFollowUp.objects.filter(year=2022).count() == 1  # nothing saved yet
    token = response.context["confirm_form"]["token"].value()
    digest = response.context["confirm_form"]["digest"].value()
    response = client.post(urls(world)["confirm"], {"token": token, "digest": digest})
    assert response.status_code == 302
    changed = ActivityFollowUp.objects.get(activity=first, year=2022)
    assert (changed.status, changed.achieved, changed.spent) == (
        Status.DONE,
        "Tre utbildningar",
        Decimal("2000"),
    )
    created = ActivityFollowUp.objects.get(activity=second, year=2022)
    assert (created.status, created.achieved, created.state) == (Status.DELAYED, "Kartläggning klar", "draft")
    assert changed.history.first().history_change_reason == "Import: uppfoljning 2022.xlsx"
    assert created.history.first().history_change_reason == "Import: uppfoljning 2022.xlsx"
    assert Activity.objects.get(pk=first.pk).status == first.status  # the activity's own status stays
    record = ImportRecord.objects.get(outcome=ImportRecord.Outcome.COMMITTED)
    assert (record.kind, record.plan, record.rows_new, record.rows_changed) == (
        "follow_ups",
        world["plan"],
        1,
        1,
    )


def test_it_lists_each_change_old_to_new(client, world):
    first = world["activities"][0]
    rows = sheet_rows(export(client, world))
    by_id(rows, first.pk)[6] = "nej"
    found = preview(world, xlsx(rows))
    row = next(row for row in found.rows if row.status == CHANGED)
    assert [(change.column, change.old, change.new) for change in row.changes] == [("Klar", "ja", "nej")]


def test_it_imports_nothing_when_one_row_is_bad(client, world):
    first, second, third, _ended = world["activities"]
    rows = sheet_rows(export(client, world))
    by_id(rows, first.pk)[3] = "Ändrat"
    by_id(rows, second.pk)[2] = "halvklar"
    by_id(rows, third.pk)[5] = "tusen kronor"
    found = preview(world, xlsx(rows))
    errors = {(row.number, error.column) for row in found.rows for error in row.errors}
    assert errors == {(3, "Status"), (4, "Förbrukat")}
    with pytest.raises(services.ImportRefused):
        commit(world, xlsx(rows))
    assert ActivityFollowUp.objects.get(activity=first, year=2022).achieved == "=Två utbildningar"
    assert ImportRecord.objects.get().outcome == ImportRecord.Outcome.FAILED


def test_it_refuses_ids_of_another_plan_unknown_ids_and_activities_outside_the_year(world):
    rows = [
        HEADERS,
        ["Annan plans aktivitet", "", "pågående", "Text", "", "", "nej", 2022, world["other_activity"].pk],
        ["Påhittad", "", "pågående", "Text", "", "", "nej", 2022, 999999],
        ["Avslutad", "", "pågående", "Text", "", "", "nej", 2022, world["activities"][3].pk],
        ["Utan id", "", "pågående", "Text", "", "", "nej", 2022, None],
        ["Fel år", "", "pågående", "Text", "", "", "nej", 2021, world["activities"][2].pk],
    ]
    found = preview(world, xlsx(rows))
    assert [row.status for row in found.rows] == [ERROR] * 5
    messages = [(row.number, row.errors[0].column, row.errors[0].message) for row in found.rows]
    assert messages[0][:2] == (2, "Id") and "Det finns ingen aktivitet med id" in messages[0][2]
    assert messages[1][:2] == (3, "Id")
    assert messages[2][:2] == (4, "Id") and "2022" in messages[2][2]
    assert messages[3][:2] == (5, "Id")
    assert messages[4][:2] == (6, "År")
    assert world["other_activity"].title not in str(messages)


def test_it_lets_a_contributor_import_only_rows_of_their_organisations(client, world):
    first, second, *_rest = world["activities"]
    rows = sheet_rows(export(client, world, "contributor", organisation="mina"))
    by_id(rows, second.pk)[3] = "Skrivet av kommunen"
    found = preview(world, xlsx(rows), who="contributor")
    assert [row.status for row in found.rows] == [NEW]
    commit(world, xlsx(rows), who="contributor")
    assert ActivityFollowUp.objects.get(activity=second, year=2022).achieved == "Skrivet av kommunen"

    rows = sheet_rows(export(client, world, "contributor"))
    by_id(rows, first.pk)[3] = "Regionens text"
    found = preview(world, xlsx(rows), who="contributor")
    refused = [row for row in found.rows if row.status == ERROR]
    assert [row.number for row in refused] == [2, 4]  # the region's activity and the one nobody leads
    assert "organisation" in refused[0].errors[0].message
    with pytest.raises(services.ImportRefused):
        commit(world, xlsx(rows), who="contributor")
    assert ActivityFollowUp.objects.get(activity=first, year=2022).achieved == "=Två utbildningar"


def test_it_reads_a_swedish_excel_csv(world):
    first = world["activities"][0]
    text = ";".join(HEADERS) + "\r\n"
    text += f"Aktivitet;RN;Genomförd;Måluppfyllelse nådd;Nästa år;1 234,5;Ja;2022;{first.pk}\r\n"
    commit(world, text.encode("cp1252"), "uppfoljning.csv")
    follow_up = ActivityFollowUp.objects.get(activity=first, year=2022)
    assert (follow_up.status, follow_up.achieved, follow_up.planning) == (
        Status.DONE,
        "Måluppfyllelse nådd",
        "Nästa år",
    )
    assert follow_up.spent == Decimal("1234.50")


@pytest.mark.parametrize(
    "who, status",
    [
        ("editor", 200),
        ("admin", 200),
        ("contributor", 200),
        ("reader", 404),
        ("approver", 404),
        ("other_editor", 404),
        ("anonymous", 302),
    ],
)
def test_it_lets_editors_and_contributors_open_the_upload_page(client, world, who, status):
    login(client, world, who)
    response = client.get(urls(world)["import"])
    assert response.status_code == status
    if status == 200:
        assert "Uppföljning 2022 via kalkylblad" in response.content.decode()


@pytest.mark.parametrize(
    "who, status",
    [("editor", 404), ("reader", 404), ("approver", 404), ("other_editor", 404), ("anonymous", 302)],
)
def test_it_lets_no_one_else_upload_or_confirm(client, world, who, status):
    login(client, world, who)
    targets = urls(world)
    if who == "editor":
        world["round"].delete()  # a round deleted meanwhile: nothing to import into
    upload = SimpleUploadedFile("uppfoljning.xlsx", xlsx([HEADERS]))
    assert client.post(targets["import"], {"file": upload}).status_code == status
    assert client.post(targets["confirm"], {"token": "0" * 32, "digest": "0" * 32}).status_code == status
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [
        ("editor", 200),
        ("contributor", 200),
        ("reader", 200),
        ("approver", 200),
        ("other_editor", 404),
        ("anonymous", 302),
    ],
)
def test_it_lets_everyone_who_reads_the_county_export(client, world, who, status):
    login(client, world, who)
    assert client.get(urls(world)["export"], {"format": "csv"}).status_code == status


def test_it_shows_the_preview_again_when_a_follow_up_was_saved_meanwhile(client, world):
    first = world["activities"][0]
    rows = sheet_rows(export(client, world))
    by_id(rows, first.pk)[4] = "Ny planering"
    upload = SimpleUploadedFile("uppfoljning.xlsx", xlsx(rows))
    response = client.post(urls(world)["import"], {"file": upload})
    form = response.context["confirm_form"]
    follow_up = ActivityFollowUp.objects.get(activity=first, year=2022)
    follow_up.achieved = "Skrivet i webbläsaren under tiden"
    follow_up.save()
    response = client.post(
        urls(world)["confirm"], {"token": form["token"].value(), "digest": form["digest"].value()}
    )
    assert response.status_code == 200
    assert "Uppgifterna har ändrats sedan förhandsgranskningen gjordes" in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.achieved, follow_up.planning) == ("Skrivet i webbläsaren under tiden", "Fler kommuner")
