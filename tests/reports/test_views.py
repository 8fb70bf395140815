"""The report pages: who sees them, and what they offer each person."""

import pytest
from django.urls import reverse

from plans.models import FollowUpReport
from tests.factories import ActivityFactory, FollowUpFactory, PlanFactory
from tests.reports.jobs import download

pytestmark = pytest.mark.django_db

Status = FollowUpReport.Status
READ = {
    "editor": 200,
    "approver": 200,
    "reader": 200,
    "staff": 200,
    "other_editor": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "expected"), READ.items())
@pytest.mark.parametrize("name", ["report_list", "report_detail"])
def test_it_shows_the_report_pages_to_the_countys_members_only(client, world, persona, expected, name):
    args = [world.plan.pk] if name == "report_list" else [world.plan.pk, 2022]
    response = world.login(client, persona).get(reverse(name, args=args))
    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["other_editor", "anonymous"])
@pytest.mark.parametrize("name", ["report_pdf", "report_pdf_live"])
def test_it_keeps_the_pdf_from_outsiders(client, world, persona, name):
    response = world.login(client, persona).get(reverse(name, args=[world.plan.pk, 2022]))
    assert response.status_code in (302, 404)
    assert response.get("Content-Type") != "application/pdf"


def test_it_serves_a_live_pdf_before_approval_with_a_name_a_person_can_file(client, world):
    response = download(
        world.login(client, "reader"),
        reverse("report_pdf", args=[world.plan.pk, 2022]) + "?download_token=abc123",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    filename = "uppfoljning-norrbottens-lan-lansgemensam-handlingsplan-for-psykisk-halsa-2021-2025-2022.pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    # The page that asked for it stops saying "Skapar PDF …" when this cookie arrives.
    assert response.cookies["report_download"].value == "abc123"


def test_it_answers_404_for_a_year_the_plan_does_not_have(client, world):
    world.login(client, "editor")
    assert client.get(reverse("report_detail", args=[world.plan.pk, 2030])).status_code == 404
    assert client.get(reverse("report_pdf", args=[world.plan.pk, 2030])).status_code == 404
    assert client.get(reverse("report_detail", args=[world.other_tree.plan.pk, 2022])).status_code == 404


def test_it_lists_every_year_of_the_plan_with_its_status(client, world):
    FollowUpReport.objects.create(plan=world.plan, year=2022, status=Status.SUBMITTED)
    page = world.login(client, "reader").get(reverse("report_list", args=[world.plan.pk])).content.decode()
    for year in range(2021, 2026):
        assert reverse("report_detail", args=[world.plan.pk, year]) in page
    assert "Inskickad" in page
    assert "Ej påbörjad" in page


@pytest.mark.parametrize(
    ("persona", "status", "buttons"),
    [
        ("editor", Status.DRAFT, ["Skicka in för godkännande"]),
        ("editor", Status.RETURNED, ["Skicka in för godkännande"]),
        ("editor", Status.SUBMITTED, []),
        ("approver", Status.DRAFT, []),
        ("approver", Status.SUBMITTED, ["Godkänn och spara PDF", "Återsänd till redaktörerna"]),
        ("reader", Status.SUBMITTED, []),
    ],
)
def test_it_offers_each_person_the_steps_they_may_take(client, world, persona, status, buttons):
    FollowUpReport.objects.create(plan=world.plan, year=2022, status=status, comment="Komplettera N2.")
    page = (
        world.login(client, persona)
        .get(reverse("report_detail", args=[world.plan.pk, 2022]))
        .content.decode()
    )
    for button in ("Skicka in för godkännande", "Godkänn och spara PDF", "Återsänd till redaktörerna"):
        assert (button in page) == (button in buttons), button
    assert ("Komplettera N2." in page) == (status == Status.RETURNED)


def test_it_previews_the_report_with_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for index in range(40):
        activity = ActivityFactory(plan=world.plan, priority_area=world.tree.activities[0].priority_area)
        activity.goals.add(world.tree.goals[index % 2])
        FollowUpFactory(activity=activity, year=2022, achieved=f"Uppnått {index}")
    world.login(client, "reader")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("report_detail", args=[world.plan.pk, 2022]))
    page = response.content.decode()
    assert "Uppnått 39" in page
    # No indicators, so no charts (the status bars are SVGs too).
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 0


def test_it_previews_a_plan_with_nothing_in_it(client, world):
    plan = PlanFactory(county=world.county, title="Tom plan")
    page = world.login(client, "reader").get(reverse("report_detail", args=[plan.pk, 2022])).content.decode()
    assert "Inga aktiviteter under 2022." in page
    assert "Handlingsplanen har inga mål." in page
