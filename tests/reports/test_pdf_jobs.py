"""Live PDFs are made by a job, off the request: the PDF link answers at once with a page that
follows the job, one job per state of the plan, a few per person; the job's PDF is then served
from the cache, and a job that runs twice or after its worker died changes nothing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from plans.models import ReportRender, Role
from plans.reports import indicator_blocks, live_pdf, rendering, services
from tests.conftest import login_in_browser
from tests.factories import (
    CountyFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanTree,
    member,
)
from tests.jobs.queue import queued_jobs, run_queued_jobs
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db

YEAR = 2022
State = ReportRender.State
HTMX = {"HTTP_HX_REQUEST": "true"}


def pdf_url(world, name: str = "report_pdf", year: int = YEAR) -> str:
    return reverse(name, args=[world.plan.pk, year])


def cached_files(settings) -> list:
    return sorted((settings.MEDIA_ROOT / "cache" / "reports").glob("*.pdf"))


def render_jobs() -> list[tuple]:
    return [job["args"] for job in queued_jobs() if job["func"] == live_pdf.RENDER_JOB]


def test_it_answers_at_once_with_a_page_that_follows_the_job(client, world, settings):
    response = world.login(client, "reader").get(pdf_url(world))

    # Nothing rendered in the request: a page, no PDF bytes anywhere, one job in the queue.
    assert response.status_code == 202
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "PDF:en skapas …" in page
    [pdf_render] = ReportRender.objects.all()
    assert (pdf_render.state, pdf_render.requested_by) == (State.QUEUED, world.users["reader"])
    status_url = reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in page
    # Without JavaScript: a plain link that asks again.
    assert f'href="{pdf_url(world, "report_pdf_live")}"' in page
    assert render_jobs() == [(pdf_render.pk,)]
    assert cached_files(settings) == []

    # Asked again, by the same person or another, while it waits: the same job.
    assert client.get(pdf_url(world)).status_code == 202
    world.login(client, "approver")
    assert client.get(pdf_url(world, "report_pdf_live")).status_code == 202
    assert render_jobs() == [(pdf_render.pk,)]
    assert ReportRender.objects.count() == 1


def test_it_offers_the_pdf_once_the_job_ran_and_renders_an_unchanged_report_once(client, world, settings):
    world.login(client, "reader").get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    status_url = reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk])
    waiting = client.get(status_url, **HTMX).content.decode()
    assert "PDF:en skapas …" in waiting and 'hx-trigger="every 2s"' in waiting

    [task] = run_queued_jobs()
    assert task.result == "rendered"

    done = client.get(status_url, **HTMX)
    assert done.status_code == 200
    partial = done.content.decode()
    assert "PDF:en är klar." in partial
    assert "hx-trigger" not in partial  # it stops asking
    assert f'href="{pdf_url(world, "report_pdf_live")}"' in partial and "Öppna PDF:en" in partial

    first = client.get(pdf_url(world))
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    # Downloaded again, by anyone, through either link: the same bytes, and no job queued.
    second = client.get(pdf_url(world))
    world.login(client, "approver")
    third = client.get(pdf_url(world, "report_pdf_live"))
    assert first.content == second.content == third.content
    assert queued_jobs() == []
    assert ReportRender.objects.count() == 1
    assert len(cached_files(settings)) == 1


def test_it_lays_nothing_out_again_when_the_document_did_not_change(client, world):
    """A change the report does not show (another county's value) moves the fingerprint: the job
    builds the HTML, finds the PDF of the same HTML kept, and lays nothing out."""
    world.login(client, "reader").get(pdf_url(world))
    run_queued_jobs()
    first = client.get(pdf_url(world)).content

    IndicatorValueFactory(
        indicator=IndicatorFactory(), county=world.other_county, year=2021, value=Decimal(3)
    )
    assert client.get(pdf_url(world)).status_code == 202
    [task] = run_queued_jobs()
    assert task.result == "reused"
    assert client.get(pdf_url(world)).content == first
    assert ReportRender.objects.filter(state=State.DONE).count() == 2


def test_it_makes_a_new_pdf_after_a_change_the_report_shows(client, world):
    world.login(client, "reader").get(pdf_url(world))
    run_queued_jobs()
    activity = world.tree.activities[0]
    activity.title = "Helt ny aktivitetstitel"
    activity.save()
    assert client.get(pdf_url(world)).status_code == 202
    [task] = run_queued_jobs()
    assert task.result == "rendered"
    assert "Helt ny aktivitetstitel" in "".join(pdf_pages(client.get(pdf_url(world)).content))


def test_it_lets_a_person_wait_for_a_few_renders_at_once(client, world):
    world.login(client, "reader")
    for year in (2021, 2022, 2023):
        assert client.get(pdf_url(world, year=year)).status_code == 202
    refused = client.get(pdf_url(world, year=2024))
    assert refused.status_code == 429
    assert "3 PDF:er skapas redan åt dig" in refused.content.decode()
    assert int(refused["Retry-After"]) <= 30
    assert len(render_jobs()) == 3

    # Someone else is not held back, and a PDF being made already is no new render.
    world.login(client, "approver")
    assert client.get(pdf_url(world, year=2024)).status_code == 202
    world.login(client, "reader")
    assert client.get(pdf_url(world, year=2024)).status_code == 202
    assert len(render_jobs()) == 4

    run_queued_jobs()
    world.plan.title = "Ny titel"
    world.plan.save()
    assert client.get(pdf_url(world, year=2025)).status_code == 202


def test_it_bounds_the_renders_of_a_person_per_hour(client, world, settings):
    settings.REPORT_PDF_RENDERS_PER_HOUR = 2
    world.login(client, "reader")
    for index in range(2):
        world.plan.title = f"Version {index}"
        world.plan.save()
        assert client.get(pdf_url(world)).status_code == 202
        run_queued_jobs()
    world.plan.title = "Version 3"
    world.plan.save()
    response = client.get(pdf_url(world, "report_pdf_live"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Vänta lite innan nästa PDF" in page
    assert "Du har skapat 2 PDF:er den senaste timmen" in page
    assert 3500 <= int(response["Retry-After"]) <= 3600
    assert queued_jobs() == []


def test_it_does_nothing_when_the_job_runs_twice(client, world, settings):
    world.login(client, "reader").get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    assert rendering.render_live(pdf_render.pk) == "rendered"
    files = [(path.name, path.read_bytes()) for path in cached_files(settings)]
    assert rendering.render_live(pdf_render.pk) == "skipped"
    assert [(path.name, path.read_bytes()) for path in cached_files(settings)] == files
    pdf_render.refresh_from_db()
    assert (pdf_render.state, pdf_render.attempts) == (State.DONE, 1)


def test_it_takes_over_a_render_whose_worker_died(client, world, settings):
    world.login(client, "reader").get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    # A worker took it a moment ago and is at it: a second delivery leaves it alone.
    ReportRender.objects.filter(pk=pdf_render.pk).update(state=State.RUNNING, started_at=timezone.now())
    assert rendering.render_live(pdf_render.pk) == "skipped"
    # That worker was killed: django-q2 hands the job out again after Q_CLUSTER["retry"] seconds.
    died = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["retry"])
    ReportRender.objects.filter(pk=pdf_render.pk).update(started_at=died, attempts=1)
    assert rendering.render_live(pdf_render.pk) == "rendered"
    pdf_render.refresh_from_db()
    assert (pdf_render.state, pdf_render.attempts) == (State.DONE, 2)
    assert client.get(pdf_url(world)).status_code == 200


def test_it_says_so_when_the_pdf_cannot_be_made_and_lets_the_person_try_again(client, world, settings):
    world.login(client, "reader").get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    # The cache cannot be written: a file stands where its folder should be.
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "cache").write_text("not a folder")
    [task] = run_queued_jobs()
    assert task.result == "failed"
    pdf_render.refresh_from_db()
    assert pdf_render.state == State.FAILED and "cache" in pdf_render.error

    status_url = reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk])
    partial = client.get(status_url, **HTMX).content.decode()
    assert "PDF:en kunde inte skapas." in partial
    assert "Försök igen" in partial and "hx-trigger" not in partial

    (settings.MEDIA_ROOT / "cache").unlink()
    assert client.get(pdf_url(world)).status_code == 202
    assert render_jobs() == [(pdf_render.pk,)]
    run_queued_jobs()
    assert client.get(pdf_url(world)).content.startswith(b"%PDF-")


def test_it_queues_again_a_render_that_no_worker_finished(client, world, settings):
    world.login(client, "reader").get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    OrmQ.objects.all().delete()  # the job is gone (say, the queue was emptied)
    long_ago = timezone.now() - live_pdf.stale_after() - timedelta(minutes=1)
    ReportRender.objects.filter(pk=pdf_render.pk).update(created_at=long_ago)

    status_url = reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk])
    assert "PDF:en kunde inte skapas." in client.get(status_url, **HTMX).content.decode()
    assert client.get(pdf_url(world)).status_code == 202
    assert render_jobs() == [(pdf_render.pk,)]


def test_it_shows_on_the_report_page_that_a_pdf_is_being_made(client, world):
    world.login(client, "reader")
    page = client.get(pdf_url(world, "report_detail")).content.decode()
    assert "PDF:en skapas" not in page
    client.get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    page = client.get(pdf_url(world, "report_detail")).content.decode()
    assert "PDF:en skapas …" in page
    assert reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk]) in page
    run_queued_jobs()
    assert "PDF:en skapas" not in client.get(pdf_url(world, "report_detail")).content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"), [("other_editor", 404), ("anonymous", 302), ("reader", 200)]
)
def test_it_shows_a_renders_status_to_the_countys_members_only(client, world, persona, expected):
    world.login(client, "editor").get(pdf_url(world))
    [pdf_render] = ReportRender.objects.all()
    client.logout()
    status_url = reverse("report_pdf_status", args=[world.plan.pk, YEAR, pdf_render.pk])
    assert world.login(client, persona).get(status_url, **HTMX).status_code == expected


def test_it_answers_404_for_a_render_of_another_plan(client, world):
    world.login(client, "other_editor").get(reverse("report_pdf", args=[world.other_tree.plan.pk, YEAR]))
    [foreign] = ReportRender.objects.all()
    world.login(client, "editor")
    url = reverse("report_pdf_status", args=[world.plan.pk, YEAR, foreign.pk])
    assert client.get(url, **HTMX).status_code == 404


def test_it_draws_each_indicator_chart_once_per_render(world, monkeypatch):
    """An indicator that follows two goals is shown under both: drawn once, with ids of its own each."""
    indicator = IndicatorFactory(name="Antal utbildade")
    indicator.goals.add(*world.tree.goals)
    for year in (2020, 2021, 2022):
        IndicatorValue.objects.create(
            indicator=indicator, county=world.county, year=year, value=Decimal(year - 2000)
        )
    drawn = []
    real_chart = indicator_blocks.indicator_chart

    def counting_chart(*args, **kwargs):
        drawn.append(kwargs["title"])
        return real_chart(*args, **kwargs)

    monkeypatch.setattr(indicator_blocks, "indicator_chart", counting_chart)
    html = services.render_report_html(services.report_data(world.plan, YEAR))
    assert drawn == ["Antal utbildade"]
    assert html.count('class="chart"') == 2
    charts = re.findall(r'<svg[^>]*class="chart".*?</svg>', html, flags=re.S)
    ids = [set(re.findall(r' id="([^"]+)"', chart)) for chart in charts]
    assert ids[0] and not ids[0] & ids[1]
    for chart, chart_ids in zip(charts, ids, strict=True):
        # Each chart's title and description are named by its own ids.
        assert set(re.search(r'aria-labelledby="([^"]+)"', chart).group(1).split()) <= chart_ids


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_turns_the_waiting_page_into_a_link_once_the_job_ran(page, live_server):
    county = CountyFactory(name="Norrbottens län")
    tree = PlanTree.build(county=county, goals=1, activities=2)
    member(county, Role.READER, username="lasare")
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    login_in_browser(page, live_server, "lasare")
    page.goto(f"{live_server.url}/planer/{tree.plan.pk}/uppfoljning/{YEAR}/pdf/")
    expect(page.get_by_role("status").filter(has_text="PDF:en skapas")).to_be_visible()
    expect(page.get_by_role("link", name="Kontrollera om PDF:en är klar")).to_be_visible()
    accessibility = Axe().run(page)
    assert accessibility.violations_count == 0, accessibility.generate_report()

    run_queued_jobs()
    link = page.get_by_role("link", name="Öppna PDF:en")
    expect(link).to_be_visible(timeout=10_000)
    assert link.get_attribute("href") == f"/planer/{tree.plan.pk}/uppfoljning/{YEAR}/pdf/aktuell/"
    assert not [text for text in messages if "Content Security Policy" in text]
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
