"""HTML to PDF with WeasyPrint: tagged for screen readers, and PDF/A for the archive.

The HTML comes from our own templates, but much of its text comes from users, and
WeasyPrint would fetch any URL a document names (images, style sheets, fonts). Our PDF
templates inline their CSS and SVG, so the fetcher allows ``data:`` URLs only: rendering
a PDF never makes a network request and never reads a file from disk.

Every PDF is tagged. The live PDF is PDF/UA-1; the approved, frozen one (``archive=True``)
is PDF/A-2b with the same tags (WeasyPrint's ``pdf/a-2a`` would claim tag rules that a
checker cannot confirm; 2b with valid tags claims no more than it keeps). WeasyPrint's
tagging falls short in places that ``pdf_structure.repair`` mends after writing.

Layout and writing are separate steps so that the benchmark can time them apart.
WeasyPrint (and pikepdf, in ``pdf_structure``) are imported on first use: they are slow to import
and most requests never need them.
"""

import gc
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document

logger = logging.getLogger(__name__)

LIVE_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-2b"


def _weasyprint():
    # WeasyPrint logs every layout step (and its own style sheets, at import) at INFO;
    # our INFO log is for what people do.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from planportal.lib import pdf_structure

    pdf_structure.note_html_elements()
    return weasyprint, FontConfiguration


def layout(html: str) -> "Document":
    """Lay the document out into pages: the bulk of WeasyPrint's work."""
    weasyprint, FontConfiguration = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, timeout=1)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=FontConfiguration())


def write(document: "Document", *, archive: bool = False) -> bytes:
    """The laid-out pages as tagged PDF bytes, with the fonts subset and embedded.

    Title, author and language come from the HTML's ``<title>``, ``<meta name="author">``
    and ``<html lang>``; they go into the XMP metadata too.
    """
    from planportal.lib import pdf_structure

    pdf_structure.note_html_elements()
    variant = ARCHIVE_VARIANT if archive else LIVE_VARIANT
    content = document.write_pdf(pdf_variant=variant, pdf_tags=True)
    try:
        return pdf_structure.repair(content)
    except Exception:
        # WeasyPrint's own tagging is still a tagged PDF: better that than no report.
        logger.exception("The PDF's structure could not be mended; it is served as WeasyPrint wrote it")
        return content


def html_to_pdf(html: str, *, archive: bool = False) -> bytes:
    """``html`` as a tagged PDF/UA-1 file, or with ``archive`` a tagged PDF/A-2b file.

    Python's garbage collector is paused meanwhile: layout makes millions of small objects
    that live until the PDF is written, and the collector's passes over them cost a fifth of
    the time while freeing nothing. One collection afterwards frees what the render left.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return write(layout(html), archive=archive)
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()
