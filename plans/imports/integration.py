"""Glue to django-import-export for the Django admin.

The admin's import reads files through our spreadsheet reader (Swedish CSV,
refusal of macros and renamed files), writes history with the reason
"Import: <file name>" and leaves an ImportRecord, like the plan pages do.
"""

from typing import ClassVar

import tablib
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from planportal.lib.history import history_context
from planportal.lib.spreadsheets import SpreadsheetError, read_table, write_csv, write_xlsx
from planportal.lib.swedish import parse_number
from plans.models import ImportRecord

# django-import-export imports row by row; larger files belong on the plan and county import pages.
ADMIN_MAX_ROWS = 1_000


class SwedishDecimalWidget(widgets.Widget):
    """Amounts and values as Swedish spreadsheets write them ("1 234,5", "450 000 kr")."""

    def clean(self, value, row=None, **kwargs):
        return parse_number(value)

    def render(self, value, obj=None, **kwargs):
        return value


class SwedishCSV(base_formats.CSV):
    """CSV as Swedish Excel writes and reads it: ; or , separated, cp1252 or UTF-8 (with BOM)."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def is_binary(self) -> bool:
        # The admin then hands us bytes, and we decide the encoding.
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        headers, rows = read_table(data, "import.csv", max_rows=ADMIN_MAX_ROWS)
        return tablib.Dataset(*rows, headers=headers)

    def export_data(self, dataset, **kwargs) -> bytes:
        return write_csv(headers=dataset.headers or [], rows=dataset)


class CheckedXLSX(base_formats.XLSX):
    """xlsx, read through our reader: a title row may stand above the header row; macros are refused."""

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        headers, rows = read_table(bytes(in_stream), "import.xlsx", max_rows=ADMIN_MAX_ROWS)
        return tablib.Dataset(*rows, headers=headers)

    def export_data(self, dataset, **kwargs) -> bytes:
        return write_xlsx(headers=dataset.headers or [], rows=dataset)


SPREADSHEET_FORMATS = [CheckedXLSX, SwedishCSV]


class RecordedImportResource(resources.ModelResource):
    """A ModelResource whose imports write history "Import: <file>" and an ImportRecord."""

    record_kind: ClassVar[str]

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        file_name = kwargs.get("file_name") or "admin"
        user = kwargs.get("user")
        with history_context(user=user, reason=f"Import: {file_name}"):
            result = super().import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=use_transactions,
                **kwargs,
            )
        if not dry_run:
            failed = result.has_errors() or result.has_validation_errors()
            totals = result.totals
            ImportRecord.objects.create(
                kind=self.record_kind,
                file_name=file_name[:255],
                user=user if getattr(user, "is_authenticated", False) else None,
                outcome=ImportRecord.Outcome.FAILED if failed else ImportRecord.Outcome.COMMITTED,
                rows_new=0 if failed else totals["new"],
                rows_changed=0 if failed else totals["update"],
                rows_unchanged=totals["skip"],
                rows_error=totals["error"] + totals["invalid"],
            )
        return result


class SpreadsheetImportExportMixin(ImportExportMixin):
    """Import and export buttons in the admin, with our formats and readable messages."""

    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
