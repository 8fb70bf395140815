"""An import writes whole rows; an edit saved between its classification and its write must not be undone."""

import pytest

from planportal.lib.history import save_with_history
from plans.imports import services
from plans.models import Role
from tests.factories import PlanTree, member

pytestmark = pytest.mark.django_db


def test_it_shows_the_preview_again_when_a_row_was_saved_after_it_was_classified(monkeypatch):
    tree = PlanTree.build(activities=2)
    plan, activity = tree.plan, tree.activities[0]
    editor = member(plan.county, Role.EDITOR, username="samordnare")
    export = services.export_plan(plan=plan, kind="aktiviteter", fmt="csv")
    edited = export.content.replace(activity.title.encode(), b"Ny titel fr\xc3\xa5n filen", 1)
    importer = services.plan_importer(kind="activities", plan=plan)
    classify = importer.classify

    def classify_then_someone_saves(sheet):
        rows = classify(sheet)
        # An editor changes the status in the matrix while the import is between preview and write.
        activity.refresh_from_db()
        activity.status = "paused"
        save_with_history(activity)
        return rows

    monkeypatch.setattr(importer, "classify", classify_then_someone_saves)
    first_preview = services.preview_import(
        importer=services.plan_importer(kind="activities", plan=plan), data=edited, file_name=export.file_name
    )
    with pytest.raises(services.ImportOutdated) as outdated:
        services.commit_import(
            importer=importer, data=edited, file_name=export.file_name, user=editor, plan=plan
        )

    activity.refresh_from_db()
    assert activity.status == "paused"  # kept, not undone by the import's stale row
    assert activity.title != "Ny titel från filen"
    # The user sees the new preview: the file would now also set the status back.
    assert outdated.value.preview.digest != first_preview.digest
