"""The report's PDFs are made by jobs: helpers that do what a person and the worker do in turn."""

from django.test import TestCase

from tests.jobs.queue import run_queued_jobs

# The approver's confirmation, ticked.
CONFIRM = {"confirm": "on"}


def run_jobs() -> list:
    """Run the queued jobs as a worker would, and the jobs their commits queue (mails)."""
    done = []
    while True:
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            done += run_queued_jobs()
        if not callbacks:
            return done


def download(client, url: str):
    """Ask for a PDF; while it is being made (202), let the worker make it and ask again."""
    response = client.get(url)
    if response.status_code == 202:
        run_jobs()
        response = client.get(url)
    return response


def approve(client, url: str):
    """Approve (POST to ``report_approve``), then let the worker make and store the approved PDF."""
    response = client.post(url, CONFIRM)
    run_jobs()
    return response
