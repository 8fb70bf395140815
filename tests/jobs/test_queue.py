import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Task
from django_q.scheduler import scheduler

from planportal import jobs
from tests.jobs.queue import JobFailed, keep_test_connection, queued_jobs, run_queued_jobs

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_it_queues_a_job_in_the_database_and_a_worker_runs_it():
    job_id = jobs.enqueue("math.floor", 2.5)

    assert [job["func"] for job in queued_jobs()] == ["math.floor"]
    [task] = run_queued_jobs()
    assert task.id == job_id
    assert task.success and task.result == 2
    assert not OrmQ.objects.exists()


def test_it_queues_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                jobs.enqueue_on_commit("math.floor", 1.5)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert queued_jobs() == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        jobs.enqueue_on_commit("math.floor", 1.5)
        assert queued_jobs() == []
    assert len(callbacks) == 1
    assert [job["args"] for job in queued_jobs()] == [(1.5,)]


def test_it_keeps_a_failed_job_in_the_queue_for_a_retry():
    jobs.enqueue("math.sqrt", -1)

    with pytest.raises(JobFailed, match="math domain error"):
        run_queued_jobs()
    # Not acknowledged: handed out again once the retry time has passed.
    [row] = OrmQ.objects.all()
    assert row.lock > timezone.now() + dt.timedelta(seconds=settings.Q_CLUSTER["timeout"])
    assert Task.objects.get().success is False


def test_it_sets_up_the_daily_schedules_once():
    now = timezone.make_aware(dt.datetime(2024, 11, 4, 9, 30))
    jobs.setup_schedules(now=now)
    jobs.setup_schedules(now=now + dt.timedelta(hours=1))

    # One row per daily job, however often the schedules are set up.
    assert Schedule.objects.count() == len(jobs.SCHEDULES)
    schedule = Schedule.objects.get(name="rounds.reminders")
    assert schedule.func == "rounds.tasks.send_due_reminders"
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1
    # The next 07:00 in Stockholm, kept by the second run.
    assert timezone.localtime(schedule.next_run) == timezone.make_aware(dt.datetime(2024, 11, 5, 7, 0))


def test_it_queues_a_due_schedule_from_the_worker_scheduler():
    schedule = next(each for each in jobs.setup_schedules() if each.name == "rounds.reminders")
    Schedule.objects.filter(pk=schedule.pk).update(next_run=timezone.now() - dt.timedelta(minutes=1))

    with keep_test_connection():
        scheduler()

    assert [job["func"] for job in queued_jobs()] == ["rounds.tasks.send_due_reminders"]
    schedule.refresh_from_db()
    assert schedule.next_run > timezone.now()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a database server")
@pytest.mark.django_db(transaction=True)
def test_it_runs_a_job_in_a_real_worker_process(tmp_path):
    job_id = jobs.enqueue("math.floor", 7.5)
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    # The worker reads and writes the test database, as production's reads the app's.
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"}
    log = tmp_path / "qcluster.log"
    with log.open("wb") as output:
        # Output to a file: a pipe that nobody reads would fill up and block the worker.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Task.objects.filter(id=job_id).exists():
            assert worker.poll() is None, log.read_text()
            time.sleep(0.2)
        task = Task.objects.get(id=job_id)
        # To the cluster's main process only, as a service manager should (systemd: KillMode=mixed):
        # it stops its workers itself, and a SIGTERM to all of them at once can hang it.
        os.kill(worker.pid, signal.SIGTERM)
        # A stopped cluster finishes its work and exits by itself.
        assert worker.wait(timeout=30) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert task.success and task.result == 7
    assert not OrmQ.objects.exists()
