"""The small Markdown that report sections are written in, rendered to safe HTML.

Paragraphs, line breaks, lists, emphasis, links and quotes — what a coordinator pastes from
a Word report. markdown-it-py renders it with raw HTML turned off, so anything a person types
in angle brackets (``<script>`` included) comes out as text; nh3 then keeps only the tags and
attributes below, so that no later change of the renderer's options can let markup through.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "em", "strong", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    # No headings, tables, images or code blocks: the report's own headings structure the
    # document, and an image would be fetched by the PDF renderer.
    return MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}
    ).disable(["heading", "lheading", "image", "code", "fence", "hr", "html_block", "html_inline"])


def render(text: str) -> SafeString:
    """``text`` in the report's Markdown as sanitised HTML ("" for an empty text)."""
    if not text or not text.strip():
        return mark_safe("")
    html = _renderer().render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    # Safe: only the tags and attributes above are left.
    return mark_safe(cleaned)
