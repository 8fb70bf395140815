"""Approval with a confirmation, reopening with a reason, and the approved versions: each PDF kept
byte for byte with its checksum, date and approver; ``…/pdf/`` serves the newest."""

import hashlib

import pytest
from django.urls import reverse

from plans.models import FollowUpReport, ReportRevision
from tests.reports.conftest import pdf_pages
from tests.reports.jobs import approve

pytestmark = pytest.mark.django_db

YEAR = 2022
Status = FollowUpReport.Status


def url(world, name: str, *args) -> str:
    return reverse(name, args=[world.plan.pk, YEAR, *args])


def submitted(world) -> FollowUpReport:
    report, _created = FollowUpReport.objects.update_or_create(
        plan=world.plan, year=YEAR, defaults={"status": Status.SUBMITTED}
    )
    return report


def test_it_asks_for_a_confirmation_before_approving(client, world):
    submitted(world)
    world.login(client, "approver")
    page = client.get(url(world, "report_approve_confirm"))
    assert page.status_code == 200
    assert "Jag har läst rapporten och godkänner den" in page.content.decode()
    response = client.post(url(world, "report_approve"))
    assert response.status_code == 400
    assert "Kryssa i rutan" in response.content.decode()
    assert FollowUpReport.objects.get().status == Status.SUBMITTED
    assert approve(client, url(world, "report_approve")).status_code == 302
    assert FollowUpReport.objects.get().status == Status.APPROVED


@pytest.mark.parametrize(
    ("persona", "expected_code", "reopened"),
    [
        ("approver", 302, True),
        ("editor", 404, False),
        ("reader", 404, False),
        ("other_approver", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_it_lets_only_an_approver_reopen(client, world, persona, expected_code, reopened):
    submitted(world)
    approve(world.login(client, "approver"), url(world, "report_approve"))
    client.logout()
    response = world.login(client, persona).post(url(world, "report_reopen"), {"reason": "Ny budget"})
    assert response.status_code == expected_code
    assert (FollowUpReport.objects.get().status == Status.DRAFT) == reopened


def test_it_asks_for_a_reason_to_reopen(client, world):
    submitted(world)
    approve(world.login(client, "approver"), url(world, "report_approve"))
    assert client.post(url(world, "report_reopen"), {"reason": "  "}).status_code == 400
    assert FollowUpReport.objects.get().status == Status.APPROVED


def test_it_keeps_every_approved_pdf_and_serves_the_newest(client, world):
    submitted(world)
    approve(world.login(client, "approver"), url(world, "report_approve"))
    first = ReportRevision.objects.get()
    first_bytes = first.pdf.read()
    first.pdf.close()
    assert hashlib.sha256(first_bytes).hexdigest() == first.pdf_sha256

    client.post(url(world, "report_reopen"), {"reason": "Budgeten för 2022 rättad"})
    report = FollowUpReport.objects.get()
    assert report.status == Status.DRAFT
    assert report.history.latest().history_change_reason == "Återöppnad: Budgeten för 2022 rättad"

    # The editors write, submit again; the approver approves version 2.
    client.force_login(world.users["editor"])
    client.post(url(world, "report_section_edit", "summary"), {"text": "Rättad sammanfattning."})
    client.post(url(world, "report_submit"))
    client.force_login(world.users["approver"])
    approve(client, url(world, "report_approve"))

    revisions = list(ReportRevision.objects.order_by("number"))
    assert [revision.number for revision in revisions] == [1, 2]
    assert revisions[0].pdf.name != revisions[1].pdf.name
    with revisions[0].pdf.open("rb") as handle:
        assert handle.read() == first_bytes
    assert revisions[0].reopen_reason == "Budgeten för 2022 rättad"
    assert revisions[0].reopened_by == world.users["approver"]

    client.force_login(world.users["reader"])
    newest = client.get(url(world, "report_pdf")).content
    assert hashlib.sha256(newest).hexdigest() == revisions[1].pdf_sha256
    assert "Rättad sammanfattning." in "".join(pdf_pages(newest))
    assert client.get(url(world, "report_revision_pdf", 1)).content == first_bytes
    assert client.get(url(world, "report_revision_pdf", 3)).status_code == 404

    page = client.get(url(world, "report_detail")).content.decode()
    assert "Version 1, godkänd" in page
    assert "Version 2, godkänd" in page
    assert "Återöppnad" in page and "Budgeten för 2022 rättad" in page
    assert revisions[1].pdf_sha256[:16] in page


def test_it_does_not_serve_another_countys_versions(client, world):
    submitted(world)
    approve(world.login(client, "approver"), url(world, "report_approve"))
    client.force_login(world.users["other_editor"])
    assert client.get(url(world, "report_revision_pdf", 1)).status_code == 404
