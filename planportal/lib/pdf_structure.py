"""Mend the structure tree of WeasyPrint 70's tagged PDF, after writing, with pikepdf.

WeasyPrint's ``pdf/ua-1`` tagging leaves defects that a checker and a screen reader notice;
this module mends them in the written file and is meant to be dropped, piece by piece, when
WeasyPrint does it itself:

- an element split at a page break becomes one element again (WeasyPrint tags each page's
  fragment apart), and a table's header row, repeated on each page, is an artifact after
  its first showing;
- table header cells get ``/Scope`` (Column in the header, else the ``scope`` the template
  gives them), an ID in the tree's ``/IDTree``, and the data cells ``/Headers`` naming them;
  a table's visually hidden ``<caption>`` becomes its ``/Summary``;
- running headers and footers (page margin boxes, which WeasyPrint tags but leaves out of
  the tree) and ``aria-hidden`` drawings become artifacts;
- a figure's ``/Alt`` is the template's ``data-alt`` or ``aria-label``, else the SVG's
  ``<title>`` and ``<desc>``; a link annotation's ``/Contents`` is the link's text;
- a definition list is a list of items, each a label (``<dt>``) and a body (``<dd>``);
- empty ``/Pattern`` and ``/Shading`` resource dictionaries, which PDF/A checkers refuse,
  are removed.

What the PDF no longer says — which HTML element a structure element came from, a header
cell's ``scope``, a figure's description — is noted on each structure element while
WeasyPrint tags (``note_html_elements``, a wrapper round its tag builder) under private keys
that ``repair`` reads and removes.
"""

import logging
import re
from collections import defaultdict
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# pikepdf says at INFO that it has started; our INFO log is for what people do.
logging.getLogger("pikepdf").setLevel(logging.WARNING)

# Private keys that the tagging wrapper writes and ``repair`` removes.
KEY = "/PpKey"  # the HTML element a structure element came from (an int, unique per render)
TAG = "/PpTag"  # that element's tag name
NOTE = "/PpNote"  # an SVG's title and description, a link's text, a table's hidden caption
ALT = "/PpAlt"  # data-alt (or aria-label, alt): a figure's alt text, given by it or by a box round it
SCOPE = "/PpScope"  # a header cell's scope attribute
HIDDEN = "/PpHidden"  # aria-hidden="true": drawn, but not content
WHOLE = "/PpWhole"  # [MCID, text, …]: lines of a hyphenated word, as they read with the word whole
WHOLE_TEXT = "/PpWholeText"  # all of an element's text with its hyphenated words whole
WHOLE_LINES = "/PpWholeLines"  # [first MCID, last MCID, text, …]: the lines a word runs across, whole
PRIVATE = (KEY, TAG, NOTE, ALT, SCOPE, HIDDEN, WHOLE, WHOLE_TEXT, WHOLE_LINES)
HYPHEN = "\u2010"  # what WeasyPrint adds where it hyphenates a word (hyphenate-character)

SVG = "{http://www.w3.org/2000/svg}"
_SPACES = re.compile(r"\s+")
_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
_LAYOUT = b"/Artifact <</Type /Layout>> BDC"


def _text(element) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _notes(html) -> dict:
    """What the PDF will not say about the HTML element ``html``, as private keys."""
    import pydyf

    tag = html.tag if isinstance(html.tag, str) else ""
    # pydyf writes a string that starts with a slash as a name.
    notes = {TAG[1:]: "/" + tag.removeprefix(SVG) if tag else None}
    if html.get("aria-hidden") == "true":
        notes[HIDDEN[1:]] = "true"
    if tag == "th" and html.get("scope"):
        notes[SCOPE[1:]] = "/" + re.sub(r"\W", "", html.get("scope"))
    alt = html.get("data-alt")
    if tag in (f"{SVG}svg", "img"):
        alt = alt or html.get("aria-label") or html.get("alt")
    if alt and alt.strip():
        notes[ALT[1:]] = pydyf.String(_SPACES.sub(" ", alt).strip())
    note = None
    if tag == f"{SVG}svg":
        parts = [_text(child) for child in html if child.tag in (f"{SVG}title", f"{SVG}desc")]
        note = " ".join(part.rstrip(".") + "." for part in parts if part)
    elif tag == "a":
        note = html.get("aria-label") or _text(html)
    elif tag == "table":
        caption = next((child for child in html if child.tag == "caption"), None)
        if caption is not None and "visually-hidden" in _classes(caption):
            note = _text(caption)
    if note:
        notes[NOTE[1:]] = pydyf.String(note)
    return {key: value for key, value in notes.items() if value is not None}


def _whole_words(box, tags: dict):
    """``box``'s text with its hyphenated words whole (``/ActualText``), as [MCID, text, …] for
    the lines a word runs across (the line that ends in the hyphen reads as the whole word, the
    next without the word's end), and as one text when the box holds nothing but lines of text.

    ``tags`` maps each text box to its marked content (WeasyPrint's own map, read before its tag
    builder takes the box's entries out).
    """
    import pydyf
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    lines = [
        (tags[text]["mcid"], text.text)
        for child in getattr(box, "children", ())
        for text in (child.children if isinstance(child, LineBox) else [child])
        if isinstance(text, TextBox) and text in tags
    ]
    if not any(text.endswith(HYPHEN) for _, text in lines):
        return None, None, None
    only_text = all(
        isinstance(child, LineBox) and all(isinstance(text, TextBox) for text in child.children)
        for child in box.children
    )
    actual = [text for _, text in lines]
    whole_lines = pydyf.Array()
    for index in range(len(actual)):
        following = index + 1
        while actual[index].endswith(HYPHEN) and following < len(actual):
            end = re.match(r"\S*", actual[following]).group(0)
            actual[index] = actual[index][: -len(HYPHEN)] + end
            actual[following] = actual[following][len(end) :].lstrip()
            following += 1
        if following > index + 1:
            text = " ".join(line for line in actual[index:following] if line)
            whole_lines += [lines[index][0], lines[following - 1][0], pydyf.String(text)]
    whole = pydyf.Array()
    for (mcid, text), reads in zip(lines, actual, strict=True):
        if reads != text:
            whole += [mcid, pydyf.String(reads)]
    whole_text = pydyf.String(" ".join(line for line in actual if line)) if only_text else None
    return whole, whole_text, whole_lines


def note_html_elements() -> None:
    """Make WeasyPrint note on each structure element where it came from (once per process).

    WeasyPrint builds the tree in ``weasyprint.pdf.tags._build_box_tree``, a recursive
    generator that yields each structure element it makes for a box; the wrapper adds the
    box's HTML element as private keys. Without that function (another WeasyPrint) nothing
    is noted and ``repair`` mends less: the tests say so.
    """
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "planportal", False):
        return

    def build_box_tree(box, *args):
        inner = getattr(box, "_box", box)  # an absolutely placed box is wrapped
        html = inner.element
        whole, whole_text, whole_lines = _whole_words(inner, args[-1])
        for element in original(box, *args):
            if html is not None and KEY[1:] not in element:
                element[KEY[1:]] = id(html)
                element.update(_notes(html))
                if whole:
                    element[WHOLE[1:]] = whole
                if whole_text:
                    element[WHOLE_TEXT[1:]] = whole_text
                elif whole_lines:
                    element[WHOLE_LINES[1:]] = whole_lines
            yield element

    build_box_tree.planportal = True
    tags._build_box_tree = build_box_tree


# Reading the tree back


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(kid) -> bool:
    return (
        isinstance(kid, Dictionary)
        and kid.get("/Type", Name("/StructElem")) == Name("/StructElem")
        and ("/S" in kid)
    )


def _role(element) -> str:
    return str(element.get("/S", ""))


def _key(element):
    return int(element[KEY]) if KEY in element else None


def _html_tag(element) -> str:
    return str(element.get(TAG, "/"))[1:]


class _Repair:
    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.page_index = {page.objgen: n for n, page in enumerate(pdf.pages)}
        # (page index, MCID) of content to mark as a layout artifact rather than pagination.
        self.layout_artifacts: set[tuple[int, int]] = set()
        self.header_ids: list[tuple[str, Dictionary]] = []
        # (page index, MCID) → the text a line of a hyphenated word reads as.
        self.actual_texts: dict[tuple[int, int], str] = {}

    # -- merging the fragments of one element -------------------------------------------------

    def set_kids(self, element: Dictionary, kids: list) -> None:
        element.K = Array(kids)

    def absorb(self, first: Dictionary, later: Dictionary) -> None:
        """Move ``later``'s kids (a fragment of the same element on a later page) into ``first``."""
        for fragment in (first, later):
            if WHOLE in fragment:
                self.whole_words(fragment, fragment_only=True)
        kids = _kids(first)
        page = later.get("/Pg")
        for kid in _kids(later):
            if isinstance(kid, int):
                # A marked-content number belongs to the element's page: say which page it is.
                kid = self.pdf.make_indirect(Dictionary(Type=Name.MCR, Pg=page, MCID=int(kid)))
            elif _is_element(kid):
                kid.P = first
            kids.append(kid)
        self.set_kids(first, kids)

    def unwrap_anonymous(self, element: Dictionary) -> list:
        """``element``'s kids, with those made for an anonymous box of its own HTML element (an
        inline ``<svg>`` wrapped in a block, a link's ``::after``, a cell's inner block) replaced by
        what they hold."""
        kids = []
        for kid in _kids(element):
            if (
                _is_element(kid)
                and _key(kid) is not None
                and _key(kid) == _key(element)
                and _role(kid) in (_role(element), "/NonStruct")
            ):
                for inner in self.unwrap_anonymous(kid):
                    if isinstance(inner, int) and kid.get("/Pg") != element.get("/Pg"):
                        inner = self.pdf.make_indirect(Dictionary(Type=Name.MCR, Pg=kid.Pg, MCID=inner))
                    elif _is_element(inner):
                        inner.P = element
                    kids.append(inner)
            else:
                kids.append(kid)
        return kids

    def merge_fragments(self, element: Dictionary) -> None:
        kids = self.unwrap_anonymous(element)
        if _role(element) == "/Table":
            kids = self.drop_repeated_groups(kids)
        merged: list = []
        for kid in kids:
            previous = merged[-1] if merged else None
            if (
                _is_element(kid)
                and previous is not None
                and _is_element(previous)
                and _key(kid) is not None
                and _key(kid) == _key(previous)
                and _role(kid) == _role(previous)
            ):
                self.absorb(previous, kid)
                if _role(previous) == "/Table":
                    self.set_kids(previous, self.drop_repeated_groups(_kids(previous)))
                continue
            merged.append(kid)
        self.set_kids(element, merged)
        for kid in merged:
            if _is_element(kid):
                self.merge_fragments(kid)

    def drop_repeated_groups(self, kids: list) -> list:
        """A table's header rows after their first showing, its footer rows before their last."""
        seen_heads, kept = set(), []
        for kid in kids:
            if _is_element(kid) and _role(kid) == "/THead" and _key(kid) is not None:
                if _key(kid) in seen_heads:
                    continue  # left out of the tree: its content becomes an artifact
                seen_heads.add(_key(kid))
            kept.append(kid)
        last_foot = {}
        for index, kid in enumerate(kept):
            if _is_element(kid) and _role(kid) == "/TFoot" and _key(kid) is not None:
                last_foot[_key(kid)] = index
        return [
            kid
            for index, kid in enumerate(kept)
            if not (_is_element(kid) and _role(kid) == "/TFoot" and last_foot.get(_key(kid)) != index)
        ]

    # -- element by element --------------------------------------------------------------------

    def mend(self, element: Dictionary, alt: str = "") -> None:
        """Mend ``element`` and what it holds; ``alt``: the alt text a box round it gives."""
        role = _role(element)
        alt = str(element[ALT]) if ALT in element else alt
        kids = []
        for kid in _kids(element):
            if _is_element(kid) and HIDDEN in kid:
                self.hide(kid)
                continue
            kids.append(kid)
        if len(kids) != len(_kids(element)):
            self.set_kids(element, kids)
        if role == "/L" and _html_tag(element) == "dl":
            self.definition_list(element)
        elif role == "/Table":
            self.table(element)
        elif role == "/Figure" and (alt or NOTE in element):
            element.Alt = String(alt or str(element[NOTE]))
        elif role == "/NonStruct" and _html_tag(element) == "nav":
            element.S = Name.Sect
        if WHOLE in element:
            self.whole_words(element)
        for kid in _kids(element):
            if _is_element(kid):
                self.mend(kid, alt)

    def whole_words(self, element: Dictionary, *, fragment_only: bool = False) -> None:
        """A hyphenated word reads whole: the element's text, or else each line's (each line is a
        Span of its own), as /ActualText; and each line's in the content, for text extraction.

        ``fragment_only``: the element is one page's fragment, about to be joined to another;
        its text goes on a Span round what it holds now, not on the element.
        """
        notes = list(element[WHOLE])
        reads = {int(notes[n]): str(notes[n + 1]) for n in range(0, len(notes), 2)}
        for kid in _kids(element):
            if _is_element(kid) and _role(kid) == "/Span" and kid.get("/Pg") == element.get("/Pg"):
                marked = _kids(kid)
                if len(marked) == 1 and isinstance(marked[0], int) and marked[0] in reads:
                    page = self.page_index[kid.Pg.objgen]
                    self.actual_texts[page, marked[0]] = reads[marked[0]]
        if WHOLE_TEXT in element and fragment_only:
            group = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span, P=element))
            group.Pg, group.K = element.Pg, Array(_kids(element))
            group.ActualText = String(str(element[WHOLE_TEXT]))
            for kid in _kids(group):
                if _is_element(kid):
                    kid.P = group
            self.set_kids(element, [group])
        elif WHOLE_TEXT in element:
            element.ActualText = String(str(element[WHOLE_TEXT]))
        elif WHOLE_LINES in element:
            self.group_lines(element)
        for key in (WHOLE, WHOLE_TEXT, WHOLE_LINES):
            if key in element:
                del element[key]

    def group_lines(self, element: Dictionary) -> None:
        """The lines a hyphenated word runs across, as one Span whose /ActualText has the word whole
        (where the element holds more than text, so that its own /ActualText would hide that)."""
        notes = list(element[WHOLE_LINES])
        groups = {int(notes[n]): (int(notes[n + 1]), str(notes[n + 2])) for n in range(0, len(notes), 3)}

        def mcid(kid) -> int | None:
            if _is_element(kid) and _role(kid) == "/Span" and kid.get("/Pg") == element.get("/Pg"):
                marked = _kids(kid)
                if len(marked) == 1 and isinstance(marked[0], int):
                    return marked[0]
            return None

        kids, grouping = [], None
        for kid in _kids(element):
            number = mcid(kid)
            if grouping is None and number in groups:
                last, text = groups[number]
                grouping = self.pdf.make_indirect(
                    Dictionary(Type=Name.StructElem, S=Name.Span, P=element, Pg=element.Pg, K=Array())
                )
                grouping.ActualText = String(text)
                kids.append(grouping)
            if grouping is not None:
                kid.P = grouping
                grouping.K.append(kid)
                if number == last:
                    grouping = None
                continue
            kids.append(kid)
        self.set_kids(element, kids)

    def hide(self, element: Dictionary) -> None:
        """Leave a drawing out of the tree; its content becomes a layout artifact."""
        for page, mcid in self.marked_content(element):
            self.layout_artifacts.add((page, mcid))

    def definition_list(self, element: Dictionary) -> None:
        """L → LI (a ``<div>`` of terms and descriptions, or a term) → Lbl (dt) and LBody (dd).

        WeasyPrint wraps each dt and dd in an LI of its own, inside the ``<div>``'s Div.
        """
        items: list = []
        for kid in _kids(element):
            if not _is_element(kid):
                items.append(kid)
            elif _html_tag(kid) in ("dt", "dd"):
                # Terms and descriptions straight in the list: a term starts an item.
                if _html_tag(kid) == "dt" or not items or not _is_element(items[-1]):
                    kid.S = Name.LI
                    self.set_kids(kid, self.unwrap_terms(kid))
                    items.append(kid)
                else:
                    parts = self.unwrap_terms(kid)
                    for part in parts:
                        if _is_element(part):
                            part.P = items[-1]
                    self.set_kids(items[-1], _kids(items[-1]) + parts)
            elif _html_tag(kid) == "div":
                kid.S = Name.LI
                parts = [part for child in _kids(kid) for part in self.unwrap_terms(child)]
                self.set_kids(kid, self.fold_strays(parts))
                items.append(kid)
            elif items and _is_element(items[-1]) and _kids(items[-1]):
                # Text between the items (a space): it goes with the item before.
                last = _kids(items[-1])[-1]
                if _is_element(last):
                    kid.P = last
                    self.set_kids(last, [*_kids(last), kid])
            else:
                items.append(kid)
        self.set_kids(element, items)

    def fold_strays(self, parts: list) -> list:
        """An item holds only its label and body: anything else (a ``::before`` separator) joins
        the label or body next to it."""
        kept = [part for part in parts if _is_element(part) and _role(part) in ("/Lbl", "/LBody")]
        if not kept:
            return parts
        for index, part in enumerate(parts):
            if part in kept or not _is_element(part):
                continue
            before = [kept_part for kept_part in kept if parts.index(kept_part) < index]
            host = before[-1] if before else kept[0]
            part.P = host
            host_kids = _kids(host)
            self.set_kids(host, [*host_kids, part] if before else [part, *host_kids])
        return kept

    def unwrap_terms(self, wrapper) -> list:
        """A dt's or dd's LI wrapper as the Lbl or LBody it holds (tagged by what it came from)."""
        if not _is_element(wrapper) or _html_tag(wrapper) not in ("dt", "dd"):
            return [wrapper]
        parts = []
        for part in _kids(wrapper) if _role(wrapper) == "/LI" else [wrapper]:
            if _is_element(part):
                part.S = Name.Lbl if _html_tag(wrapper) == "dt" else Name.LBody
                part.P = wrapper.get("/P", wrapper)
            parts.append(part)
        return parts

    def table(self, table: Dictionary) -> None:
        """Header cells get a scope and an ID, data cells the IDs of their headers."""
        if NOTE in table:
            attributes = table.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = Dictionary(O=Name.Table)
                table.A = attributes
            attributes.Summary = String(str(table[NOTE]))
        column_headers: dict[int, list] = defaultdict(list)
        for group, row in self.rows(table):
            column, row_headers, data_cells = 0, [], []
            for cell in _kids(row):
                if not _is_element(cell) or _role(cell) not in ("/TH", "/TD"):
                    continue
                attributes = cell.get("/A")
                if not isinstance(attributes, Dictionary):
                    attributes = Dictionary(O=Name.Table)
                    cell.A = attributes
                span = int(attributes.get("/ColSpan", 1))
                columns = range(column, column + span)
                column += span
                if _role(cell) == "/TD":
                    data_cells.append((cell, columns))
                    continue
                scope = str(cell.get(SCOPE, "/"))[1:]
                if scope not in ("row", "col", "both"):
                    scope = "col" if group == "/THead" else "row"
                attributes.Scope = {"row": Name.Row, "col": Name.Column, "both": Name.Both}[scope]
                header_id = f"th{len(self.header_ids) + 1:06d}"
                cell.ID = String(header_id)
                self.header_ids.append((header_id, cell))
                if scope in ("row", "both"):
                    row_headers.append(header_id)
                if scope in ("col", "both"):
                    for index in columns:
                        column_headers[index].append(header_id)
            for cell, columns in data_cells:
                headers = row_headers + [header for index in columns for header in column_headers[index]]
                if headers:
                    cell.A.Headers = Array([String(header) for header in headers])
                elif "/Headers" in cell.A:
                    del cell.A["/Headers"]

    def rows(self, table: Dictionary):
        for kid in _kids(table):
            if not _is_element(kid):
                continue
            if _role(kid) == "/TR":
                yield "/TBody", kid
            elif _role(kid) in ("/THead", "/TBody", "/TFoot"):
                for row in _kids(kid):
                    if _is_element(row) and _role(row) == "/TR":
                        yield _role(kid), row

    # -- content, pages and annotations ---------------------------------------------------------

    def marked_content(self, element: Dictionary, page=None):
        """(page index, MCID) of every piece of content under ``element``."""
        page = element.get("/Pg", page)
        for kid in _kids(element):
            if isinstance(kid, int):
                yield self.page_index[page.objgen], int(kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                yield self.page_index[kid.get("/Pg", page).objgen], int(kid.MCID)
            elif _is_element(kid):
                yield from self.marked_content(kid, page)

    def walk(self, element: Dictionary):
        yield element
        for kid in _kids(element):
            if _is_element(kid):
                yield from self.walk(kid)

    def parent_tree(self, root: Dictionary) -> None:
        """Rebuild the tree's map of content to elements; content in no element becomes an artifact."""
        owners: dict[int, dict[int, Dictionary]] = defaultdict(dict)
        annotations: dict[int, Dictionary] = {}
        for element in self.walk(root):
            page = element.get("/Pg")
            for kid in _kids(element):
                if isinstance(kid, int):
                    owners[self.page_index[page.objgen]][int(kid)] = element
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                    owners[self.page_index[kid.get("/Pg", page).objgen]][int(kid.MCID)] = element
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                    annotation = kid.Obj
                    if "/StructParent" in annotation:
                        annotations[int(annotation.StructParent)] = element
                    if NOTE in element and str(element[NOTE]):
                        annotation.Contents = String(str(element[NOTE]))
        numbers = Array()
        for index, page in enumerate(self.pdf.pages):
            self.artifacts(page, index, owners[index])
            if owners[index]:
                page.obj.StructParents = index
                highest = max(owners[index])
                numbers.append(index)
                numbers.append(Array([owners[index].get(mcid) for mcid in range(highest + 1)]))
            elif "/StructParents" in page.obj:
                del page.obj["/StructParents"]
        for number in sorted(annotations):
            numbers.append(number)
            numbers.append(annotations[number])
        root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=numbers))
        root.ParentTreeNextKey = max([len(self.pdf.pages), *(number + 1 for number in annotations)])

    def artifacts(self, page: pikepdf.Page, index: int, owned: dict) -> None:
        """Marked content that no element owns (margin boxes, repeated headers, hidden drawings)
        becomes an artifact."""

        def replace(match: re.Match) -> bytes:
            mcid = int(match.group(2))
            if mcid not in owned:
                return _LAYOUT if (index, mcid) in self.layout_artifacts else _PAGINATION
            if (index, mcid) in self.actual_texts:
                # In the content too, for text extraction that reads no structure (pdftotext).
                text = self.actual_texts[index, mcid].encode("utf-16-be").hex().upper()
                return b"/%s <</MCID %d /ActualText <FEFF%s>>> BDC" % (match.group(1), mcid, text.encode())
            return match.group(0)

        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, Array) else [contents] if contents else []
        for stream in streams:
            data = stream.read_bytes()
            mended = _MARKED.sub(replace, data)
            if mended != data:
                stream.write(mended)


def _mend_annotations(pdf: pikepdf.Pdf) -> None:
    """Every link says where it goes and is printed (PDF/UA and PDF/A both ask)."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            annotation.F = int(annotation.get("/F", 0)) | 4
            if "/Contents" not in annotation:
                action = annotation.get("/A")
                if isinstance(action, Dictionary) and "/URI" in action:
                    annotation.Contents = String(str(action.URI))


def _drop_empty_resources(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint gives every page and drawing an empty /Pattern and /Shading; PDF/A checkers refuse them."""
    for holder in [page.obj for page in pdf.pages] + list(pdf.objects):
        if not isinstance(holder, Dictionary | pikepdf.Stream):
            continue
        resources = holder.get("/Resources")
        if not isinstance(resources, Dictionary):
            continue
        for name in ("/Pattern", "/Shading"):
            if name in resources and isinstance(resources[name], Dictionary) and not resources[name].keys():
                del resources[name]


def _drop_private_keys(pdf: pikepdf.Pdf, root: Dictionary) -> None:
    for element in _Repair(pdf).walk(root):
        for key in PRIVATE:
            if key in element:
                del element[key]


def repair(content: bytes) -> bytes:
    """``content`` (a PDF WeasyPrint wrote with tags) with its structure mended, as bytes."""
    with pikepdf.open(BytesIO(content)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            mending = _Repair(pdf)
            for top in _kids(root):
                mending.merge_fragments(top)
                mending.mend(top)
            mending.parent_tree(root)
            if mending.header_ids:
                root.IDTree = pdf.make_indirect(
                    Dictionary(Names=Array([item for pair in mending.header_ids for item in pair]))
                )
            _drop_private_keys(pdf, root)
        _mend_annotations(pdf)
        _drop_empty_resources(pdf)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
