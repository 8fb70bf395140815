"""HTML to PDF with WeasyPrint.

The HTML comes from our own templates, but much of its text comes from users, and
WeasyPrint would fetch any URL a document names (images, style sheets, fonts). Our PDF
templates inline their CSS and SVG, so the fetcher allows ``data:`` URLs only: rendering
a PDF never makes a network request and never reads a file from disk.

Layout and writing are separate steps so that the benchmark can time them apart.
WeasyPrint is imported on first use: it is slow to import and most requests never need it.
"""

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document


def _weasyprint():
    # WeasyPrint logs every layout step (and its own style sheets, at import) at INFO;
    # our INFO log is for what people do.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration


def layout(html: str) -> "Document":
    """Lay the document out into pages: the bulk of WeasyPrint's work."""
    weasyprint, FontConfiguration = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, timeout=1)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=FontConfiguration())


def write(document: "Document") -> bytes:
    """The laid-out pages as PDF bytes, with the fonts subset and embedded.

    Title, author and language come from the HTML's ``<title>``, ``<meta name="author">``
    and ``<html lang>``.
    """
    return document.write_pdf()


def html_to_pdf(html: str) -> bytes:
    return write(layout(html))
