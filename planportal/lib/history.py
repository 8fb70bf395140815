"""Who changed what, and why: the glue between our code and simple-history.

simple-history takes the user from the current request (its middleware) or
from ``instance._history_user``. Management commands, imports and services
have no request, so they wrap their work in ``history_context`` and every
historical record written inside it gets that user and change reason.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from simple_history.models import HistoricalRecords as BaseHistoricalRecords


@dataclass(frozen=True)
class _HistoryContext:
    user: Any
    reason: str | None


_current: ContextVar[_HistoryContext | None] = ContextVar("planportal_history", default=None)


@contextmanager
def history_context(*, user: Any = None, reason: str | None = None) -> Iterator[None]:
    """Record ``user`` and ``reason`` on every history row written inside the block."""
    token = _current.set(_HistoryContext(user=user, reason=reason))
    try:
        yield
    finally:
        _current.reset(token)


def current_history_user() -> Any:
    context = _current.get()
    return context.user if context else None


def current_history_reason() -> str | None:
    context = _current.get()
    return context.reason if context else None


def _get_user(request: Any = None, **kwargs: Any) -> Any:
    user = current_history_user()
    if user is not None:
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


class HistoricalRecords(BaseHistoricalRecords):
    """simple-history's records, reading user and reason from ``history_context`` too."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("get_user", _get_user)
        super().__init__(**kwargs)

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        # Keep a handle on this object: the model attribute becomes a manager descriptor.
        cls._history_records = self

    def get_change_reason_for_object(self, instance: Any, history_type: str, using: Any) -> str | None:
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or current_history_reason()


def save_with_history(
    instance: Any, *, save_m2m: Callable[[], None] | None = None, reason: str | None = None
) -> None:
    """Save ``instance`` (and its many-to-many fields) as ONE historical version.

    Saving a form with many-to-many fields would otherwise write a version for the
    save and one more for every ``m2m_changed`` signal, each a half-way state.
    """
    created = instance.pk is None or instance._state.adding
    if reason:
        instance._change_reason = reason
    instance.skip_history_when_saving = True
    try:
        instance.save()
        if save_m2m is not None:
            save_m2m()
    finally:
        del instance.skip_history_when_saving
    type(instance)._history_records.create_historical_record(instance, "+" if created else "~")
