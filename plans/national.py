"""Load the national reference data: focus areas, counties and municipalities."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from planportal.lib.history import history_context
from plans.models import County, FocusArea, Municipality

NATIONAL_DIR = Path(settings.BASE_DIR) / "fixtures" / "national"


@dataclass
class NationalCounts:
    focus_areas: int
    counties: int
    municipalities: int


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(NATIONAL_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_national_data() -> NationalCounts:
    """Create or update the national rows from ``fixtures/national``; safe to run again."""
    with history_context(reason="Nationella grunddata"):
        focus_areas = json.loads((NATIONAL_DIR / "focus_areas.json").read_text(encoding="utf-8"))
        for row in focus_areas:
            FocusArea.objects.update_or_create(
                number=row["number"], defaults={"name": row["name"], "description": row["description"]}
            )
        counties = {}
        for row in _read_csv("lan.csv"):
            county, _ = County.objects.update_or_create(
                code=row["county_code"],
                defaults={
                    "letter_code": row["letter_code"],
                    "name": row["county_name"],
                    "region_name": row["region_name"],
                },
            )
            counties[county.code] = county
        municipalities = _read_csv("kommuner.csv")
        for row in municipalities:
            Municipality.objects.update_or_create(
                code=row["municipality_code"],
                defaults={"name": row["municipality_name"], "county": counties[row["county_code"]]},
            )
    return NationalCounts(len(focus_areas), len(counties), len(municipalities))
