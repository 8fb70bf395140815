"""The review flow: a redaktör submits, a godkännare approves or returns, nobody else can.

Each POST is tried by every persona; the database tells what happened.
"""

import hashlib

import pytest
from django.urls import reverse

from plans.models import FollowUpReport
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db

Status = FollowUpReport.Status
YEAR = 2022


def url(world, name: str, year: int = YEAR) -> str:
    return reverse(name, args=[world.plan.pk, year])


def make_report(world, status: str, **fields) -> FollowUpReport:
    return FollowUpReport.objects.create(plan=world.plan, year=YEAR, status=status, **fields)


def status_of(world) -> str | None:
    report = FollowUpReport.objects.filter(plan=world.plan, year=YEAR).first()
    return report.status if report else None


@pytest.mark.parametrize(
    ("persona", "expected_code", "expected_status"),
    [
        ("editor", 302, Status.SUBMITTED),
        ("staff", 302, Status.SUBMITTED),
        ("approver", 404, Status.DRAFT),
        ("reader", 404, Status.DRAFT),
        ("other_editor", 404, Status.DRAFT),
        ("anonymous", 302, Status.DRAFT),
    ],
)
def test_it_lets_only_an_editor_submit(client, world, persona, expected_code, expected_status):
    make_report(world, Status.DRAFT)
    response = world.login(client, persona).post(url(world, "report_submit"))
    assert response.status_code == expected_code
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert status_of(world) == expected_status


def test_it_creates_the_report_when_an_editor_submits_a_year_never_touched(client, world):
    world.login(client, "editor").post(url(world, "report_submit", 2023))
    report = FollowUpReport.objects.get(plan=world.plan, year=2023)
    assert report.status == Status.SUBMITTED
    assert report.submitted_by == world.users["editor"]
    assert report.submitted_at is not None


@pytest.mark.parametrize(
    ("persona", "expected_code", "expected_status"),
    [
        ("approver", 302, Status.APPROVED),
        ("staff", 302, Status.APPROVED),
        ("editor", 404, Status.SUBMITTED),
        ("reader", 404, Status.SUBMITTED),
        ("other_approver", 404, Status.SUBMITTED),
        ("anonymous", 302, Status.SUBMITTED),
    ],
)
def test_it_lets_only_an_approver_approve(client, world, persona, expected_code, expected_status):
    make_report(world, Status.SUBMITTED)
    response = world.login(client, persona).post(url(world, "report_approve"))
    assert response.status_code == expected_code
    assert status_of(world) == expected_status


@pytest.mark.parametrize(
    ("persona", "expected_code", "expected_status"),
    [
        ("approver", 302, Status.RETURNED),
        ("editor", 404, Status.SUBMITTED),
        ("reader", 404, Status.SUBMITTED),
        ("other_approver", 404, Status.SUBMITTED),
        ("anonymous", 302, Status.SUBMITTED),
    ],
)
def test_it_lets_only_an_approver_return(client, world, persona, expected_code, expected_status):
    make_report(world, Status.SUBMITTED)
    response = world.login(client, persona).post(url(world, "report_return"), {"comment": "Komplettera N2."})
    assert response.status_code == expected_code
    assert status_of(world) == expected_status


def test_it_asks_for_a_comment_before_returning(client, world):
    make_report(world, Status.SUBMITTED)
    response = world.login(client, "approver").post(url(world, "report_return"), {"comment": "   "})
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert status_of(world) == Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "name", "persona"),
    [
        (Status.SUBMITTED, "report_submit", "editor"),
        (Status.APPROVED, "report_submit", "editor"),
        (Status.DRAFT, "report_approve", "approver"),
        (Status.RETURNED, "report_approve", "approver"),
        (Status.APPROVED, "report_approve", "approver"),
        (Status.DRAFT, "report_return", "approver"),
        (Status.APPROVED, "report_return", "approver"),
    ],
)
def test_it_refuses_a_step_the_status_does_not_allow_without_an_error_page(
    client, world, status, name, persona
):
    make_report(world, status)
    response = world.login(client, persona).post(url(world, name), {"comment": "x"}, follow=True)
    assert response.status_code == 200
    assert status_of(world) == status
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_it_answers_404_for_a_year_outside_the_plan(client, world):
    response = world.login(client, "editor").post(url(world, "report_submit", 1999))
    assert response.status_code == 404
    assert not FollowUpReport.objects.filter(plan=world.plan).exists()


def test_it_refuses_get_on_the_steps(client, world):
    make_report(world, Status.SUBMITTED)
    assert world.login(client, "approver").get(url(world, "report_approve")).status_code == 405
    assert status_of(world) == Status.SUBMITTED


def test_it_keeps_every_step_in_the_reports_history(client, world):
    world.login(client, "editor").post(url(world, "report_submit"))
    client.force_login(world.users["approver"])
    client.post(url(world, "report_return"), {"comment": "Komplettera budgeten."})
    client.force_login(world.users["editor"])
    client.post(url(world, "report_submit"))
    client.force_login(world.users["approver"])
    client.post(url(world, "report_approve"))

    report = FollowUpReport.objects.get(plan=world.plan, year=YEAR)
    steps = [
        (step.status, step.history_user.username, step.history_change_reason)
        for step in report.history.order_by("history_date", "history_id")
    ]
    assert steps == [
        (Status.SUBMITTED, "samordnare", "Inskickad för godkännande"),
        (Status.RETURNED, "styrgrupp", "Återsänd: Komplettera budgeten."),
        (Status.SUBMITTED, "samordnare", "Inskickad för godkännande"),
        (Status.APPROVED, "styrgrupp", "Godkänd av styrgruppen"),
    ]
    assert report.comment == "Komplettera budgeten."
    assert report.approved_by == world.users["approver"]


def test_it_serves_the_approved_pdf_unchanged_after_the_plan_is_edited(client, world):
    make_report(world, Status.SUBMITTED)
    world.login(client, "approver").post(url(world, "report_approve"))
    report = FollowUpReport.objects.get(plan=world.plan, year=YEAR)
    stored = report.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == report.pdf_sha256
    assert "Godkänd" in pdf_pages(stored)[0]

    activity = world.tree.activities[0]
    old_title = activity.title
    activity.title = "Helt ny aktivitetstitel efter godkännandet"
    activity.save()

    client.force_login(world.users["reader"])
    response = client.get(url(world, "report_pdf"))
    assert response.status_code == 200
    assert response.content == stored
    assert response["Content-Disposition"] == (
        'inline; filename="uppfoljning-norrbottens-lan-'
        'lansgemensam-handlingsplan-for-psykisk-halsa-2021-2025-2022.pdf"'
    )
    assert old_title in "".join(pdf_pages(response.content))

    # The live preview beside it shows the plan as it stands now.
    live = client.get(url(world, "report_pdf_live"))
    assert "Helt ny aktivitetstitel" in "".join(pdf_pages(live.content))
    assert live["Content-Disposition"].endswith('-2022-aktuell.pdf"')
    page = client.get(url(world, "report_detail")).content.decode()
    assert "Helt ny aktivitetstitel efter godkännandet" in page


def test_it_does_not_approve_when_the_pdf_cannot_be_made(client, world, monkeypatch):
    make_report(world, Status.SUBMITTED)

    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("plans.reports.services.render_report_pdf", broken)
    response = world.login(client, "approver").post(url(world, "report_approve"), follow=True)
    assert response.status_code == 200
    assert "PDF-filen kunde inte skapas" in response.content.decode()
    report = FollowUpReport.objects.get(plan=world.plan, year=YEAR)
    assert (report.status, report.pdf.name, report.pdf_sha256) == (Status.SUBMITTED, "", "")
