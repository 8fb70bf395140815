"""Texts as people type them: one normal form, and word-level differences as HTML."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")
_LINE_BREAK = re.compile(r"\r\n?")
# C0 controls but tab and line breaks, DEL, and C1 controls: invisible, refused by PostgreSQL (NUL)
# and by the xlsx format, and never meant by the person who typed or pasted them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Word's manual line break, the form feed and the C1 "next line" are line breaks to a reader.
_BREAKING_CONTROLS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n"})


def strip_control_characters(value: str) -> str:
    """``value`` without control characters; the ones that break a line become a line break."""
    if not CONTROL_CHARACTERS.search(value):
        return value
    return CONTROL_CHARACTERS.sub("", value.translate(_BREAKING_CONTROLS))


def normalise_text(value: str) -> str:
    """One spelling of a text: LF line endings, no white space at the end of a line or the text,
    no control characters.

    Browsers send CRLF from a textarea and spreadsheets may hold either; without this an
    untouched field would differ from the stored one and become a new version.
    """
    lines = _LINE_BREAK.sub("\n", strip_control_characters(value)).split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def word_diff(old: str, new: str) -> SafeString:
    """``old`` → ``new`` with removed words in <del> and added words in <ins>; all text escaped."""
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    parts = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[a_start:a_end]))
        added = escape("".join(new_tokens[b_start:b_end]))
        if operation == "equal":
            parts.append(added)
            continue
        if removed.strip():
            parts.append(f"<del>{removed}</del>")
        if added.strip():
            parts.append(f"<ins>{added}</ins>")
        elif operation == "replace":
            parts.append(added)
    return mark_safe("".join(parts))
