"""10,000 indicator values: our bulk import against django-import-export's row-by-row import.

Both read the same Swedish CSV (kpi;kommun;år;kön;värde, decimal commas) for
Västra Götaland's 49 municipalities, and both write history for every value.
Each side does what its page does: a preview (our classification; the admin's
dry run) and then the import itself.
"""

import time

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries

from indicators.models import Indicator, IndicatorValue
from indicators.resources import IndicatorValueResource
from planportal.lib.spreadsheets import write_csv
from plans.imports import services
from plans.imports.integration import SwedishCSV
from plans.models import County, Municipality
from plans.national import load_national_data

TITLE = "Import of 10,000 indicator values"
ROWS = 10_000
FILE_NAME = "kolada-vastra-gotaland.csv"


def _file(county: County) -> bytes:
    indicators = [
        Indicator.objects.get_or_create(code=f"N{number:05d}", defaults={"name": f"Indikator {number}"})[0]
        for number in range(7)
    ]
    municipalities = list(Municipality.objects.filter(county=county).order_by("code"))
    rows = []
    for indicator in indicators:
        for municipality in municipalities:
            for year in range(2014, 2024):
                for gender in "TKM":
                    value = f"{(len(rows) * 37 % 9973) / 100:.2f}".replace(".", ",")
                    rows.append([indicator.code, municipality.code, year, gender, value])
    return write_csv(headers=["kpi", "kommun", "år", "kön", "värde"], rows=rows[:ROWS])


def _reset() -> None:
    IndicatorValue.objects.all().delete()
    IndicatorValue.history.all().delete()


def _timed(function):
    reset_queries()
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _ours(county, data, user) -> dict:
    importer = services.county_importer(county=county)
    preview, preview_seconds = _timed(
        lambda: services.preview_import(importer=importer, data=data, file_name=FILE_NAME)
    )
    assert preview.totals["new"] == ROWS, preview.totals
    committed, commit_seconds = _timed(
        lambda: services.commit_import(
            importer=services.county_importer(county=county),
            data=data,
            file_name=FILE_NAME,
            user=user,
            county=county,
            expected_digest=preview.digest,
        )
    )
    assert committed.record.rows_new == ROWS
    again, again_seconds = _timed(
        lambda: services.commit_import(
            importer=services.county_importer(county=county),
            data=data,
            file_name=FILE_NAME,
            user=user,
            county=county,
        )
    )
    assert again.preview.totals["unchanged"] == ROWS
    return {
        "preview": preview_seconds,
        "import": commit_seconds,
        "again": again_seconds,
        "history": IndicatorValue.history.filter(history_change_reason=f"Import: {FILE_NAME}").count(),
        "values": IndicatorValue.objects.count(),
    }


def _row_by_row(data, user) -> dict:
    def run(dry_run: bool):
        dataset = SwedishCSV().create_dataset(data)
        return IndicatorValueResource().import_data(
            dataset, dry_run=dry_run, use_transactions=True, file_name=FILE_NAME, user=user
        )

    dry, preview_seconds = _timed(lambda: run(True))
    assert not dry.has_errors() and dry.totals["new"] == ROWS, dry.totals
    result, import_seconds = _timed(lambda: run(False))
    assert not result.has_errors() and result.totals["new"] == ROWS, result.totals
    again, again_seconds = _timed(lambda: run(False))
    assert again.totals["skip"] == ROWS, again.totals
    return {
        "preview": preview_seconds,
        "import": import_seconds,
        "again": again_seconds,
        "history": IndicatorValue.history.filter(history_change_reason=f"Import: {FILE_NAME}").count(),
        "values": IndicatorValue.objects.count(),
    }


def run() -> str:
    load_national_data()
    county = County.objects.get(letter_code="O")
    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True})
    data = _file(county)
    _reset()
    ours = _ours(county, data, user)
    _reset()
    theirs = _row_by_row(data, user)
    _reset()
    for figures in (ours, theirs):
        assert figures["history"] == ROWS and figures["values"] == ROWS, figures

    def seconds(value: float) -> str:
        return f"{value:.2f} s"

    lines = [
        f"{ROWS:,} rows of `kpi;kommun;år;kön;värde` ({len(data) / 1024:.0f} kB, Swedish CSV) for the",
        f"municipalities of Västra Götaland, on {connection.vendor}. Both sides write {ROWS:,} historical",
        'records with the reason "Import: <file>" and read the file with the same reader.',
        "",
        "| step | Planportal (bulk, `plans/imports`) | django-import-export (row by row) | faster |",
        "|---|---:|---:|---:|",
    ]
    for label, key in (
        ("preview (classify / dry run)", "preview"),
        ("import (confirm)", "import"),
        ("the same file again (nothing changes)", "again"),
    ):
        lines.append(
            f"| {label} | {seconds(ours[key])} | {seconds(theirs[key])} | {theirs[key] / ours[key]:.1f}× |"
        )
    total_ours = ours["preview"] + ours["import"]
    total_theirs = theirs["preview"] + theirs["import"]
    lines.append(
        f"| **upload → preview → confirm** | **{seconds(total_ours)}** | **{seconds(total_theirs)}** "
        f"| **{total_theirs / total_ours:.1f}×** |"
    )
    lines += [
        "",
        "Our confirm step reads and classifies the file again before writing (so the preview's",
        "promise is checked against the data as it is then); the writes are",
        "`bulk_create_with_history` / `bulk_update_with_history` in batches of 1,000.",
        "django-import-export's path is `IndicatorValueResource` (`indicators/resources.py`), a",
        "`ModelResource` with the default instance loader: one lookup and one `save()` per row,",
        "history from simple-history's signals.",
    ]
    return "\n".join(lines) + "\n"
