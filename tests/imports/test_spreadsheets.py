"""Reading real spreadsheet files, refusing what is not one, and writing files no spreadsheet runs."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from planportal.lib.spreadsheets import (
    MAX_FILE_BYTES,
    Column,
    SpreadsheetError,
    read_sheet,
    read_table,
    write_csv,
    write_xlsx,
)
from tests.imports import files

COLUMNS = (
    Column("area", "Insatsområde", ("priority area",)),
    Column("title", "Aktivitet", ("activity",), required=True),
    Column("budget", "Budget", ()),
    Column("start", "Start", ("start date",)),
)


def xlsx(rows: list[list], merges: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_finds_the_header_row_below_title_rows_and_fills_merged_cells():
    data = xlsx(
        [
            ["Aktivitetsplan 2022", None, None],
            [None, None, None],
            ["INSATSOMRÅDE", "aktivitet", "Budget (kr)"],
            ["Stärkt brukarmedverkan", "Stödja NSPH", 450000],
            [None, "Brukarcertifiering", None],
            [None, None, None],
            [None, None, None],
        ],
        merges=("A1:C1", "A4:A5"),
    )
    sheet = read_sheet(data, "plan.xlsx", COLUMNS)
    assert sheet.header_row == 3
    assert [row.number for row in sheet.rows] == [4, 5]
    assert [row.values["area"] for row in sheet.rows] == ["Stärkt brukarmedverkan"] * 2
    assert sheet.rows[0].values["budget"] == 450000
    assert sheet.headers["budget"] == "Budget (kr)"


def test_it_reads_swedish_excel_csv_in_cp1252_with_semicolons_and_crlf():
    text = (
        "Plan för Norrbotten;;\r\n"
        "Insatsområde;Aktivitet;Budget\r\n"
        'Suicidprevention;"Utbildning i\r\nAOSP";1 234,5\r\n'
        ";;\r\n"
    )
    sheet = read_sheet(text.encode("cp1252"), "plan.csv", COLUMNS)
    assert sheet.file_type == "csv"
    assert sheet.header_row == 2
    (row,) = sheet.rows
    assert row.values == {"area": "Suicidprevention", "title": "Utbildning i\nAOSP", "budget": "1 234,5"}


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
def test_it_reads_csv_in_the_encodings_and_separators_excel_writes(delimiter, encoding):
    header = delimiter.join(["Activity", "Start date", "Övrigt"])
    text = header + "\r\n" + delimiter.join(["Å ä ö", "2022-03-01", "x"])
    sheet = read_sheet(text.encode(encoding), "fil.csv", COLUMNS)
    assert sheet.rows[0].values["title"] == "Å ä ö"
    assert sheet.rows[0].values["start"] == "2022-03-01"
    assert sheet.ignored_headers == ["Övrigt"]


def test_it_skips_a_header_row_repeated_further_down():
    text = "Aktivitet;Budget\r\nEtt;1\r\nAktivitet;Budget\r\nTvå;2\r\n"
    sheet = read_sheet(text.encode(), "fil.csv", COLUMNS)
    assert [row.values["title"] for row in sheet.rows] == ["Ett", "Två"]


def test_it_names_the_missing_required_columns():
    with pytest.raises(SpreadsheetError, match="saknar kolumnen/kolumnerna Aktivitet"):
        read_sheet("Insatsområde;Budget\r\nX;1\r\n".encode(), "fil.csv", COLUMNS)


def test_it_says_when_no_header_row_is_found():
    with pytest.raises(SpreadsheetError, match="Ingen rubrikrad"):
        read_sheet(b"a;b\r\n1;2\r\n", "fil.csv", COLUMNS)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (files.png_bytes(), "plan.xlsx", "PNG-fil"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "plan.csv", "PDF-fil"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "plan.xls", "gamla Excel-formatet"),
        (b"\x00\x01\x02\x03\x04\x05" * 100, "plan.csv", "varken en Excel-arbetsbok"),
        (b"   ", "plan.csv", "Filen är tom"),
    ],
)
def test_it_refuses_files_that_are_not_spreadsheets_by_their_content(data, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_sheet(data, name, COLUMNS)


def test_it_refuses_a_truncated_workbook():
    data = files.xlsx_file(files.MATRIX_HEADERS, files.matrix_rows())
    with pytest.raises(SpreadsheetError, match="skadad eller ofullständig"):
        read_sheet(data[: len(data) // 2], "plan.xlsx", COLUMNS)


def test_it_refuses_a_workbook_whose_sheet_is_corrupt():
    source = zipfile.ZipFile(io.BytesIO(files.xlsx_file(files.MATRIX_HEADERS, files.matrix_rows())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[:200] if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(SpreadsheetError, match="skadad eller ofullständig"):
        read_sheet(buffer.getvalue(), "plan.xlsx", COLUMNS)


def test_it_refuses_workbooks_with_macros_whatever_their_name():
    data = files.with_macros(files.xlsx_file(files.MATRIX_HEADERS, files.matrix_rows()))
    for name in ("plan.xlsm", "plan.xlsx"):
        with pytest.raises(SpreadsheetError, match="makron"):
            read_sheet(data, name, COLUMNS)


def test_it_refuses_a_word_document_and_other_zip_files():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(SpreadsheetError, match="Word-dokument"):
        read_sheet(buffer.getvalue(), "plan.xlsx", COLUMNS)


def test_it_refuses_files_over_the_size_limit():
    data = b"Aktivitet\r\n" + b"x" * MAX_FILE_BYTES
    with pytest.raises(SpreadsheetError, match="högst 10\u00a0485\u00a0760 byte \\(10 MB\\)"):
        read_sheet(data, "plan.csv", COLUMNS)


def test_it_escapes_formulas_in_csv_and_reads_them_back_unchanged():
    dangerous = ['=HYPERLINK("http://example.com")', "+46 70", "-Antal individer", "@SUM(A1)", "\tflik"]
    data = write_csv(headers=["Aktivitet"], rows=[[text] for text in dangerous])
    text = data.decode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "\r\n" in text
    for line in text.splitlines()[1:]:
        assert line.lstrip('"').startswith("'")
    sheet = read_sheet(data, "export.csv", COLUMNS)
    assert [row.values["title"] for row in sheet.rows] == [text.strip() for text in dangerous]


def test_it_writes_no_formula_into_an_xlsx_file():
    rows = [["=1+2", 450000, date(2022, 3, 1)]]
    data = write_xlsx(headers=["Aktivitet", "Budget", "Start"], rows=rows, title="T")
    workbook = load_workbook(io.BytesIO(data))
    cell = workbook.active["A2"]
    assert cell.data_type == "s"
    assert cell.value == "=1+2"
    assert cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = read_sheet(data, "export.xlsx", COLUMNS)
    assert sheet.rows[0].values == {"title": "=1+2", "budget": 450000, "start": datetime(2022, 3, 1)}


def test_it_writes_numbers_as_swedish_excel_reads_them():
    data = write_csv(headers=["a", "b"], rows=[[1234.5, 450000]])
    assert data.decode("utf-8-sig").splitlines()[1] == "1234,5;450000"


def test_it_reads_an_unknown_table_for_the_admin():
    headers, rows = read_table("Titel\r\nkpi;kommun;år\r\nN1;2480;2021\r\n".encode("cp1252"), "fil.csv")
    assert headers == ["kpi", "kommun", "år"]
    assert rows == [["N1", "2480", "2021"]]
