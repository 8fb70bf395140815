"""Spreadsheet import and export of indicator values in Kolada's long shape.

One row per value: kpi (the indicator's code or Kolada id), kommun (an SCB code
such as 2480, a municipality's name, the county as 00 + its code, e.g. 0025, or
a sub-region's name), år, kön (T/K/M) and värde. Values are imported per county
and written in bulk, with history, because a county's file runs to tens of
thousands of rows.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import Gender, Indicator, IndicatorValue, ValueSource
from planportal.lib.spreadsheets import Column, Sheet
from planportal.lib.swedish import parse_number
from plans.imports.base import (
    CHANGED,
    COUNTY_COLUMN,
    ERROR,
    NEW,
    SKIPPED,
    TARGET_KEYS,
    UNCHANGED,
    FieldChange,
    RowResult,
    SheetImporter,
    as_text,
    display,
    plain_int,
    target_errors,
    text_key,
)
from plans.imports.integration import RecordedImportResource, SwedishDecimalWidget
from plans.models import County, ImportRecord, Municipality, SubRegion

GENDER_WORDS = {
    "t": "T",
    "totalt": "T",
    "total": "T",
    "alla": "T",
    "båda könen": "T",
    "k": "K",
    "kvinnor": "K",
    "kvinna": "K",
    "women": "K",
    "female": "K",
    "f": "K",
    "m": "M",
    "män": "M",
    "man": "M",
    "men": "M",
    "male": "M",
}
FOUR_PLACES = Decimal("0.0001")
BATCH_SIZE = 1000
_YEAR_FIELD = IndicatorValue._meta.get_field("year")
_VALUE_FIELD = IndicatorValue._meta.get_field("value")
AREA_FIELD = {"county": "county_id", "municipality": "municipality_id", "sub_region": "sub_region_id"}


def county_area_code(county: County) -> str:
    """Kolada's code for a county as a whole: 00 and the county's SCB code, e.g. 0025."""
    return f"00{county.code}"


class Areas:
    """Every way a row may name an area, to (kind, id, county id, name)."""

    def __init__(self, county: County) -> None:
        self.county = county
        self.counties = {county.pk: county.name for county in County.objects.all()}
        self.lookup: dict[str, tuple[str, int, int, str]] = {}
        for other in County.objects.all():
            area = ("county", other.pk, other.pk, other.name)
            for key in (county_area_code(other), other.name, other.region_name):
                self.lookup[text_key(key)] = area
        for code, name, pk, county_id in Municipality.objects.values_list("code", "name", "pk", "county_id"):
            area = ("municipality", pk, county_id, name)
            for key in (code, name, f"{name} kommun"):
                self.lookup[text_key(key)] = area
        for pk, name in SubRegion.objects.filter(county=county).values_list("pk", "name"):
            self.lookup[text_key(name)] = ("sub_region", pk, county.pk, name)

    def find(self, value: Any) -> tuple[str, int, int, str] | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(int(value)).zfill(4)
        text = str(value).strip()
        if text.isdigit() and len(text) < 4:
            text = text.zfill(4)
        return self.lookup.get(text_key(text))


class IndicatorValueImporter(SheetImporter):
    kind = ImportRecord.Kind.INDICATOR_VALUES
    columns = (
        Column("kpi", "kpi", ("indikator", "indicator", "kpi-id", "kpi id", "indikatorkod"), required=True),
        Column(
            "area",
            "kommun",
            ("municipality", "municipality id", "kommun-id", "kommunkod", "område", "area"),
            required=True,
        ),
        Column("year", "år", ("year", "period", "ar"), required=True),
        Column("gender", "kön", ("gender", "kon", "sex")),
        Column("value", "värde", ("value", "varde", "utfall"), required=True),
        # Written on export for people to read; not read back.
        Column("kpi_name", "indikatorns namn", ("indikatornamn", "kpi name")),
        Column("area_name", "områdets namn", ("kommunnamn", "area name", "municipality name")),
        COUNTY_COLUMN,
    )
    # Values are checked field by field and written in bulk: far more rows fit in a request.
    max_rows = 50_000

    def __init__(self, *, county: County) -> None:
        self.county = county
        self.headers = {column.key: column.header for column in self.columns}
        # Field values of the rows to write; instances are made only when writing.
        self.to_create: list[dict] = []
        self.to_update: list[dict] = []

    def classify(self, sheet: Sheet) -> list[RowResult]:
        indicators = self._indicators()
        areas = Areas(self.county)
        existing = self._existing({indicator.pk for indicator in indicators.values()})
        seen: dict[tuple, int] = {}
        results = []
        for row in sheet.rows:
            result = self._classify_row(row.number, row.values, indicators, areas, existing, seen)
            results.append(result)
        return results

    def _indicators(self) -> dict[str, Indicator]:
        found = {}
        # The national catalogue and this county's own indicators; the county's own code wins.
        indicators = list(
            Indicator.objects.for_county(self.county.pk).only("pk", "code", "kolada_id", "county_id")
        )
        indicators.sort(key=lambda indicator: indicator.county_id is not None)
        for indicator in indicators:
            if indicator.kolada_id:
                found.setdefault(text_key(indicator.kolada_id), indicator)
        for indicator in indicators:
            found[text_key(indicator.code)] = indicator
        return found

    def _existing(self, indicator_ids: set[int]) -> dict[tuple, tuple[int, Decimal]]:
        return existing_values(self.county, indicator_ids)

    def _classify_row(self, number, values, indicators, areas, existing, seen) -> RowResult:
        result = RowResult(number=number)
        parsed = self._read_row(values, indicators, areas, result)
        if result.status == ERROR:
            return result
        indicator, area, year, gender, value = parsed
        if value is None:
            result.status = SKIPPED
            return result
        key = (indicator.pk, area[0], area[1], year, gender)
        if key in seen:
            message = _("The same indicator, area, year and gender is also on row %(row)s.")
            result.error("", message % {"row": seen[key]})
            return result
        seen[key] = number
        found = existing.get(key)
        if found and found[1] == value:
            result.status = UNCHANGED
            return result
        # The model's own rules for these two fields; the others are valid by construction, and
        # a full_clean() per row would cost more than all the rest of the import.
        for name, model_field, raw in (("year", _YEAR_FIELD, year), ("value", _VALUE_FIELD, value)):
            try:
                model_field.clean(raw, None)
            except ValidationError as error:
                result.error(self.headers[name], " ".join(error.messages))
        if result.errors:
            return result
        row_values = {"indicator_id": indicator.pk, "year": year, "gender": gender, "value": value}
        row_values[AREA_FIELD[area[0]]] = area[1]
        if found:
            result.status = CHANGED
            result.changes = [FieldChange(self.headers["value"], display(found[1]), display(value))]
            self.to_update.append({"pk": found[0], **row_values})
        else:
            result.status = NEW
            self.to_create.append(row_values)
        return result

    def _read_row(self, values, indicators, areas, result):
        """(indicator, area, year, gender, value) of a row; errors go to ``result``."""
        headers = self.headers
        for found in target_errors(values, county=self.county):
            result.error(found.column, found.message)
        kpi = as_text(values.get("kpi"))
        indicator = indicators.get(text_key(kpi))
        if indicator is None:
            message = (
                _("Unknown indicator “%(kpi)s”.") % {"kpi": kpi} if kpi else _("The row has no indicator.")
            )
            result.error(headers["kpi"], message)
        area = areas.find(values["area"]) if values.get("area") is not None else None
        if area is None:
            message = _("Unknown municipality “%(area)s”. Write its SCB code, e.g. 2480, or its name.")
            result.error(headers["area"], message % {"area": values.get("area") or ""})
        elif area[2] != self.county.pk:
            message = _("%(area)s belongs to %(other)s, not to %(county)s.")
            names = {"area": area[3], "other": areas.counties[area[2]], "county": self.county.name}
            result.error(headers["area"], message % names)
        try:
            year = plain_int(values.get("year"))
        except (TypeError, ValueError):
            year = None
            result.error(
                headers["year"], _("“%(value)s” is not a year.") % {"value": values.get("year") or ""}
            )
        gender = GENDER_WORDS.get(text_key(str(values.get("gender") or "T")))
        if gender is None:
            message = _("Unknown gender “%(value)s”. Write T (total), K (women) or M (men).")
            result.error(headers["gender"], message % {"value": values["gender"]})
        value = self._value(values.get("value"), result)
        area_name = area[3] if area else values.get("area")
        result.label = " · ".join(str(part) for part in (kpi, area_name, year, gender) if part is not None)
        return indicator, area, year, gender, value

    def _value(self, raw: Any, result: RowResult) -> Decimal | None:
        try:
            value = parse_number(raw)
            return None if value is None else value.quantize(FOUR_PLACES)
        except (ValueError, InvalidOperation):
            result.error(self.headers["value"], _("“%(value)s” is not a number.") % {"value": raw})
            return None

    def notes(self) -> list[str]:
        return []

    def write(self, *, user, reason: str) -> None:
        write_values(
            to_create=self.to_create,
            to_update=self.to_update,
            user=user,
            reason=reason,
            source=ValueSource.IMPORTED,
        )


def existing_values(county: County, indicator_ids: set[int]) -> dict[tuple, tuple[int, Decimal]]:
    """The county's values of these indicators (the county's, its municipalities' and sub-regions'),
    keyed (indicator id, area kind, area id, year, gender) → (pk, value)."""
    in_county = Q(county=county) | Q(municipality__county=county) | Q(sub_region__county=county)
    rows = IndicatorValue.objects.filter(in_county, indicator_id__in=indicator_ids).values_list(
        "pk", "indicator_id", "county_id", "municipality_id", "sub_region_id", "year", "gender", "value"
    )
    existing = {}
    for pk, indicator_id, county_id, municipality_id, sub_region_id, year, gender, value in rows:
        if county_id:
            area = ("county", county_id)
        elif municipality_id:
            area = ("municipality", municipality_id)
        else:
            area = ("sub_region", sub_region_id)
        existing[(indicator_id, *area, year, gender)] = (pk, value)
    return existing


def write_values(
    *, to_create: list[dict], to_update: list[dict], user, reason: str, source: str | None = None
) -> None:
    """Write indicator values in bulk, with one history row each: the spreadsheet import's and
    the Kolada sync's one path. ``to_create`` holds field values; ``to_update`` the same with a
    "pk". With ``source``, every row written is marked as coming from it."""
    fields = ["value"]
    if source is not None:
        to_create = [{**row_values, "source": source} for row_values in to_create]
        to_update = [{**row_values, "source": source} for row_values in to_update]
        fields.append("source")
    if to_create:
        bulk_create_with_history(
            [IndicatorValue(**row_values) for row_values in to_create],
            IndicatorValue,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )
    if to_update:
        bulk_update_with_history(
            [IndicatorValue(**row_values) for row_values in to_update],
            IndicatorValue,
            fields,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )


def indicator_value_export(county: County) -> tuple[list[str], list[list]]:
    """The values of the county, its municipalities and its sub-regions, in the import format.

    Four queries whatever the number of values. The areas are filtered by their ids, which the
    foreign keys' indexes answer; an OR over three joins made PostgreSQL read every value of
    the country. Rows are plain tuples, sorted here: indicator, the county first, then
    municipalities by code and sub-regions by name, year, gender.
    """
    headers = [column.header for column in IndicatorValueImporter.columns if column.key not in TARGET_KEYS]
    municipalities = {
        pk: (code, name)
        for pk, code, name in Municipality.objects.filter(county=county).values_list("pk", "code", "name")
    }
    sub_regions = dict(SubRegion.objects.filter(county=county).values_list("pk", "name"))
    indicators = {
        pk: (code, name)
        for pk, code, name in Indicator.objects.for_county(county.pk).values_list("pk", "code", "name")
    }
    in_county = Q(county_id=county.pk)
    if municipalities:
        in_county |= Q(municipality_id__in=list(municipalities))
    if sub_regions:
        in_county |= Q(sub_region_id__in=list(sub_regions))
    values = (
        IndicatorValue.objects.filter(in_county)
        .order_by()
        .values_list("indicator_id", "municipality_id", "sub_region_id", "year", "gender", "value")
    )
    county_code = county_area_code(county)
    rows = []
    for indicator_id, municipality_id, sub_region_id, year, gender, value in values.iterator(chunk_size=5000):
        if indicator_id not in indicators:
            continue
        if municipality_id:
            rank, (code, name) = 1, municipalities[municipality_id]
        elif sub_region_id:
            rank, code = 2, sub_regions[sub_region_id]
            name = code
        else:
            rank, code, name = 0, county_code, county.name
        number = int(value) if value == value.to_integral() else value.normalize()
        indicator_code, indicator_name = indicators[indicator_id]
        rows.append(
            (
                (indicator_code, rank, code, year, gender),
                [indicator_code, code, year, gender, number, indicator_name, name],
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return headers, [row for _key, row in rows]


# --- Django admin (django-import-export) ------------------------------------------------------


class _GenderWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        gender = GENDER_WORDS.get(text_key(str(value or "T")))
        if gender is None:
            raise ValueError(
                _("Unknown gender “%(value)s”. Write T (total), K (women) or M (men).") % {"value": value}
            )
        return gender

    def render(self, value, obj=None, **kwargs):
        return value or Gender.TOTAL


class IndicatorValueResource(RecordedImportResource):
    """Municipalities' values in Kolada's long shape, for admins; django-import-export's row-by-row path.

    County and sub-region values are imported on the county's page, which also checks
    that every row belongs to the county.
    """

    record_kind = ImportRecord.Kind.INDICATOR_VALUES

    indicator = fields.Field("indicator", "kpi", widgets.ForeignKeyWidget(Indicator, "code"))
    municipality = fields.Field("municipality", "kommun", widgets.ForeignKeyWidget(Municipality, "code"))
    year = fields.Field("year", "år", widgets.IntegerWidget())
    gender = fields.Field("gender", "kön", _GenderWidget())
    value = fields.Field("value", "värde", SwedishDecimalWidget())

    class Meta:
        model = IndicatorValue
        fields = ("indicator", "municipality", "year", "gender", "value")
        import_id_fields = ("indicator", "municipality", "year", "gender")
        skip_unchanged = True
        report_skipped = True
