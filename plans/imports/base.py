"""What every spreadsheet import shares: the preview of each row, and the importer's contract.

An importer reads a ``Sheet`` and classifies every row as new, changed (which
fields, old → new), unchanged, skipped or error, keeping what it would write.
Nothing touches the database until ``write()``, which the services call inside
one transaction only when no row has an error.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from planportal.lib.spreadsheets import Column, Sheet
from planportal.lib.swedish import format_number
from planportal.lib.textdiff import normalise_text

NEW, CHANGED, UNCHANGED, SKIPPED, ERROR = "new", "changed", "unchanged", "skipped", "error"


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class CellError:
    column: str  # the column's header, or "" when the error concerns the whole row
    message: str


@dataclass
class RowResult:
    number: int
    label: str = ""
    status: str = UNCHANGED
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(column, message))
        self.status = ERROR


@dataclass
class Preview:
    """What an import would do, row by row; ``error`` is set when the file could not be read at all."""

    kind: str
    file_name: str
    sha256: str
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(row.status for row in self.rows)
        return {status: counts.get(status, 0) for status in (NEW, CHANGED, UNCHANGED, SKIPPED, ERROR)}

    @property
    def has_errors(self) -> bool:
        return bool(self.error) or any(row.status == ERROR for row in self.rows)

    @property
    def can_commit(self) -> bool:
        return not self.has_errors and any(row.status != SKIPPED for row in self.rows)

    @property
    def changes_anything(self) -> bool:
        totals = self.totals
        return bool(totals[NEW] or totals[CHANGED])

    def rows_with(self, status: str) -> list[RowResult]:
        return [row for row in self.rows if row.status == status]

    @property
    def digest(self) -> str:
        """A fingerprint of what the import would do, to notice that the data changed meanwhile."""
        hasher = hashlib.sha256(self.sha256.encode())
        for row in self.rows:
            if row.status in (NEW, CHANGED, ERROR):
                hasher.update(f"{row.number}|{row.status}|{row.changes}|{row.errors}".encode())
        return hasher.hexdigest()[:32]


class SheetImporter:
    """Reads one spreadsheet format into one plan or county. Subclasses fill in the three methods."""

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    # The most rows one request previews and writes in about ten seconds on two cores, SQLite or
    # PostgreSQL (README); a larger file is refused with a message to split it, until imports run
    # as background jobs. Activities and goals are written one by one with their history.
    max_rows: ClassVar[int] = 1_000

    def classify(self, sheet: Sheet) -> list[RowResult]:
        raise NotImplementedError

    def notes(self) -> list[str]:
        return []

    def write(self, *, user, reason: str) -> None:
        """Write what ``classify`` found; called in a transaction and a history context."""
        raise NotImplementedError

    def column_header(self, key: str) -> str:
        return next(column.header for column in self.columns if column.key == key)


# Optional columns naming what a row belongs to, as an admin's export or a county's own sheet
# may have them. A row of another plan or county is refused rather than imported into this one.
PLAN_COLUMN = Column("plan", "Plan", ("handlingsplan", "plan id", "plan-id", "planens id"))
COUNTY_COLUMN = Column("county", "Län", ("county", "lan", "länskod", "län-kod", "länsbokstav"))
# Exports leave them out: an exported matrix may be imported into the next plan.
TARGET_KEYS = {PLAN_COLUMN.key, COUNTY_COLUMN.key}


def county_keys(county) -> set[str]:
    """Every way a cell may name a county: BD, 25, 0025, Norrbottens län, Norrbotten, Region Norrbotten."""
    names = {county.letter_code, county.code, f"00{county.code}", county.name, county.region_name}
    if county.name.casefold().endswith(" län"):
        short = county.name[: -len(" län")]
        names.update({short, short.removesuffix("s")})
    return {text_key(name) for name in names if name}


def target_errors(values: dict[str, Any], *, county, plan=None) -> list[CellError]:
    """Errors for a row whose Plan or Län column names another plan or county than the one being
    imported into. The file's own words are quoted; nothing of the other plan is looked up."""
    errors = []
    raw_plan = values.get("plan")
    if plan is not None and raw_plan is not None and raw_plan != "":
        text = as_text(raw_plan)
        try:
            same = plain_int(raw_plan) == plan.pk
        except (TypeError, ValueError):
            same = text_key(text) == text_key(plan.title)
        if not same:
            errors.append(
                CellError(
                    PLAN_COLUMN.header,
                    _("The row belongs to the plan “%(value)s”, not to %(plan)s.")
                    % {"value": text, "plan": plan.title},
                )
            )
    raw_county = values.get("county")
    if raw_county is not None and raw_county != "":
        text = as_text(raw_county)
        key = text_key(text.zfill(2) if text.isdigit() and len(text) < 2 else text)
        if key not in county_keys(county):
            errors.append(
                CellError(
                    COUNTY_COLUMN.header,
                    _("The row belongs to the county “%(value)s”, not to %(county)s.")
                    % {"value": text, "county": county.name},
                )
            )
    return errors


def cleaned_cells_note(sheet: Sheet, shown: int = 10) -> list[str]:
    """A note naming the cells whose invisible control characters (NUL and the like) were removed."""
    if not sheet.cleaned_cells:
        return []
    cells = ", ".join(
        _("row %(row)s (%(column)s)") % {"row": row, "column": column}
        for row, column in sheet.cleaned_cells[:shown]
    )
    if len(sheet.cleaned_cells) > shown:
        cells += " " + _("and %(count)s more") % {"count": format_number(len(sheet.cleaned_cells) - shown)}
    return [
        _("Invisible control characters, which cannot be stored, were removed from these cells: %(cells)s.")
        % {"cells": cells}
    ]


def display(value: Any) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        decimals = max(0, -value.normalize().as_tuple().exponent)
        return format_number(value, decimals)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def as_text(value: Any) -> str:
    """A cell as text: Excel may hold '2022' in a Tidsplan cell as the number 2022, or as a date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return normalise_text(str(value)).strip()


def text_key(value: str | None) -> str:
    """Text as compared for matching: case and runs of white space do not count."""
    return " ".join((value or "").split()).casefold()


def same_text(old: str | None, new: str | None) -> bool:
    return normalise_text(old or "").strip() == normalise_text(new or "").strip()


def validation_errors(error: ValidationError, headers: dict[str, str]) -> list[CellError]:
    """A model's ValidationError as errors in the columns its fields come from."""
    found = []
    for field_name, messages in error.message_dict.items():
        column = "" if field_name == NON_FIELD_ERRORS else headers.get(field_name, field_name)
        found.extend(CellError(column, message) for message in messages)
    return found


def plain_int(value: Any) -> int:
    """An integer cell: 2021, 2021.0 or ' 2021 '. Raises ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text)


def parse_date(value: Any) -> date | None:
    """A date cell: an Excel date or ISO text such as 2022-03-01. Raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
