"""Run queued jobs inside a test, through django-q2's own worker and monitor.

The jobs are taken from the real queue table (the ORM broker), run by the worker function a
`qcluster` process runs, and their results saved and acknowledged by its monitor — only in
this process, so that they see the test's transaction.
"""

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import Queue, Value
from unittest import mock

from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ, Task
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.worker import worker


class JobFailed(AssertionError):
    pass


@contextmanager
def keep_test_connection() -> Iterator[None]:
    """The worker, monitor and scheduler close "old" database connections between jobs; in a
    test that connection is the test's own, inside its transaction."""
    with contextlib.ExitStack() as stack:
        for module in ("worker", "monitor", "scheduler"):
            stack.enter_context(mock.patch(f"django_q.{module}.close_old_django_connections"))
        yield


def queued_jobs() -> list[dict]:
    """The jobs waiting in the queue (func, args, kwargs), oldest first."""
    return [row.task for row in OrmQ.objects.order_by("pk")]


def run_queued_jobs(*, max_rounds: int = 20) -> list[Task]:
    """Run every job waiting in the queue (and those they queue); raise if one failed."""
    broker = get_broker()
    done: list[Task] = []
    with keep_test_connection():
        for _ in range(max_rounds):
            # Only jobs that are due: a failed one waits for its retry.
            if not OrmQ.objects.filter(key=broker.list_key, lock__lt=timezone.now()).exists():
                break
            packages = broker.dequeue() or []
            tasks, results = Queue(), Queue()
            for ack_id, payload in packages:
                task = SignedPackage.loads(payload)
                task["ack_id"] = ack_id
                tasks.put(task)
            tasks.put("STOP")
            worker(tasks, results, Value("f", -1))
            results.put("STOP")
            monitor(results, broker)
            for queue in (tasks, results):
                queue.close()
                queue.join_thread()
            for _ack_id, payload in packages:
                result = Task.objects.get(id=SignedPackage.loads(payload)["id"])
                if not result.success:
                    raise JobFailed(f"{result.func} failed: {result.result}")
                done.append(result)
    return done
