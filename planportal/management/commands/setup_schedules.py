from django.core.management.base import BaseCommand
from django.utils import timezone

from planportal import jobs


class Command(BaseCommand):
    help = "Create or update the daily schedules of background jobs (safe to run any number of times)."

    def handle(self, *args, **options) -> None:
        for schedule in jobs.setup_schedules():
            next_run = timezone.localtime(schedule.next_run).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{schedule.name}: {schedule.func}, daily, next {next_run}")
