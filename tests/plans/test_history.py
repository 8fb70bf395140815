"""Every save through the ORM writes history with the user and the reason."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from activities.models import Activity
from planportal.lib.history import history_context
from tests.factories import ActivityFactory, GoalFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_records_the_user_and_reason_given_by_the_history_context():
    user = UserFactory()
    with history_context(user=user, reason="Import: matris.xlsx"):
        activity = ActivityFactory()
        activity.title = "Ny titel"
        activity.save()

    records = list(activity.history.order_by("history_id"))
    assert [record.history_type for record in records] == ["+", "~"]
    assert {record.history_user for record in records} == {user}
    assert {record.history_change_reason for record in records} == {"Import: matris.xlsx"}
    assert records[-1].title == "Ny titel"


def test_it_prefers_the_user_and_reason_set_on_the_instance():
    context_user, instance_user = UserFactory(), UserFactory()
    goal = GoalFactory()
    with history_context(user=context_user, reason="Bulk"):
        goal._history_user = instance_user
        goal._change_reason = "Rättat stavfel"
        goal.title = "Nollvision om suicid"
        goal.save()
    latest = goal.history.latest()
    assert latest.history_user == instance_user
    assert latest.history_change_reason == "Rättat stavfel"


def test_it_records_deletions_so_they_can_be_found_again():
    user = UserFactory()
    activity = ActivityFactory(title="Utbildning i suicidprevention")
    with history_context(user=user, reason="Borttagen"):
        activity.delete()
    deleted = Activity.history.filter(history_type="-").get()
    assert deleted.title == "Utbildning i suicidprevention"
    assert deleted.history_user == user


def test_it_records_changes_to_an_activitys_goals():
    plan = PlanFactory()
    first, second = GoalFactory(plan=plan), GoalFactory(plan=plan)
    activity = ActivityFactory(plan=plan)
    with history_context(user=UserFactory()):
        activity.goals.set([first, second])
    latest = activity.history.latest()
    assert {row.goal_id for row in latest.goals.all()} == {first.pk, second.pk}


def test_it_has_history_on_every_editable_model():
    editable = [
        m
        for app in ("plans", "activities", "indicators")
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
        and not m._meta.auto_created
        # A log of what happened, written once and never edited; an approved version of a report
        # is written once too (its reopening is in the report's own history, with the reason).
        # A Kolada sync is such a log too: the values it wrote have their history ("Kolada-synk");
        # so is a PDF render made by a job.
        and m.__name__ not in ("ImportRecord", "ReportRevision", "KoladaSync", "ReportRender")
    ]
    missing = [m.__name__ for m in editable if not hasattr(m, "history")]
    assert len(editable) >= 17
    assert missing == []


def test_it_migrates_texts_and_restores_written_before_they_were_normalised_and_marked():
    migration = importlib.import_module("activities.migrations.0004_normalise_text_and_mark_restores")
    activity = ActivityFactory(current_state="Rad ett \r\nRad två\r\n")
    with history_context(reason="Återställd till versionen från 3 mars 2022 10:15"):
        activity.save()
    restore = activity.history.latest()

    migration.normalise(apps, None)
    migration.mark_restores(apps, None)

    activity.refresh_from_db()
    restore.refresh_from_db()
    assert activity.current_state == "Rad ett\nRad två"
    assert restore.current_state == "Rad ett\nRad två"
    assert restore.history_change_reason is None
    assert timezone.localtime(restore.history_restored_from).strftime("%Y-%m-%d %H:%M") == "2022-03-03 10:15"
    assert restore.reason_text == "Återställd till versionen från 3 mars 2022 10:15"
