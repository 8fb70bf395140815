"""Input that must never crash a page: huge or odd ids, odd query strings, wrong methods, htmx headers."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ON_SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]

HUGE = "99999999999999999999"
# Every URL with an integer in its path, with that integer far beyond any database column.
HUGE_URLS = [
    f"/planer/{HUGE}/",
    f"/planer/{HUGE}/redigera/",
    f"/planer/{HUGE}/ta-bort/",
    f"/planer/{HUGE}/insatsomraden/ny/",
    f"/insatsomraden/{HUGE}/redigera/",
    f"/insatsomraden/{HUGE}/ta-bort/",
    f"/planer/{HUGE}/mal/ny/",
    f"/mal/{HUGE}/redigera/",
    f"/mal/{HUGE}/ta-bort/",
    f"/historik/activity/{HUGE}/",
    f"/historik/followup/{HUGE}/",
    f"/historik/goal/{HUGE}/jamfor/",
    f"/planer/{HUGE}/aktiviteter/ny/",
    f"/aktiviteter/{HUGE}/",
    f"/aktiviteter/{HUGE}/redigera/",
    f"/aktiviteter/{HUGE}/ta-bort/",
    f"/aktiviteter/{HUGE}/uppfoljning/ny/",
    f"/uppfoljningar/{HUGE}/",
    f"/uppfoljningar/{HUGE}/redigera/",
    f"/uppfoljningar/{HUGE}/ta-bort/",
    f"/planer/{HUGE}/uppfoljning/",
    f"/planer/{HUGE}/uppfoljning/2022/",
    f"/planer/{HUGE}/uppfoljning/2022/pdf/",
    f"/planer/{HUGE}/import/",
    f"/planer/{HUGE}/export/aktiviteter.csv",
]


def test_it_answers_404_to_huge_ids(safe_client, world):
    world.login(safe_client, "admin")
    for url in HUGE_URLS:
        assert safe_client.get(url).status_code == 404, url
        assert safe_client.post(url, {}).status_code in (404, 405), url


def test_it_answers_404_to_a_huge_report_year(safe_client, world):
    world.login(safe_client, "admin")
    plan = world.tree.plan.pk
    for suffix in ("", "pdf/", "pdf/aktuell/"):
        response = safe_client.get(f"/planer/{plan}/uppfoljning/{HUGE}/{suffix}")
        assert response.status_code == 404, suffix
    for suffix in ("skicka-in/", "godkann/", "atersand/"):
        response = safe_client.post(f"/planer/{plan}/uppfoljning/{HUGE}/{suffix}", {"comment": "x"})
        assert response.status_code == 404, suffix


def test_it_answers_404_to_a_huge_history_version(safe_client, world):
    world.login(safe_client, "admin")
    activity = world.tree.activities[0].pk
    response = safe_client.post(f"/historik/activity/{activity}/aterstall/{HUGE}/")
    assert response.status_code == 404


ODD_FILTERS = [
    "mal=abc",
    "mal=-1",
    "fokusomrade=1.5",
    "organisation=x",
    "ar=abc",
    "status=nope",
    "sortera=__proto__",
    "sortera=-id",
    "grupp=mal",
    "q=" + "x" * 5000,
    "mal=1&mal=2&mal=x",
]


def test_it_ignores_odd_plan_filters(safe_client, world):
    world.login(safe_client, "editor")
    for query in ODD_FILTERS:
        response = safe_client.get(f"/planer/{world.tree.plan.pk}/?{query}")
        assert response.status_code == 200, query


@pytest.mark.parametrize("name", ["mal", "organisation", "delregion"])
def test_it_ignores_a_huge_id_in_a_relation_filter(safe_client, world, name):
    world.login(safe_client, "editor")
    response = safe_client.get(f"/planer/{world.tree.plan.pk}/?{name}={HUGE}")
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["10000", "-5", HUGE])
def test_it_ignores_a_year_filter_outside_the_calendar(safe_client, world, year):
    world.login(safe_client, "editor")
    response = safe_client.get(f"/planer/{world.tree.plan.pk}/?ar={year}")
    assert response.status_code == 200


def test_it_ignores_a_nul_byte_in_the_search(safe_client, world):
    """PostgreSQL refuses strings with NUL; the page must not crash on ?q=%00."""
    world.login(safe_client, "editor")
    response = safe_client.get(f"/planer/{world.tree.plan.pk}/?q=a%00b")
    assert response.status_code in (200, 400)


def test_it_answers_404_to_a_nul_byte_in_a_county_code(safe_client, world):
    world.login(safe_client, "admin")
    for url in ("/lan/B%00D/", "/lan/B%00D/borttaget/", "/lan/B%00D/planer/ny/"):
        assert safe_client.get(url).status_code in (400, 404), url


def test_it_answers_odd_county_codes_without_crashing(safe_client, world):
    world.login(safe_client, "editor")
    for letter_code in ("bd", "ZZ", "x" * 300, "%C3%85", "..", "%20"):
        response = safe_client.get(f"/lan/{letter_code}/")
        assert response.status_code in (200, 404), letter_code


def test_it_answers_an_unknown_history_kind_with_404(safe_client, world):
    world.login(safe_client, "admin")
    for kind in ("user", "membership", "followupreport", "indicatorvalue", "PLAN", ""):
        url = f"/historik/{kind}/{world.tree.plan.pk}/" if kind else f"/historik//{world.tree.plan.pk}/"
        assert safe_client.get(url).status_code == 404, kind


@pytest.mark.parametrize("query", ["fran=abc&till=x", "fran=1", f"fran={HUGE}&till={HUGE}", "till=-1"])
def test_it_compares_odd_version_choices_without_crashing(safe_client, world, query):
    world.login(safe_client, "editor")
    url = reverse("history_compare", args=["activity", world.tree.activities[0].pk])
    assert safe_client.get(f"{url}?{query}").status_code == 200


def test_it_answers_405_to_get_on_post_only_endpoints(safe_client, world):
    world.login(safe_client, "admin")
    plan = world.tree.plan.pk
    activity = world.tree.activities[0]
    version = activity.history.first().history_id
    urls = [
        reverse("activity_status", args=[activity.pk]),
        reverse("history_restore", args=["activity", activity.pk, version]),
        reverse("report_submit", args=[plan, 2022]),
        reverse("report_approve", args=[plan, 2022]),
        reverse("report_return", args=[plan, 2022]),
        reverse("plan_import_confirm", args=[plan]),
        reverse("county_indicator_import_confirm", args=["BD"]),
    ]
    for url in urls:
        assert safe_client.get(url).status_code == 405, url


def test_it_answers_405_to_post_on_get_only_report_pages(safe_client, world):
    world.login(safe_client, "admin")
    plan = world.tree.plan.pk
    for name, args in (("report_list", [plan]), ("report_detail", [plan, 2022])):
        assert safe_client.post(reverse(name, args=args)).status_code == 405


def test_it_answers_htmx_requests_to_full_pages_without_crashing(safe_client, world):
    world.login(safe_client, "editor")
    headers = {"HX-Request": "true", "HX-Target": "x", "HX-Boosted": "true"}
    plan = world.tree.plan.pk
    urls = [
        "/",
        "/lan/BD/",
        "/lan/BD/borttaget/",
        f"/planer/{plan}/",
        f"/planer/{plan}/redigera/",
        f"/planer/{plan}/uppfoljning/",
        f"/planer/{plan}/uppfoljning/2022/",
        f"/planer/{plan}/import/",
        reverse("activity_detail", args=[world.tree.activities[0].pk]),
        reverse("activity_edit", args=[world.tree.activities[0].pk]),
        reverse("follow_up_create", args=[world.tree.activities[0].pk]),
        reverse("follow_up_edit", args=[world.follow_up.pk]),
        reverse("follow_up_show", args=[world.follow_up.pk]),
        reverse("follow_up_delete", args=[world.follow_up.pk]),
        reverse("object_history", args=["activity", world.tree.activities[0].pk]),
    ]
    for url in urls:
        assert safe_client.get(url, headers=headers).status_code == 200, url


def test_it_answers_a_non_numeric_priority_area_preset_without_crashing(safe_client, world):
    world.login(safe_client, "editor")
    url = reverse("activity_create", args=[world.tree.plan.pk])
    for value in ("abc", HUGE, "-1", "1.5"):
        assert safe_client.get(f"{url}?omrade={value}").status_code == 200, value


def test_it_does_not_preset_a_priority_area_of_another_county(client, world):
    world.login(client, "editor")
    other_area = world.other_tree.activities[0].priority_area
    url = reverse("activity_create", args=[world.tree.plan.pk])
    response = client.get(f"{url}?omrade={other_area.pk}")
    assert other_area.name not in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": ""},
        {"status": "done", "version": "x" * 10000},
        {"status": "not-a-status"},
        {"status": ["done", "ongoing"]},
        {"status": "done\x00"},
    ],
)
def test_it_answers_odd_status_posts_without_crashing(safe_client, world, data):
    world.login(safe_client, "editor")
    url = reverse("activity_status", args=[world.tree.activities[0].pk])
    assert safe_client.post(url, data).status_code in (302, 400)
    assert safe_client.post(url, data, headers={"HX-Request": "true"}).status_code in (200, 400)


def test_it_answers_a_malformed_multipart_body_with_400(safe_client, world):
    world.login(safe_client, "editor")
    url = reverse("activity_status", args=[world.tree.activities[0].pk])
    response = safe_client.generic(
        "POST", url, b"--xx\r\nbroken", content_type="multipart/form-data; boundary=yy"
    )
    assert response.status_code in (302, 400)


def test_it_answers_a_json_body_on_a_form_endpoint_without_crashing(safe_client, world):
    world.login(safe_client, "editor")
    url = reverse("activity_edit", args=[world.tree.activities[0].pk])
    response = safe_client.post(url, b'{"title": 1}', content_type="application/json")
    # request.POST is empty, so the view shows the unbound form; nothing is saved.
    assert response.status_code in (200, 400)


# --- Control characters in form text: removed before the fields see them, on both databases ------

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_it_stores_no_nul_from_the_activity_form(safe_client, world):
    activity = world.tree.activities[0]
    world.login(safe_client, "editor")
    url = reverse("activity_edit", args=[activity.pk])
    form = safe_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "goals"}
    data.update(
        {
            "title": "Utbildning\x00 i suicidprevention",
            "current_state": "Rad ett\x0bRad två\x07",
            "status": "planned",
            "change_reason": "Ny\x00 titel",
            "budget": "",
            "start_date": "",
            "end_date": "",
        }
    )
    response = safe_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert activity.title == "Utbildning i suicidprevention"
    assert activity.current_state == "Rad ett\nRad två"
    assert activity.history.latest().history_change_reason == "Ny titel"


def test_it_stores_no_control_characters_from_the_follow_up_form(safe_client, world):
    activity = world.tree.activities[1]
    world.login(safe_client, "editor")
    response = safe_client.post(
        reverse("follow_up_create", args=[activity.pk]),
        {"year": "2023", "status": "ongoing", "achieved": "Påbörjat\x00\x1b", "planning": "Fortsätter\x9b"},
    )
    assert response.status_code == 302
    follow_up = activity.follow_ups.get(year=2023)
    assert (follow_up.achieved, follow_up.planning) == ("Påbörjat", "Fortsätter")
    assert not CONTROLS.search(follow_up.achieved + follow_up.planning)
