"""The logic page and the coverage matrix on the demo data (the plans of the source documents)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.test import TestCase
from django.urls import reverse

from activities.models import Activity
from analysis.coverage import build_coverage
from analysis.logic import build_plan_logic
from plans.demo import create_demo_users, demo_files, load_demo_file
from plans.models import FundingAllocation, Plan
from plans.national import load_national_data


class DemoAnalysisTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_national_data()
        for path in demo_files():
            load_demo_file(path)
        create_demo_users()
        cls.vg = Plan.objects.select_related("county").get(county__letter_code="O")
        cls.bd = Plan.objects.select_related("county").get(county__letter_code="BD")

    def test_it_flags_vastra_gotalands_money_as_tied_to_no_goal(self):
        # The plan's funds go to priority areas (Ungdomsmottagningar, Suicidprevention, …) and to the
        # sub-regions; none of its 15 coded goals names a priority area, so no krona reaches a goal.
        logic = build_plan_logic(self.vg)
        assert len(logic.goals) == 15
        allocated = FundingAllocation.objects.filter(
            county=self.vg.county, year__gte=2018, year__lte=2022
        ).aggregate(total=Sum("amount"))["total"]
        assert logic.allocation_total == allocated == Decimal(269_500_000)
        assert logic.allocation_without_goal == allocated
        assert {money.area.name for money in logic.areas_without_goal if money.area} == {
            "Ungdomsmottagningar",
            "Insatser för stärkt brukarmedverkan",
            "Insatser för personer med samsjuklighet",
            "Suicidprevention",
        }
        assert all(line.allocation is None for line in logic.goals)

    def test_the_goals_and_activities_of_the_demo_plans_match_the_database(self):
        for plan in (self.vg, self.bd):
            logic = build_plan_logic(plan)
            idle = {goal.code for goal in plan.goals.filter(activities__isnull=True)}
            assert {line.goal.code for line in logic.goals_without_activity} == idle
            orphans = set(plan.activities.filter(goals__isnull=True).values_list("pk", flat=True))
            assert {line.activity.pk for line in logic.activities_without_goal} == orphans
            for line in logic.goals:
                assert len(line.activities) == line.goal.activities.count(), line.goal.code
            budgets = plan.activities.aggregate(total=Sum("budget"))["total"] or Decimal(0)
            assert logic.budget_total == budgets

    def test_norrbotten_attributes_each_priority_areas_money_to_its_goal(self):
        logic = build_plan_logic(self.bd)
        for line in logic.goals:
            if line.goal.priority_area_id is None:
                continue
            expected = FundingAllocation.objects.filter(
                priority_area=line.goal.priority_area, year__gte=2021, year__lte=2025
            ).aggregate(total=Sum("amount"))["total"]
            assert line.allocation == expected, line.goal.code

    def test_the_coverage_of_vastra_gotaland_by_its_six_sub_regions(self):
        coverage = build_coverage(self.vg)
        assert coverage.by_sub_region
        assert [column.name for column in coverage.columns] == [
            "Fyrbodal",
            "Göteborgsområdet",
            "SAMLA",
            "SIMBA",
            "Skaraborg",
            "Södra Älvsborg",
            "",
        ]
        rows = {row.goal.code: row for row in coverage.rows if row.goal}
        assert len(rows) == 15
        # V1.1 Nollvision om suicid: the county's own two activities, and one in each of four
        # sub-regions (the analysis names Göteborgsområdet, SIMBA, Skaraborg and Södra Älvsborg).
        assert [cell.count for cell in rows["V1.1"].cells] == [0, 1, 0, 1, 1, 1, 2]
        assert rows["V1.1"].total == 6
        for code, row in rows.items():
            goal_activities = Activity.objects.filter(goals=row.goal)
            assert row.total == goal_activities.count(), code
            for column, cell in zip(coverage.columns, row.cells, strict=True):
                if column.sub_region:
                    named = goal_activities.filter(sub_regions=column.sub_region).count()
                    # Named sub-regions always count; lead organisations may add more.
                    assert cell.count >= named, (code, column.name)
        assert coverage.total == self.vg.activities.count()

    def test_the_pages_answer_the_coordinator_of_vastra_gotaland(self):
        self.client.force_login(get_user_model().objects.get(username="samordnare-o"))
        logic = self.client.get(reverse("plan_logic", args=[self.vg.pk]))
        assert logic.status_code == 200
        assert "Nollvision om suicid" in logic.content.decode()
        coverage = self.client.get(reverse("plan_coverage", args=[self.vg.pk]))
        assert "Göteborgsområdet" in coverage.content.decode()
        # The Norrbotten plan is another county's.
        assert self.client.get(reverse("plan_logic", args=[self.bd.pk])).status_code == 404
        assert self.client.get(reverse("plan_coverage", args=[self.bd.pk])).status_code == 404
        assert self.client.get(reverse("national_overview")).status_code == 404
