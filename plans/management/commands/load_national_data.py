from django.core.management.base import BaseCommand

from plans.national import load_national_data


class Command(BaseCommand):
    help = "Load the five focus areas, the 21 counties and the 290 municipalities (idempotent)."

    def handle(self, *args, **options) -> None:
        counts = load_national_data()
        self.stdout.write(
            f"{counts.focus_areas} focus areas, {counts.counties} counties, "
            f"{counts.municipalities} municipalities."
        )
