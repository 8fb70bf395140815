"""Import and export workflows: preview a file, commit it whole or not at all, export what a user sees.

Every committed or failed import leaves an ImportRecord, and every object an
import writes gets history with the reason "Import: <file name>".
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.resources import ActivityMatrixImporter, activity_export
from indicators.models import Indicator, IndicatorValue
from indicators.resources import IndicatorValueImporter, indicator_value_export
from planportal.lib import filecache
from planportal.lib.history import history_context
from planportal.lib.locking import lock_rows
from planportal.lib.spreadsheets import SpreadsheetError, read_sheet, write_csv, write_xlsx
from plans.imports.base import NEW, Preview, SheetImporter, cleaned_cells_note
from plans.models import County, Goal, ImportRecord, Municipality, Plan, PriorityArea, SubRegion
from plans.resources import GoalImporter, goal_export

logger = logging.getLogger(__name__)

PLAN_KINDS = {
    ImportRecord.Kind.ACTIVITIES: ActivityMatrixImporter,
    ImportRecord.Kind.GOALS: GoalImporter,
}
EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ImportRefused(Exception):
    """The file was not imported; nothing changed. ``message`` is for the user."""

    def __init__(self, preview: Preview, message: str) -> None:
        super().__init__(message)
        self.preview = preview
        self.message = message


class ImportOutdated(Exception):
    """The data changed between preview and confirmation: the user must look at the new preview."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("preview outdated")
        self.preview = preview


def plan_importer(*, kind: str, plan: Plan) -> SheetImporter:
    return PLAN_KINDS[kind](plan=plan)


def county_importer(*, county: County) -> SheetImporter:
    return IndicatorValueImporter(county=county)


def preview_import(*, importer: SheetImporter, data: bytes, file_name: str) -> Preview:
    """Read the file and classify every row; writes nothing."""
    preview = Preview(kind=importer.kind, file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        sheet = read_sheet(data, file_name, importer.columns, max_rows=importer.max_rows)
    except SpreadsheetError as error:
        preview.error = str(error)
        return preview
    preview.rows = importer.classify(sheet)
    if not preview.rows:
        preview.error = _("The file has a header row (row %(row)s) but no rows below it.") % {
            "row": sheet.header_row
        }
        return preview
    preview.notes.append(_("The header row is row %(row)s of the file.") % {"row": sheet.header_row})
    if sheet.ignored_headers:
        preview.notes.append(
            _("These columns are not part of the format and were not read: %(columns)s.")
            % {"columns": ", ".join(f"”{header}”" for header in sheet.ignored_headers)}
        )
    preview.notes.extend(cleaned_cells_note(sheet))
    preview.notes.extend(importer.notes())
    return preview


@dataclass
class Committed:
    record: ImportRecord
    preview: Preview


def commit_import(
    *,
    importer: SheetImporter,
    data: bytes,
    file_name: str,
    user,
    plan: Plan | None = None,
    county: County | None = None,
    expected_digest: str = "",
) -> Committed:
    """Import the whole file in one transaction, or nothing (raising ImportRefused or ImportOutdated)."""
    classified_from = _rows_it_may_write(importer, lock=False)
    preview = preview_import(importer=importer, data=data, file_name=file_name)
    if not preview.can_commit:
        record_import(
            preview=preview, user=user, plan=plan, county=county, outcome=ImportRecord.Outcome.FAILED
        )
        raise ImportRefused(preview, preview.error or _("The file has errors; nothing was imported."))
    if expected_digest and preview.digest != expected_digest:
        raise ImportOutdated(preview)
    reason = f"Import: {file_name}"
    try:
        with transaction.atomic(), history_context(user=user, reason=reason):
            if _rows_it_may_write(importer, lock=True) != classified_from:
                # Someone saved in the plan since the rows were classified; writing them would undo it.
                if hasattr(importer, "fresh"):  # an importer with more than a plan to it (a round)
                    fresh = importer.fresh()
                elif plan:
                    fresh = plan_importer(kind=importer.kind, plan=plan)
                else:
                    fresh = county_importer(county=county)
                raise ImportOutdated(preview_import(importer=fresh, data=data, file_name=file_name))
            importer.write(user=user, reason=reason)
    except (DatabaseError, ValidationError) as error:
        logger.warning("Import of %s failed and was rolled back: %s", file_name, error)
        record_import(
            preview=preview, user=user, plan=plan, county=county, outcome=ImportRecord.Outcome.FAILED
        )
        raise ImportRefused(
            preview,
            _("The import could not be saved, so nothing was changed: %(error)s")
            % {"error": _describe(error)},
        )
    record = record_import(
        preview=preview, user=user, plan=plan, county=county, outcome=ImportRecord.Outcome.COMMITTED
    )
    return Committed(record=record, preview=preview)


def _rows_it_may_write(importer: SheetImporter, *, lock: bool) -> list:
    """The ids and versions of the rows an import may overwrite; with ``lock``, held until the
    transaction ends, so that an edit posted during the write waits and then sees a new version.
    """
    plan = getattr(importer, "plan", None)
    if plan is None:
        querysets = [County.objects.filter(pk=importer.county.pk).values_list("pk")]
    else:
        querysets = [
            Plan.objects.filter(pk=plan.pk).values_list("pk", "updated_at"),
            *(
                model.objects.filter(plan=plan).order_by("pk").values_list("pk", "updated_at")
                for model in (PriorityArea, Goal, Activity)
            ),
            # What else the importer writes, such as a round's follow-ups.
            *(importer.locked_querysets() if hasattr(importer, "locked_querysets") else []),
        ]
    return [list(lock_rows(queryset) if lock else queryset) for queryset in querysets]


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("the database refused a row.")


def record_import(
    *, preview: Preview, user, plan: Plan | None, county: County | None, outcome: str
) -> ImportRecord:
    totals = preview.totals
    committed = outcome == ImportRecord.Outcome.COMMITTED
    return ImportRecord.objects.create(
        kind=preview.kind,
        file_name=preview.file_name[:255],
        file_sha256=preview.sha256,
        user=user if user.is_authenticated else None,
        county=county or (plan.county if plan else None),
        plan=plan,
        outcome=outcome,
        rows_new=totals[NEW] if committed else 0,
        rows_changed=totals["changed"] if committed else 0,
        rows_unchanged=totals["unchanged"],
        rows_error=totals["error"] + (1 if preview.error else 0),
    )


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    file_name: str


def export_plan(*, plan: Plan, kind: str, fmt: str) -> Export:
    """A plan's activity matrix ('aktiviteter') or goals ('mal') as xlsx or csv."""
    if kind == "aktiviteter":
        headers, rows = activity_export(plan)
        title = _("Activity matrix – %(plan)s") % {"plan": plan.title}
    else:
        headers, rows = goal_export(plan)
        title = _("Goals – %(plan)s") % {"plan": plan.title}
    name = f"{kind}-{plan.county.letter_code}-plan{plan.pk}"
    return _export(headers=headers, rows=rows, title=title, fmt=fmt, name=name)


# Bump when the value export changes shape, so that no file of the old shape is served.
VALUES_EXPORT_FORMAT = 1


def export_county_values(*, county: County, fmt: str) -> Export:
    """The indicator values of a county, its municipalities and its sub-regions.

    A county's ten years are tens of thousands of rows, and writing them as xlsx takes
    seconds; values change seldom, in batches (imports, syncs). So the file is written once
    per change and kept (``planportal.lib.filecache``): later downloads are served as kept.
    """
    name = f"indikatorvarden-{county.letter_code}"
    digest = county_values_fingerprint(county, fmt)
    content = filecache.read("exports", name, digest, f".{fmt}")
    if content is not None:
        return Export(
            content=content, content_type=EXPORT_FORMATS[fmt], file_name=get_valid_filename(f"{name}.{fmt}")
        )
    headers, rows = indicator_value_export(county)
    title = _("Indicator values – %(county)s") % {"county": county.name}
    export = _export(headers=headers, rows=rows, title=title, fmt=fmt, name=name)
    filecache.store("exports", name, digest, f".{fmt}", export.content)
    return export


def county_values_fingerprint(county: County, fmt: str) -> str:
    """A digest that changes whenever the county's value export would.

    Every write of a value, an indicator or an area name leaves a history row, so the newest
    history ids catch edits; the number of values catches deletions that bypass history
    (a queryset's delete). A few indexed aggregates, whatever the number of values.
    """
    parts: list[object] = [VALUES_EXPORT_FORMAT, county.pk, county.name, fmt, get_language()]
    for model in (IndicatorValue, Indicator, Municipality, SubRegion):
        parts.append(model.history.aggregate(Max("history_id"))["history_id__max"])
    parts.append(IndicatorValue.objects.count())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _export(*, headers: list[str], rows: list[list], title: str, fmt: str, name: str) -> Export:
    file_name = get_valid_filename(f"{name}.{fmt}")
    if fmt == "csv":
        content = write_csv(headers=headers, rows=rows)
    else:
        widths = [min(60, max(10, len(header) + 4)) for header in headers]
        for index in range(len(headers)):
            longest = max((len(str(row[index])) for row in rows[:200] if row[index] is not None), default=0)
            widths[index] = min(60, max(widths[index], longest // 3))
        content = write_xlsx(headers=headers, rows=rows, title=title, sheet_title=name[:31], widths=widths)
    return Export(content=content, content_type=EXPORT_FORMATS[fmt], file_name=file_name)
