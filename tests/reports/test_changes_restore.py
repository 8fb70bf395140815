from datetime import date

import pytest
from django.utils import translation

from activities.models import Activity, Status
from plans.reports.data import build_report
from plans.versions import restore_version
from tests.factories import PlanTree, UserFactory

pytestmark = pytest.mark.django_db


def test_it_says_in_the_report_that_a_version_was_restored():
    tree = PlanTree.build(goals=1, activities=1)
    activity = tree.activities[0]
    first = activity.history.latest()
    activity.status = Status.DELAYED
    activity.save()
    restore_version(model=Activity, record=first, user=UserFactory())

    with translation.override("sv"):
        change = next(
            c for c in build_report(tree.plan, date.today().year).changes if c.name == activity.title
        )
    assert any(reason.startswith("Återställd") for reason in change.reasons), change.reasons
