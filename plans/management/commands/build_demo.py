from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from plans.demo import create_demo_users, demo_files, load_demo_file
from plans.models import Plan
from plans.national import load_national_data


class Command(BaseCommand):
    help = (
        "Build the demo database from scratch: migrate, national data, the demo plans of "
        "fixtures/demo and the demo users. Refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has plans (used by `make run`).",
        )
        parser.add_argument("--no-flush", action="store_true", help="Keep what the database has.")

    def handle(self, *args, if_empty: bool, no_flush: bool, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo has well-known passwords: it is only built when DEBUG is on.")
        call_command("migrate", interactive=False, verbosity=0)
        if if_empty and Plan.objects.exists():
            self.stdout.write("The database already has plans; demo not rebuilt.")
            return
        if not if_empty and not no_flush:
            call_command("flush", interactive=False, verbosity=0)
        counts = load_national_data()
        self.stdout.write(
            f"National data: {counts.focus_areas} focus areas, {counts.counties} counties, "
            f"{counts.municipalities} municipalities."
        )
        for path in demo_files():
            county = load_demo_file(path)
            self.stdout.write(f"Demo plans for {county.name} from {path.name}.")
        users = create_demo_users()
        self.stdout.write(f"Demo users: {', '.join(users)} (password in the README).")
