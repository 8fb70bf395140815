"""Move one county's plans, with their whole history, from one database to another.

``export_county`` writes everything that belongs to a county — sub-regions, abbreviations,
memberships, plans, priority areas, goals, activities and their links, follow-ups, reports
with their approved PDFs, funding, the county's indicator values and targets — and every
historical version of those rows (deleted objects included) into one JSON document.
``import_county`` writes it into another database where the county has no data yet.

Rows keep their field values and their history keeps its dates, users and reasons. Primary
keys are renumbered: each table gets fresh ids from the target's own sequence, handed out in
the old order, and every reference is translated. What is national rather than the county's
— counties, municipalities, focus areas, organisations, users, indicator definitions — is
matched by natural key (letter code, SCB code, number, name, username, indicator code).
Users missing in the target become None (a membership of a missing user is left out);
organisations and indicators missing in the target are created.

``canonical`` turns an export into a form without database ids, so that an export taken
before a move and one taken after it compare equal.
"""

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from activities.models import Activity, ActivityFollowUp
from indicators.models import Indicator, IndicatorBaseline, IndicatorTarget, IndicatorValue
from planportal.lib.history import history_context
from plans.models import (
    Abbreviation,
    County,
    FocusArea,
    FollowUpReport,
    FundingAllocation,
    Goal,
    Membership,
    Municipality,
    Organisation,
    Plan,
    PriorityArea,
    ReportComment,
    ReportRevision,
    ReportSection,
    SubRegion,
)

FORMAT = "planportal-county"
VERSION = 1

# The county's own rows, in an order that inserts parents before children.
OWNED: list[type[models.Model]] = [
    SubRegion,
    Abbreviation,
    Membership,
    Plan,
    PriorityArea,
    Goal,
    Activity,
    ActivityFollowUp,
    FollowUpReport,
    ReportSection,
    ReportComment,
    ReportRevision,
    FundingAllocation,
    IndicatorValue,
    IndicatorTarget,
    IndicatorBaseline,
]
# Link tables exported with their owner; the indicator–goal links only for the county's goals.
THROUGH: list[type[models.Model]] = [
    SubRegion.municipalities.through,
    Activity.goals.through,
    Activity.lead_organisations.through,
    Activity.sub_regions.through,
    Indicator.goals.through,
    Indicator.activities.through,
]
# Referenced, never owned: resolved in the target by these natural keys.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "plans.county": ("letter_code",),
    "plans.focusarea": ("number",),
    "plans.municipality": ("code",),
    "plans.organisation": ("name", "short_name", "kind", "county"),
    "auth.user": ("username",),
    "indicators.indicator": (
        "code",
        "name",
        "unit",
        "kind",
        "source",
        "kolada_id",
        "desired_direction",
        "description",
        "county",
    ),
}


class TransferError(Exception):
    """The file cannot be imported here; nothing was changed."""


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _history_models(model: type[models.Model]) -> list[type[models.Model]]:
    """The historical model of ``model`` and those of its tracked many-to-many links."""
    manager = getattr(model, "history", None)
    if manager is None:
        return []
    history = manager.model
    m2m = [
        candidate
        for candidate in history._meta.apps.get_models()
        if getattr(candidate, "instance_type", None) is not None
        and candidate is not history
        and any(
            field.is_relation and field.related_model is history
            for field in candidate._meta.concrete_fields
            if field.name == "history"
        )
    ]
    return [history, *m2m]


def _tables() -> list[type[models.Model]]:
    """Every table an export holds, in insertion order."""
    histories = [history for model in OWNED for history in _history_models(model)]
    return [*OWNED, *THROUGH, *histories]


def _is_history(model: type[models.Model]) -> bool:
    return getattr(model, "instance_type", None) is not None


def _targets(model: type[models.Model]) -> dict[str, str]:
    """For each column that holds an id, the table whose ids it holds (by label)."""
    targets = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            targets[field.attname] = label(model)
        elif _is_history(model) and field.attname == "id":
            targets["id"] = label(model.instance_type)
        elif field.is_relation:
            targets[field.attname] = label(field.related_model)
    return targets


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# ---------------------------------------------------------------------------------------- export


def _filters(county: County) -> dict[type[models.Model], Q]:
    """Which rows (current and historical alike) belong to ``county``."""

    def ids(model: type[models.Model], condition: Q) -> set[int]:
        live = model.objects.filter(condition).values_list("id", flat=True)
        return set(live) | set(model.history.filter(condition).values_list("id", flat=True))

    plans = ids(Plan, Q(county_id=county.pk))
    sub_regions = ids(SubRegion, Q(county_id=county.pk))
    activities = ids(Activity, Q(plan_id__in=plans))
    goals = ids(Goal, Q(plan_id__in=plans))
    municipalities = set(county.municipalities.values_list("id", flat=True))
    in_county = Q(county_id=county.pk)
    in_plans = Q(plan_id__in=plans)
    in_reports = Q(report_id__in=ids(FollowUpReport, in_plans))
    return {
        SubRegion: in_county,
        Abbreviation: in_county,
        Membership: in_county,
        Plan: in_county,
        PriorityArea: in_plans,
        Goal: in_plans,
        Activity: in_plans,
        ActivityFollowUp: Q(activity_id__in=activities),
        FollowUpReport: in_plans,
        ReportSection: in_reports,
        ReportComment: in_reports,
        ReportRevision: in_reports,
        FundingAllocation: in_county,
        IndicatorValue: in_county | Q(municipality_id__in=municipalities) | Q(sub_region_id__in=sub_regions),
        IndicatorTarget: in_county,
        IndicatorBaseline: in_county,
        SubRegion.municipalities.through: Q(subregion_id__in=sub_regions),
        Activity.goals.through: Q(activity_id__in=activities),
        Activity.lead_organisations.through: Q(activity_id__in=activities),
        Activity.sub_regions.through: Q(activity_id__in=activities),
        Indicator.goals.through: Q(goal_id__in=goals),
        Indicator.activities.through: Q(activity_id__in=activities),
    }


def _rows(queryset: models.QuerySet, model: type[models.Model]) -> list[dict[str, Any]]:
    columns = [field.attname for field in model._meta.concrete_fields]
    pk = model._meta.pk.attname
    return [
        {name: _plain(value) for name, value in row.items()}
        for row in queryset.order_by(pk).values(*columns).iterator(chunk_size=5000)
    ]


def _natural_row(model: type[models.Model], obj: models.Model) -> dict[str, Any]:
    row = {}
    for name in NATURAL_KEYS[label(model)]:
        value = getattr(obj, name)
        row[name] = value.letter_code if isinstance(value, County) else value
    return row


def export_county(county: County) -> dict[str, Any]:
    """Everything of ``county``, with its history, as one JSON-ready document."""
    filters = _filters(county)
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in _tables():
        if _is_history(model) and model.instance_type in filters and model.instance_type in OWNED:
            rows = _rows(model.objects.filter(filters[model.instance_type]), model)
        elif _is_history(model):
            # A tracked link's versions go with the versions of the object that has the link.
            owner = next(
                field.related_model for field in model._meta.concrete_fields if field.name == "history"
            )
            versions = owner.objects.filter(filters[owner.instance_type]).values("history_id")
            rows = _rows(model.objects.filter(history_id__in=versions), model)
        else:
            rows = _rows(model.objects.filter(filters[model]), model)
        tables[label(model)] = rows

    # The national rows the county's rows point at, by natural key.
    wanted_ids: dict[str, set[int]] = {name: set() for name in NATURAL_KEYS}
    for model in _tables():
        for column, target in _targets(model).items():
            if target in wanted_ids:
                wanted_ids[target].update(
                    row[column] for row in tables[label(model)] if row[column] is not None
                )
    wanted_ids["plans.county"].add(county.pk)
    natural: dict[str, dict[str, dict[str, Any]]] = {}
    for name, id_set in wanted_ids.items():
        model = get_user_model() if name == "auth.user" else _model_by_label(name)
        natural[name] = {
            str(obj.pk): _natural_row(model, obj) for obj in model._default_manager.filter(pk__in=id_set)
        }

    files: dict[str, str] = {}
    for table in (label(ReportRevision),):
        for row in tables[table]:
            name = row["pdf"]
            if name and name not in files and default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    files[name] = base64.b64encode(handle.read()).decode("ascii")

    return {
        "format": FORMAT,
        "version": VERSION,
        "county": county.letter_code,
        "exported_at": timezone.now().isoformat(),
        "natural": natural,
        "tables": tables,
        "files": files,
    }


def _model_by_label(name: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(name)


# ---------------------------------------------------------------------------------------- import


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys from the table's own sequence, ascending, never handed out again."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables never reuse an id below sqlite_sequence.seq.
            cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {table}")
            top = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            start = max(top, found[0] if found else 0) + 1
            end = start + count - 1
            if found:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [end, table])
            else:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, end])
            return list(range(start, end + 1))
    raise TransferError(f"Moving a county is not supported on {connection.vendor}.")


def _resolve_natural(data: dict[str, Any], reason: str) -> dict[str, dict[int, int | None]]:
    """Old id → id in this database for every national row the file refers to."""
    natural = data["natural"]
    resolved: dict[str, dict[int, int | None]] = {}

    counties = {county.letter_code: county.pk for county in County.objects.all()}
    resolved["plans.county"] = {
        int(old): counties.get(row["letter_code"]) for old, row in natural["plans.county"].items()
    }
    if counties.get(data["county"]) is None:
        raise TransferError(
            f"The county {data['county']} is not in this database; load the national data first."
        )

    areas = dict(FocusArea.objects.values_list("number", "pk"))
    resolved["plans.focusarea"] = {
        int(old): areas.get(row["number"]) for old, row in natural["plans.focusarea"].items()
    }

    codes = [row["code"] for row in natural["plans.municipality"].values()]
    municipalities = dict(Municipality.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = sorted(set(codes) - set(municipalities))
    if missing:
        raise TransferError(
            f"Municipalities missing in this database: {', '.join(missing[:10])}; "
            "load the national data first."
        )
    resolved["plans.municipality"] = {
        int(old): municipalities[row["code"]] for old, row in natural["plans.municipality"].items()
    }

    users = dict(get_user_model()._default_manager.values_list("username", "pk"))
    resolved["auth.user"] = {
        int(old): users.get(row["username"]) for old, row in natural["auth.user"].items()
    }

    with history_context(reason=reason):
        resolved["plans.organisation"] = {}
        for old, row in natural["plans.organisation"].items():
            organisation = Organisation.objects.filter(name=row["name"]).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=row["name"],
                    short_name=row["short_name"],
                    kind=row["kind"],
                    county_id=counties.get(row["county"]) if row["county"] else None,
                )
            resolved["plans.organisation"][int(old)] = organisation.pk
        resolved["indicators.indicator"] = {}
        for old, row in natural["indicators.indicator"].items():
            fields = {name: value for name, value in row.items() if name not in ("code", "county")}
            owner = counties.get(row["county"]) if row.get("county") else None
            indicator, _created = Indicator.objects.get_or_create(
                code=row["code"], county_id=owner, defaults=fields
            )
            resolved["indicators.indicator"][int(old)] = indicator.pk
    return resolved


def _store_files(data: dict[str, Any]) -> dict[str, str]:
    """Write the PDFs into MEDIA_ROOT; old name → the name stored (another if taken by other bytes)."""
    names = {}
    for name, encoded in data["files"].items():
        content = base64.b64decode(encoded)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                if handle.read() == content:
                    names[name] = name
                    continue
        names[name] = default_storage.save(name, ContentFile(content))
    return names


def _build(model: type[models.Model], row: dict[str, Any]) -> models.Model:
    values = {}
    for field in model._meta.concrete_fields:
        value = row.get(field.attname)
        if value is not None and isinstance(
            field, models.DateTimeField | models.DateField | models.DecimalField
        ):
            value = field.to_python(value)
        values[field.attname] = value
    return model(**values)


def _old_ids(tables: dict[str, list[dict[str, Any]]]) -> dict[type[models.Model], list[int]]:
    """Per table, the ids its rows have and the ids its objects had in their versions, ascending."""
    models_in_order = _tables()
    result = {}
    for model in models_in_order:
        old_ids: set[int] = set()
        for other in models_in_order:
            for column, target in _targets(other).items():
                own = other is model or (_is_history(other) and column == "id")
                if target == label(model) and own:
                    old_ids.update(row[column] for row in tables[label(other)])
        result[model] = sorted(old_ids)
    return result


@transaction.atomic
def import_county(data: dict[str, Any], *, source_name: str = "") -> dict[str, int]:
    """Write an ``export_county`` document into this database; the number of rows per table."""
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise TransferError("The file is not a Planportal county export of a version this version reads.")
    county = County.objects.filter(letter_code=data["county"]).first()
    if county and (county.plans.exists() or county.sub_regions.exists()):
        raise TransferError(f"The county {data['county']} already has plans or sub-regions in this database.")
    reason = f"Import: {source_name or 'county export ' + data['county']}"
    maps = _resolve_natural(data, reason)
    tables = data["tables"]
    models_in_order = _tables()

    # Fresh ids for every id a table's rows (or the versions of its objects) use, in the old order.
    for model, ordered in _old_ids(tables).items():
        maps[label(model)] = dict(zip(ordered, _reserve_ids(model, len(ordered)), strict=True))

    files = _store_files(data)
    counts = {}
    for model in models_in_order:
        targets = _targets(model)
        required = {
            field.attname for field in model._meta.concrete_fields if field.is_relation and not field.null
        }
        objs = []
        for row in tables[label(model)]:
            row = dict(row)
            for column, target in targets.items():
                if row[column] is not None:
                    row[column] = maps[target].get(row[column])
            if any(row[column] is None for column in required):
                continue  # e.g. the membership of a user this database does not have
            if row.get("pdf"):
                row["pdf"] = files.get(row["pdf"], row["pdf"])
            objs.append(_build(model, row))
        # bulk_create sends no signals (so writes no new versions) but stamps auto_now fields
        # with the time of the import: put the saved times back.
        stamped = [
            field.attname
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        saved = [{name: getattr(obj, name) for name in stamped} for obj in objs]
        model.objects.bulk_create(objs, batch_size=2000)
        if stamped and objs:
            for obj, times in zip(objs, saved, strict=True):
                for name, value in times.items():
                    setattr(obj, name, value)
            model.objects.bulk_update(objs, stamped, batch_size=500)
        counts[label(model)] = len(objs)
    return counts


# ------------------------------------------------------------------------------------- comparison


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """The export without database ids: ids become their rank, national rows their natural key,
    PDF names the SHA-256 of their bytes. Two exports of the same content compare equal."""
    tables = data["tables"]
    models_in_order = _tables()
    ranks: dict[str, dict[int, Any]] = {}
    for name, rows in data["natural"].items():
        ranks[name] = {int(old): tuple(row.values()) for old, row in rows.items()}
    for model, ordered in _old_ids(tables).items():
        ranks[label(model)] = {old: rank for rank, old in enumerate(ordered)}
    digests = {
        name: hashlib.sha256(base64.b64decode(encoded)).hexdigest() for name, encoded in data["files"].items()
    }
    result: dict[str, Any] = {"county": data["county"], "tables": {}}
    for model in models_in_order:
        targets = _targets(model)
        rows = []
        for row in tables[label(model)]:
            row = dict(row)
            for column, target in targets.items():
                if row[column] is not None:
                    row[column] = ranks.get(target, {}).get(row[column])
            if row.get("pdf"):
                row["pdf"] = digests.get(row["pdf"], "missing")
            rows.append(row)
        result["tables"][label(model)] = sorted(rows, key=_sort_key)
    return result


def _sort_key(row: dict[str, Any]) -> str:
    return repr(sorted(row.items()))


def table_counts(data: dict[str, Any]) -> Iterable[tuple[str, int]]:
    return ((name, len(rows)) for name, rows in data["tables"].items())
