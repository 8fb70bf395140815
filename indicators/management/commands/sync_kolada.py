"""Sync indicator values from Kolada now, in this process: for one county, or every one."""

from django.core.management.base import BaseCommand, CommandError

from indicators import kolada
from indicators.models import KoladaSync
from plans.models import County


class Command(BaseCommand):
    help = (
        "Read the values of the indicators with a Kolada KPI id from Kolada's API and write them "
        "(all or nothing per county). Exits non-zero when a county's sync fails."
    )

    def add_arguments(self, parser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--county", help="The county's letter code, e.g. BD.")
        target.add_argument("--all", action="store_true", help="Every county with Kolada indicators.")
        parser.add_argument("--years", help="E.g. 2020-2024 or 2022,2023; default: the last six years.")

    def handle(self, *args, county=None, all=False, years=None, **options) -> None:
        try:
            year_list = kolada.parse_years(years) if years else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        if all:
            counties = kolada.counties_with_kolada_indicators()
        else:
            found = County.objects.filter(letter_code=county.strip().upper()).first()
            if found is None:
                raise CommandError(f"No county has the letter code {county!r}.")
            counties = [found]
        failed = []
        for found in counties:
            sync = KoladaSync.objects.create(
                county=found, years=kolada.years_text(year_list) if year_list else ""
            )
            sync = kolada.execute(sync)
            self.stdout.write(
                f"{found.name}: {sync.get_status_display()} – {sync.created} new, {sync.updated} changed, "
                f"{sync.unchanged} unchanged, {sync.skipped} skipped ({kolada.describe_years(sync.years)}). "
                f"{sync.message}"
            )
            if sync.status != KoladaSync.Status.DONE:
                failed.append(found.name)
        if failed:
            raise CommandError(f"The sync failed for {', '.join(failed)}; nothing was written there.")
