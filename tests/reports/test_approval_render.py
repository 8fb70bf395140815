"""Approval without rendering in the request: the report is frozen as "godkänns" with who and when,
a job lays its PDF out, and only then is it "godkänd" with its stored PDF and the editors mailed.
A PDF that cannot be made undoes the approval, and the report page says so."""

import hashlib
from datetime import timedelta
from io import BytesIO

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from plans.models import FollowUpReport, ReportComment, ReportRender, ReportRevision, ReportSection
from plans.reports import live_pdf, rendering
from tests.jobs.queue import queued_jobs
from tests.reports.conftest import pdf_pages, squeeze
from tests.reports.jobs import CONFIRM, approve, download, run_jobs

pytestmark = pytest.mark.django_db

YEAR = 2022
Status = FollowUpReport.Status
State = ReportRender.State
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world, name: str, *args) -> str:
    return reverse(name, args=[world.plan.pk, YEAR, *args])


@pytest.fixture
def submitted(world) -> FollowUpReport:
    return FollowUpReport.objects.create(
        plan=world.plan, year=YEAR, status=Status.SUBMITTED, submitted_at=timezone.now()
    )


def report() -> FollowUpReport:
    return FollowUpReport.objects.get()


def unwritable_reports_folder(settings) -> None:
    """The approved PDF cannot be stored: a file stands where the reports' folder should be."""
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "reports").write_text("not a folder")


def test_it_freezes_the_report_and_queues_its_pdf_without_rendering(client, world, submitted, settings):
    response = world.login(client, "approver").post(url(world, "report_approve"), CONFIRM, follow=True)

    assert response.status_code == 200
    assert "Rapporten godkänns: dess PDF skapas och sparas." in response.content.decode()
    frozen = report()
    assert frozen.status == Status.APPROVING
    assert frozen.approved_by == world.users["approver"] and frozen.approved_at is not None
    assert not ReportRevision.objects.exists()
    assert not (settings.MEDIA_ROOT / "reports").exists()  # no PDF written in the request
    [pdf_render] = ReportRender.objects.all()
    assert (pdf_render.kind, pdf_render.state) == (ReportRender.Kind.APPROVAL, State.QUEUED)
    assert [(job["func"], job["args"]) for job in queued_jobs()] == [
        ("plans.reports.rendering.render_approval", (pdf_render.pk,))
    ]
    # The frozen HTML is the report as approved: its cover says so.
    assert '<dd class="cover-status">Godkänd</dd>' in pdf_render.html

    page = client.get(url(world, "report_detail")).content.decode()
    assert "Godkänns" in page
    # Who approved and when, already while the PDF is made.
    assert "<dt>Godkänd</dt>" in page
    assert "Rapporten godkänns: dess PDF skapas …" in page
    assert reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk]) in page
    assert "Godkänn och spara PDF" not in page


def test_it_approves_when_the_job_has_stored_the_pdf(client, world, submitted, mailoutbox):
    world.editor = world.users["editor"]
    world.editor.email = "samordnare@example.se"
    world.editor.save()
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)
    [pdf_render] = ReportRender.objects.all()
    assert mailoutbox == []  # not before the PDF is stored

    # While the job waits, the approved PDF's link waits too.
    waiting = client.get(url(world, "report_pdf"))
    assert waiting.status_code == 202
    assert "Rapporten godkänns: dess PDF skapas …" in waiting.content.decode()

    run_jobs()

    approved = report()
    assert approved.status == Status.APPROVED
    [revision] = approved.revisions.all()
    stored = revision.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == revision.pdf_sha256
    assert (revision.approved_by, revision.approved_at) == (approved.approved_by, approved.approved_at)
    cover = pdf_pages(stored)[0]
    assert "Godkänd" in cover and "Utkast" not in cover
    assert timezone.localtime(approved.approved_at).strftime("%Y") in cover
    assert client.get(url(world, "report_pdf")).content == stored
    partial = client.get(reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk]), **HTMX)
    assert "Rapporten är godkänd och dess PDF är sparad." in partial.content.decode()
    assert "Öppna den godkända PDF:en" in partial.content.decode()
    [mail] = mailoutbox
    assert mail.subject.endswith("godkänd")
    pdf_render.refresh_from_db()
    assert (pdf_render.state, pdf_render.html) == (State.DONE, "")


def test_it_stores_what_was_approved_whatever_is_edited_while_the_job_waits(client, world, submitted):
    activity = world.tree.activities[0]
    activity.title = "Titeln när rapporten godkändes"
    activity.save()
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)
    activity.title = "Titeln efter godkännandet"
    activity.save()
    run_jobs()
    text = squeeze("".join(pdf_pages(report().latest_revision().pdf.read())))
    assert squeeze("Titeln när rapporten godkändes") in text
    assert squeeze("Titeln efter godkännandet") not in text


def test_it_refuses_edits_and_a_second_approval_while_the_pdf_is_made(client, world, submitted):
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)

    again = client.post(url(world, "report_approve"), CONFIRM, follow=True)
    assert "Rapporten håller redan på att godkännas." in again.content.decode()
    assert ReportRender.objects.count() == 1
    assert client.post(url(world, "report_return"), {"comment": "Nej"}).status_code == 302
    client.post(url(world, "report_comment_add"), {"target": "summary", "text": "Sent påpekande"})
    assert not ReportComment.objects.exists()
    client.force_login(world.users["editor"])
    client.post(url(world, "report_section_edit", "summary"), {"text": "Ändrad medan den godkänns"})
    client.post(url(world, "report_submit"))
    assert not ReportSection.objects.exists()
    assert report().status == Status.APPROVING


def test_it_undoes_the_approval_when_the_pdf_cannot_be_stored(client, world, submitted, settings, mailoutbox):
    unwritable_reports_folder(settings)
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)
    [task] = run_jobs()
    assert task.result == "failed"

    undone = report()
    assert (undone.status, undone.approved_by, undone.approved_at) == (Status.SUBMITTED, None, None)
    assert not ReportRevision.objects.exists()
    assert mailoutbox == []
    [pdf_render] = ReportRender.objects.all()
    assert pdf_render.state == State.FAILED and pdf_render.error
    assert undone.history.latest().history_change_reason == "Godkännandet avbröts: PDF:en kunde inte skapas"

    page = client.get(url(world, "report_detail")).content.decode()
    assert "Rapporten godkändes inte: dess PDF kunde inte skapas." in page
    assert "Godkänn och spara PDF" in page  # the approver may try again
    status = client.get(reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk]), **HTMX)
    assert "så rapporten godkändes inte" in status.content.decode()

    (settings.MEDIA_ROOT / "reports").unlink()
    approve(client, url(world, "report_approve"))
    assert report().status == Status.APPROVED
    assert "godkändes inte" not in client.get(url(world, "report_detail")).content.decode()


def test_it_shows_no_old_failure_once_the_report_is_submitted_again(client, world, submitted, settings):
    unwritable_reports_folder(settings)
    approve(world.login(client, "approver"), url(world, "report_approve"))
    client.post(url(world, "report_return"), {"comment": "Komplettera"})
    client.force_login(world.users["editor"])
    client.post(url(world, "report_submit"))
    page = client.get(url(world, "report_detail")).content.decode()
    assert report().status == Status.SUBMITTED
    assert "godkändes inte" not in page


def test_it_does_nothing_when_the_job_runs_twice(client, world, submitted):
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)
    [pdf_render] = ReportRender.objects.all()
    assert rendering.render_approval(pdf_render.pk) == "approved"
    assert rendering.render_approval(pdf_render.pk) == "skipped"
    assert ReportRevision.objects.count() == 1
    assert report().history.filter(status=Status.APPROVED).count() == 1


def test_it_finishes_an_approval_whose_worker_died(client, world, submitted, settings):
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)
    [pdf_render] = ReportRender.objects.all()
    died = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["retry"])
    ReportRender.objects.filter(pk=pdf_render.pk).update(state=State.RUNNING, started_at=died, attempts=1)
    assert rendering.render_approval(pdf_render.pk) == "approved"
    assert report().status == Status.APPROVED


def test_it_undoes_an_approval_that_no_worker_finished(client, world, submitted):
    world.login(client, "approver").post(url(world, "report_approve"), CONFIRM)
    [pdf_render] = ReportRender.objects.all()
    OrmQ.objects.all().delete()
    long_ago = timezone.now() - live_pdf.stale_after() - timedelta(minutes=1)
    ReportRender.objects.filter(pk=pdf_render.pk).update(created_at=long_ago)

    page = client.get(url(world, "report_detail")).content.decode()
    assert "Rapporten godkändes inte: dess PDF kunde inte skapas." in page
    assert report().status == Status.SUBMITTED
    # A job that turns up late changes nothing.
    assert rendering.render_approval(pdf_render.pk) == "skipped"
    assert report().status == Status.SUBMITTED


def test_it_keeps_the_approved_pdf_apart_from_the_live_one(client, world, submitted):
    approve(world.login(client, "approver"), url(world, "report_approve"))
    approved = client.get(url(world, "report_pdf")).content
    live = download(client, url(world, "report_pdf_live"))
    assert live.status_code == 200 and live.content != approved
    assert "Godkänd" in pdf_pages(live.content)[0]


def test_it_stores_the_approved_pdf_as_pdf_a_and_the_live_one_as_pdf_ua(client, world, submitted):
    approve(world.login(client, "approver"), url(world, "report_approve"))
    approved = pikepdf.open(BytesIO(client.get(url(world, "report_pdf")).content))
    live = pikepdf.open(BytesIO(download(client, url(world, "report_pdf_live")).content))
    with approved.open_metadata() as xmp:
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "B")
    with live.open_metadata() as xmp:
        assert not xmp.get("pdfaid:part")
        assert xmp.get("pdfuaid:part") == "1"
    assert approved.Root.MarkInfo.Marked and live.Root.MarkInfo.Marked
