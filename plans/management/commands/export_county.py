"""Export one county's plans, with their whole history and approved PDFs, to a JSON file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import County
from plans.transfer import export_county, table_counts


class Command(BaseCommand):
    help = "Write one county's plans, history, reports (with PDFs) and indicator values to a JSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("county", help="the county's letter code, e.g. BD")
        parser.add_argument("path", help="the file to write, e.g. county-bd.json")

    def handle(self, *args, county: str, path: str, **options) -> None:
        found = County.objects.filter(letter_code=county.upper()).first()
        if found is None:
            raise CommandError(f"No county with the letter code {county!r}.")
        data = export_county(found)
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        rows = sum(count for _name, count in table_counts(data))
        self.stdout.write(f"{found}: {rows} rows and {len(data['files'])} PDF files written to {path}")
