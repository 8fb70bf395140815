"""Imports and exports in the Django admin, through django-import-export and our file reader."""

import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity
from indicators.models import IndicatorValue
from indicators.resources import IndicatorValueResource
from plans.models import Goal, ImportRecord
from tests.factories import IndicatorFactory, MunicipalityFactory, PlanTree, UserFactory
from tests.imports import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_it_offers_import_and_export_on_the_admin_lists(client, admin_user):
    client.force_login(admin_user)
    for model in ("activities/activity", "plans/goal", "indicators/indicatorvalue"):
        content = client.get(f"/admin/{model}/").content.decode()
        assert f"/admin/{model}/import/" in content
        assert f"/admin/{model}/export/" in content
        assert client.get(f"/admin/{model}/import/").status_code == 200


def test_it_imports_a_swedish_csv_in_the_admin_with_history_and_a_record(client, admin_user):
    indicator = IndicatorFactory(code="N00927")
    lulea = MunicipalityFactory(code="2580", name="Luleå")
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicatorvalue_import")
    data = "Kolada, hämtat 2023\r\nkpi;kommun;år;kön;värde\r\nN00927;2580;2021;K;9,5\r\n".encode("cp1252")
    response = client.post(
        url, {"format": "1", "import_file": SimpleUploadedFile("kolada.csv", data, content_type="text/csv")}
    )
    content = response.content.decode()
    assert response.status_code == 200
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)"[^>]*value="([^"]*)"', content
        )
    )
    response = client.post(reverse("admin:indicators_indicatorvalue_process_import"), fields)
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator, municipality=lulea, year=2021, gender="K")
    assert str(value.value) == "9.5000"
    history = value.history.get()
    assert (history.history_change_reason, history.history_user) == ("Import: kolada.csv", admin_user)
    record = ImportRecord.objects.get()
    assert (record.kind, record.outcome, record.rows_new, record.user) == (
        "indicator_values",
        "committed",
        1,
        admin_user,
    )


def test_it_shows_the_readers_message_for_a_bad_file_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:activities_activity_import"),
        {"format": "0", "import_file": SimpleUploadedFile("plan.xlsx", files.png_bytes())},
    )
    assert response.status_code == 200
    assert "Filen är en PNG-fil, inte ett kalkylark." in response.content.decode()


def test_it_exports_and_reimports_activities_and_goals_in_the_admin_unchanged(admin_user):
    from activities.resources import ActivityResource
    from plans.resources import GoalResource

    tree = PlanTree.build(goals=2, activities=3)
    for resource, model in ((ActivityResource(), Activity), (GoalResource(), Goal)):
        dataset = resource.export()
        history_before = model.history.count()
        result = resource.import_data(dataset, dry_run=False, file_name="admin.xlsx", user=admin_user)
        assert not result.has_errors(), result.base_errors
        assert not result.has_validation_errors(), result.invalid_rows
        assert result.totals["skip"] == len(dataset)
        assert model.history.count() == history_before
    assert tree.plan.activities.count() == 3


def test_it_reads_the_resources_format_through_the_row_by_row_path(admin_user):
    IndicatorFactory(code="N00927")
    MunicipalityFactory(code="2580")
    dataset = tablib.Dataset(
        ["N00927", "2580", "2021", "T", "17,2"], headers=["kpi", "kommun", "år", "kön", "värde"]
    )
    result = IndicatorValueResource().import_data(
        dataset, dry_run=False, file_name="kolada.csv", user=admin_user
    )
    assert result.totals["new"] == 1
    assert IndicatorValue.history.get().history_change_reason == "Import: kolada.csv"
