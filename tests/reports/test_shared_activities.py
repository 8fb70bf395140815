"""An activity serving several goals is shown in full once in the report, and referred to elsewhere."""

import pytest
from django.urls import reverse

from plans.models import Role
from plans.reports import services
from plans.reports.data import build_report
from tests.factories import CountyFactory, PlanTree, member
from tests.reports.conftest import pdf_pages, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> PlanTree:
    tree = PlanTree.build(county=CountyFactory(), goals=3, activities=3)
    shared = tree.activities[0]
    shared.title = "Gemensam utbildningsinsats"
    shared.save()
    shared.goals.set(tree.goals)  # serves all three goals
    return tree


def test_it_shows_a_shared_activity_in_full_under_its_first_goal_only(tree):
    data = build_report(tree.plan, 2022)
    sections = [section for focus in data.focus_areas for section in focus.goals]
    full = [[row.activity.title for row in section.activities] for section in sections]
    assert sum(titles.count("Gemensam utbildningsinsats") for titles in full) == 1
    first = next(section for section in sections if section.activities)
    referred = [section for section in sections if section.references]
    assert len(referred) == 2
    for section in referred:
        assert section.references[0].first_goal == first.goal


def test_it_refers_to_the_goal_in_the_preview_and_the_pdf(client, tree):
    client.force_login(member(tree.plan.county, Role.READER))
    content = client.get(reverse("report_detail", args=[tree.plan.pk, 2022])).content.decode()
    shared = tree.activities[0]
    assert content.count(f'id="aktivitet-{shared.pk}"') == 1
    assert content.count(f'href="#aktivitet-{shared.pk}"') == 2
    first_code = build_report(tree.plan, 2022).focus_areas[0].goals[0].goal.code
    assert f"se {first_code}" in content

    text = squeeze(" ".join(pdf_pages(services.render_report_pdf(tree.plan, 2022))))
    assert text.count(squeeze("Gemensam utbildningsinsats")) == 3  # once in full, twice referred to
    assert squeeze(f"se {first_code}") in text
