"""The Kolada sync against a real HTTP server on 127.0.0.1 serving recorded answers of Kolada's API v3."""

import datetime as dt
import json
import socket
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_q.models import Schedule

from indicators import kolada
from indicators.models import Indicator, IndicatorValue, KoladaSync, ValueSource
from planportal import jobs
from plans.models import County, Municipality
from tests.factories import UserFactory
from tests.indicators.kolada_server import load_counties_and_municipalities, running_kolada
from tests.jobs.queue import queued_jobs, run_queued_jobs

pytestmark = pytest.mark.django_db

BD_IDS = "0025,2505,2506,2510,2513,2514,2518,2521,2523,2560,2580,2581,2582,2583,2584"
POPULATION = f"/v3/data/kpi/N00945/municipality/{BD_IDS}/year/2021,2022"
SUICIDE = f"/v3/data/kpi/N00927/municipality/{BD_IDS}/year/2021,2022"


def swedish(message: str, **params) -> str:
    """A message as the sync writes it: in the site's language (Swedish once the catalogue has it)."""
    with translation.override("sv"):
        return gettext(message) % params if params else gettext(message)


@pytest.fixture
def norrbotten() -> County:
    load_counties_and_municipalities()
    return County.objects.get(letter_code="BD")


@pytest.fixture
def indicators(norrbotten) -> dict[str, Indicator]:
    return {
        "population": Indicator.objects.create(code="N00945", kolada_id="N00945", name="Invånare totalt"),
        "suicide": Indicator.objects.create(
            code="N00927", kolada_id="N00927", name="Självmord", unit=Indicator.Unit.PER_100K
        ),
    }


@pytest.fixture
def kolada_server(settings):
    with running_kolada(settings) as server:
        yield server


@pytest.fixture
def recorded(kolada_server):
    """Kolada's answers for Norrbotten: the population on three pages, suicide on one."""
    kolada_server.answer(POPULATION, "n00945_bd_page1.json")
    kolada_server.answer(f"{POPULATION}?page=2", "n00945_bd_page2.json")
    kolada_server.answer(f"{POPULATION}?page=3", "n00945_bd_page3.json")
    kolada_server.answer(SUICIDE, "n00927_bd.json")
    return kolada_server


def sync(county: County, years: str = "2021,2022", user=None) -> KoladaSync:
    return kolada.execute(KoladaSync.objects.create(county=county, years=years, requested_by=user))


def values_of(county: County) -> dict[tuple, tuple[Decimal, str]]:
    """(kpi, area, year, gender) → (value, source) of every value in the database."""
    rows = IndicatorValue.objects.select_related("indicator", "county", "municipality", "sub_region")
    return {
        (value.indicator.code, str(value.area), value.year, value.gender): (value.value, value.source)
        for value in rows
    }


def test_it_reads_every_page_and_writes_municipalities_and_the_region(norrbotten, indicators, recorded):
    result = sync(norrbotten)

    assert result.status == KoladaSync.Status.DONE
    # One request per KPI for the county's 14 municipalities and the region, then its next pages.
    assert recorded.paths == [SUICIDE, POPULATION, f"{POPULATION}?page=2", f"{POPULATION}?page=3"]
    assert all(request.user_agent.startswith("Planportal") for request in recorded.requests)
    values = values_of(norrbotten)
    assert values[("N00945", "Luleå", 2021, "K")] == (Decimal("38993"), ValueSource.KOLADA)
    assert values[("N00945", "Kiruna", 2022, "M")][0] == Decimal("11922")  # from the second page
    # The region 0025 is the county's own value.
    assert values[("N00945", "Norrbottens län", 2022, "T")][0] == Decimal("249677")
    # Four decimals, as the database keeps them.
    assert values[("N00927", "Norrbottens län", 2022, "T")][0] == Decimal("21.3333")
    # Null values are not written.
    assert ("N00945", "Piteå", 2022, "T") in values
    assert ("N00945", "Piteå", 2022, "K") not in values
    assert ("N00927", "Norrbottens län", 2022, "K") not in values
    # The country (0000), another county's region (0021) and an unknown code (9999) write nothing.
    assert {area for (_kpi, area, _year, _gender) in values} == {
        "Luleå",
        "Piteå",
        "Kiruna",
        "Norrbottens län",
    }
    assert len(values) == 18
    assert (result.created, result.updated, result.unchanged) == (18, 0, 0)
    # 2 + 1 nulls, and 3 values each of 0021 and 9999.
    assert result.skipped == 9
    assert "0021, 9999" in result.message
    assert result.years == "2021,2022" and result.started_at and result.finished_at


def test_it_writes_history_with_the_reason_kolada_synk(norrbotten, indicators, recorded):
    user = UserFactory(username="admin-kolada", is_staff=True)
    sync(norrbotten, user=user)

    history = IndicatorValue.history.all()
    assert history.count() == 18
    assert set(history.values_list("history_change_reason", "history_type", "history_user")) == {
        ("Kolada-synk", "+", user.pk)
    }


def test_a_second_sync_changes_nothing(norrbotten, indicators, recorded):
    sync(norrbotten)
    again = sync(norrbotten)

    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 18, 9)
    assert again.changes == []
    assert IndicatorValue.history.count() == 18


def test_it_records_a_changed_value_with_old_and_new_and_keeps_values_kolada_left_out(
    norrbotten, indicators, recorded
):
    first = sync(norrbotten)
    assert len(first.changes) == 18 and all(change["old"] is None for change in first.changes)
    # Later Kolada revises Luleå's population for 2022 and no longer gives Kiruna's.
    recorded.answer(POPULATION, "n00945_bd_revised.json")

    second = sync(norrbotten)

    assert (second.created, second.updated, second.unchanged) == (0, 2, 13)
    assert second.changes == [
        {
            "indicator": "N00945 Invånare totalt",
            "area": "Luleå",
            "year": 2022,
            "gender": gender,
            "old": old,
            "new": new,
        }
        for gender, old, new in (("M", "40910", "40932"), ("T", "80030", "80052"))
    ]
    values = values_of(norrbotten)
    assert values[("N00945", "Luleå", 2022, "T")] == (Decimal("80052"), ValueSource.KOLADA)
    assert values[("N00945", "Kiruna", 2022, "T")][0] == Decimal("22423")
    changed = IndicatorValue.history.filter(history_type="~")
    assert sorted(changed.values_list("value", "history_change_reason")) == [
        (Decimal("40932"), "Kolada-synk"),
        (Decimal("80052"), "Kolada-synk"),
    ]


def test_it_overwrites_an_entered_value_and_marks_it_as_kolada(norrbotten, indicators, recorded):
    lulea = Municipality.objects.get(code="2580")
    IndicatorValue.objects.create(
        indicator=indicators["suicide"],
        municipality=lulea,
        year=2021,
        gender="T",
        value=Decimal("17.2"),
        source=ValueSource.ENTERED,
    )
    IndicatorValue.objects.create(
        indicator=indicators["suicide"],
        municipality=lulea,
        year=2021,
        gender="K",
        value=Decimal("9"),
        source=ValueSource.ENTERED,
    )

    result = sync(norrbotten)

    values = values_of(norrbotten)
    # The same value is left as it is, source and all; a different one becomes Kolada's.
    assert values[("N00927", "Luleå", 2021, "T")] == (Decimal("17.2"), ValueSource.ENTERED)
    assert values[("N00927", "Luleå", 2021, "K")] == (Decimal("9.5"), ValueSource.KOLADA)
    assert (result.created, result.updated, result.unchanged) == (16, 1, 1)
    [changed] = [change for change in result.changes if change["old"] is not None]
    assert (changed["area"], changed["gender"], changed["old"], changed["new"]) == ("Luleå", "K", "9", "9.5")


def test_it_asks_for_at_most_25_areas_at_a_time(kolada_server):
    load_counties_and_municipalities()
    county = County.objects.get(letter_code="O")
    Indicator.objects.create(code="N00945", kolada_id="N00945", name="Invånare totalt")
    codes = sorted(["0014", *Municipality.objects.filter(county=county).values_list("code", flat=True)])
    assert len(codes) == 50
    paths = [
        f"/v3/data/kpi/N00945/municipality/{','.join(part)}/year/2022" for part in (codes[:25], codes[25:])
    ]
    kolada_server.answer(paths[0], "n00945_o_first.json")
    kolada_server.answer(paths[1], "n00945_o_last.json")

    result = sync(county, years="2022")

    assert kolada_server.paths == paths
    assert result.status == KoladaSync.Status.DONE
    values = values_of(county)
    assert values[("N00945", "Härryda", 2022, "T")][0] == Decimal("40100")
    assert values[("N00945", "Falköping", 2022, "K")][0] == Decimal("15300")
    assert result.created == 6


def test_it_never_touches_another_countys_values(norrbotten, indicators, recorded):
    gavle = Municipality.objects.get(code="2180")
    gavleborg = County.objects.get(letter_code="X")
    others = [
        IndicatorValue.objects.create(
            indicator=indicators["population"], municipality=gavle, year=2022, gender="T", value=Decimal("1")
        ),
        IndicatorValue.objects.create(
            indicator=indicators["population"], county=gavleborg, year=2022, gender="T", value=Decimal("2")
        ),
    ]
    # Another county's own indicator with a Kolada id: not read for Norrbotten.
    Indicator.objects.create(county=gavleborg, code="X-1", kolada_id="N00999", name="Gävleborgs egen")

    result = sync(norrbotten)

    assert result.status == KoladaSync.Status.DONE
    assert not any("N00999" in path for path in recorded.paths)
    for other in others:
        before = other.value
        other.refresh_from_db()
        assert (other.value, other.source) == (before, "")
        assert other.history.count() == 1
    assert KoladaSync.objects.filter(county=gavleborg).count() == 0


def test_a_county_own_indicator_is_read_for_that_county(norrbotten, kolada_server):
    Indicator.objects.create(county=norrbotten, code="BD-1", kolada_id="N00927", name="Norrbottens egen")
    kolada_server.answer(SUICIDE, "n00927_bd.json")

    result = sync(norrbotten)

    assert result.created == 5
    assert {key[0] for key in values_of(norrbotten)} == {"BD-1"}


FAILURES = {
    "a timeout": (
        lambda server: server.answer(f"{POPULATION}?page=2", "n00945_bd_page2.json", delay=1.5),
        "Kolada did not answer within %(seconds)s seconds – no values were changed.",
        {"seconds": "0,5"},
    ),
    "an HTTP error": (
        lambda server: server.answer(f"{POPULATION}?page=3", body=b"Internal Server Error", status=500),
        "Kolada answered with an error (HTTP %(status)s) – no values were changed.",
        {"status": 500},
    ),
    "malformed JSON": (
        lambda server: server.answer(f"{POPULATION}?page=2", "truncated.json"),
        "Kolada's answer could not be read (it is not valid JSON) – no values were changed.",
        {},
    ),
    "a wrong shape": (
        lambda server: server.answer(POPULATION, "wrong_shape.json"),
        "Kolada answered in an unexpected form (%(where)s) – no values were changed.",
        {"where": "values[0].values"},
    ),
    "a list instead of an object": (
        lambda server: server.answer(f"{POPULATION}?page=3", body=b"[]"),
        "Kolada answered in an unexpected form (%(where)s) – no values were changed.",
        {"where": swedish("the whole answer")},
    ),
    "a next page elsewhere": (
        lambda server: server.answer(
            f"{POPULATION}?page=3", body=b'{"values": [], "next_url": "http://example.org/v3/data?page=4"}'
        ),
        "Kolada answered in an unexpected form (%(where)s) – no values were changed.",
        {"where": "next_url"},
    ),
}


@pytest.mark.parametrize("failure", FAILURES, ids=list(FAILURES))
def test_it_writes_nothing_when_kolada_fails(norrbotten, indicators, recorded, failure):
    # A value from before: the failed sync neither changes nor removes it.
    kept = IndicatorValue.objects.create(
        indicator=indicators["suicide"], county=norrbotten, year=2021, gender="T", value=Decimal("3")
    )
    breaks, message, params = FAILURES[failure]
    breaks(recorded)

    result = sync(norrbotten)

    # Suicide (asked first) answered well: the failure of a later answer still writes nothing.
    assert recorded.paths[0] == SUICIDE
    assert result.status == KoladaSync.Status.FAILED
    assert result.message == swedish(message, **params)
    assert (result.created, result.updated, result.unchanged, result.skipped, result.changes) == (
        0,
        0,
        0,
        0,
        [],
    )
    assert result.finished_at is not None
    assert list(IndicatorValue.objects.values_list("pk", "value")) == [(kept.pk, Decimal("3"))]
    assert IndicatorValue.history.count() == 1


def test_it_says_when_kolada_cannot_be_reached(norrbotten, indicators, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{port}"

    result = sync(norrbotten)

    assert result.status == KoladaSync.Status.FAILED
    assert result.message == swedish("Kolada could not be reached – no values were changed.")
    assert not IndicatorValue.objects.exists()


def test_the_default_years_are_the_last_six_up_to_this_one(norrbotten, indicators, kolada_server):
    assert kolada.default_years(dt.date(2026, 3, 1)) == [2021, 2022, 2023, 2024, 2025, 2026]
    this_year = timezone.localdate().year
    years = ",".join(str(year) for year in range(this_year - 5, this_year + 1))

    result = sync(norrbotten, years="")

    assert result.years == years
    assert kolada_server.paths[0] == f"/v3/data/kpi/N00927/municipality/{BD_IDS}/year/{years}"


@pytest.mark.parametrize(
    ("text", "years"),
    [("2020-2022", [2020, 2021, 2022]), ("2023", [2023]), ("2019, 2021–2022", [2019, 2021, 2022])],
)
def test_it_reads_years_and_spans(text, years):
    assert kolada.parse_years(text) == years


@pytest.mark.parametrize("text", ["tjugo", "2024-2020", "1999", "2020-"])
def test_it_refuses_what_is_not_a_year(text):
    with pytest.raises(ValueError, match=text):
        kolada.parse_years(text)


# --- The queue, the nightly schedule and the command --------------------------------------------


def test_the_queued_job_runs_the_sync_once(
    norrbotten, indicators, recorded, django_capture_on_commit_callbacks
):
    user = UserFactory(username="admin-kolada", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        started, is_new = kolada.start_sync(county=norrbotten, user=user, years=[2021, 2022])
    assert is_new and started.status == KoladaSync.Status.QUEUED
    assert [(job["func"], job["args"]) for job in queued_jobs()] == [
        ("indicators.kolada.run_sync", (started.pk,))
    ]

    [task] = run_queued_jobs()

    started.refresh_from_db()
    assert task.result == KoladaSync.Status.DONE
    assert (started.status, started.created) == (KoladaSync.Status.DONE, 18)
    assert set(IndicatorValue.history.values_list("history_user", flat=True)) == {user.pk}
    # A job handed out twice leaves a finished sync as it is.
    assert kolada.run_sync(started.pk) == "nothing to do"
    assert len(recorded.requests) == 4
    assert IndicatorValue.history.count() == 18


def test_a_second_start_while_one_is_queued_queues_nothing(norrbotten, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, first_new = kolada.start_sync(county=norrbotten)
        second, second_new = kolada.start_sync(county=norrbotten)

    assert (first_new, second_new) == (True, False)
    assert second == first
    assert len(queued_jobs()) == 1
    # A sync given up long ago (every retry of its job is over) no longer stands in the way.
    KoladaSync.objects.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        _third, third_new = kolada.start_sync(county=norrbotten)
    assert third_new and len(queued_jobs()) == 2


def test_the_nightly_job_queues_a_sync_for_every_county_with_kolada_indicators(
    norrbotten, django_capture_on_commit_callbacks
):
    gavleborg = County.objects.get(letter_code="X")
    Indicator.objects.create(county=gavleborg, code="X-1", kolada_id="N00999", name="Gävleborgs egen")
    Indicator.objects.create(county=norrbotten, code="BD-2", name="Utan Kolada-id")
    with django_capture_on_commit_callbacks(execute=True):
        assert kolada.sync_all_counties() == 1
        # Again before it ran: nothing more.
        assert kolada.sync_all_counties() == 0
    assert list(KoladaSync.objects.values_list("county__letter_code", "requested_by")) == [("X", None)]

    # A national Kolada indicator concerns every county.
    Indicator.objects.create(code="N00945", kolada_id="N00945", name="Invånare totalt")
    with django_capture_on_commit_callbacks(execute=True):
        assert kolada.sync_all_counties() == 20
    assert KoladaSync.objects.count() == 21


def test_the_nightly_job_is_scheduled_at_half_past_three():
    jobs.setup_schedules(now=timezone.make_aware(dt.datetime(2026, 12, 1, 12, 0)))

    schedule = Schedule.objects.get(name="indicators.kolada")
    assert schedule.func == "indicators.kolada.sync_all_counties"
    assert timezone.localtime(schedule.next_run) == timezone.make_aware(dt.datetime(2026, 12, 2, 3, 30))


def test_the_command_syncs_a_county_and_prints_the_counts(norrbotten, indicators, recorded, capsys):
    call_command("sync_kolada", "--county", "bd", "--years", "2021-2022")

    output = capsys.readouterr().out
    assert "Norrbottens län" in output
    assert "18 new, 0 changed, 0 unchanged, 9 skipped (2021–2022)" in output
    assert IndicatorValue.objects.count() == 18
    assert KoladaSync.objects.get().status == KoladaSync.Status.DONE


def test_the_command_fails_when_kolada_fails(norrbotten, indicators, recorded, capsys):
    recorded.answer(SUICIDE, body=b"{", status=200)

    with pytest.raises(CommandError, match="Norrbottens län"):
        call_command("sync_kolada", "--county", "BD", "--years", "2021-2022")

    message = swedish("Kolada's answer could not be read (it is not valid JSON) – no values were changed.")
    assert message in capsys.readouterr().out
    assert not IndicatorValue.objects.exists()
    assert KoladaSync.objects.get().status == KoladaSync.Status.FAILED


@pytest.mark.parametrize(
    ("args", "error"), [(["--county", "ZZ"], "ZZ"), (["--county", "BD", "--years", "sedan"], "sedan")]
)
def test_the_command_refuses_unknown_counties_and_years(norrbotten, args, error):
    with pytest.raises(CommandError, match=error):
        call_command("sync_kolada", *args)
    assert not KoladaSync.objects.exists()


def test_the_command_syncs_every_county_with_all(norrbotten, kolada_server, capsys):
    Indicator.objects.create(county=norrbotten, code="BD-1", kolada_id="N00927", name="Norrbottens egen")
    kolada_server.answer(SUICIDE, "n00927_bd.json")

    call_command("sync_kolada", "--all", "--years", "2021,2022")

    assert capsys.readouterr().out.count("\n") == 1
    assert IndicatorValue.objects.count() == 5


def test_it_skips_a_value_too_large_to_keep(norrbotten, kolada_server):
    Indicator.objects.create(code="N00927", kolada_id="N00927", name="Självmord")
    entries = [{"gender": "T", "value": 1e13}, {"gender": "K", "value": 0.00004}, {"gender": "M", "value": 7}]
    answer = {"values": [{"kpi": "n00927", "municipality": "2580", "period": "2022", "values": entries}]}
    kolada_server.answer(SUICIDE, body=json.dumps(answer).encode())

    result = sync(norrbotten)

    assert (result.status, result.created, result.skipped) == (KoladaSync.Status.DONE, 2, 1)
    assert values_of(norrbotten) == {
        ("N00927", "Luleå", 2022, "K"): (Decimal("0.0000"), ValueSource.KOLADA),
        ("N00927", "Luleå", 2022, "M"): (Decimal("7"), ValueSource.KOLADA),
    }
