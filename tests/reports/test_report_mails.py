"""Mails of the report flow: queued when the step commits, sent by a job, in Swedish."""

from types import SimpleNamespace

import pytest
from django.db import transaction

from plans.models import FollowUpReport, Membership, Role
from plans.reports import services
from tests.factories import ActivityFactory, CountyFactory, PlanFactory, UserFactory
from tests.jobs.queue import queued_jobs, run_queued_jobs
from tests.reports.jobs import run_jobs

pytestmark = pytest.mark.django_db

YEAR = 2022


def person(county, username: str, role: str, **fields):
    user = UserFactory(username=username, email=f"{username}@example.se", **fields)
    Membership.objects.create(user=user, county=county, role=role)
    return user


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://planportal.example.se"
    county = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
    other = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    plan = PlanFactory(county=county, title="Handlingsplan psykisk hälsa 2021–2025")
    ActivityFactory(plan=plan)
    return SimpleNamespace(
        plan=plan,
        editor=person(county, "samordnare", Role.EDITOR, first_name="Sam", last_name="Ordnare"),
        approver=person(county, "styrgrupp", Role.APPROVER, first_name="Styr", last_name="Grupp"),
        reader=person(county, "lasare", Role.READER),
        other_approver=person(other, "styrgrupp-bd", Role.APPROVER),
        other_editor=person(other, "samordnare-bd", Role.EDITOR),
    )


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Run a step of the flow as a view does: its transaction commits, its on-commit hooks run."""

    def run(function, user, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(plan=kwargs.pop("plan"), year=YEAR, user=user, **kwargs)

    return run


def test_it_mails_the_approvers_when_a_report_is_submitted(world, mailoutbox, step):
    step(services.submit_report, world.editor, plan=world.plan)
    assert mailoutbox == []  # not inside the request
    assert [job["func"] for job in queued_jobs()] == ["plans.reports.mails.send_report_mail"]

    run_queued_jobs()
    [mail] = mailoutbox
    assert mail.to == ["styrgrupp@example.se"]
    assert mail.subject == (
        'Uppföljningsrapport 2022 för "Handlingsplan psykisk hälsa 2021–2025" inskickad för godkännande'
    )
    assert mail.body.startswith("Hej!")
    assert "Sam Ordnare har skickat in uppföljningsrapporten 2022" in mail.body
    assert f"https://planportal.example.se/planer/{world.plan.pk}/uppfoljning/2022/" in mail.body
    assert FollowUpReport.objects.get().status == FollowUpReport.Status.SUBMITTED


def test_it_mails_the_editors_when_a_report_is_returned(world, mailoutbox, step):
    step(services.submit_report, world.editor, plan=world.plan)
    run_queued_jobs()
    mailoutbox.clear()

    comment = "Lägg till en analys av fokusområde 3."
    step(services.return_report, world.approver, plan=world.plan, comment=comment)
    run_queued_jobs()
    [mail] = mailoutbox
    assert mail.to == ["samordnare@example.se"]
    assert mail.subject.endswith("återsänd")
    assert "Styrgruppen har återsänt uppföljningsrapporten 2022" in mail.body
    assert comment in mail.body


def test_it_mails_the_editors_when_a_report_is_approved(world, mailoutbox, step):
    step(services.submit_report, world.editor, plan=world.plan)
    run_queued_jobs()
    mailoutbox.clear()

    step(services.approve_report, world.approver, plan=world.plan)
    assert [job["func"] for job in queued_jobs()] == ["plans.reports.rendering.render_approval"]
    run_jobs()  # the approved PDF is stored, then the mail goes out
    assert FollowUpReport.objects.get().status == FollowUpReport.Status.APPROVED
    [mail] = mailoutbox
    assert mail.to == ["samordnare@example.se"]
    assert mail.subject.endswith("godkänd")
    assert "Styr Grupp har godkänt uppföljningsrapporten 2022" in mail.body


def test_it_queues_no_mail_when_the_step_fails(world, mailoutbox, django_capture_on_commit_callbacks):
    with pytest.raises(services.ReportFlowError), django_capture_on_commit_callbacks(execute=True):
        services.approve_report(plan=world.plan, year=YEAR, user=world.approver)
    assert queued_jobs() == []

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.submit_report(plan=world.plan, year=YEAR, user=world.editor)
        raise RuntimeError("rolled back with the caller's transaction")
    assert queued_jobs() == []
    assert mailoutbox == []
