"""Importing a plan's goals: Kod, Mål, Målgrupp, Fokusområde, Insatsområde, Beskrivning, Ansvar."""

import pytest

from plans.imports import services
from plans.imports.base import CHANGED, ERROR, NEW, UNCHANGED
from plans.models import FocusArea, Goal, Role
from tests.factories import FocusAreaFactory, GoalFactory, PlanFactory, PriorityAreaFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory()
    FocusAreaFactory(number=1, name="Förebyggande och främjande arbete")
    FocusAreaFactory(number=3, name="Individanpassade insatser")
    area = PriorityAreaFactory(plan=plan, name="Suicidprevention")
    GoalFactory(
        plan=plan, code="V1.1", title="Nollvision om suicid", priority_area=area, target_group="adults"
    )
    return plan


def preview(plan, text: str):
    importer = services.plan_importer(kind="goals", plan=plan)
    return services.preview_import(importer=importer, data=text.encode("cp1252"), file_name="mal.csv")


def test_it_classifies_goals_by_their_code(plan):
    text = (
        "Kod;Mål;Målgrupp;Fokusområde;Insatsområde;Beskrivning;Ansvar\r\n"
        "V1.1;Nollvision om suicid;vuxna;;Suicidprevention;;\r\n"
        "v1.1 ;Nollvision om suicid;;;;;\r\n"
        "B3.1;Barn ska få samordnade insatser;Barn och unga;3. Individanpassade insatser;;;Kommunerna\r\n"
    )
    rows = preview(plan, text).rows
    assert [row.status for row in rows] == [UNCHANGED, ERROR, NEW]
    assert "rad 2" in rows[1].errors[0].message


def test_it_shows_which_fields_of_a_goal_change(plan):
    text = (
        "Kod;Mål;Fokusområde;Insatsområde\r\n"
        "V1.1;Nollvision om suicid i länet;1;Insatsområde – Ny inriktning\r\n"
    )
    result = preview(plan, text)
    (row,) = result.rows
    assert row.status == CHANGED
    assert [(change.column, change.old, change.new) for change in row.changes] == [
        ("Mål", "Nollvision om suicid", "Nollvision om suicid i länet"),
        ("Fokusområde", "", str(FocusArea.objects.get(number=1))),
        ("Insatsområde", "Suicidprevention", "Ny inriktning"),
    ]
    assert "Nya insatsområden skapas: ”Ny inriktning”." in result.notes


def test_it_explains_unknown_focus_areas_and_target_groups(plan):
    text = "Kod;Mål;Målgrupp;Fokusområde\r\nV9;Mål;pensionärer;9\r\n"
    (row,) = preview(plan, text).rows
    assert [error.column for error in row.errors] == ["Målgrupp", "Fokusområde"]
    assert "Okänd målgrupp ”pensionärer”" in row.errors[0].message


def test_it_needs_the_code_column(plan):
    result = preview(plan, "Mål;Ansvar\r\nEtt mål;Region\r\n")
    assert "saknar kolumnen/kolumnerna Kod" in result.error


def test_it_imports_goals_with_history(plan):
    editor = member(plan.county, Role.EDITOR)
    text = "Kod;Mål;Målgrupp;Fokusområde\r\nV3.1;Alla ska ha en SIP;vuxna;3\r\n"
    importer = services.plan_importer(kind="goals", plan=plan)
    services.commit_import(importer=importer, data=text.encode(), file_name="mal.csv", user=editor, plan=plan)
    goal = Goal.objects.get(plan=plan, code="V3.1")
    assert (goal.title, goal.target_group, goal.focus_area.number, goal.position) == (
        "Alla ska ha en SIP",
        "adults",
        3,
        1,
    )
    assert goal.history.get().history_change_reason == "Import: mal.csv"
