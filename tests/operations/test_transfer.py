"""Moving one county to another database: export_county and import_county."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import Activity
from plans.models import FollowUpReport, Plan
from plans.transfer import OWNED, THROUGH, _history_models, canonical


def _wipe_counties() -> None:
    """Delete every county-owned row and every version of one: the database as a new server has it
    (national rows, users, organisations and indicators stay)."""
    for model in THROUGH:
        model.objects.all().delete()
    for model in reversed(OWNED):
        model.objects.all().delete()
    for model in OWNED:
        for history in _history_models(model):
            history.objects.all().delete()


def test_it_exports_only_the_county(two_counties, tmp_path):
    path = tmp_path / "county-bd.json"
    call_command("export_county", "bd", str(path), verbosity=0)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)

    assert data["county"] == "BD"
    assert [row["letter_code"] for row in data["natural"]["plans.county"].values()] == ["BD"]
    bd_plan = two_counties["BD"]["tree"].plan
    assert {row["id"] for row in data["tables"]["plans.plan"]} == {bd_plan.pk}
    assert {row["plan_id"] for row in data["tables"]["activities.historicalactivity"]} == {bd_plan.pk}
    for other in ("Västerbottens län", "Delregion AC", "SIP-AC", "Kommun i Västerbottens"):
        assert other not in text
    ac_titles = Activity.objects.filter(plan__county__letter_code="AC").values_list("title", flat=True)
    assert not any(f'"{title}"' in text for title in ac_titles)
    # The deleted activity's versions and the edit's reason and user are in the file.
    assert {row["history_type"] for row in data["tables"]["activities.historicalactivity"]} == {"+", "~", "-"}
    assert "Läget i mars" in text
    assert len(data["files"]) == 1


def test_it_imports_the_county_into_an_empty_database_with_the_same_content(two_counties, tmp_path, settings):
    path = tmp_path / "county-bd.json"
    call_command("export_county", "BD", str(path), verbosity=0)
    before = canonical(json.loads(path.read_text(encoding="utf-8")))

    _wipe_counties()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert not Plan.objects.exists()
    call_command("import_county", str(path), verbosity=0)

    again = tmp_path / "again.json"
    call_command("export_county", "BD", str(again), verbosity=0)
    after = canonical(json.loads(again.read_text(encoding="utf-8")))
    assert after == before
    # What a coordinator sees: the plan, its history with dates and users, the approved PDF.
    plan = Plan.objects.get()
    assert plan.county.letter_code == "BD"
    first = plan.activities.order_by("position", "id").first()
    versions = list(first.history.order_by("history_date"))
    assert versions[-1].history_change_reason == "Läget i mars"
    assert versions[-1].history_user.username == "redaktor"
    assert {goal.code for goal in first.goals.all()} == {
        goal.code for goal in two_counties["BD"]["tree"].goals[:2]
    }
    report = FollowUpReport.objects.get()
    assert report.latest_revision().pdf.read() == two_counties["BD"]["pdf"]
    assert not Plan.objects.filter(county__letter_code="AC").exists()


def test_it_refuses_a_county_that_already_has_plans(two_counties, tmp_path):
    path = tmp_path / "county-bd.json"
    call_command("export_county", "BD", str(path), verbosity=0)

    with pytest.raises(CommandError, match="already has plans"):
        call_command("import_county", str(path), verbosity=0)
