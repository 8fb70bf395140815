"""Indicator values from Kolada's open API (v3): the client, the sync of a county, and its jobs.

A sync reads EVERYTHING first: every indicator visible to the county that has a Kolada KPI id,
for the county's municipalities and the county as a region (Kolada's ``00LL``), for a span of
years. Only when every answer has arrived and made sense does it write, in one transaction and
through the spreadsheet import's bulk path, with the history reason "Kolada-synk". A timeout,
an HTTP error, an unreadable or oddly shaped answer writes nothing and says so in Swedish.

Kolada's data is published under CC BY 4.0: the pages that show it name the source.
"""

import datetime as dt
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.models import Gender, Indicator, IndicatorValue, KoladaSync, ValueSource
from indicators.resources import AREA_FIELD, FOUR_PLACES, county_area_code, existing_values, write_values
from planportal import jobs
from planportal.lib.history import history_context
from planportal.lib.locking import lock_rows
from planportal.lib.swedish import format_number, swedish_sort_key
from plans.models import County, Municipality

logger = logging.getLogger(__name__)

REASON = "Kolada-synk"
USER_AGENT = "Planportal (handlingsplaner för psykisk hälsa; Kolada-synk)"
# Kolada answers at most this many municipalities per request.
IDS_PER_REQUEST = 25
COUNTRY_CODE = "0000"
YEARS_BY_DEFAULT = 6
# The record keeps this many changes for people to read; the counts keep the total.
CHANGES_KEPT = 500
# An answer larger than this is no answer of ours (a year of a KPI for 25 areas is a few kB).
MAX_ANSWER_BYTES = 20 * 1024 * 1024
MAX_PAGES = 1000
GENDERS = {choice.value for choice in Gender}
_VALUE_FIELD = IndicatorValue._meta.get_field("value")
ACTIVE = (KoladaSync.Status.QUEUED, KoladaSync.Status.RUNNING)
FINISHED = (KoladaSync.Status.DONE, KoladaSync.Status.FAILED)


class KoladaError(Exception):
    """Kolada could not be read; the message says so in the reader's language and ends the sync."""


@dataclass(frozen=True)
class Reading:
    """One value as Kolada gave it: KPI, area code (``2580``, ``0025``), year, gender; None = no value."""

    kpi: str
    area: str
    year: int
    gender: str
    value: Decimal | None


# --- The client -------------------------------------------------------------------------------


class KoladaClient:
    def __init__(self, *, base_url: str | None = None, timeout: float | None = None) -> None:
        self.base_url = (base_url or settings.KOLADA_BASE_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.KOLADA_TIMEOUT
        origin = urllib.parse.urlsplit(self.base_url)
        self.origin = (origin.scheme, origin.netloc)

    def values(self, kpi: str, area_codes: Iterable[str], years: Iterable[int]) -> list[Reading]:
        """Every value of ``kpi`` for these areas and years: 25 areas a request, every page of each."""
        codes = sorted(set(area_codes))
        year_list = ",".join(str(year) for year in sorted(set(years)))
        readings = []
        for start in range(0, len(codes), IDS_PER_REQUEST):
            ids = ",".join(codes[start : start + IDS_PER_REQUEST])
            path = "/v3/data/kpi/{}/municipality/{}/year/{}".format(
                *(urllib.parse.quote(part, safe=",") for part in (kpi, ids, year_list))
            )
            for payload, url in self._pages(self.base_url + path):
                readings.extend(_readings(payload, kpi=kpi, url=url))
        return readings

    def _pages(self, url: str) -> Iterator[tuple[dict, str]]:
        seen = set()
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise _shape_error(url, "next_url")
            seen.add(url)
            payload = self._get_json(url)
            yield payload, url
            next_url = payload.get("next_url")
            if next_url in (None, ""):
                return
            if not isinstance(next_url, str):
                raise _shape_error(url, "next_url")
            next_url = urllib.parse.urljoin(url, next_url)
            # Only pages of the same server: an answer does not send us elsewhere.
            parts = urllib.parse.urlsplit(next_url)
            if (parts.scheme, parts.netloc) != self.origin:
                raise _shape_error(url, "next_url")
            url = next_url

    def _get_json(self, url: str) -> dict:
        request = urllib.request.Request(
            url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            logger.warning("Kolada answered HTTP %s to %s", error.code, url)
            raise KoladaError(
                _("Kolada answered with an error (HTTP %(status)s) – no values were changed.")
                % {"status": error.code}
            ) from error
        except TimeoutError as error:
            raise self._timeout(url) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._timeout(url) from error
            logger.warning("Kolada could not be reached at %s: %s", url, error.reason)
            raise KoladaError(_("Kolada could not be reached – no values were changed.")) from error
        except (http.client.HTTPException, OSError) as error:
            logger.warning("Kolada's answer from %s broke off: %s", url, error)
            raise KoladaError(_("Kolada's answer broke off – no values were changed.")) from error
        if len(body) > MAX_ANSWER_BYTES:
            raise KoladaError(_("Kolada's answer was too large to read – no values were changed."))
        try:
            payload = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError) as error:
            logger.warning("Kolada's answer from %s is not JSON: %s", url, error)
            raise KoladaError(
                _("Kolada's answer could not be read (it is not valid JSON) – no values were changed.")
            ) from error
        if not isinstance(payload, dict):
            raise _shape_error(url, "")
        return payload

    def _timeout(self, url: str) -> KoladaError:
        logger.warning("Kolada did not answer %s within %s s", url, self.timeout)
        seconds = Decimal(str(self.timeout))
        decimals = 0 if seconds == seconds.to_integral() else 1
        return KoladaError(
            _("Kolada did not answer within %(seconds)s seconds – no values were changed.")
            % {"seconds": format_number(seconds, decimals)}
        )


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _shape_error(url: str, where: str) -> KoladaError:
    logger.warning("Kolada's answer from %s has an unexpected shape at %r", url, where)
    return KoladaError(
        _("Kolada answered in an unexpected form (%(where)s) – no values were changed.")
        % {"where": where or _("the whole answer")}
    )


def _readings(payload: dict, *, kpi: str, url: str) -> list[Reading]:
    """The values of one page; any deviation from the documented shape is an error."""
    items = payload.get("values")
    if not isinstance(items, list):
        raise _shape_error(url, "values")
    readings = []
    for number, item in enumerate(items):
        where = f"values[{number}]"
        if not isinstance(item, dict):
            raise _shape_error(url, where)
        item_kpi, area, period, entries = (
            item.get(key) for key in ("kpi", "municipality", "period", "values")
        )
        if not isinstance(item_kpi, str) or item_kpi.strip().upper() != kpi.upper():
            raise _shape_error(url, f"{where}.kpi")
        if not isinstance(area, str) or not area.strip():
            raise _shape_error(url, f"{where}.municipality")
        if isinstance(period, str) and period.strip().isdigit():
            period = int(period)
        if not isinstance(period, int) or isinstance(period, bool):
            raise _shape_error(url, f"{where}.period")
        if not isinstance(entries, list):
            raise _shape_error(url, f"{where}.values")
        for place, entry in enumerate(entries):
            entry_where = f"{where}.values[{place}]"
            if not isinstance(entry, dict) or entry.get("gender") not in GENDERS:
                raise _shape_error(url, f"{entry_where}.gender")
            value = entry.get("value")
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
                raise _shape_error(url, f"{entry_where}.value")
            readings.append(
                Reading(
                    kpi=kpi,
                    area=area.strip(),
                    year=period,
                    gender=entry["gender"],
                    value=None if value is None else Decimal(str(value)),
                )
            )
    return readings


# --- Years ----------------------------------------------------------------------------------------


def default_years(today: dt.date | None = None) -> list[int]:
    """The last six years up to this one: Kolada publishes a year's values during the next."""
    year = (today or timezone.localdate()).year
    return list(range(year - YEARS_BY_DEFAULT + 1, year + 1))


def parse_years(text: str) -> list[int]:
    """``2020-2024``, ``2020,2022`` or ``2023``; ValueError (with a Swedish message) otherwise."""
    years: set[int] = set()
    for part in text.replace("–", "-").split(","):
        first, dash, last = part.strip().partition("-")
        try:
            start, end = int(first), int(last if dash else first)
        except ValueError:
            start = end = 0
        if not 2000 <= start <= end <= 2100:
            message = _("“%(text)s” is not a year or a span of years such as 2020-2024.")
            raise ValueError(message % {"text": text})
        years.update(range(start, end + 1))
    return sorted(years)


def years_text(years: Iterable[int]) -> str:
    return ",".join(str(year) for year in sorted(years))


def describe_years(text: str) -> str:
    """``2021,2022,2023`` → ``2021–2023``; a gap keeps the list."""
    try:
        years = [int(part) for part in text.split(",") if part]
    except ValueError:
        return text
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)


# --- The sync -------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    to_create: list[dict] = field(default_factory=list)
    to_update: list[dict] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    unknown_areas: set[str] = field(default_factory=set)
    changes: list[dict] = field(default_factory=list)


def kolada_indicators(county: County) -> list[Indicator]:
    return [
        indicator
        for indicator in Indicator.objects.for_county(county.pk).exclude(kolada_id="").order_by("code", "pk")
        if indicator.kolada_id.strip()
    ]


def sync_county(sync: KoladaSync, *, client: KoladaClient | None = None) -> KoladaSync:
    """Run ``sync`` (queued or interrupted): read everything from Kolada, then write it all or nothing."""
    county = sync.county
    years = [int(year) for year in sync.years.split(",") if year] if sync.years else default_years()
    sync.years = years_text(years)
    sync.status, sync.started_at = KoladaSync.Status.RUNNING, timezone.now()
    KoladaSync.objects.filter(pk=sync.pk).update(
        status=sync.status, started_at=sync.started_at, years=sync.years
    )
    indicators = kolada_indicators(county)
    region = county_area_code(county)
    areas = {
        code: ("municipality", pk, name)
        for code, pk, name in Municipality.objects.filter(county=county).values_list("code", "pk", "name")
    }
    areas[region] = ("county", county.pk, county.name)
    by_kpi: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_kpi.setdefault(indicator.kolada_id.strip().upper(), []).append(indicator)

    client = client or KoladaClient()
    readings: list[Reading] = []
    try:
        for kpi in by_kpi:
            readings.extend(client.values(kpi, areas, years))
    except KoladaError as error:
        return _finish(sync, status=KoladaSync.Status.FAILED, message=str(error))

    try:
        with transaction.atomic(), history_context(user=sync.requested_by, reason=REASON):
            # The county import holds the same row: a sync and an import of the county take turns.
            list(lock_rows(County.objects.filter(pk=county.pk)))
            current = lock_rows(KoladaSync.objects.filter(pk=sync.pk)).values_list("status", flat=True)
            if current.first() in FINISHED:
                # The same job ran twice at once, and the other run has finished it.
                sync.refresh_from_db()
                return sync
            outcome = _classify(
                readings, by_kpi, areas, existing_values(county, {indicator.pk for indicator in indicators})
            )
            write_values(
                to_create=outcome.to_create,
                to_update=outcome.to_update,
                user=sync.requested_by,
                reason=REASON,
                source=ValueSource.KOLADA,
            )
            sync.created, sync.updated = len(outcome.to_create), len(outcome.to_update)
            sync.unchanged, sync.skipped = outcome.unchanged, outcome.skipped
            sync.changes = sorted(
                outcome.changes,
                key=lambda c: (c["indicator"], swedish_sort_key(c["area"]), c["year"], c["gender"]),
            )[:CHANGES_KEPT]
            return _finish(sync, status=KoladaSync.Status.DONE, message=_done_message(indicators, outcome))
    except DatabaseError:
        logger.exception("Kolada sync %s could not be saved", sync.pk)
        return _finish(
            sync,
            status=KoladaSync.Status.FAILED,
            message=_("Kolada's values could not be saved – no values were changed."),
        )


def _classify(readings, by_kpi, areas, existing) -> _Outcome:
    outcome = _Outcome()
    latest: dict[tuple, Reading] = {}
    for reading in readings:
        if reading.area == COUNTRY_CODE:
            continue
        if reading.area not in areas:
            # Another county's region or municipality, or a code we do not know: never written.
            outcome.unknown_areas.add(reading.area)
            outcome.skipped += len(by_kpi[reading.kpi])
            continue
        # A value given twice (on two pages) counts once: the later one.
        latest[(reading.kpi, reading.area, reading.year, reading.gender)] = reading
    for (kpi, code, year, gender), reading in latest.items():
        value = _value(reading.value)
        if value is None or not 2000 <= year <= 2100:
            outcome.skipped += len(by_kpi[kpi])
            continue
        kind, area_id, area_name = areas[code]
        for indicator in by_kpi[kpi]:
            key = (indicator.pk, kind, area_id, year, gender)
            found = existing.get(key)
            if found and found[1] == value:
                outcome.unchanged += 1
                continue
            row_values = {"indicator_id": indicator.pk, "year": year, "gender": gender, "value": value}
            row_values[AREA_FIELD[kind]] = area_id
            if found:
                outcome.to_update.append({"pk": found[0], **row_values})
            else:
                outcome.to_create.append(row_values)
            outcome.changes.append(
                {
                    "indicator": str(indicator),
                    "area": area_name,
                    "year": year,
                    "gender": gender,
                    "old": _plain(found[1]) if found else None,
                    "new": _plain(value),
                }
            )
    return outcome


def _value(raw: Decimal | None) -> Decimal | None:
    """Kolada's number as the database keeps it (four decimals), or None when it has none or cannot fit."""
    if raw is None:
        return None
    try:
        value = raw.quantize(FOUR_PLACES)
        _VALUE_FIELD.clean(value, None)
    except (InvalidOperation, ValidationError) as error:
        logger.warning("Kolada value %s skipped: %s", raw, error)
        return None
    return value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _done_message(indicators: list[Indicator], outcome: _Outcome) -> str:
    if not indicators:
        return _("The county has no indicators with a Kolada KPI id: there was nothing to read.")
    count = len(indicators)
    parts = [
        ngettext("%(count)s indicator read from Kolada.", "%(count)s indicators read from Kolada.", count)
        % {"count": count}
    ]
    if outcome.unknown_areas:
        codes = ", ".join(sorted(outcome.unknown_areas))
        parts.append(_("Values for unknown area codes were skipped: %(codes)s.") % {"codes": codes})
    return " ".join(parts)


def _finish(sync: KoladaSync, *, status: str, message: str) -> KoladaSync:
    sync.status, sync.message, sync.finished_at = status, message, timezone.now()
    if status == KoladaSync.Status.FAILED:
        # Nothing was written: no counts, no changes.
        sync.created = sync.updated = sync.unchanged = sync.skipped = 0
        sync.changes = []
    sync.save()
    return sync


# --- Queue, jobs and the nightly run ---------------------------------------------------------------


def _given_up_before() -> dt.datetime:
    """A sync queued before this is no longer waited for: every retry of its job is over."""
    cluster = settings.Q_CLUSTER
    return timezone.now() - dt.timedelta(seconds=cluster["retry"] * cluster["max_attempts"])


def is_active(sync: KoladaSync) -> bool:
    """Queued or running, and not given up."""
    return sync.status in ACTIVE and sync.requested_at >= _given_up_before()


def active_sync(county: County) -> KoladaSync | None:
    """The county's sync that is queued or running, unless it was given up."""
    return (
        KoladaSync.objects.filter(county=county, status__in=ACTIVE, requested_at__gte=_given_up_before())
        .order_by("-requested_at", "-pk")
        .first()
    )


def start_sync(*, county: County, user=None, years: list[int] | None = None) -> tuple[KoladaSync, bool]:
    """Queue a sync of ``county`` (after the commit); a sync already queued or running is returned
    instead, with False."""
    with transaction.atomic():
        # Two clicks at once: the second waits here, then finds the first one's sync.
        list(lock_rows(County.objects.filter(pk=county.pk)))
        active = active_sync(county)
        if active is not None:
            return active, False
        sync = KoladaSync.objects.create(
            county=county, requested_by=user, years=years_text(years) if years else ""
        )
        jobs.enqueue_on_commit("indicators.kolada.run_sync", sync.pk)
    return sync, True


def run_sync(sync_id: int) -> str:
    """The job: run a queued sync. Safe to repeat: a finished sync is left as it is."""
    sync = KoladaSync.objects.select_related("county", "requested_by").filter(pk=sync_id).first()
    if sync is None or sync.status in FINISHED:
        return "nothing to do"
    return execute(sync).status


def execute(sync: KoladaSync) -> KoladaSync:
    """Run ``sync`` here and now (the job's and the command's way); an unexpected error marks it failed."""
    # The record's message is read later by people: in the site's language, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return sync_county(sync)
        except Exception:
            logger.exception("Kolada sync %s failed", sync.pk)
            _finish(
                sync,
                status=KoladaSync.Status.FAILED,
                message=_("The Kolada sync stopped on an unexpected error – no values were changed."),
            )
            raise


def counties_with_kolada_indicators() -> list[County]:
    """Every county when the national catalogue has Kolada indicators, else those with their own."""
    with_id = Indicator.objects.exclude(kolada_id="")
    counties = County.objects.order_by("code")
    if with_id.filter(county__isnull=True).exists():
        return list(counties)
    return list(counties.filter(pk__in=with_id.values("county_id")))


def sync_all_counties() -> int:
    """Nightly (``planportal.jobs.SCHEDULES``): queue a sync of every county with Kolada indicators;
    returns how many were queued (a county whose sync is still queued or running gets none)."""
    queued = 0
    for county in counties_with_kolada_indicators():
        _sync, started = start_sync(county=county)
        queued += started
    return queued
