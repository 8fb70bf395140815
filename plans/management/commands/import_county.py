"""Import a county written by ``export_county`` into a database where that county has no data."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.transfer import TransferError, import_county


class Command(BaseCommand):
    help = "Import a county export (JSON) with its history; the county must have no plans here yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="a file written by export_county")

    def handle(self, *args, path: str, **options) -> None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}")
        try:
            counts = import_county(data, source_name=Path(path).name)
        except TransferError as error:
            raise CommandError(str(error))
        for name, count in counts.items():
            if count and options["verbosity"] > 1:
                self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"{data['county']}: {sum(counts.values())} rows imported from {path}")
