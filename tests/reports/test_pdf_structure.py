"""The report PDF's structure read back with pikepdf: what a screen reader and an archive get.

The demo's Norrbotten and Gävleborg reports for 2022 are rendered once per module (live, and
Norrbotten's archive variant too); a small hand-written document shows the repairs one by one.
Two checkers read the demo reports as a screen-reader user's tool would: ``pdfua`` (a subset
of PDF/UA-1's machine-checkable rules) and ``outloud`` (its PDF/UA-1 conformance layer).
"""

import re
import subprocess
from io import BytesIO
from types import SimpleNamespace

import outloud
import pdfua
import pikepdf
import pikepdf.pdfa
import pytest
from django.db import transaction
from pikepdf import Array, Dictionary, Name

from planportal.lib import pdf
from plans.demo import DEMO_DIR, load_demo_file
from plans.models import Plan
from plans.national import load_national_data
from plans.reports.services import render_report_html, report_data
from tests.reports.conftest import pdf_pages, squeeze

YEAR = 2022


def kids(element) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def walk(element):
    yield element
    for kid in kids(element):
        if is_element(kid):
            yield from walk(kid)


def elements(document: pikepdf.Pdf, role: str | None = None) -> list:
    found = [e for top in kids(document.Root.StructTreeRoot) for e in walk(top)]
    return [e for e in found if role is None or Name(role) == e.S]


def pages_of(document: pikepdf.Pdf, element) -> set[int]:
    """The pages (0-based) on which ``element``'s content is painted."""
    index = {page.objgen: n for n, page in enumerate(document.pages)}
    pages = set()
    for inner in walk(element):
        for kid in kids(inner):
            if isinstance(kid, int):
                pages.add(index[inner.Pg.objgen])
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                pages.add(index[kid.Pg.objgen])
    return pages


def id_tree(document: pikepdf.Pdf) -> dict:
    names = document.Root.StructTreeRoot.IDTree.Names
    return {str(names[n]): names[n + 1] for n in range(0, len(names), 2)}


def read(content: bytes, html: str) -> SimpleNamespace:
    return SimpleNamespace(
        content=content,
        html=html,
        pdf=pikepdf.open(BytesIO(content)),
        pages=pdf_pages(content),
    )


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """The demo's Norrbotten (live and archive) and Gävleborg reports for 2022."""
    rendered = {}
    with django_db_blocker.unblock(), transaction.atomic():
        load_national_data()
        for letter, name in (("BD", "norrbotten"), ("X", "gavleborg")):
            county = load_demo_file(DEMO_DIR / f"{letter}.json")
            plans = Plan.objects.select_related("county").filter(county=county)
            plan = next(plan for plan in plans if YEAR in plan.years)
            html = render_report_html(report_data(plan, YEAR))
            rendered[name] = read(pdf.html_to_pdf(html), html)
            rendered[name].titles = list(plan.activities.values_list("title", flat=True))
            if letter == "BD":
                rendered["archive"] = read(pdf.html_to_pdf(html, archive=True), html)
        transaction.set_rollback(True)
    for name, report in rendered.items():
        report.path = tmp_path_factory.mktemp("pdf") / f"{name}.pdf"
        report.path.write_bytes(report.content)
    return rendered


LIVE = ["norrbotten", "gavleborg"]
ALL = [*LIVE, "archive"]


@pytest.mark.parametrize("name", ALL)
def test_it_tags_the_report_in_swedish_and_shows_its_title(reports, name):
    document = reports[name].pdf
    assert document.Root.MarkInfo.Marked is True
    assert str(document.Root.Lang) == "sv"
    assert document.Root.ViewerPreferences.DisplayDocTitle is True
    title = str(document.docinfo.Title)
    assert title.startswith("Uppföljning 2022 – Länsgemensam")
    with document.open_metadata() as xmp:
        assert xmp["dc:title"] == title
    headings = [e.S for e in elements(document) if str(e.S) in ("/H1", "/H2", "/H3")]
    assert Name.H1 in headings and Name.H2 in headings


def test_the_live_pdf_says_pdf_ua_and_the_archive_pdf_a_2b(reports):
    with reports["norrbotten"].pdf.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
    with reports["archive"].pdf.open_metadata() as xmp:
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "B")
    assert "/OutputIntents" in reports["archive"].pdf.Root


def test_the_archive_pdf_passes_pikepdfs_pdf_a_check(reports):
    report = pikepdf.pdfa.check(reports["archive"].pdf, "2b")
    assert report.passed, [str(finding) for finding in report.findings][:10]


def test_the_live_pdf_is_not_claimed_as_pdf_a(reports):
    with reports["norrbotten"].pdf.open_metadata() as xmp:
        assert not xmp.get("pdfaid:part")


@pytest.mark.parametrize("name", ALL)
def test_header_cells_have_a_scope_and_every_header_reference_resolves(reports, name):
    document = reports[name].pdf
    ids = id_tree(document)
    headers = elements(document, "/TH")
    assert len(headers) > 20
    for header in headers:
        assert header.A.Scope in (Name.Column, Name.Row)
        assert ids[str(header.ID)] == header
    referenced = set()
    for cell in elements(document, "/TD"):
        for header_id in cell.A.get("/Headers", []):
            assert str(header_id) in ids
            referenced.add(str(header_id))
    # Row headers (an activity's title, a year) are named by the cells of their row.
    row_headers = [h for h in headers if h.A.Scope == Name.Row and str(h.ID) in referenced]
    assert len(row_headers) > 10
    # The header row repeated on every page of a long table is in the tree once.
    for table in elements(document, "/Table"):
        assert [k.S for k in kids(table) if is_element(k)].count(Name.THead) <= 1


@pytest.mark.parametrize("name", LIVE)
def test_running_heads_and_footers_are_artifacts_not_content(reports, name):
    report = reports[name]
    checked = outloud.Document(str(report.path))
    for index in range(1, len(report.pages)):
        lines = checked.content(index).lines
        # The foot: "Norrbottens län · Årsuppföljning 2022 · Utkast   Sida 3 av 20"; the head: the chapter.
        foot = rf"Årsuppföljning 2022 · .*Sida {index + 1} av \d+"
        footer = [line for line in lines if re.search(foot, line.text)]
        assert footer and all(line.artifact_share == 1.0 for line in footer), index
        assert lines[0].artifact_share == 1.0, (index, lines[0].text)
        assert any(line.tagged_share == 1.0 for line in lines), index
    # Everything painted is in the tree or an artifact; the tree's map of content covers it all.
    for finding in outloud.check(str(report.path), only={"TAG-001", "PAG-001"}).findings:
        pytest.fail(f"{finding.rule}: {finding.message}")


@pytest.mark.parametrize("name", LIVE)
def test_every_chart_says_what_it_shows(reports, name):
    report = reports[name]
    names = re.findall(r'<title id="chart-\d+-t">([^<]+)</title>', report.html)
    figures = elements(report.pdf, "/Figure")
    assert len(figures) == len(names)
    assert names or name == "gavleborg"  # Gävleborg's demo has no values of its own to chart
    for figure, indicator in zip(figures, names, strict=True):
        alt = str(figure.Alt)
        assert indicator.replace("&#x27;", "'") in alt
        assert re.search(r"20\d\d: [\d ,]+", alt), alt  # the latest value, with its year


@pytest.mark.parametrize("name", LIVE)
def test_every_link_says_where_it_goes(reports, name):
    document = reports[name].pdf
    links = [a for page in document.pages for a in page.obj.get("/Annots", []) if a.Subtype == Name.Link]
    assert len(links) > 10
    assert all(str(link.get("/Contents", "")).strip() for link in links)
    assert all(int(link.F) & 4 for link in links)  # printed


@pytest.mark.parametrize("name", LIVE)
def test_a_definition_list_is_a_list_of_labelled_items(reports, name):
    document = reports[name].pdf
    for item in elements(document, "/LI"):
        assert item.P.S == Name.L
        assert {k.S for k in kids(item) if is_element(k)} <= {Name.Lbl, Name.LBody}


@pytest.mark.parametrize("name", LIVE)
def test_an_activity_row_is_never_split_and_stays_with_its_follow_up(reports, name):
    document = reports[name].pdf
    activity_tables = [
        table
        for table in elements(document, "/Table")
        if any(is_element(k) and Name.THead == k.S and len(kids(kids(k)[0])) == 8 for k in kids(table))
    ]
    assert activity_tables
    for table in activity_tables:
        groups = [k for k in kids(table) if is_element(k) and Name.TBody == k.S]
        for group in groups:
            for row in kids(group):
                assert len(pages_of(document, row)) == 1
        for group in groups:
            assert len(pages_of(document, group)) == 1, [pages_of(document, row) for row in kids(group)]


@pytest.mark.parametrize("name", LIVE)
def test_words_read_back_whole_and_activity_titles_read_in_one_piece(reports, name):
    """Only a word too wide for its column is hyphenated, and it reads back whole (/ActualText)."""
    report = reports[name]
    # poppler's pdftotext reads the content's /ActualText, as a screen reader reads the tree's.
    pdftotext = ["pdftotext", str(report.path), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True, check=True).stdout
    assert "\u2010" not in text and "\u00ad" not in text
    hyphenated = [element for element in elements(report.pdf) if "/ActualText" in element]
    assert all("\u2010" not in str(element.ActualText) for element in hyphenated)
    source = set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", report.html)))
    for element in hyphenated:
        assert set(re.findall(r"\w+", str(element.ActualText))) <= source, str(element.ActualText)
    # A title's text with nothing else in it, in pdftotext's and pypdf's reading: its cell is not
    # interleaved with its neighbour's.
    for reading in (text, "\n".join(report.pages)):
        flat = squeeze(reading)
        for title in report.titles:
            if squeeze(title) in squeeze(report.html):
                assert squeeze(title) in flat, title


@pytest.mark.parametrize("name", ALL)
def test_the_pdf_ua_checkers_find_no_error(reports, name):
    path = str(reports[name].path)
    found = pdfua.validate(path)
    errors = [f"{f.rule_id}: {f.message}" for f in found.findings if f.severity >= pdfua.Severity.ERROR]
    assert not errors
    result = outloud.check(path, layers={"conformance"})
    assert result.error is None
    errors = [f"{f.rule} p.{f.page}: {f.message}" for f in result.findings if f.severity == "error"]
    # The archive has the same tags but does not say it is PDF/UA: pikepdf's PDF/A check allows
    # no pdfuaid:part in a PDF/A-2b file's XMP (DOC-012).
    assert [error for error in errors if not (name == "archive" and error.startswith("DOC-012"))] == []
    # Its semantic layer guesses too; one guess is wrong here: a table of row headers and one column
    # of data (abbreviations; a single activity) has more header cells than data cells, which it
    # takes for header rows shredded line by line (TBL-010).
    semantic = outloud.check(path, layers={"semantic"})
    errors = [f"{f.rule} p.{f.page}: {f.message}" for f in semantic.findings if f.severity == "error"]
    assert [error for error in errors if not error.startswith("TBL-010")] == []


# The repairs one by one, on a document small enough to see whole.

SMALL = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title>
<style>
@page { size: A6; margin: 15mm 10mm; @bottom-right { content: "Sida " counter(page); } }
section { break-before: page; } section:first-child { break-before: auto; }
thead { display: table-header-group; } tr { break-inside: avoid; }
.visually-hidden { display: none; }
.narrow { width: 22mm; } .narrow td { hyphens: auto; hyphenate-limit-zone: 100%; }
</style></head><body>
<section><h2>Ett</h2>{paragraphs}</section>
<section><h2>Två</h2>
<table><caption class="visually-hidden">Aktiviteter</caption>
<thead><tr><th scope="col">Aktivitet</th><th scope="col">Status</th></tr></thead>
<tbody>{rows}</tbody></table>
<dl><div><dt>Län</dt><dd>Norrbottens län</dd></div><div><dt>År</dt><dd>2022</dd></div></dl>
<svg class="bar" width="20" height="5" aria-hidden="true"></svg>
<p><a href="#x">Till början</a></p>
<table class="narrow"><tr><td>Kompetensutvecklingsinsatser saknas</td></tr></table>
</section></body></html>"""


@pytest.fixture(scope="module")
def small():
    html = SMALL.replace("{paragraphs}", "<p>Text i ett avsnitt som fortsätter.</p>" * 40).replace(
        "{rows}", "".join(f'<tr><th scope="row">Aktivitet {n}</th><td>Pågår</td></tr>' for n in range(60))
    )
    return pikepdf.open(BytesIO(pdf.html_to_pdf(html)))


def test_an_element_split_across_pages_is_one_element(small):
    sections = elements(small, "/Sect")
    assert len(small.pages) > 4
    assert len(sections) == 2
    assert len(pages_of(small, sections[0])) > 1
    tables = elements(small, "/Table")
    assert len(tables) == 2 and len(pages_of(small, tables[0])) > 1
    rows = [row for row in walk(tables[0]) if row.S == Name.TR]
    assert len(rows) == 61  # the header row once, and the 60 rows
    assert str(tables[0].A.Summary) == "Aktiviteter"


def test_header_cells_name_their_scope_and_cells_their_headers(small):
    ids = id_tree(small)
    first = elements(small, "/TD")[0]
    assert [ids[str(h)].S for h in first.A.Headers] == [Name.TH, Name.TH]
    assert [ids[str(h)].A.Scope for h in first.A.Headers] == [Name.Row, Name.Column]


def test_a_word_too_wide_for_its_column_reads_whole(small):
    whole = [element for element in elements(small) if "/ActualText" in element]
    assert [(element.S, str(element.ActualText)) for element in whole] == [
        (Name.TD, "Kompetensutvecklingsinsatser saknas")
    ]


def test_a_hidden_drawing_is_left_out_and_the_private_notes_are_gone(small):
    assert elements(small, "/Figure") == []
    for element in elements(small):
        assert not [key for key in element if key.startswith("/Pp")]
    items = elements(small, "/LI")
    assert [[k.S for k in kids(item)] for item in items] == [[Name.Lbl, Name.LBody]] * 2


def test_a_pdf_whose_structure_cannot_be_mended_is_still_served_tagged(monkeypatch, caplog):
    from planportal.lib import pdf_structure

    def broken(content: bytes) -> bytes:
        raise ValueError("a structure this module does not know")

    monkeypatch.setattr(pdf_structure, "repair", broken)
    html = '<html lang="sv"><head><title>Prov</title></head><body><p>Hej</p></body></html>'
    content = pdf.html_to_pdf(html)
    assert pikepdf.open(BytesIO(content)).Root.MarkInfo.Marked is True
    assert "could not be mended" in caplog.text
