"""The open-data files of a published plan, written from its frozen snapshot (never the live plan).

Each published plan has five files at stable addresses (``/publikt/<län>/<plan>/data/<file>``):

- ``plan.json``: the whole published content (``publication.snapshot``'s shape) with the
  licence, the publisher and the attribution;
- ``aktiviteter.csv`` and ``mal.csv``: the activity matrix and the goals, with the headers of
  the spreadsheet import where a column is the same;
- ``indikatorvarden.csv`` and ``indikatorvarden.json``: the county's values, baseline and
  targets of the plan's indicators, and (JSON) each indicator's progress.

CSV is written as the other exports are (``planportal.lib.spreadsheets.write_csv``): UTF-8
with a BOM, semicolons, decimal commas, and text that a spreadsheet would run as a formula
escaped. Headers and labels are Swedish whatever the reader's language, so that a file's
columns never change under a script that reads it; JSON keeps the codes (``"planned"``,
``"on_track"``) beside Swedish labels. Where values come from Kolada the files say
"Källa: Kolada": per value (the column Källa, the key ``source``) and per indicator.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityType, Status
from indicators.models import Gender, Indicator, ValueSource
from indicators.progress import Judgement
from planportal.lib import spreadsheets
from planportal.lib.spreadsheets import write_csv
from plans.models.plans import TargetGroup
from publication.models import LICENCE_URLS, Licence

# Bump when a file changes shape, so that no kept file of the old shape is served.
FORMAT = "planportal.opendata/1"
KOLADA_ATTRIBUTION = "Källa: Kolada"
KOLADA_URL = "https://www.kolada.se/"


def code_version(*paths: str | Path) -> str:
    """A digest of the code and translations that shape the files, besides their content: part of
    every ETag and kept file's name, so that a deploy that changes the files is never answered with
    a 304 or an old kept file."""
    digest = hashlib.sha256()
    for path in (
        *paths,
        *(Path(folder) / "sv" / "LC_MESSAGES" / "django.mo" for folder in settings.LOCALE_PATHS),
    ):
        digest.update(Path(path).read_bytes() if Path(path).exists() else b"")
    return digest.hexdigest()[:16]


CODE_VERSION = code_version(__file__, spreadsheets.__file__)


@dataclass(frozen=True)
class Published:
    """What the files say about the publication beside its snapshot."""

    published_at: datetime
    url: str  # the public plan page
    sha256: str


@dataclass(frozen=True)
class DataFile:
    name: str
    fmt: str  # "csv" or "json"
    title: Promise  # in the reader's language on pages; the catalogue says them in Swedish
    description: Promise
    write: Callable[[dict, Published], bytes]

    @property
    def content_type(self) -> str:
        return "text/csv; charset=utf-8" if self.fmt == "csv" else "application/json"


def licence_url(key: str) -> str:
    return LICENCE_URLS[Licence(key)]


def licence_data(key: str) -> dict:
    return {"id": key, "name": str(Licence(key).label), "url": licence_url(key)}


def _number(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def has_kolada_values(indicator: dict) -> bool:
    return any(value.get("source") == ValueSource.KOLADA for value in indicator["values"])


def attribution(snapshot: dict) -> list[str]:
    """The attributions the data needs: "Källa: Kolada" when any value came from Kolada."""
    return [KOLADA_ATTRIBUTION] if any(has_kolada_values(item) for item in snapshot["indicators"]) else []


def _envelope(snapshot: dict, published: Published) -> dict:
    county = snapshot["county"]
    return {
        "format": FORMAT,
        "title": snapshot["plan"]["title"],
        "publisher": county["region_name"],
        "published_at": published.published_at.isoformat(),
        "url": published.url,
        "licence": licence_data(snapshot["licence"]),
        "attribution": attribution(snapshot),
        "snapshot_sha256": published.sha256,
    }


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _indicator_json(indicator: dict) -> dict:
    kolada = has_kolada_values(indicator)
    progress = dict(indicator["progress"])
    progress["label"] = _label(Judgement, progress["judgement"])
    return {
        **indicator,
        "unit_label": _label(Indicator.Unit, indicator["unit"]),
        "progress": progress,
        "attribution": KOLADA_ATTRIBUTION if kolada else "",
        "attribution_url": KOLADA_URL if kolada else "",
    }


def plan_json(snapshot: dict, published: Published) -> bytes:
    """The whole published content, with labels beside the codes people read."""
    with translation.override("sv"):
        activities = [
            {
                **activity,
                "status_label": _label(Status, activity["status"]),
                "activity_type_label": _label(ActivityType, activity["activity_type"]),
            }
            for activity in snapshot["activities"]
        ]
        goals = [
            {**goal, "target_group_label": _label(TargetGroup, goal["target_group"])}
            for goal in snapshot["goals"]
        ]
        indicators = [_indicator_json(indicator) for indicator in snapshot["indicators"]]
    return _json(
        {
            **_envelope(snapshot, published),
            "internal_fields": snapshot["internal_fields"],
            "county": snapshot["county"],
            "plan": snapshot["plan"],
            "focus_areas": snapshot["focus_areas"],
            "priority_areas": snapshot["priority_areas"],
            "goals": goals,
            "activities": activities,
            "indicators": indicators,
        }
    )


def indicator_values_json(snapshot: dict, published: Published) -> bytes:
    with translation.override("sv"):
        indicators = [_indicator_json(indicator) for indicator in snapshot["indicators"]]
    return _json(
        {
            **_envelope(snapshot, published),
            "county": snapshot["county"],
            "plan": {key: snapshot["plan"][key] for key in ("id", "title", "start_year", "end_year")},
            "indicators": indicators,
        }
    )


# --- CSV ----------------------------------------------------------------------------------------

# Optional activity columns: (snapshot key, header); a column kept internal is left out entirely.
_ACTIVITY_OPTIONAL = {
    "current_state": "Nuläge",
    "responsible": "Ansvar",
    "cost_text": "Kostnad",
    "budget": "Budget",
    "funding_source": "Finansiering",
}


def _is_public(snapshot: dict, key: str) -> bool:
    return key not in snapshot["internal_fields"]


def activities_csv(snapshot: dict, published: Published) -> bytes:
    """The activity matrix: the import format's columns (those published), then the plan's links."""
    areas = {area["id"]: area["name"] for area in snapshot["priority_areas"]}
    goal_codes = {goal["id"]: goal["code"] for goal in snapshot["goals"]}
    indicator_codes = {item["id"]: item["code"] for item in snapshot["indicators"]}

    def shown(key: str) -> bool:
        return _is_public(snapshot, f"activity.{key}")

    columns: list[tuple[str, Callable[[dict], Any]]] = [
        ("Id", lambda a: a["id"]),
        ("Insatsområde", lambda a: areas.get(a["priority_area"], "")),
        ("Aktivitet", lambda a: a["title"]),
    ]
    if shown("current_state"):
        columns.append(("Nuläge", lambda a: a.get("current_state", "")))
    columns += [
        ("Mål", lambda a: a["expected_result"]),
        ("Indikatorer", lambda a: a["indicators_text"]),
        ("Tidsplan", lambda a: a["timeline"]),
    ]
    for key in ("responsible", "cost_text"):
        if shown(key):
            columns.append((_ACTIVITY_OPTIONAL[key], lambda a, key=key: a.get(key, "")))
    columns += [
        ("Målkod", lambda a: ", ".join(sorted(goal_codes[g] for g in a["goals"] if g in goal_codes))),
        ("Status", lambda a: _label(Status, a["status"])),
    ]
    if shown("budget"):
        columns.append(("Budget", lambda a: _number(a.get("budget"))))
    columns += [
        ("Start", lambda a: a["start_date"] or ""),
        ("Slut", lambda a: a["end_date"] or ""),
        ("Aktivitetstyp", lambda a: _label(ActivityType, a["activity_type"])),
    ]
    if shown("funding_source"):
        columns.append(("Finansiering", lambda a: a.get("funding_source", "")))
    columns += [
        ("Huvudmän", lambda a: ", ".join(a["lead_organisations"])),
        ("Delregioner", lambda a: ", ".join(a["sub_regions"])),
        (
            "Indikatorkoder",
            lambda a: ", ".join(indicator_codes[i] for i in a["indicators"] if i in indicator_codes),
        ),
    ]
    with translation.override("sv"):
        rows = [[value(activity) for _header, value in columns] for activity in snapshot["activities"]]
    return write_csv(headers=[header for header, _value in columns], rows=rows)


def goals_csv(snapshot: dict, published: Published) -> bytes:
    """The goals: the import format's columns (those published), then their indicators and activities."""
    areas = {area["id"]: area["name"] for area in snapshot["priority_areas"]}
    indicator_codes = {item["id"]: item["code"] for item in snapshot["indicators"]}
    responsible = _is_public(snapshot, "goal.responsible")
    headers = ["Kod", "Mål", "Målgrupp", "Fokusområde", "Insatsområde", "Beskrivning"]
    headers += ["Ansvar"] if responsible else []
    headers += ["Indikatorkoder", "Antal aktiviteter"]
    rows = []
    with translation.override("sv"):
        for goal in snapshot["goals"]:
            row = [
                goal["code"],
                goal["title"],
                _label(TargetGroup, goal["target_group"]),
                goal["focus_area"],
                areas.get(goal["priority_area"], ""),
                goal["background"],
            ]
            if responsible:
                row.append(goal.get("responsible", ""))
            row += [
                ", ".join(indicator_codes[i] for i in goal["indicators"] if i in indicator_codes),
                len(goal["activities"]),
            ]
            rows.append(row)
    return write_csv(headers=headers, rows=rows)


VALUE_HEADERS = [
    "Indikatorkod",
    "Indikator",
    "Kolada-id",
    "Enhet",
    "Län",
    "Länskod",
    "År",
    "Kön",
    "Typ",
    "Värde",
    "Källa",
]
SOURCE_LABELS = {
    ValueSource.KOLADA: "Kolada",
    ValueSource.IMPORTED: "Importerad",
    ValueSource.ENTERED: "Inmatad",
}


def indicator_values_csv(snapshot: dict, published: Published) -> bytes:
    """Long shape, one row per number: the county's values (Typ "Utfall"), baseline and targets.

    A value from Kolada says so in the column Källa ("Kolada"): the attribution Kolada asks for.
    """
    county = snapshot["county"]
    rows = []
    with translation.override("sv"):
        for indicator in snapshot["indicators"]:
            head = [
                indicator["code"],
                indicator["name"],
                indicator["kolada_id"],
                _label(Indicator.Unit, indicator["unit"]),
                county["name"],
                county["code"],
            ]
            baseline = indicator["baseline"]
            if baseline:
                rows.append([*head, baseline["year"], "", "Utgångsläge", _number(baseline["value"]), ""])
            for value in indicator["values"]:
                rows.append(
                    [
                        *head,
                        value["year"],
                        _label(Gender, value["gender"]),
                        "Utfall",
                        _number(value["value"]),
                        SOURCE_LABELS.get(value.get("source"), ""),
                    ]
                )
            for target in indicator["targets"]:
                rows.append([*head, target["year"], "", "Målvärde", _number(target["value"]), ""])
    return write_csv(headers=VALUE_HEADERS, rows=rows)


FILES = {
    item.name: item
    for item in (
        DataFile(
            "plan.json",
            "json",
            _("The plan (JSON)"),
            _("The whole published plan: goals, activities, and indicators with values, targets, progress."),
            plan_json,
        ),
        DataFile(
            "aktiviteter.csv",
            "csv",
            _("Activities (CSV)"),
            _("The plan's activities, one row per activity."),
            activities_csv,
        ),
        DataFile("mal.csv", "csv", _("Goals (CSV)"), _("The plan's goals, one row per goal."), goals_csv),
        DataFile(
            "indikatorvarden.csv",
            "csv",
            _("Indicator values (CSV)"),
            _("The county's values, baselines and targets of the plan's indicators, one row per value."),
            indicator_values_csv,
        ),
        DataFile(
            "indikatorvarden.json",
            "json",
            _("Indicator values (JSON)"),
            _("The county's values, baselines, targets and progress of the plan's indicators."),
            indicator_values_json,
        ),
    )
}


def write_file(name: str, snapshot: dict, published: Published) -> bytes:
    return FILES[name].write(snapshot, published)
