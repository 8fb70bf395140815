"""The public pages: what an anonymous visitor reaches, and how the pages are cached."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan
from plans.reports.services import revision_pdf
from publication.models import Licence
from publication.services import publish_plan, publish_report, unpublish_plan, unpublish_report
from tests.factories import ActivityFactory, PlanTree
from tests.personas import World
from tests.publication.builders import approved_report, indicator_with_values

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]*)')
# Titles that must never appear on a public page.
SECRET = ("UTKAST-HEMLIG", "OPUBLICERAD-PLAN", "AVPUBLICERAD-PLAN", "SENARE-ANDRING", "OPUBLICERAD-RAPPORT")


def publish(plan: Plan, user=None):
    return publish_plan(plan=plan, user=user, licence=Licence.CC0, internal_fields=[])


@pytest.fixture
def world() -> World:
    return World.build()


@pytest.fixture
def site(world):
    """County A: a published plan with a published and an unpublished approved report, a draft,
    an adopted plan never published and one unpublished again; county B: one published plan."""
    plan = world.tree.plan
    plan.title = "Handlingsplan för psykisk hälsa 2021–2025"
    plan.save()
    indicator_with_values(plan)
    published = publish(plan)
    report = approved_report(plan, 2022)
    publish_report(report=report, user=None)
    hidden_report = approved_report(plan, 2023, content=b"%PDF-1.7\n% OPUBLICERAD-RAPPORT\n")
    draft = PlanTree.build(county=world.county, activities=1).plan
    Plan.objects.filter(pk=draft.pk).update(title="UTKAST-HEMLIG", status=Plan.Status.DRAFT)
    never = PlanTree.build(county=world.county, activities=1).plan
    Plan.objects.filter(pk=never.pk).update(title="OPUBLICERAD-PLAN")
    withdrawn = PlanTree.build(county=world.county, activities=1).plan
    withdrawn.title = "AVPUBLICERAD-PLAN"
    withdrawn.save()
    withdrawn_publication = publish(withdrawn)
    unpublish_plan(plan=withdrawn, user=None)
    # Changed after publication: shown only when published again.
    activity = world.tree.activities[0]
    activity.title = "SENARE-ANDRING"
    activity.save()
    other = publish(world.other_tree.plan)
    return {
        "published": published,
        "report": report,
        "hidden_report": hidden_report,
        "withdrawn": withdrawn_publication,
        "other": other,
    }


def plan_url(publication) -> str:
    return reverse("public_plan", args=[publication.county.letter_code, publication.slug])


def pdf_url(publication, year: int) -> str:
    return reverse("public_report_pdf", args=[publication.county.letter_code, publication.slug, year])


def freeze(moment):
    """``timezone.now()`` is ``moment`` inside the block (the services date what they do with it)."""
    return mock.patch("publication.services.timezone.now", return_value=moment)


def crawl(client, start: str = "/publikt/") -> dict[str, object]:
    """Every page under /publikt/ reachable from ``start`` by following links, with its response."""
    seen, queue = {}, [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            for href in HREF.findall(response.content.decode()):
                target = urlsplit(urljoin(url, href)).path
                if target.startswith("/publikt/") and target not in seen:
                    queue.append(target)
    return seen


def test_an_anonymous_crawl_reaches_every_published_plan_and_nothing_else(client, world, site):
    pages = crawl(client)
    published, other = site["published"], site["other"]
    expected = {
        "/publikt/",
        "/publikt/BD/",
        "/publikt/X/",
        plan_url(published),
        plan_url(other),
        pdf_url(published, 2022),
    }
    assert {url for url in pages if "/data/" not in url and "katalog" not in url} == expected
    for url, response in pages.items():
        body = response.content
        for secret in SECRET:
            assert secret.encode() not in body, (url, secret)
        for user in world.users.values():
            assert f">{user.username}<".encode() not in body, url
        assert b"/historik/" not in body and b"/planer/" not in body, url
    # The plan as published, with its goals, activities and indicator.
    page = pages[plan_url(published)].content.decode()
    assert "Handlingsplan för psykisk hälsa 2021–2025" in page
    assert world.tree.activities[1].title in page and world.tree.goals[0].title in page
    assert "Självmord per 100 000 invånare" in page and "<svg" in page


def test_nothing_of_another_county_is_reachable_through_a_county(client, site):
    published, other = site["published"], site["other"]
    assert client.get(f"/publikt/BD/{other.slug}/").status_code == 404
    assert client.get(f"/publikt/X/{published.slug}/").status_code == 404
    assert client.get(f"/publikt/X/{published.slug}/uppfoljning/2022.pdf").status_code == 404
    county_page = client.get("/publikt/X/").content.decode()
    assert published.slug not in county_page


def test_unpublished_and_never_published_answer_404(client, site):
    withdrawn = site["withdrawn"]
    assert client.get(plan_url(withdrawn)).status_code == 404
    assert client.get(pdf_url(site["published"], 2023)).status_code == 404  # approved, not published
    assert client.get("/publikt/AB/").status_code == 404


def test_unpublishing_removes_the_plan_and_its_reports(client, world, site):
    published = site["published"]
    assert client.get(plan_url(published)).status_code == 200
    unpublish_plan(plan=world.tree.plan, user=None)
    assert client.get(plan_url(published)).status_code == 404
    assert client.get(pdf_url(published, 2022)).status_code == 404
    assert client.get("/publikt/BD/").status_code == 404
    assert "/publikt/BD/" not in client.get("/publikt/").content.decode()


def test_unpublishing_a_report_removes_its_pdf(client, site):
    published = site["published"]
    unpublish_report(report=site["report"], user=None)
    assert client.get(pdf_url(published, 2022)).status_code == 404
    assert pdf_url(published, 2022) not in client.get(plan_url(published)).content.decode()


def test_republishing_shows_the_new_state_at_the_same_address(client, world, site):
    published = site["published"]
    before = client.get(plan_url(published))
    assert b"SENARE-ANDRING" not in before.content
    again = publish(world.tree.plan)
    assert plan_url(again) == plan_url(published)
    after = client.get(plan_url(published))
    assert b"SENARE-ANDRING" in after.content
    assert after["ETag"] != before["ETag"]
    assert client.get(plan_url(published), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_the_pdf_is_the_stored_revision_byte_for_byte(client, site):
    revision = site["report"].revisions.get()
    response = client.get(pdf_url(site["published"], 2022))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == revision_pdf(revision)
    with revision.pdf.open("rb") as handle:
        assert response.content == handle.read()
    assert response["ETag"] == f'"{revision.pdf_sha256}"'
    # Published for everyone: shared caches may keep it (the downloads of the workspace may not).
    assert response["Cache-Control"].startswith("public, max-age=")
    again = client.get(pdf_url(site["published"], 2022), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_pdf_that_no_longer_matches_its_checksum_is_not_served(client, site):
    revision = site["report"].revisions.get()
    with open(revision.pdf.path, "wb") as handle:
        handle.write(b"%PDF-1.7\n% changed on disk\n")
    assert client.get(pdf_url(site["published"], 2022)).status_code == 404


@pytest.mark.parametrize("name", ["start", "county", "plan"])
def test_pages_answer_304_with_public_caching_and_no_cookie(client, site, name):
    url = {"start": "/publikt/", "county": "/publikt/BD/", "plan": plan_url(site["published"])}[name]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["ETag"] and response["Last-Modified"]
    assert "cookie" not in response.get("Vary", "").lower()
    assert not response.cookies
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def without_chart_ids(content: bytes) -> bytes:
    return re.sub(rb"chart-\d+", b"chart", content)


def test_a_logged_in_visitor_gets_the_same_public_page(client, world, site):
    url = plan_url(site["published"])
    anonymous = client.get(url)
    world.login(client, "editor")
    logged_in = client.get(url)
    # The same page but for the charts' ids, which count up in the process.
    assert without_chart_ids(logged_in.content) == without_chart_ids(anonymous.content)
    assert logged_in["ETag"] == anonymous["ETag"]
    assert logged_in["Cache-Control"].startswith("public")
    assert "cookie" not in logged_in.get("Vary", "").lower()
    assert b">samordnare<" not in logged_in.content


def test_the_public_pages_need_no_csrf_token_and_refuse_posts(client, site):
    assert b"csrfmiddlewaretoken" not in client.get(plan_url(site["published"])).content
    assert client.post(plan_url(site["published"])).status_code in (403, 405)


def test_the_plan_page_says_when_it_was_published_and_under_which_licence(client, site):
    published = site["published"]
    page = client.get(plan_url(published)).content.decode()
    assert f"{published.published_at:%Y}" in page
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in page


def test_the_public_pages_make_a_constant_number_of_queries(client, world, django_assert_num_queries):
    plan = world.tree.plan
    indicator_with_values(plan)
    small = publish(plan)
    publish_report(report=approved_report(plan, 2022), user=None)
    # The start and county pages: one query for what they list; the plan and the PDF: the
    # publication, then its reports; the plan page once more for its snapshot when it is
    # rendered (the first visit)
    # (the start and county pages: one more for the latest unpublication, their Last-Modified).
    counts = {"/publikt/": 2, "/publikt/BD/": 2, plan_url(small): 3, pdf_url(small, 2022): 2}
    for url, count in counts.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(plan_url(small)).status_code == 200
    for _ in range(30):
        ActivityFactory(plan=plan).goals.add(world.tree.goals[0])
    for index in range(5):
        indicator_with_values(plan, name=f"Indikator {index}")
    big = publish(plan)
    assert len(big.snapshot["activities"]) == 33 and len(big.snapshot["indicators"]) == 6
    for url, count in counts.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_an_unpublication_makes_the_lists_and_the_plan_page_newer(client, world, site):
    """A visitor who has a page from before an unpublication, and asks with its date only
    (If-Modified-Since), gets the changed page, not 304."""
    published = site["published"]
    second = publish(PlanTree.build(county=world.county, activities=1).plan)
    urls = ["/publikt/", "/publikt/BD/", plan_url(published)]
    dates = {url: client.get(url)["Last-Modified"] for url in urls}
    # HTTP dates count whole seconds: the unpublications come a second later.
    later = timezone.now() + timedelta(seconds=2)
    with freeze(later):
        unpublish_plan(plan=second.plan, user=None)
        unpublish_report(report=site["report"], user=None)
    for url in urls:
        response = client.get(url, HTTP_IF_MODIFIED_SINCE=dates[url])
        assert response.status_code == 200, url
        assert response["Last-Modified"] != dates[url], url
