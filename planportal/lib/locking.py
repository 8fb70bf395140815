"""Row locks for the saves that check a version, the same on PostgreSQL and SQLite.

A save that compares the version a user loaded with the one in the database must
hold the row from the comparison to the write, or two people who post at the same
moment both pass the check and the first change is silently lost.

PostgreSQL locks the rows (``SELECT … FOR UPDATE``); a second transaction waits
and then reads the row as the first one committed it. SQLite has no row locks but
one writer at a time: a read first and a write later would make the second writer
fail with "database is locked", so a no-op ``UPDATE`` takes the write lock before
anything is read, and the second writer waits for it instead.
"""

from typing import TypeVar

from django.db import connections, models
from django.db.models import F
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)


def lock_rows(queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """``queryset`` with its rows held until the transaction ends; evaluate it to read them."""
    connection = connections[queryset.db]
    if not connection.in_atomic_block:
        raise TransactionManagementError("lock_rows() is only useful inside transaction.atomic().")
    if connection.features.has_select_for_update:
        return queryset.select_for_update()
    pk = queryset.model._meta.pk.attname
    queryset.update(**{pk: F(pk)})
    return queryset


def lock_row(instance: M) -> M | None:
    """The row of ``instance`` as committed now, held until the transaction ends; None if deleted."""
    manager = type(instance)._base_manager.using(instance._state.db or "default")
    return lock_rows(manager.filter(pk=instance.pk)).first()
