"""The publication page and services: who publishes, what is published, and what is refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from plans.models import FollowUpReport, Plan
from publication.models import InternalField, Licence, PlanPublication, ReportPublication
from publication.services import PublicationError, publish_plan, publish_report, unpublish_plan
from tests.personas import READ, World, assert_status
from tests.publication.builders import add_revision, approved_report, indicator_with_values

pytestmark = pytest.mark.django_db

# A POST that publishes: who may (302 back to the page), who may not.
PUBLISH = {
    "editor": 302,
    "approver": 302,
    "admin": 302,
    "reader": 403,
    "contributor": 403,
    "other_editor": 404,
    "anonymous": 302,
}


@pytest.fixture
def world() -> World:
    return World.build()


def url(world: World) -> str:
    return reverse("plan_publication", args=[world.tree.plan.pk])


def publish_data(expected: int = 0, **extra) -> dict:
    return {"action": "publish", "licence": Licence.CC0, "expected": expected, **extra}


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("persona", list(READ))
def test_it_shows_the_page_to_the_county_only(client, world, persona):
    response = world.login(client, persona).get(url(world))
    assert_status(response, READ[persona])


def test_it_shows_readers_the_state_without_forms(client, world):
    publish_plan(plan=world.tree.plan, user=world.users["editor"], licence=Licence.CC0, internal_fields=[])
    page = world.login(client, "reader").get(url(world)).content.decode()
    assert "/publikt/BD/" in page
    assert 'value="publish"' not in page and 'value="unpublish"' not in page


@pytest.mark.parametrize("persona", list(PUBLISH))
def test_it_lets_coordinators_approvers_and_staff_publish(client, world, persona):
    response = world.login(client, persona).post(url(world), publish_data())
    assert response.status_code == PUBLISH[persona]
    published = PlanPublication.objects.live().filter(plan=world.tree.plan).first()
    if persona in ("editor", "approver", "admin"):
        assert response["Location"] == url(world)
        assert published is not None and published.published_by == world.users[persona]
    else:
        assert published is None


def test_it_refuses_to_publish_a_draft_with_a_message(client, world):
    plan = world.tree.plan
    plan.status = Plan.Status.DRAFT
    plan.save()
    response = world.login(client, "editor").post(url(world), publish_data())
    assert response.status_code == 400
    assert not PlanPublication.objects.exists()
    assert any(plan.get_status_display() in text for text in texts(response))
    # Nor does the page offer it.
    assert 'value="publish"' not in world.login(client, "editor").get(url(world)).content.decode()


def test_it_refuses_an_archived_plan_in_the_service(world):
    plan = world.tree.plan
    plan.status = Plan.Status.ARCHIVED
    plan.save()
    with pytest.raises(PublicationError):
        publish_plan(plan=plan, user=world.users["editor"], licence=Licence.CC0, internal_fields=[])


def test_it_refuses_bad_input_and_changes_nothing(client, world):
    client = world.login(client, "editor")
    for data in (
        publish_data(licence="gpl"),
        publish_data(internal_fields=["activity.secret"]),
        {"action": "publish", "licence": Licence.CC0},
        {"action": "explode"},
        {"action": "unpublish", "expected": "x"},
        {"action": "publish-report", "report": "abc"},
    ):
        response = client.post(url(world), data)
        assert response.status_code == 400, data
        assert texts(response), data
    assert not PlanPublication.objects.exists()


def test_it_refuses_a_publication_changed_since_the_page_was_shown(client, world):
    client = world.login(client, "editor")
    client.post(url(world), publish_data(expected=0))
    first = PlanPublication.objects.get()
    # A second person posts the form they loaded before the first publication.
    response = client.post(url(world), publish_data(expected=0))
    assert response.status_code == 400
    assert PlanPublication.objects.get() == first
    response = client.post(url(world), {"action": "unpublish", "expected": 0})
    assert response.status_code == 400
    assert PlanPublication.objects.live().get() == first


def test_it_records_publishing_republishing_and_unpublishing(client, world):
    client = world.login(client, "editor")
    client.post(url(world), publish_data(expected=0))
    world.login(client, "approver").post(url(world), publish_data(expected=1, licence=Licence.CC_BY))
    first, second = PlanPublication.objects.order_by("number")
    assert first.replaced_at is not None and first.unpublished_at is None
    assert second.slug == first.slug and second.licence == Licence.CC_BY and second.is_live
    assert second.published_by == world.users["approver"]
    world.login(client, "editor").post(url(world), {"action": "unpublish", "expected": 2})
    second.refresh_from_db()
    assert second.unpublished_by == world.users["editor"] and second.unpublished_at is not None
    assert not PlanPublication.objects.live().exists()
    page = client.get(url(world)).content.decode()
    assert "samordnare" in page and "styrgrupp" in page  # the log names who did it


def test_it_keeps_internal_fields_and_email_addresses_out(world):
    tree = world.tree
    activity = tree.activities[0]
    activity.responsible = "Kim Exempelsson"
    activity.cost_text = "Inom ram, frågor till kim.exempel@example.invalid"
    activity.expected_result = "Mer kunskap (kontakt: kim@example.invalid)"
    activity.save()
    activity.lead_organisations.add(world.organisation)
    publication = publish_plan(
        plan=tree.plan,
        user=None,
        licence=Licence.CC0,
        internal_fields=["activity.responsible", "activity.budget"],
    )
    published = next(a for a in publication.snapshot["activities"] if a["id"] == activity.pk)
    assert "responsible" not in published and "budget" not in published
    assert published["cost_text"] == "Inom ram, frågor till"
    assert published["expected_result"] == "Mer kunskap (kontakt: )"
    assert published["lead_organisations"] == ["Kommunen"]
    assert "@" not in str(publication.snapshot)
    # The county may opt in to its free-text responsible.
    all_fields = publish_plan(plan=tree.plan, user=None, licence=Licence.CC0, internal_fields=[])
    published = next(a for a in all_fields.snapshot["activities"] if a["id"] == activity.pk)
    assert published["responsible"] == "Kim Exempelsson"


def test_it_defaults_to_keeping_the_responsible_fields_internal(client, world):
    page = world.login(client, "editor").get(url(world)).content.decode()

    def checked(field: str) -> bool:
        return re.search(rf'value="{re.escape(field)}"[^>]*checked', page) is not None

    assert checked(InternalField.ACTIVITY_RESPONSIBLE) and checked(InternalField.GOAL_RESPONSIBLE)
    assert not checked(InternalField.ACTIVITY_BUDGET)


def test_it_freezes_indicator_progress_at_publication(world):
    indicator = indicator_with_values(world.tree.plan)
    snapshot = publish_plan(plan=world.tree.plan, user=None, licence=Licence.CC0, internal_fields=[]).snapshot
    published = next(item for item in snapshot["indicators"] if item["id"] == indicator.pk)
    assert published["baseline"] == {"year": 2020, "value": "15"}
    assert published["targets"] == [{"year": 2025, "value": "10"}]
    assert [value["value"] for value in published["values"]] == ["14.5", "14"]
    assert published["progress"]["judgement"] == "some_progress"


def test_it_publishes_an_approved_report_and_refuses_another(client, world):
    plan = world.tree.plan
    report = approved_report(plan, 2022)
    draft = FollowUpReport.objects.create(plan=plan, year=2023)
    client = world.login(client, "editor")
    response = client.post(url(world), {"action": "publish-report", "report": draft.pk})
    assert response.status_code == 400 and not ReportPublication.objects.exists()
    client.post(url(world), {"action": "publish-report", "report": report.pk})
    published = ReportPublication.objects.live().get()
    assert published.revision == report.revisions.get() and published.published_by == world.users["editor"]
    # Publishing the same version again is refused; a newer approved version replaces it.
    assert client.post(url(world), {"action": "publish-report", "report": report.pk}).status_code == 400
    newer = add_revision(report, b"%PDF-1.7\n% version 2\n%%EOF\n")
    client.post(url(world), {"action": "publish-report", "report": report.pk})
    assert ReportPublication.objects.live().get().revision == newer
    client.post(url(world), {"action": "unpublish-report", "report": report.pk})
    assert not ReportPublication.objects.live().exists()
    assert ReportPublication.objects.count() == 2


def test_it_does_not_publish_a_report_of_another_plan(client, world):
    other = approved_report(world.other_tree.plan, 2022)
    response = world.login(client, "editor").post(
        url(world), {"action": "publish-report", "report": other.pk}
    )
    assert response.status_code == 400 and not ReportPublication.objects.exists()


def test_it_unpublishes_in_the_service_only_what_is_published(world):
    with pytest.raises(PublicationError):
        unpublish_plan(plan=world.tree.plan, user=None)
    report = FollowUpReport.objects.create(plan=world.tree.plan, year=2022)
    with pytest.raises(PublicationError):
        publish_report(report=report, user=None)


def test_it_makes_the_same_snapshot_whoever_publishes_in_whatever_language(world):
    plan = world.tree.plan
    indicator_with_values(plan, name="Utan mål").targets.all().delete()  # progress: "no target value"
    with translation.override("en"):
        first = publish_plan(plan=plan, user=world.users["editor"], licence=Licence.CC0, internal_fields=[])
    second = publish_plan(plan=plan, user=world.users["admin"], licence=Licence.CC0, internal_fields=[])
    assert first.snapshot_sha256 == second.snapshot_sha256
    missing = [item["progress"]["missing"] for item in second.snapshot["indicators"]]
    with translation.override("sv"):
        assert gettext("No target value.") in missing
