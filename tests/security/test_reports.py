"""The follow-up report: who reads it, who submits, approves or returns it; no PDF is rendered here."""

import pytest
from django.conf import settings
from django.urls import reverse

from plans.models import FollowUpReport
from tests.security.conftest import shows_secret

pytestmark = pytest.mark.django_db

Status = FollowUpReport.Status


def report(world, status=Status.SUBMITTED, year=2022) -> FollowUpReport:
    return FollowUpReport.objects.create(plan=world.tree.plan, year=year, status=status)


@pytest.mark.parametrize("persona", ["other_editor", "anonymous"])
def test_it_hides_every_report_page_from_another_county(client, world, persona):
    report(world, Status.SUBMITTED)
    world.login(client, persona)
    plan = world.tree.plan.pk
    expected = 302 if persona == "anonymous" else 404
    for name, args in (
        ("report_list", [plan]),
        ("report_detail", [plan, 2022]),
        ("report_pdf", [plan, 2022]),
        ("report_pdf_live", [plan, 2022]),
        ("report_detail", [plan, 2023]),
    ):
        assert client.get(reverse(name, args=args)).status_code == expected, name


def test_it_shows_nothing_of_another_county_in_the_preview(client, world):
    world.login(client, "reader")
    for name, args in (("report_list", [world.tree.plan.pk]), ("report_detail", [world.tree.plan.pk, 2022])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        assert not shows_secret(response)


@pytest.mark.parametrize("year", [1999, 2020, 2027, 0])
def test_it_answers_404_for_a_year_outside_the_plan(client, world, year):
    world.login(client, "editor")
    plan = world.tree.plan.pk
    for name in ("report_detail", "report_pdf", "report_pdf_live"):
        assert client.get(reverse(name, args=[plan, year])).status_code == 404, name
    assert client.post(reverse("report_submit", args=[plan, year])).status_code == 404
    assert not FollowUpReport.objects.exists()


@pytest.mark.parametrize("persona", ["reader", "approver", "other_editor", "anonymous"])
def test_it_lets_only_the_editor_submit(client, world, persona):
    world.login(client, persona)
    response = client.post(reverse("report_submit", args=[world.tree.plan.pk, 2022]))
    assert response.status_code == (302 if persona == "anonymous" else 404)
    assert not FollowUpReport.objects.exists()


def test_it_lets_the_editor_submit(client, world):
    world.login(client, "editor")
    assert client.post(reverse("report_submit", args=[world.tree.plan.pk, 2022])).status_code == 302
    assert FollowUpReport.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["editor", "reader", "other_editor", "anonymous"])
def test_it_lets_only_the_approver_approve_or_return(client, world, persona):
    submitted = report(world)
    world.login(client, persona)
    plan = world.tree.plan.pk
    expected = 302 if persona == "anonymous" else 404
    assert client.post(reverse("report_approve", args=[plan, 2022])).status_code == expected
    response = client.post(reverse("report_return", args=[plan, 2022]), {"comment": "Gör om"})
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not submitted.revisions.exists()


def test_it_does_not_let_another_countys_approver_approve(client, world):
    from plans.models import Role
    from tests.factories import member

    submitted = report(world)
    client.force_login(member(world.other_county, Role.APPROVER, username="styrgrupp-x"))
    assert client.post(reverse("report_approve", args=[world.tree.plan.pk, 2022])).status_code == 404
    response = client.post(reverse("report_return", args=[world.tree.plan.pk, 2022]), {"comment": "x"})
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_it_returns_a_report_only_with_a_comment(safe_client, world):
    submitted = report(world)
    world.login(safe_client, "approver")
    url = reverse("report_return", args=[world.tree.plan.pk, 2022])
    for data in ({}, {"comment": ""}, {"comment": "x" * 5000}, {"comment": "\x00\x01"}):
        assert safe_client.post(url, data).status_code == 400, data
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    # Control characters are taken out, as in every form: nobody can see them.
    assert safe_client.post(url, {"comment": "Komplettera\x00 budgeten"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert "\x00" not in str(submitted.history.latest().history_change_reason or "")


def test_it_does_not_approve_a_draft_or_an_approved_report(client, world):
    world.login(client, "approver")
    plan = world.tree.plan.pk
    assert client.post(reverse("report_approve", args=[plan, 2022])).status_code == 302
    assert not FollowUpReport.objects.exists()
    approved = report(world, Status.APPROVED, year=2023)
    assert client.post(reverse("report_return", args=[plan, 2023]), {"comment": "x"}).status_code == 302
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


@pytest.mark.parametrize("token", ["<script>", "a" * 41, "a;b", "ok123"])
def test_it_never_crashes_on_the_download_token(safe_client, world, token):
    from urllib.parse import urlencode

    from tests.reports.jobs import download

    world.login(safe_client, "reader")
    query = urlencode({"download_token": token})
    response = download(safe_client, reverse("report_pdf", args=[world.tree.plan.pk, 2022]) + f"?{query}")
    assert response.status_code == 200
    cookie = response.cookies.get("report_download")
    assert (cookie.value if cookie else None) == (token if token == "ok123" else None)


def test_it_does_not_serve_stored_pdfs_as_files(client, world):
    world.login(client, "admin")
    media = settings.MEDIA_URL or "/media/"
    assert client.get(f"{media}reports/uppfoljning-2022-0000000000000000.pdf").status_code == 404
