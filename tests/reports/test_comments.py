"""The steering group's comments: a godkännare comments on a written part or a goal, editors answer
or resolve, readers see them, nobody of another county gets near them."""

import pytest
from django.urls import reverse

from plans.models import FollowUpReport, ReportComment

pytestmark = pytest.mark.django_db

YEAR = 2022
Status = FollowUpReport.Status


def url(world, name: str, *args) -> str:
    return reverse(name, args=[world.plan.pk, YEAR, *args])


@pytest.fixture
def report(world) -> FollowUpReport:
    return FollowUpReport.objects.create(plan=world.plan, year=YEAR, status=Status.SUBMITTED)


@pytest.fixture
def thread(world, report) -> ReportComment:
    return ReportComment.objects.create(
        report=report, target="summary", author=world.users["approver"], text="Lyft fram brukarrådet."
    )


@pytest.mark.parametrize(
    ("persona", "expected_code", "added"),
    [
        ("approver", 302, True),
        ("staff", 302, True),
        ("editor", 404, False),
        ("reader", 404, False),
        ("other_approver", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_it_lets_only_an_approver_start_a_thread(client, world, report, persona, expected_code, added):
    response = world.login(client, persona).post(
        url(world, "report_comment_add"), {"target": "summary", "text": "Förtydliga målen."}
    )
    assert response.status_code == expected_code
    assert ReportComment.objects.filter(text="Förtydliga målen.").exists() == added


def test_it_comments_on_a_goal_and_refuses_a_goal_of_another_plan(client, world, report):
    world.login(client, "approver")
    goal = world.tree.goals[0]
    response = client.post(
        url(world, "report_comment_add"), {"target": f"goal-{goal.pk}", "text": "Indikator?"}
    )
    assert response["Location"].endswith(f"#mal-{goal.pk}")
    other_goal = world.other_tree.goals[0]
    response = client.post(url(world, "report_comment_add"), {"target": f"goal-{other_goal.pk}", "text": "x"})
    assert response.status_code == 404
    assert (
        client.post(url(world, "report_comment_add"), {"target": "nonsense", "text": "x"}).status_code == 404
    )
    assert list(ReportComment.objects.values_list("target", flat=True)) == [f"goal-{goal.pk}"]


@pytest.mark.parametrize(
    ("persona", "expected_code", "answered"),
    [
        ("editor", 302, True),
        ("approver", 302, True),
        ("reader", 404, False),
        ("other_editor", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_it_lets_editors_and_approvers_answer(client, world, thread, persona, expected_code, answered):
    response = world.login(client, persona).post(
        url(world, "report_comment_answer", thread.pk), {"text": "Tillagt i avsnittet."}
    )
    assert response.status_code == expected_code
    assert thread.answers.filter(text="Tillagt i avsnittet.").exists() == answered


@pytest.mark.parametrize(
    ("persona", "expected_code", "resolved"),
    [("editor", 302, True), ("reader", 404, False), ("other_editor", 404, False)],
)
def test_it_lets_an_editor_resolve_a_thread(client, world, thread, persona, expected_code, resolved):
    response = world.login(client, persona).post(
        url(world, "report_comment_resolve", thread.pk), {"resolved": "1"}
    )
    assert response.status_code == expected_code
    thread.refresh_from_db()
    assert (thread.resolved_at is not None) == resolved
    if resolved:
        assert thread.resolved_by == world.users["editor"]


def test_it_lists_comments_with_who_and_when_and_folds_resolved_ones(client, world, thread):
    world.login(client, "editor")
    client.post(url(world, "report_comment_answer", thread.pk), {"text": "Nu med brukarrådet."})
    page = world.login(client, "reader").get(url(world, "report_detail")).content.decode()
    assert "Lyft fram brukarrådet." in page
    assert "Nu med brukarrådet." in page
    assert "styrgrupp" in page and "samordnare" in page
    assert "1 kommentar är inte löst." in page
    # A reader sees the thread but cannot answer or resolve it.
    assert "Markera som löst" not in page

    world.login(client, "editor").post(url(world, "report_comment_resolve", thread.pk), {"resolved": "1"})
    page = world.login(client, "reader").get(url(world, "report_detail")).content.decode()
    assert '<details class="thread resolved">' in page
    assert "inte löst" not in page


def test_it_hides_comments_from_another_county_and_the_pdf(client, world, thread):
    assert world.login(client, "other_editor").get(url(world, "report_detail")).status_code == 404
    assert client.post(url(world, "report_comment_answer", thread.pk), {"text": "x"}).status_code == 404
    # Comments are review material, not part of the report.
    from tests.reports.conftest import pdf_pages
    from tests.reports.jobs import download

    content = download(world.login(client, "reader"), url(world, "report_pdf")).content
    assert "brukarrådet" not in "".join(pdf_pages(content))


def test_it_shows_the_comment_form_to_approvers_only(client, world, report):
    page = world.login(client, "approver").get(url(world, "report_detail")).content.decode()
    assert "Lägg till kommentar" in page
    page = world.login(client, "editor").get(url(world, "report_detail")).content.decode()
    assert "Lägg till kommentar" not in page
