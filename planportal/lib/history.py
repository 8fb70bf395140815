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

from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords as BaseHistoricalRecords
from simple_history.signals import pre_create_historical_record

# What a version did, as a person reads it; a restore is told apart by ``history_restored_from``.
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Bookkeeping, not content: a save that changes only these is no new version.
BOOKKEEPING_FIELDS = {"created_at", "updated_at"}


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


class HistoricalVersion(models.Model):
    """What every historical record has besides simple-history's own fields.

    A restore is marked by the date of the version it brought back rather than by
    words in the change reason: the words are written at display time, in the
    reader's language, and a restore of a deleted object (a "+") is still known
    as a restore.
    """

    history_restored_from = models.DateTimeField(_("restored version"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_restore(self) -> bool:
        return self.history_restored_from is not None

    @property
    def action_label(self) -> str:
        """ "created", "changed", "deleted" or "restored", in the reader's language."""
        if self.is_restore:
            return gettext("restored")
        return str(ACTIONS.get(self.history_type, self.history_type))

    @property
    def reason_text(self) -> str:
        """The change reason as shown: a restore names the version it brought back."""
        return reason_text(self.history_change_reason, self.history_restored_from)


def reason_text(reason: str | None, restored_from: Any = None) -> str:
    """A version's change reason in the reader's language; a restore names the version it brought back."""
    reason = (reason or "").strip()
    if restored_from is None:
        return reason
    when = date_format(timezone.localtime(restored_from), "j F Y H:i")
    version = gettext("version of %(when)s") % {"when": when}
    restored = gettext("Restored the %(version)s") % {"version": version}
    return f"{restored}: {reason}" if reason else restored


@receiver(pre_create_historical_record)
def _mark_restore(sender, instance, history_instance, **kwargs) -> None:
    if isinstance(history_instance, HistoricalVersion):
        history_instance.history_restored_from = getattr(instance, "_history_restored_from", None)


class HistoricalRecords(BaseHistoricalRecords):
    """simple-history's records, reading user and reason from ``history_context`` too.

    ``scope`` names the foreign key the history pages filter by (a goal's plan, a
    plan's county); the history table then gets the indexes those pages use.
    """

    def __init__(self, *, scope: str | None = None, **kwargs: Any) -> None:
        self.scope = scope
        kwargs.setdefault("get_user", _get_user)
        kwargs.setdefault("bases", (HistoricalVersion,))
        super().__init__(**kwargs)

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if self.scope:
            prefix = f"h_{model._meta.model_name[:14]}"
            options["indexes"] = [
                *options.get("indexes", ()),
                # An object's versions, newest first.
                models.Index(fields=["id", "history_date"], name=f"{prefix}_id_date"),
                # The latest changes of a county or plan.
                models.Index(fields=[self.scope, "history_date"], name=f"{prefix}_scope_date"),
                # Deleted items: only the deletions, a small part of the table.
                models.Index(
                    fields=[self.scope, "history_date"],
                    condition=Q(history_type="-"),
                    name=f"{prefix}_deleted",
                ),
            ]
        return options

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        # Keep a handle on this object: the model attribute becomes a manager descriptor.
        cls._history_records = self

    def get_change_reason_for_object(self, instance: Any, history_type: str, using: Any) -> str | None:
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or current_history_reason()


def save_with_history(
    instance: Any,
    *,
    save_m2m: Callable[[], None] | None = None,
    reason: str | None = None,
    restored_from: Any = None,
) -> bool:
    """Save ``instance`` (and its many-to-many fields) as ONE historical version.

    Saving a form with many-to-many fields would otherwise write a version for the
    save and one more for every ``m2m_changed`` signal, each a half-way state.

    An existing object that ends up as its latest version already was is not saved
    and gets no version: a form saved untouched changes nothing. Returns whether a
    version was written. ``restored_from`` is the date of the version being restored.
    """
    records = type(instance)._history_records
    created = instance.pk is None or instance._state.adding
    latest = None if created else _latest_version(instance)
    instance.skip_history_when_saving = True
    try:
        if latest is not None and _same_fields(records, instance, latest):
            if save_m2m is not None:
                save_m2m()
            if _same_links(records, instance, latest):
                return False
        instance.save()
        if save_m2m is not None:
            save_m2m()
    finally:
        del instance.skip_history_when_saving
    if reason:
        instance._change_reason = reason
    instance._history_restored_from = restored_from
    try:
        records.create_historical_record(instance, "+" if created else "~")
    finally:
        del instance._history_restored_from
    return True


def _latest_version(instance: Any) -> Any:
    version = type(instance).history.filter(id=instance.pk).order_by("-history_date", "-history_id").first()
    return version if version is not None and version.history_type != "-" else None


def _same_fields(records: HistoricalRecords, instance: Any, version: Any) -> bool:
    return all(
        getattr(instance, field.attname) == getattr(version, field.attname)
        for field in records.fields_included(instance)
        if field.name not in BOOKKEEPING_FIELDS
    )


def _same_links(records: HistoricalRecords, instance: Any, version: Any) -> bool:
    # ``m2m_models`` is one dict shared by every model's records: look up this model's fields.
    for field in records.get_m2m_fields_from_model(type(instance)):
        rows_model = records.m2m_models[field]
        target = field.m2m_reverse_field_name()
        before = set(rows_model.objects.filter(history=version).values_list(target, flat=True))
        if before != set(getattr(instance, field.name).values_list("pk", flat=True)):
            return False
    return True
