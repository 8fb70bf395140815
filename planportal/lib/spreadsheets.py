"""Read and write the spreadsheets that plans live in: .xlsx and the .csv of Swedish Excel.

Reading is forgiving about what real files look like — semicolons or commas,
cp1252 or UTF-8 with a BOM, a title row or two above the header row, headers
in Swedish or English in any case and order, merged cells, empty trailing
rows and columns — and strict about what is not a spreadsheet: the file type
is decided by content, not by name, and macros are refused. Every refusal is a
``SpreadsheetError`` whose message is meant for the user.

Writing escapes text that a spreadsheet would run as a formula.
"""

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from planportal.lib.swedish import format_number
from planportal.lib.textdiff import CONTROL_CHARACTERS, strip_control_characters

MAX_FILE_BYTES = 10 * 1024 * 1024
# A zip packs XML tightly; more than this unpacked is not a plan but a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Rows below the header row that one request reads; the importers set lower limits of their own
# (docs: README, "Importing and exporting spreadsheets").
MAX_DATA_ROWS = 100_000
# The header row is looked for among the first rows, below any title rows.
HEADER_SEARCH_ROWS = 20
# A quoted CSV cell that runs over more lines than this is a quotation mark left open.
MAX_LINES_PER_CELL = 1000
CSV_DELIMITERS = (";", ",", "\t")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The csv module refuses a cell over 131 072 characters as an error of the whole file. A cell
# may be as long as the file; what fits in a field is the model's to say, with row and column.
csv.field_size_limit(MAX_FILE_BYTES)

_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"%PDF": "PDF",
}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How Excel writes a control character in an xlsx cell: _x000B_ for Word's line break.
_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


class SpreadsheetError(Exception):
    """A file that cannot be read as a spreadsheet; ``str(error)`` is the user's message."""


@dataclass(frozen=True)
class Column:
    """One column of a spreadsheet format: the header we write and the headers we accept."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def accepts(self, text: str) -> bool:
        return bool(_header_keys(text) & self._keys)

    @cached_property
    def _keys(self) -> set[str]:
        return {_normalise_header(name) for name in (self.header, *self.aliases)}


@dataclass
class SheetRow:
    number: int  # as the spreadsheet program shows it, counting from 1
    values: dict[str, Any]

    def is_empty(self) -> bool:
        return all(value is None for value in self.values.values())


@dataclass
class Sheet:
    """The rows below the header row, as column key → cell value."""

    file_type: str
    header_row: int
    headers: dict[str, str]  # column key → header as written in the file
    ignored_headers: list[str] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)
    # (row number, header) of the cells whose control characters were removed
    cleaned_cells: list[tuple[int, str]] = field(default_factory=list)


def file_size_error(size: int) -> str:
    """The message for a file over MAX_FILE_BYTES, in bytes: "10,0 MB" would hide 10 MiB + 1 byte."""
    return _(
        "The file is too large: %(size)s bytes, and at most %(limit)s bytes (%(megabytes)s MB) "
        "can be imported. Split it into smaller files."
    ) % {
        "size": format_number(size),
        "limit": format_number(MAX_FILE_BYTES),
        "megabytes": MAX_FILE_BYTES // (1024 * 1024),
    }


def row_limit_error(limit: int) -> str:
    return _(
        "The file has more than %(limit)s rows, and at most %(limit)s rows can be imported at a time. "
        "Split the file into smaller files and import them one after the other."
    ) % {"limit": format_number(limit)}


def read_sheet(
    data: bytes, file_name: str, columns: Sequence[Column], *, max_rows: int = MAX_DATA_ROWS
) -> Sheet:
    """Find the header row among ``columns`` and return the rows below it, at most ``max_rows``."""
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(file_size_error(len(data)))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    file_type = sniff_file_type(data, file_name)
    if file_type == "xlsx":
        grid, header = _best_header(_xlsx_grids(data, file_name, max_rows=max_rows), columns)
        records: Iterable[list] = grid.rows
        cleaned = grid.cleaned
    else:
        text = _csv_text(data)
        heads = _csv_heads(text)
        head, header = _best_header(heads.values(), columns)
        delimiter = next(key for key, value in heads.items() if value is head)
        cleaned = set()
        records = _csv_records(text, delimiter, cleaned)
    header_index, mapping, ignored, grid_header = header
    sheet = Sheet(
        file_type=file_type,
        header_row=header_index + 1,
        headers={key: _text(grid_header[index]) for key, index in mapping.items()},
        ignored_headers=ignored,
    )
    # A repeated header row is a copy of the header row.
    header_cells = {index: _text(grid_header[index]).casefold() for index in mapping.values()}
    columns_of = {index: key for key, index in mapping.items()}
    for offset, cells in enumerate(records, start=1):
        if offset <= header_index + 1:
            continue
        values = {key: _clean(cells[index]) if index < len(cells) else None for key, index in mapping.items()}
        row = SheetRow(number=offset, values=values)
        if row.is_empty() or _repeats_header(cells, header_cells):
            continue
        sheet.rows.append(row)
        if len(sheet.rows) > max_rows:
            raise SpreadsheetError(row_limit_error(max_rows))
    for row_index, column_index in sorted(cleaned):
        if row_index > header_index and column_index in columns_of:
            sheet.cleaned_cells.append((row_index + 1, sheet.headers[columns_of[column_index]]))
    return sheet


def _best_header(grids: Iterable["_Grid"], columns: Sequence[Column]) -> tuple["_Grid", tuple]:
    """The grid (one per worksheet or CSV separator) with the best header row, and that row:
    (row index, column key → cell index, ignored headers, header cells)."""
    best = None
    for grid in grids:
        found = _find_header(grid.rows, columns)
        if found and (best is None or found[1] > best[1][1]):
            best = (grid, found)
    if best is None:
        expected = ", ".join(column.header for column in columns)
        raise SpreadsheetError(
            _("No header row was found in the file. The columns should be: %(columns)s.")
            % {"columns": expected}
        )
    grid, (header_index, _score, mapping, ignored, duplicate) = best
    header_cells = grid.rows[header_index]
    if duplicate:
        raise SpreadsheetError(_duplicate_header_error(header_cells, columns, duplicate))
    missing = [column.header for column in columns if column.required and column.key not in mapping]
    if missing:
        raise SpreadsheetError(
            _("The file lacks the column(s) %(missing)s. Found columns: %(found)s.")
            % {
                "missing": ", ".join(missing),
                "found": ", ".join(str(cell) for cell in header_cells if _text(cell)) or "–",
            }
        )
    return grid, (header_index, mapping, ignored, header_cells)


def _duplicate_header_error(cells: list, columns: Sequence[Column], duplicate: tuple[str, int, int]) -> str:
    key, first, second = duplicate
    names = {
        "first": _text(cells[first]),
        "second": _text(cells[second]),
        "first_column": _column_letter(first + 1),
        "second_column": _column_letter(second + 1),
        "column": next(column.header for column in columns if column.key == key),
    }
    if names["first"].casefold() == names["second"].casefold():
        return (
            _(
                "The header row has the column “%(first)s” twice (columns %(first_column)s and "
                "%(second_column)s), and only one of them could be read. Remove or rename one of them."
            )
            % names
        )
    return (
        _(
            "The columns “%(first)s” (%(first_column)s) and “%(second)s” (%(second_column)s) both mean "
            "%(column)s, and only one of them could be read. Remove or rename one of them."
        )
        % names
    )


def read_table(data: bytes, file_name: str, *, max_rows: int = MAX_DATA_ROWS) -> tuple[list[str], list[list]]:
    """Headers and rows of a spreadsheet of unknown columns: the header row is the first row
    (below any title rows) with at least two filled cells. Used where the columns are not ours
    to know, as in the admin's import."""
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(file_size_error(len(data)))
    file_type = sniff_file_type(data, file_name)
    if file_type == "xlsx":
        grids = _xlsx_grids(data, file_name, max_rows=max_rows)[:1]
    else:
        text = _csv_text(data)
        grids = list(_csv_heads(text).values())
    best: tuple[int, _Grid, int] | None = None
    for grid in grids:
        for index, cells in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
            filled = sum(1 for cell in cells if _text(cell))
            if filled >= 2:
                if best is None or filled > best[0]:
                    best = (filled, grid, index)
                break
    if best is None:
        raise SpreadsheetError(_("No header row was found in the file."))
    _filled, grid, index = best
    headers = [_text(cell) for cell in grid.rows[index]]
    while headers and not headers[-1]:
        headers.pop()
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        if header and header.casefold() in seen:
            first = seen[header.casefold()]
            raise SpreadsheetError(
                _duplicate_header_error(headers, [Column("", header)], ("", first, position))
            )
        seen[header.casefold()] = position
    records = grid.rows if file_type == "xlsx" else _csv_records(text, grid.delimiter, set())
    rows = []
    for offset, cells in enumerate(records):
        if offset <= index:
            continue
        values = [_clean(cell) for cell in cells[: len(headers)]]
        values.extend([None] * (len(headers) - len(values)))
        if any(value is not None for value in values):
            rows.append(values)
            if len(rows) > max_rows:
                raise SpreadsheetError(row_limit_error(max_rows))
    return headers, rows


def sniff_file_type(data: bytes, file_name: str) -> str:
    """'xlsx' or 'csv', decided by what the bytes are; a renamed picture is neither."""
    lower = file_name.lower()
    for magic, kind in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            raise SpreadsheetError(
                _("The file is a %(kind)s file, not a spreadsheet. Save the sheet as .xlsx or .csv.")
                % {"kind": kind}
            )
    if data.startswith(_OLE2_MAGIC):
        raise SpreadsheetError(
            _("The file is in the old Excel format (.xls). Save it as .xlsx or .csv and try again.")
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if _decode_text(data) is not None:
        return "csv"
    if lower.endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(
            _("The file is damaged or incomplete and cannot be opened as an Excel workbook (.xlsx).")
        )
    raise SpreadsheetError(_("The file is neither an Excel workbook (.xlsx) nor a text file (.csv)."))


@dataclass
class _Grid:
    """A worksheet, or a CSV file read with one separator: rows of cells."""

    rows: list[list]
    # (row index, column index) of cells whose control characters were removed
    cleaned: set[tuple[int, int]] = field(default_factory=set)
    delimiter: str = ""


def _xlsx_grids(data: bytes, file_name: str, *, max_rows: int) -> list[_Grid]:
    import openpyxl

    if file_name.lower().endswith((".xlsm", ".xltm")):
        raise _macro_error()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        raise SpreadsheetError(
            _("The file is damaged or incomplete and cannot be opened as an Excel workbook (.xlsx).")
        )
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise SpreadsheetError(_("The file is a Word document, not a spreadsheet."))
        raise SpreadsheetError(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise _macro_error()
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_("The workbook is too large when unpacked. Split it into smaller files."))
    try:
        _check_xlsx_rows(archive, max_rows)
        # Not read-only: merged cells are only known to a fully loaded sheet.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        grids = [_worksheet_grid(sheet) for sheet in workbook.worksheets]
    except SpreadsheetError:
        raise
    except Exception:
        # openpyxl reports damage through many exception types (zlib, XML, KeyError, ValueError …).
        raise SpreadsheetError(
            _("The file is damaged or incomplete and cannot be opened as an Excel workbook (.xlsx).")
        )
    return grids


def _check_xlsx_rows(archive: zipfile.ZipFile, max_rows: int) -> None:
    """Refuse a workbook with too many rows before openpyxl loads it, which takes seconds for
    every ten thousand rows. A sheet's recorded size answers at once; without one, or when it is
    larger, the rows with a value are counted in the sheet's XML, stopping at the limit."""
    most = max_rows + HEADER_SEARCH_ROWS
    for name in sorted(archive.namelist()):
        if not _WORKSHEET.match(name):
            continue
        with archive.open(name) as stream:
            dimension = _DIMENSION.search(stream.read(4096))
        if dimension and int(dimension[1] or 1) <= most:
            continue
        filled = 0
        with archive.open(name) as stream:
            for _event, element in ElementTree.iterparse(stream):
                if element.tag.endswith("}row"):
                    # A cell with a value has a child (<v>, <is>); a formatted empty cell has none.
                    if any(len(cell) for cell in element):
                        filled += 1
                        if filled > most:
                            raise SpreadsheetError(row_limit_error(max_rows))
                    element.clear()


def _macro_error() -> SpreadsheetError:
    return SpreadsheetError(
        _("The workbook contains macros, which are not accepted. Save it as an ordinary .xlsx file.")
    )


def _worksheet_grid(sheet) -> _Grid:
    grid = _Grid(rows=[list(row) for row in sheet.iter_rows(values_only=True)])
    # A merged cell holds its value in the top-left cell only; the rows it spans share it.
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > len(grid.rows):
            continue
        value = grid.rows[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, min(merged.max_row, len(grid.rows)) + 1):
            cells = grid.rows[row - 1]
            cells.extend([None] * (merged.max_col - len(cells)))
            for col in range(merged.min_col, merged.max_col + 1):
                cells[col - 1] = value
    for row_index, cells in enumerate(grid.rows):
        for column_index, value in enumerate(cells):
            if isinstance(value, str) and "_x" in value:
                value = cells[column_index] = _XLSX_ESCAPE.sub(lambda match: chr(int(match[1], 16)), value)
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                cells[column_index] = strip_control_characters(value)
                grid.cleaned.add((row_index, column_index))
    return grid


def _decode_text(data: bytes) -> str | None:
    """The text of a CSV file in the encodings Swedish Excel writes, or None for binary data."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:8192]
        return None if _mostly_controls(sample) else text
    return None


def _mostly_controls(text: str) -> bool:
    """Binary data, or text in an encoding that is not the file's (UTF-16 without a BOM): a
    stray control character in a cell is not."""
    if not CONTROL_CHARACTERS.search(text):
        return False
    return len(CONTROL_CHARACTERS.findall(text)) > max(10, len(text) / 100)


def _csv_text(data: bytes) -> str:
    text = _decode_text(data)
    # Binary data after a textual start: control characters all through the file.
    if text is None or _mostly_controls(text):
        raise SpreadsheetError(_("The file is neither an Excel workbook (.xlsx) nor a text file (.csv)."))
    return text


def _csv_heads(text: str) -> dict[str, _Grid]:
    """The first rows of the file read with each separator that may be the file's, for the header
    row to decide between them.

    Semicolons first: what Swedish Excel writes, and a one-column file parses the same with it.
    Another separator is tried only if it occurs."""
    head = text[:65536]
    candidates = [CSV_DELIMITERS[0]] + [delimiter for delimiter in CSV_DELIMITERS[1:] if delimiter in head]
    heads = {}
    for delimiter in candidates:
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
        try:
            rows = [
                [strip_control_characters(cell) for cell in row]
                for row in itertools.islice(reader, HEADER_SEARCH_ROWS)
            ]
        except csv.Error:
            continue
        heads[delimiter] = _Grid(rows=rows, delimiter=delimiter)
    if not heads:
        raise SpreadsheetError(_("The file is neither an Excel workbook (.xlsx) nor a text file (.csv)."))
    return heads


def _csv_records(text: str, delimiter: str, cleaned: set[tuple[int, int]]) -> Iterator[list]:
    """The file's rows, read strictly: a quotation mark that is never closed, or one that closes a
    cell in the middle of its text, would silently merge rows or cells, so it is refused with the
    number of the row where the cell began. Control characters are removed and their cells noted
    in ``cleaned``."""
    controls = CONTROL_CHARACTERS.search(text) is not None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    index = 0
    line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SpreadsheetError(_quote_error(index + 1, str(error)))
        if reader.line_num - line > MAX_LINES_PER_CELL:
            raise SpreadsheetError(_quote_error(index + 1, "unexpected end of data"))
        line = reader.line_num
        if controls:
            for column, cell in enumerate(cells):
                if CONTROL_CHARACTERS.search(cell):
                    cells[column] = strip_control_characters(cell)
                    cleaned.add((index, column))
        yield cells
        index += 1


def _quote_error(row: int, reason: str) -> str:
    if "end of data" in reason:
        return _(
            'Row %(row)s has a quotation mark (") that is never closed, so the rest of the file would '
            "be read into one cell. Close the quotation or remove the quotation mark, and try again."
        ) % {"row": row}
    return _(
        'Row %(row)s cannot be read: a cell that begins with a quotation mark (") goes on after the '
        "closing quotation mark. Put the whole cell in quotation marks and write a quotation mark "
        'inside it as two ("").'
    ) % {"row": row}


def _find_header(
    grid: list[list], columns: Sequence[Column]
) -> tuple[int, int, dict, list, tuple | None] | None:
    """(row index, score, column key → cell index, ignored headers, first duplicate) of the best
    header row; the duplicate is (column key, first cell index, second cell index)."""
    best = None
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        ignored = []
        duplicate = None
        for position, cell in enumerate(cells):
            text = _text(cell)
            if not text:
                continue
            column = next((column for column in columns if column.accepts(text)), None)
            if column is None:
                ignored.append(text)
            elif column.key not in mapping:
                mapping[column.key] = position
            elif duplicate is None:
                duplicate = (column.key, mapping[column.key], position)
        required = sum(1 for column in columns if column.required and column.key in mapping)
        score = required * 100 + len(mapping)
        if mapping and (best is None or score > best[1]):
            best = (index, score, mapping, ignored, duplicate)
    return best


def _repeats_header(cells: list, header_cells: dict[int, str]) -> bool:
    """A header row repeated further down, as when a matrix was pasted page by page.

    ``header_cells`` maps a column to its header text, case-folded."""
    matches = 0
    for index, normalised in header_cells.items():
        cell = cells[index] if index < len(cells) else None
        if isinstance(cell, str) and cell.strip().casefold() == normalised:
            matches += 1
    return matches >= max(2, len(header_cells) // 2 + 1)


def _normalise_header(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöéü]+", "", text.casefold())


def _header_keys(text: str) -> set[str]:
    """The header as written, and without a parenthesised unit: 'Budget (kr)' → budgetkr, budget."""
    return {_normalise_header(text), _normalise_header(re.sub(r"\(.*?\)", "", text))} - {""}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _clean(value: Any) -> Any:
    """A cell's value: text without surrounding space and with one kind of line break, or None."""
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
            text = text[1:].strip()  # undo escape_formula()
        return text or None
    return value


# --- Writing -----------------------------------------------------------------------------------


def escape_formula(value: str) -> str:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if type(value) is int:  # years and whole values: most cells of an indicator export
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        return format_plain_number(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return escape_formula(str(value))


def format_plain_number(value: int | float | Decimal) -> str:
    """A number as Swedish Excel reads it: decimal comma, no thousands separator, no trailing zeros."""
    number = Decimal(str(value))
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def write_csv(*, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV as Swedish Excel opens it: UTF-8 with BOM, semicolons, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_formula(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Columns of money, by header: "Budget", "Belopp", "Förbrukat (kr)", "Amount (SEK)" …
_AMOUNT_HEADER = re.compile(r"budget|belopp|förbrukat|amount|\((sek|kr)\)", re.IGNORECASE)
AMOUNT_FORMAT = "#,##0"  # Excel shows it with the reader's separators: "1 234 000" in Swedish
MIN_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 8, 60, 200


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Widths that fit the header and the longest of the first rows' values, capped for long text."""
    widths = []
    for index, header in enumerate(headers):
        longest = len(str(header)) + 3  # room for the filter button
        for row in rows[:WIDTH_SAMPLE]:
            value = row[index] if index < len(row) else None
            if value is None:
                continue
            text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
            longest = max(longest, max((len(line) for line in text.splitlines()), default=0) + 2)
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest)))
    return widths


def write_xlsx(
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str = "",
    sheet_title: str = "Blad1",
    widths: Sequence[int] = (),
) -> bytes:
    """A workbook whose header row is row 1, frozen and filterable; text is never a formula.

    The title goes into the workbook's properties, not above the header, so that the sheet is a
    plain table (sorting, filters, imports). Money columns get a thousands format. Written in
    openpyxl's write-only mode, and only cells that need a style get one: tens of thousands of
    rows take a fraction of a second.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    rows = rows if isinstance(rows, list) else list(rows)
    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = title
    sheet = workbook.create_sheet(title=sheet_title[:31])
    fitted = column_widths(headers, rows)
    for index, width in enumerate(fitted, start=1):
        given = widths[index - 1] if index - 1 < len(widths) else 0
        sheet.column_dimensions[_column_letter(index)].width = max(width, min(given, MAX_WIDTH))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=escape_formula(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    amounts = {index for index, header in enumerate(headers) if _AMOUNT_HEADER.search(str(header))}
    wrap = Alignment(wrap_text=True, vertical="top")
    wrap_after = [width - 2 for width in fitted]
    for row in rows:
        cells = list(row)
        for index, value in enumerate(cells):
            if isinstance(value, str):
                # Text stored before input was cleaned may hold control characters, which
                # openpyxl refuses to write (an export must not fail on them).
                if CONTROL_CHARACTERS.search(value):
                    value = cells[index] = strip_control_characters(value)
                # openpyxl turns "=…" into a formula; a string cell with a quote prefix stays text,
                # also when someone edits it in Excel.
                if value.startswith(FORMULA_TRIGGERS):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    cells[index] = cell
                if "\n" in value or (index < len(wrap_after) and len(value) > wrap_after[index]):
                    cell = None if isinstance(cells[index], str) else cells[index]
                    if cell is None:
                        cell = WriteOnlyCell(sheet, value=value)
                        cell.data_type = "s"
                    cell.alignment = wrap
                    cells[index] = cell
            elif isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
                cells[index] = cell
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells[index] = cell
            elif index in amounts and isinstance(value, (int, float, Decimal)):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = AMOUNT_FORMAT
                cells[index] = cell
        sheet.append(cells)
    if headers:
        sheet.auto_filter.ref = f"A1:{_column_letter(len(headers))}{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
