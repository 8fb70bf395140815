"""The county's Kolada page: who sees it, who starts a sync, and what a sync shows."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from indicators import kolada
from indicators.models import Indicator, IndicatorValue, KoladaSync
from plans.models import County, Role
from tests.factories import UserFactory, member
from tests.indicators.kolada_server import load_counties_and_municipalities, running_kolada
from tests.jobs.queue import queued_jobs, run_queued_jobs

pytestmark = pytest.mark.django_db

BD_IDS = "0025,2505,2506,2510,2513,2514,2518,2521,2523,2560,2580,2581,2582,2583,2584"
SUICIDE = f"/v3/data/kpi/N00927/municipality/{BD_IDS}/year/2021,2022"
URL = reverse("kolada_sync", args=["BD"])


def swedish(message: str, **params) -> str:
    with translation.override("sv"):
        return gettext(message) % params if params else gettext(message)


@pytest.fixture
def kolada_server(settings):
    with running_kolada(settings) as server:
        server.answer(SUICIDE, "n00927_bd.json")
        yield server


@pytest.fixture
def people() -> dict:
    load_counties_and_municipalities()
    norrbotten = County.objects.get(letter_code="BD")
    gavleborg = County.objects.get(letter_code="X")
    Indicator.objects.create(code="N00927", kolada_id="N00927", name="Självmord")
    return {
        "admin": UserFactory(username="admin", is_staff=True),
        "editor": member(norrbotten, Role.EDITOR, "samordnare"),
        "reader": member(norrbotten, Role.READER, "lasare"),
        "other_editor": member(gavleborg, Role.EDITOR, "samordnare-x"),
    }


def as_(client, people, persona):
    if persona != "anonymous":
        client.force_login(people[persona])
    return client


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 200), ("reader", 200), ("other_editor", 404), ("anonymous", 302)],
)
def test_who_sees_the_page(client, people, persona, status):
    response = as_(client, people, persona).get(URL)

    assert response.status_code == status
    if status == 302:
        assert "/konto/login/" in response["Location"]
    if status == 200:
        html = response.content.decode()
        assert '<a href="https://www.kolada.se">Kolada</a>' in html
        assert swedish("Source:") in html and "CC BY 4.0" in html
        assert "N00927" in html
        # Only staff get the button.
        assert (swedish("Sync with Kolada now") in html) == (persona == "admin")


@pytest.mark.parametrize(
    ("persona", "status"), [("editor", 403), ("reader", 403), ("other_editor", 404), ("anonymous", 302)]
)
def test_only_staff_start_a_sync(client, people, persona, status, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_(client, people, persona).post(URL, {"years": ""})

    assert response.status_code == status
    assert not KoladaSync.objects.exists()
    assert queued_jobs() == []


def test_staff_start_a_sync_that_the_job_runs(
    client, people, kolada_server, django_capture_on_commit_callbacks
):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"years": "2021-2022"})

    assert response.status_code == 302 and response["Location"] == URL
    sync = KoladaSync.objects.get()
    assert (sync.status, sync.years, sync.requested_by) == ("queued", "2021,2022", people["admin"])
    page = client.get(URL).content.decode()
    # While it is queued, the list asks for its news every 2 s, and a link reloads without JavaScript.
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="{URL}?del=status"' in page
    assert swedish("Reload the page") in page
    assert swedish("The sync is queued; this page shows when it is done.") in page

    run_queued_jobs()

    partial = client.get(f"{URL}?del=status", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert html.lstrip().startswith('<section id="kolada-runs"')
    assert "<html" not in html
    # Done: no more polling; the counts and the changes are shown.
    assert "hx-trigger" not in html
    assert swedish("done") in html
    assert '<td class="num">5</td>' in html  # new values
    assert "N00927 Självmord" in html
    assert "21,3333" in html  # the new value, as Swedish readers write it
    assert IndicatorValue.objects.count() == 5


def test_a_second_click_while_a_sync_is_queued_starts_no_other(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"years": ""})
        response = client.post(URL, {"years": ""}, follow=True)

    assert KoladaSync.objects.count() == 1
    assert len(queued_jobs()) == 1
    message = swedish(
        "A sync of %(county)s is already queued; no other was started.", county="Norrbottens län"
    )
    assert message in response.content.decode()


def test_it_refuses_years_it_cannot_read(client, people):
    client.force_login(people["admin"])

    response = client.post(URL, {"years": "förra året"})

    assert response.status_code == 400
    assert "förra året" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not KoladaSync.objects.exists()


def test_it_shows_a_failure_and_its_message(client, people, settings):
    client.force_login(people["admin"])
    county = County.objects.get(letter_code="BD")
    message = swedish(
        "Kolada did not answer within %(seconds)s seconds – no values were changed.", seconds="20"
    )
    KoladaSync.objects.create(county=county, status=KoladaSync.Status.FAILED, message=message, years="2022")

    html = client.get(URL).content.decode()

    assert message in html
    assert swedish("failed") in html
    assert "hx-trigger" not in html


def test_it_shows_the_first_changes_of_a_large_sync_and_their_total(client, people):
    client.force_login(people["admin"])
    county = County.objects.get(letter_code="BD")
    changes = [
        {
            "indicator": "N00927 Självmord",
            "area": "Luleå",
            "year": 2022,
            "gender": "K",
            "old": "1.5",
            "new": "1234.25",
        }
    ] * kolada.CHANGES_KEPT
    KoladaSync.objects.create(
        county=county, status=KoladaSync.Status.DONE, created=600, updated=34, changes=changes, years="2022"
    )

    html = client.get(URL).content.decode()

    assert swedish("The first %(shown)s of %(total)s changes.", shown=500, total="634") in html
    assert "1\xa0234,25" in html and "1,5" in html
    assert swedish("women") in html


def test_its_queries_do_not_grow_with_the_syncs(client, people, django_assert_max_num_queries):
    client.force_login(people["reader"])
    county = County.objects.get(letter_code="BD")
    change = {
        "indicator": "N00927 Självmord",
        "area": "Luleå",
        "year": 2022,
        "gender": "T",
        "old": None,
        "new": "1",
    }
    KoladaSync.objects.create(county=county, status=KoladaSync.Status.DONE, created=1, changes=[change])
    with django_assert_max_num_queries(10) as one:
        assert client.get(URL).status_code == 200
    for _ in range(12):
        KoladaSync.objects.create(
            county=county, status=KoladaSync.Status.DONE, created=300, changes=[change] * 300
        )
    with django_assert_max_num_queries(len(one)) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(one)


def test_another_countys_syncs_never_show(client, people):
    gavleborg = County.objects.get(letter_code="X")
    KoladaSync.objects.create(county=gavleborg, status=KoladaSync.Status.FAILED, message="Gävleborgs synk")
    client.force_login(people["admin"])

    html = client.get(URL).content.decode()

    assert "Gävleborgs synk" not in html
    assert swedish("No sync has run yet.") in html
