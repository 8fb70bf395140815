"""Two people creating the same follow-up year at the same moment: the second gets a message, not a 500."""

import pytest

from activities.forms import FollowUpForm
from activities.models import ActivityFollowUp
from plans.views.common import save_unless_changed
from tests.factories import FollowUpFactory, PlanTree

pytestmark = pytest.mark.django_db


def test_it_turns_a_duplicate_made_after_validation_into_a_form_error():
    activity = PlanTree.build(activities=1).activities[0]
    year = activity.plan.start_year
    form = FollowUpForm({"year": year, "status": "ongoing", "achieved": "Klart"}, activity=activity)
    assert form.is_valid(), form.errors
    # The other person's follow-up is saved between this form's validation and its save.
    FollowUpFactory(activity=activity, year=year, achieved="Deras text")

    assert save_unless_changed(form) is None
    assert "redan en uppföljning" in " ".join(form.non_field_errors())
    assert ActivityFollowUp.objects.get(activity=activity, year=year).achieved == "Deras text"
