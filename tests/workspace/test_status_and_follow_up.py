from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.forms import FollowUpForm
from activities.models import ActivityFollowUp
from tests.factories import FollowUpFactory
from tests.personas import EDIT, PERSONAS, World, assert_status

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world():
    return World.build()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_changes_a_status_only_for_the_countys_editor(client, world, persona):
    activity = world.tree.activities[0]
    world.login(client, persona)
    response = client.post(reverse("activity_status", args=[activity.pk]), {"status": "delayed"})
    activity.refresh_from_db()
    if persona == "editor":
        assert response.status_code == 302
        assert activity.status == "delayed"
    else:
        assert_status(response, 302 if persona == "anonymous" else 404)
        assert activity.status == "planned"


def test_it_changes_a_status_inline_and_answers_with_the_row(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(reverse("activity_status", args=[activity.pk]), {"status": "ongoing"}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="aktivitet-{activity.pk}"')
    assert '<option value="ongoing" selected>' in content
    assert "Sparat" in content
    latest = activity.history.latest()
    assert latest.history_change_reason == "Status ändrad från planerad till pågående"


def test_it_refuses_an_unknown_status_inline(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(reverse("activity_status", args=[activity.pk]), {"status": "klar"}, **HTMX)
    assert "Välj en av statusarna" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_it_refuses_a_stale_inline_status_change(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    stale = "2000-01-01T00:00:00+00:00"
    response = client.post(
        reverse("activity_status", args=[activity.pk]), {"status": "done", "version": stale}, **HTMX
    )
    assert "Någon annan ändrade aktiviteten nyss" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == "planned"


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_follow_up_form_only_for_the_countys_editor(client, world, persona):
    world.login(client, persona)
    url = reverse("follow_up_create", args=[world.tree.activities[0].pk])
    assert_status(client.get(url), EDIT[persona])


def test_it_writes_a_follow_up_inline(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    form = client.get(reverse("follow_up_create", args=[activity.pk]), **HTMX)
    assert "<form" in form.content.decode() and "<html" not in form.content.decode()
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {
            "year": "2022",
            "status": "done",
            "achieved": "Tolv utbildningar",
            "planning": "Fler 2023",
            "spent": "1 234,5",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "Tolv utbildningar" in response.content.decode()
    follow_up = ActivityFollowUp.objects.get(activity=activity)
    assert (follow_up.year, follow_up.spent) == (2022, Decimal("1234.5"))
    assert follow_up.history.get().history_user == world.users["editor"]


def test_it_writes_a_follow_up_without_javascript(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {"year": "2023", "status": "ongoing", "achieved": "Påbörjat", "planning": "Fortsätter"},
    )
    assert response.status_code == 302
    assert ActivityFollowUp.objects.filter(activity=activity, year=2023).exists()


def test_it_refuses_a_second_follow_up_for_the_same_year(client, world):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2022)
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[follow_up.activity.pk]),
        {"year": "2022", "status": "done", "achieved": "Dubblett"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "redan en uppföljning för det här året" in response.content.decode()
    assert ActivityFollowUp.objects.count() == 1


def test_it_refuses_a_year_outside_the_plan(client, world):
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[world.tree.activities[0].pk]), {"year": "1999", "status": "done"}
    )
    assert response.status_code == 400
    assert "Året måste ligga inom planens period, 2021–2025" in response.content.decode()


def test_it_edits_a_follow_up_inline(client, world):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2022, achieved="Gammalt")
    world.login(client, "editor")
    form = client.get(reverse("follow_up_edit", args=[follow_up.pk]), **HTMX).context["form"]
    response = client.post(
        reverse("follow_up_edit", args=[follow_up.pk]),
        {
            "year": "2022",
            "status": "done",
            "achieved": "Nytt",
            "planning": "",
            "version": form.initial["version"],
        },
        **HTMX,
    )
    assert response.status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.achieved == "Nytt"


@pytest.mark.parametrize("persona", ["other_editor", "reader", "approver"])
def test_it_does_not_let_others_edit_a_follow_up(client, world, persona):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2022, achieved="Orört")
    world.login(client, persona)
    response = client.post(
        reverse("follow_up_edit", args=[follow_up.pk]), {"year": "2022", "achieved": "Hack"}
    )
    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.achieved == "Orört"


def test_it_puts_a_new_follow_up_in_place_of_no_follow_up_yet_inline(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    page = client.get(reverse("activity_detail", args=[activity.pk])).content.decode()
    assert "Ingen uppföljning ännu." in page and 'id="uppfoljningar"' in page
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {"year": "2023", "status": "ongoing", "achieved": "Sex träffar", "planning": ""},
        **HTMX,
    )
    assert response.status_code == 200
    # htmx swaps the whole list, so the form and "No follow-up yet" both go.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#uppfoljningar", "outerHTML")
    content = response.content.decode()
    assert content.startswith('<div id="uppfoljningar">')
    assert "Sex träffar" in content and "Sparat" in content
    # (The follow-up's own small "Markera som klar" form is there; the editing form is gone.)
    assert "Ingen uppföljning ännu." not in content and "editing" not in content
    # The saved follow-up takes the focus, for keyboard and screen-reader users.
    assert 'id="uppfoljning-2023" tabindex="-1" autofocus' in content


def test_it_lists_a_new_follow_up_among_the_others_by_year_inline(client, world):
    activity = world.tree.activities[0]
    FollowUpFactory(activity=activity, year=2022, achieved="Förra året")
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {"year": "2024", "status": "ongoing", "achieved": "I år"},
        **HTMX,
    )
    content = response.content.decode()
    assert content.index("I år") < content.index("Förra året")
    assert content.count("Sparat") == 1


def test_it_shows_the_saved_follow_up_after_the_redirect_without_javascript(client, world):
    activity = world.tree.activities[0]
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {"year": "2023", "status": "ongoing", "achieved": "Sex träffar", "planning": ""},
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("activity_detail", args=[activity.pk]) + "#uppfoljning-2023", 302)
    ]
    content = response.content.decode()
    assert "Sex träffar" in content and 'id="uppfoljning-2023"' in content
    assert "Ingen uppföljning ännu." not in content


def proposed_year(client, activity) -> int:
    return client.get(reverse("follow_up_create", args=[activity.pk])).context["form"].initial["year"]


def test_it_proposes_a_year_within_the_activitys_own_years(client, world):
    activity = world.tree.activities[0]
    activity.start_date, activity.end_date = date(2022, 3, 1), date(2023, 12, 31)
    activity.save()
    world.login(client, "editor")
    assert proposed_year(client, activity) == 2023  # this year, clamped to the activity's end
    form = client.get(reverse("follow_up_create", args=[activity.pk])).content.decode()
    assert 'min="2022"' in form and 'value="2023"' in form


@pytest.mark.parametrize(
    ("today", "start", "end", "taken", "expected"),
    [
        (date(2021, 6, 1), date(2022, 3, 1), None, [], 2022),  # not before the activity starts
        (date(2030, 6, 1), None, None, [], 2025),  # not after the plan ends
        (date(2023, 10, 1), None, None, [], 2023),  # this year when it fits
        (date(2023, 10, 1), None, None, [2023], 2022),  # the nearest free year, earlier first
        (date(2023, 10, 1), date(2023, 1, 1), None, [2023], 2024),
        (date(2023, 10, 1), date(2023, 1, 1), date(2023, 6, 30), [2023], 2023),  # nothing free
    ],
)
def test_it_proposes_a_sensible_year(world, today, start, end, taken, expected):
    activity = world.tree.activities[0]
    activity.start_date, activity.end_date = start, end
    activity.save()
    for year in taken:
        FollowUpFactory(activity=activity, year=year)
    assert FollowUpForm.proposed_year(activity, today=today) == expected


def test_it_refuses_a_year_before_the_activity_starts(client, world):
    activity = world.tree.activities[0]
    activity.start_date = date(2022, 3, 1)
    activity.save()
    world.login(client, "editor")
    response = client.post(
        reverse("follow_up_create", args=[activity.pk]), {"year": "2021", "status": "done"}
    )
    assert response.status_code == 400
    assert (
        "Aktiviteten börjar 2022; uppföljningen kan inte gälla ett tidigare år." in response.content.decode()
    )
    assert not ActivityFollowUp.objects.exists()


def test_it_keeps_the_year_of_an_older_follow_up_that_predates_the_start(client, world):
    follow_up = FollowUpFactory(activity=world.tree.activities[0], year=2021)
    follow_up.activity.start_date = date(2022, 3, 1)
    follow_up.activity.save()
    world.login(client, "editor")
    form = client.get(reverse("follow_up_edit", args=[follow_up.pk])).context["form"]
    response = client.post(
        reverse("follow_up_edit", args=[follow_up.pk]),
        {"year": "2021", "status": "done", "achieved": "Rättat", "version": form.initial["version"]},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.achieved == "Rättat"


def test_it_offers_capitalised_statuses_and_labels_in_the_follow_up_form(client, world):
    world.login(client, "editor")
    content = client.get(reverse("follow_up_create", args=[world.tree.activities[0].pk])).content.decode()
    assert '<option value="done">Genomförd</option>' in content
    assert "Förbrukat (kr)" in content and "förbrukat (kr)" not in content
    form = FollowUpForm(activity=world.tree.activities[0])
    labels = [str(field.label) for field in form.fields.values() if field.label]
    assert labels and all(label[0].isupper() for label in labels), labels
