"""The demo database says what the source documents say."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from activities.models import Activity, ActivityFollowUp
from plans.demo import create_demo_users, demo_files, load_demo_file
from plans.models import County, FocusArea, FundingAllocation, Goal, Membership, Municipality, Plan, SubRegion
from plans.national import load_national_data

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
MATRIX_COLUMNS = [
    "title",
    "current_state",
    "expected_result",
    "indicators_text",
    "timeline",
    "responsible",
    "cost_text",
]
# Cells that are empty in the Norrbotten matrix itself (checked against the source text).
EMPTY_IN_SOURCE = {
    ("Resultat av samsjuklighetsutredningens", "indicators_text"),
    ("Samordning av psykiatriveckan", "responsible"),
    ("Tillgängliggöra material rörande psykisk", "indicators_text"),
    ("Engagera och utbilda MHFA", "indicators_text"),
    ("Engagera och utbilda MHFA", "responsible"),
    ("Representanter från länets brukarorganisationer", "indicators_text"),
}


def words(text: str) -> str:
    """Letters and digits only: extraction noise (line breaks, bullets, hyphens) aside."""
    return re.sub(r"[^0-9a-zåäöéü]+", "", text.lower())


class DemoDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_national_data()
        for path in demo_files():
            load_demo_file(path)
        create_demo_users()

    def test_it_has_the_national_data(self):
        assert County.objects.count() == 21
        assert Municipality.objects.count() == 290
        assert FocusArea.objects.count() == 5

    def test_it_has_the_15_coded_goals_of_vastra_gotaland(self):
        plan = Plan.objects.get(county__letter_code="O")
        goals = {goal.code: goal for goal in plan.goals.select_related("focus_area")}
        assert len(goals) == 15
        assert {
            "V1.1",
            "V2.1",
            "V3.1",
            "V4.1",
            "V5.1",
            "B1.1",
            "B1.2",
            "B2.1",
            "B3.1",
            "B4.1",
            "B5.1",
        } <= set(goals)
        for code, goal in goals.items():
            # V = adults, B = children and young people; the first digit is the focus area.
            assert goal.target_group == ("adults" if code.startswith("V") else "children"), code
            assert goal.focus_area.number == int(code[1]), code
        assert goals["V1.1"].title.startswith("Nollvision om suicid")
        assert plan.start_year == 2018 and plan.end_year == 2022

    def test_it_has_the_six_sub_regions_of_vastra_gotaland_with_population_shares(self):
        sub_regions = SubRegion.objects.filter(county__letter_code="O")
        assert sub_regions.count() == 6
        assert all(sub_region.population_share for sub_region in sub_regions)
        assert 99 <= sum(sub_region.population_share for sub_region in sub_regions) <= 101
        # Every municipality of the county belongs to exactly one sub-region.
        assert Municipality.objects.filter(county__letter_code="O", sub_regions__isnull=True).count() == 0
        assert Municipality.objects.filter(sub_regions__county__letter_code="O").count() == 49
        assert FundingAllocation.objects.filter(county__letter_code="O").exists()

    def test_it_has_every_activity_of_the_norrbotten_matrix_with_all_seven_columns(self):
        plan = Plan.objects.get(county__letter_code="BD")
        activities = list(plan.activities.select_related("priority_area"))
        assert len(activities) == 26
        assert {activity.priority_area.name for activity in activities} == {
            "Stärkt samverkan mellan huvudmännen",
            "Länsgemensamt arbete för suicidprevention",
            "Stärkt brukarmedverkan",
        }
        for activity in activities:
            for column in MATRIX_COLUMNS:
                known_empty = any(
                    activity.title.startswith(prefix) and column == empty for prefix, empty in EMPTY_IN_SOURCE
                )
                assert bool(getattr(activity, column).strip()) != known_empty, (activity.title, column)

    @pytest.mark.skipif(not SEEDS.exists(), reason="the source documents are not beside this checkout")
    def test_it_takes_the_norrbotten_matrix_word_for_word_from_the_source(self):
        text = (SEEDS / "002_a5357da6fb929d60.txt").read_text(encoding="utf-8")
        source = words(re.sub(r"<[^>]+>", " ", text))  # the extraction left HTML tags in cells
        for activity in Activity.objects.filter(plan__county__letter_code="BD"):
            for column in ("current_state", "expected_result", "indicators_text", "cost_text"):
                text = words(getattr(activity, column))
                # Cells come from the source text (the first words, past any shortening of names).
                assert text[:25] in source, (activity.title, column)

    def test_it_has_the_gavleborg_follow_ups_of_2022(self):
        follow_ups = ActivityFollowUp.objects.filter(activity__plan__county__letter_code="X", year=2022)
        assert follow_ups.count() == 6
        titles = {follow_up.activity.title for follow_up in follow_ups.select_related("activity")}
        assert {"Suicidprevention", "Kunskapsstyrningsorganisationen", "Trisamsamordning"} <= titles
        for follow_up in follow_ups:
            assert follow_up.achieved.strip(), follow_up.activity.title
            assert follow_up.planning.strip(), follow_up.activity.title

    def test_it_has_the_vasterbotten_goals_and_the_four_2019_activities(self):
        plan_2018 = Plan.objects.get(county__letter_code="AC", start_year=2018)
        assert plan_2018.goals.count() == 34
        # The source names the responsible party for all but five målområden.
        assert plan_2018.goals.exclude(responsible="").count() == 29
        assert plan_2018.goals.filter(responsible__startswith="Ansvar VLL").exists()
        plan_2019 = Plan.objects.get(county__letter_code="AC", start_year=2019)
        follow_ups = ActivityFollowUp.objects.filter(activity__plan=plan_2019, year=2019)
        assert follow_ups.count() == 4
        assert {follow_up.status for follow_up in follow_ups} <= {"ongoing", "done", "delayed"}

    def test_it_writes_history_for_the_demo_with_its_source_file(self):
        goal = Goal.objects.get(plan__county__letter_code="O", code="V1.1")
        assert goal.history.get().history_change_reason == "Demodata: O.json"

    def test_it_keeps_personal_names_and_email_addresses_out(self):
        for path in demo_files():
            assert "@" not in path.read_text(encoding="utf-8"), path.name

    def test_it_gives_the_demo_users_their_roles(self):
        assert get_user_model().objects.get(username="admin").is_staff
        assert set(
            Membership.objects.filter(user__username="lasare").values_list("county__letter_code", "role")
        ) == {("BD", "reader")}


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_it_refuses_to_build_the_demo_in_production():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("build_demo")
    assert not get_user_model().objects.filter(username="admin").exists()
