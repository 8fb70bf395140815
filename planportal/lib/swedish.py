"""Swedish order and Swedish numbers.

Neither SQLite's nor PostgreSQL's default collation puts Å, Ä and Ö after Z.
PostgreSQL has the ICU collation ``sv-SE-x-icu``; on SQLite we register a
collation named ``sv`` backed by ``swedish_sort_key``. ``SwedishCollate``
picks the right one for the connection at hand.
"""

import functools
import re
from decimal import Decimal, InvalidOperation

from django.db.models.functions import Collate

NBSP = "\u00a0"

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzåäö"
_RANK = {char: rank for rank, char in enumerate(_ALPHABET)}
# Letters that Swedish dictionaries file with another letter.
_FOLD = {"æ": "ä", "ø": "ö", "ü": "y", "é": "e", "è": "e", "à": "a", "á": "a", "ç": "c", "ñ": "n"}


def swedish_sort_key(value: str | None) -> tuple:
    text = (value or "").casefold()
    primary = tuple(_RANK.get(_FOLD.get(char, char), 100 + ord(char)) for char in text)
    return (primary, text)


def _sqlite_collation(left: str, right: str) -> int:
    left_key, right_key = swedish_sort_key(left), swedish_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@functools.lru_cache(maxsize=256)
def _like_pattern(pattern: str, escape: str | None) -> re.Pattern:
    parts = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _sqlite_like(pattern: str | None, value: str | None, escape: str | None = None) -> bool | None:
    """SQLite's LIKE, but case-insensitive for Å, Ä and Ö too (SQLite's own knows only ASCII)."""
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape).fullmatch(str(value)) is not None


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: teach SQLite Swedish order and Swedish case-insensitive search."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation("sv", _sqlite_collation)
        connection.connection.create_function("like", 2, _sqlite_like, deterministic=True)
        connection.connection.create_function("like", 3, _sqlite_like, deterministic=True)


class SwedishCollate(Collate):
    """``ORDER BY name COLLATE <Swedish>`` on either database."""

    def __init__(self, expression):
        super().__init__(expression, "sv")

    def as_postgresql(self, compiler, connection, **extra_context):
        extra_context["collation"] = connection.ops.quote_name("sv-SE-x-icu")
        return self.as_sql(compiler, connection, **extra_context)


def swedish_order(*field_names: str) -> list:
    """Order-by expressions for ``field_names`` in Swedish order (``-name`` for descending)."""
    ordering = []
    for name in field_names:
        descending = name.startswith("-")
        expression = SwedishCollate(name.lstrip("-"))
        ordering.append(expression.desc() if descending else expression.asc())
    return ordering


def _group_thousands(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NBSP.join(groups)


def format_number(value, decimals: int = 0) -> str:
    """1774000 → '1 774 000'; 12.5 with decimals=1 → '12,5' (non-breaking spaces)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum)
    sign = "−" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + _group_thousands(whole)
    return f"{text},{fraction}" if fraction else text


def format_sek(value) -> str:
    """1774000 → '1 774 000 kr'."""
    if value is None or value == "":
        return ""
    return f"{format_number(value)}{NBSP}kr"


def format_percent(value, decimals: int = 1) -> str:
    """12.5 → '12,5 %'."""
    if value is None or value == "":
        return ""
    return f"{format_number(value, decimals)}{NBSP}%"


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"(kr|sek|:-)\.?$", re.IGNORECASE)


def parse_number(text) -> Decimal | None:
    """Read a number as Swedish spreadsheets write it: '1 234,5', '450 000 kr', '-12', '12,5 %'.

    Returns None for an empty cell and raises ValueError for anything that is not a number.
    """
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Decimal(str(text))
    cleaned = str(text).strip()
    if not cleaned:
        return None
    cleaned = cleaned.rstrip("%").strip()
    cleaned = _CURRENCY.sub("", cleaned).strip()
    cleaned = _SPACES.sub("", cleaned).replace("−", "-")
    if "," in cleaned and "." in cleaned:
        # "1.234,5" (dots as thousands) — the comma is the decimal mark.
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number
