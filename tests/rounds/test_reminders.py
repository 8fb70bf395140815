import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from activities.models import FollowUpState
from planportal import jobs
from plans.models import Membership, Organisation, Role
from rounds import reminders
from rounds.models import FollowUpRound, SentReminder
from tests.factories import (
    ActivityFactory,
    CountyFactory,
    FollowUpFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)
from tests.jobs.queue import queued_jobs, run_queued_jobs

pytestmark = pytest.mark.django_db

Occasion = SentReminder.Occasion
DEADLINE = dt.date(2022, 11, 30)


def contributor(county, username: str, *organisations, email: str | None = None, **fields):
    user = UserFactory(
        username=username, email=email if email is not None else f"{username}@example.se", **fields
    )
    membership = Membership.objects.create(user=user, county=county, role=Role.CONTRIBUTOR)
    membership.organisations.add(*organisations)
    return user


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://planportal.example.se"
    settings.REMINDER_DAYS_BEFORE_DEADLINE = 7
    county = CountyFactory(name="Norrbottens län", letter_code="BD", code="25")
    other_county = CountyFactory(name="Gävleborgs län", letter_code="X", code="21")
    kommun = OrganisationFactory(name="Luleå kommun", kind=Organisation.Kind.MUNICIPALITY)
    region = OrganisationFactory(name="Region Norrbotten")
    plan = PlanFactory(county=county, title="Handlingsplan psykisk hälsa")
    missing = ActivityFactory(plan=plan, title="Utbildning i första hjälpen till psykisk hälsa")
    missing.lead_organisations.add(kommun)
    done = ActivityFactory(plan=plan, title="Suicidpreventiv samverkan")
    done.lead_organisations.add(kommun)
    FollowUpFactory(activity=done, year=2022, state=FollowUpState.DONE)
    draft = ActivityFactory(plan=plan, title="Brukarråd i varje delregion")
    draft.lead_organisations.add(region)
    FollowUpFactory(activity=draft, year=2022, state=FollowUpState.DRAFT)
    round = FollowUpRound.objects.create(
        plan=plan, year=2022, deadline=DEADLINE, instructions="Skriv kort om varje aktivitet."
    )
    users = {
        "kommun": contributor(county, "kontakt-kommun", kommun, first_name="Kim", last_name="Kontakt"),
        "region": contributor(county, "kontakt-region", region),
        "no_address": contributor(county, "kontakt-utan-adress", kommun, email=""),
        "inactive": contributor(county, "kontakt-inaktiv", kommun, is_active=False),
        # Same organisation, other county: not asked about this county's plan.
        "other_county": contributor(other_county, "kontakt-x", kommun),
    }
    editor = UserFactory(username="samordnare", email="samordnare@example.se")
    Membership.objects.create(user=editor, county=county, role=Role.EDITOR)
    return SimpleNamespace(round=round, users=users, editor=editor, missing=missing, draft=draft, done=done)


def mails_to(outbox, user) -> list:
    return [mail for mail in outbox if mail.to == [user.email]]


@pytest.mark.parametrize(
    ("today", "occasion"),
    [
        (dt.date(2022, 10, 1), Occasion.OPENED),
        (dt.date(2022, 11, 22), Occasion.OPENED),
        (dt.date(2022, 11, 23), Occasion.BEFORE_DEADLINE),
        (DEADLINE, Occasion.BEFORE_DEADLINE),
        (dt.date(2022, 12, 1), Occasion.AFTER_DEADLINE),
    ],
)
def test_it_picks_the_occasion_by_date(world, today, occasion):
    assert reminders.due_occasion(world.round, today) == occasion


def test_it_sends_nothing_for_a_closed_round(world, mailoutbox):
    FollowUpRound.objects.filter(pk=world.round.pk).update(status=FollowUpRound.Status.CLOSED)
    assert reminders.send_due_reminders(today=dt.date(2022, 10, 1)) == 0
    assert mailoutbox == []


def test_it_mails_each_contributor_what_is_missing_in_swedish_with_the_link(world, mailoutbox):
    reminders.send_reminders(world.round, Occasion.OPENED, today=dt.date(2022, 10, 1))

    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "kontakt-kommun@example.se",
        "kontakt-region@example.se",
    ]
    [mail] = mails_to(mailoutbox, world.users["kommun"])
    assert mail.subject == 'Uppföljning 2022: omgången för "Handlingsplan psykisk hälsa" är öppen'
    assert mail.body.startswith("Hej!")
    assert "Norrbottens län har öppnat uppföljningen av 2022" in mail.body
    assert "senast 30 november 2022" in mail.body
    assert "- Utbildning i första hjälpen till psykisk hälsa" in mail.body
    assert "Suicidpreventiv samverkan" not in mail.body  # done
    assert "Brukarråd" not in mail.body  # another organisation's
    assert "https://planportal.example.se/uppfoljning/mina/" in mail.body
    assert "Skriv kort om varje aktivitet." in mail.body
    # The draft counts as missing for the region's contact.
    [mail] = mails_to(mailoutbox, world.users["region"])
    assert "- Brukarråd i varje delregion" in mail.body

    record = SentReminder.objects.get(user=world.users["kommun"])
    assert (record.occasion, record.email, record.name, record.missing) == (
        Occasion.OPENED,
        "kontakt-kommun@example.se",
        "Kim Kontakt",
        1,
    )


def test_it_mails_once_when_the_job_runs_twice(world, mailoutbox):
    jobs.enqueue("rounds.tasks.send_due_reminders", "2022-11-25")
    jobs.enqueue("rounds.tasks.send_due_reminders", "2022-11-25")
    results = run_queued_jobs()

    assert [task.result for task in results] == [2, 0]
    assert len(mailoutbox) == 2
    assert "den 30 november 2022" in mails_to(mailoutbox, world.users["kommun"])[0].body
    assert set(SentReminder.objects.values_list("occasion", flat=True)) == {Occasion.BEFORE_DEADLINE}


def test_it_sends_each_occasion_once_over_the_season(world, mailoutbox):
    day = dt.date(2022, 10, 1)
    while day <= dt.date(2022, 12, 31):
        reminders.send_due_reminders(today=day)
        day += dt.timedelta(days=1)

    for key in ("kommun", "region"):
        subjects = [mail.subject for mail in mails_to(mailoutbox, world.users[key])]
        assert len(subjects) == 3, subjects
    assert SentReminder.objects.filter(user=world.users["kommun"]).count() == 3
    after = mails_to(mailoutbox, world.users["kommun"])[-1]
    assert after.subject.endswith("har passerat")


def test_it_mails_nobody_of_another_county_nor_without_an_address(world, mailoutbox):
    reminders.send_due_reminders(today=dt.date(2022, 10, 1))
    addressed = {mail.to[0] for mail in mailoutbox}
    assert addressed == {"kontakt-kommun@example.se", "kontakt-region@example.se"}
    assert "samordnare@example.se" not in addressed


def test_it_mails_nobody_whose_follow_ups_are_done(world, mailoutbox):
    FollowUpFactory(activity=world.missing, year=2022, state=FollowUpState.DONE)
    reminders.send_due_reminders(today=dt.date(2022, 10, 1))
    assert [mail.to for mail in mailoutbox] == [["kontakt-region@example.se"]]


def test_it_keeps_no_record_when_the_mail_fails(world, mailoutbox, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        reminders.send_due_reminders(today=dt.date(2022, 10, 1))
    assert not SentReminder.objects.exists()  # the job's retry sends them


def test_it_queues_the_reminders_when_an_editor_presses_the_button(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.editor)
    url = reverse("round_remind", args=[world.round.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("round_detail", args=[world.round.pk])
    assert mailoutbox == []  # never sent inside the request
    assert [job["func"] for job in queued_jobs()] == ["rounds.tasks.send_manual_reminders"]

    run_queued_jobs()
    assert len(mailoutbox) == 2
    assert set(SentReminder.objects.values_list("occasion", "sent_by")) == {
        (Occasion.MANUAL, world.editor.pk)
    }

    # Pressed again the same day: nobody gets a second mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(queued_jobs()) == 1
    run_queued_jobs()
    assert len(mailoutbox) == 2
    # The automatic occasions are apart from the manual one.
    reminders.send_due_reminders()
    assert SentReminder.objects.exclude(occasion=Occasion.MANUAL).count() == 2


@pytest.mark.parametrize("who", ["contributor", "reader", "other_editor", "anonymous"])
def test_it_lets_only_editors_press_the_button(world, client, who):
    county = world.round.plan.county
    if who == "contributor":
        client.force_login(world.users["kommun"])
    elif who == "reader":
        reader = UserFactory(username="lasare")
        Membership.objects.create(user=reader, county=county, role=Role.READER)
        client.force_login(reader)
    elif who == "other_editor":
        other = UserFactory(username="samordnare-x")
        Membership.objects.create(
            user=other, county=CountyFactory(letter_code="AC", code="24"), role=Role.EDITOR
        )
        client.force_login(other)

    response = client.post(reverse("round_remind", args=[world.round.pk]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    if who == "anonymous":
        assert "/konto/login/" in response["Location"]
    assert queued_jobs() == []


def test_it_shows_the_sent_reminders_on_the_round_page_to_its_editors(world, client):
    reminders.send_reminders(world.round, Occasion.OPENED, today=dt.date(2022, 10, 1))
    url = reverse("round_detail", args=[world.round.pk])

    client.force_login(world.editor)
    html = client.get(url).content.decode()
    assert reverse("round_remind", args=[world.round.pk]) in html
    assert "Påminn</button>" in html
    assert "kontakt-region@example.se" in html
    assert "Kim Kontakt" in html
    assert "Omgången öppnad" in html

    client.force_login(world.users["kommun"])
    html = client.get(url).content.decode()
    assert "Påminn</button>" not in html
    assert "kontakt-region@example.se" not in html


def test_it_queues_the_opening_mails_when_an_editor_opens_a_round(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.editor)
    plan = world.round.plan
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("round_open", args=[plan.pk]),
            {"year": 2023, "deadline": "2024-01-31", "instructions": ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert mailoutbox == []  # never sent inside the request
    assert [job["func"] for job in queued_jobs()] == ["rounds.tasks.send_round_reminders"]
