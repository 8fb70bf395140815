"""Real spreadsheet files, made in the test from the Norrbotten matrix.

The Norrbotten plan's activity matrix (section 10 of seeds/002_a5357da6fb929d60.txt) is
in fixtures/demo/BD.json word for word (tests/plans/test_demo_data.py checks that); the
files below lay it out as coordinators keep it: an xlsx with a title row above the header
row and merged cells, and the CSV that Swedish Excel saves (cp1252, semicolons, CRLF,
decimal commas).
"""

import csv
import io
import json
import zipfile
from decimal import Decimal
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from plans.demo import DEMO_DIR

MATRIX_HEADERS = [
    "Insatsområde",
    "Aktivitet",
    "Nuläge",
    "Mål",
    "Indikatorer",
    "Tidsplan",
    "Ansvar",
    "Kostnad",
    "Målkod",
    "Status",
    "Budget",
    "Start",
    "Slut",
]
GOAL_HEADERS = ["Kod", "Mål", "Målgrupp", "Fokusområde", "Insatsområde", "Beskrivning", "Ansvar"]
STATUS_SV = {
    "planned": "planerad",
    "ongoing": "pågående",
    "done": "genomförd",
    "delayed": "försenad",
    "paused": "pausad",
    "cancelled": "inställd",
}
TITLE = "10. Aktivitetsplan Uppdrag Psykisk hälsa 2020–2025"


@cache
def norrbotten_plan() -> dict:
    data = json.loads((DEMO_DIR / "BD.json").read_text(encoding="utf-8"))
    return data["plans"][0]


def matrix_rows() -> list[list]:
    """The Norrbotten matrix, one list per activity, in MATRIX_HEADERS order (budgets as Decimal)."""
    rows = []
    for activity in norrbotten_plan()["activities"]:
        rows.append(
            [
                activity["priority_area"],
                activity["title"],
                activity["current_state"],
                activity["expected_result"],
                activity["indicators_text"],
                activity["timeline"],
                activity["responsible"],
                activity["cost_text"],
                ", ".join(activity["goals"]),
                STATUS_SV[activity["status"]],
                None if activity["budget"] is None else Decimal(str(activity["budget"])),
                activity["start_date"],
                activity["end_date"],
            ]
        )
    return rows


def goal_rows() -> list[list]:
    target_groups = {"all": "alla åldrar", "adults": "vuxna", "children": "barn och unga"}
    return [
        [
            goal["code"],
            goal["title"],
            target_groups[goal["target_group"]],
            goal["focus_area"],
            goal["priority_area"] or "",
            goal["background"],
            goal["responsible"],
        ]
        for goal in norrbotten_plan()["goals"]
    ]


def xlsx_file(headers: list[str], rows: list[list], *, title: str = TITLE, merge_areas: bool = True) -> bytes:
    """A workbook as a coordinator keeps it: a merged title row, an empty row, the header row,
    wrapped text, and the Insatsområde cell merged down over the rows of each priority area."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Aktivitetsplan"
    first = 1
    if title:
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append([])
        first = 3
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if merge_areas and headers and headers[0] == "Insatsområde":
        _merge_runs(sheet, first_data_row=first + 1, count=len(rows))
    # Trailing empty rows and a formatted but empty column, as real sheets have.
    sheet.cell(row=sheet.max_row + 3, column=len(headers) + 2).font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    return value


def _merge_runs(sheet, *, first_data_row: int, count: int) -> None:
    """Merge the Insatsområde cells of consecutive rows with the same area (column A)."""
    start = first_data_row
    last = first_data_row + count - 1
    for row in range(first_data_row + 1, last + 2):
        if row > last or sheet.cell(row=row, column=1).value != sheet.cell(row=start, column=1).value:
            if row - 1 > start:
                sheet.merge_cells(start_row=start, start_column=1, end_row=row - 1, end_column=1)
            start = row


def swedish_csv(headers: list, rows: list, *, encoding: str = "cp1252", title: str = TITLE) -> bytes:
    """CSV as Swedish Excel saves it: cp1252, semicolons, CRLF, decimal commas, thousands spaced."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if title:
        writer.writerow([title] + [""] * (len(headers) - 1))
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    text = buffer.getvalue()
    return text.encode(encoding) if encoding != "utf-8-sig" else ("\ufeff" + text).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        whole, _, fraction = f"{value:f}".partition(".")
        fraction = fraction.rstrip("0")
        grouped = f"{int(whole):,}".replace(",", " ")
        return f"{grouped},{fraction}" if fraction else f"{grouped} kr"
    return str(value)


def png_bytes() -> bytes:
    """A real (tiny) PNG image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def with_macros(xlsx: bytes) -> bytes:
    """The same workbook saved as Excel does with macros: a vbaProject.bin and the macro content type."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b'Attribute VB_Name = "Module1"')
    return buffer.getvalue()
