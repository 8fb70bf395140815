"""The review flow: a redaktör submits, a godkännare approves or returns, nobody else can.

Each POST is tried by every persona; the database tells what happened.
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planportal.lib.history import save_with_history
from plans.models import FollowUpReport, Plan, ReportRevision
from tests.reports.conftest import pdf_pages
from tests.reports.jobs import approve, download

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
    response = approve(world.login(client, persona), url(world, "report_approve"))
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
    approve(client, url(world, "report_approve"))

    report = FollowUpReport.objects.get(plan=world.plan, year=YEAR)
    steps = [
        (step.status, step.history_user.username, step.history_change_reason)
        for step in report.history.order_by("history_date", "history_id")
    ]
    assert steps == [
        (Status.SUBMITTED, "samordnare", "Inskickad för godkännande"),
        (Status.RETURNED, "styrgrupp", "Återsänd: Komplettera budgeten."),
        (Status.SUBMITTED, "samordnare", "Inskickad för godkännande"),
        # Frozen while the job makes its PDF, then approved in the approver's name when it is stored.
        (Status.APPROVING, "styrgrupp", "Godkänns: PDF:en skapas"),
        (Status.APPROVED, "styrgrupp", "Godkänd av styrgruppen"),
    ]
    assert report.comment == "Komplettera budgeten."
    assert report.approved_by == world.users["approver"]


def test_it_serves_the_approved_pdf_unchanged_after_the_plan_is_edited(client, world):
    make_report(world, Status.SUBMITTED)
    approve(world.login(client, "approver"), url(world, "report_approve"))
    report = FollowUpReport.objects.get(plan=world.plan, year=YEAR)
    revision = report.latest_revision()
    stored = revision.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == revision.pdf_sha256
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
    live = download(client, url(world, "report_pdf_live"))
    assert "Helt ny aktivitetstitel" in "".join(pdf_pages(live.content))
    assert live["Content-Disposition"].endswith('-2022-aktuell.pdf"')
    page = client.get(url(world, "report_detail")).content.decode()
    assert "Helt ny aktivitetstitel efter godkännandet" in page


def test_it_does_not_approve_when_the_pdf_cannot_be_made(client, world, settings):
    make_report(world, Status.SUBMITTED)
    # The approved PDF cannot be stored: a file stands where the reports' folder should be.
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "reports").write_text("not a folder")
    approve(world.login(client, "approver"), url(world, "report_approve"))
    page = client.get(url(world, "report_detail")).content.decode()
    assert "Rapporten godkändes inte: dess PDF kunde inte skapas." in page
    report = FollowUpReport.objects.get(plan=world.plan, year=YEAR)
    assert (report.status, report.revisions.count()) == (Status.SUBMITTED, 0)


# Protected approvals: a plan with reports is archived, never deleted, and the approved PDF stays.

APPROVED_PDF = b"%PDF-1.7\n% the approved report, as the steering group approved it\n"


@pytest.fixture
def approved(world) -> FollowUpReport:
    report = make_report(world, Status.APPROVED, approved_at=timezone.now())
    revision = ReportRevision(
        report=report,
        number=1,
        approved_at=report.approved_at,
        pdf_sha256=hashlib.sha256(APPROVED_PDF).hexdigest(),
    )
    revision.pdf.save("uppfoljning-2022-godkand.pdf", ContentFile(APPROVED_PDF))
    return report


def assert_approved_report_intact(client, world, report: FollowUpReport) -> None:
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    client.force_login(world.users["reader"])
    response = client.get(url(world, "report_pdf"))
    assert response.status_code == 200
    assert response.content == APPROVED_PDF


@pytest.mark.parametrize(
    ("persona", "expected_code"),
    [
        ("editor", 409),
        ("staff", 409),
        ("approver", 404),
        ("reader", 404),
        ("other_editor", 404),
        ("anonymous", 302),
    ],
)
def test_it_deletes_the_plan_of_an_approved_report_for_nobody(
    client, world, approved, persona, expected_code
):
    world.users["staff"].is_superuser = True
    world.users["staff"].save()
    response = world.login(client, persona).post(
        reverse("plan_delete", args=[world.plan.pk]), {"change_reason": "Ska bort"}
    )
    assert response.status_code == expected_code
    if expected_code == 409:
        assert "Arkivera planen i stället" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.status != Plan.Status.ARCHIVED
    assert_approved_report_intact(client, world, approved)


def test_it_offers_archiving_instead_of_deleting_a_plan_with_reports(client, world, approved):
    page = world.login(client, "editor").get(reverse("plan_delete", args=[world.plan.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "kan inte tas bort" in content
    assert 'name="archive"' in content and "Arkivera" in content

    response = client.post(
        reverse("plan_delete", args=[world.plan.pk]), {"archive": "1", "change_reason": "Ersatt av ny plan"}
    )
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ARCHIVED
    latest = world.plan.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.users["editor"], "Ersatt av ny plan")
    assert_approved_report_intact(client, world, approved)


def test_it_refuses_to_delete_a_plan_with_reports_in_the_database_too(world, approved):
    with pytest.raises(ProtectedError):
        world.plan.delete()
    assert_approved_report_intact(Client(), world, approved)


def test_it_shows_staff_the_protected_error_in_the_admin(client, world, approved):
    world.users["staff"].is_superuser = True
    world.users["staff"].save()
    client.force_login(world.users["staff"])
    admin_url = reverse("admin:plans_plan_delete", args=[world.plan.pk])
    page = client.get(admin_url)
    assert page.status_code == 200
    assert str(approved) in page.content.decode()
    client.post(admin_url, {"post": "yes"})
    assert Plan.objects.filter(pk=world.plan.pk).exists()
    assert_approved_report_intact(client, world, approved)


def test_it_restores_no_plan_version_that_would_strand_its_reports(client, world, approved):
    plan = Plan.objects.get(pk=world.plan.pk)
    old_end = plan.end_year
    plan.start_year, plan.end_year = 2023, old_end
    save_with_history(plan)  # a version whose period leaves out the 2022 report
    plan.start_year = 2021
    save_with_history(plan)
    outdated = plan.history.filter(start_year=2023).get()
    client.force_login(world.users["editor"])
    response = client.post(
        reverse("history_restore", args=["plan", plan.pk, outdated.history_id]),
        follow=True,
    )
    assert "2022" in response.content.decode() and "utanför" in response.content.decode()
    plan.refresh_from_db()
    assert plan.start_year == 2021
    assert_approved_report_intact(client, world, approved)
