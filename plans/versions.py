"""Version history of the objects coordinators edit: listing, comparing and restoring.

simple-history stores a row per version. This module knows which models a user
may browse the history of (``KINDS``), which county a version belongs to (even
when the object is deleted), how two versions differ field by field, and how a
version is restored — itself saved as a new version.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityFollowUp
from planportal.lib.history import ACTIONS, save_with_history
from planportal.lib.locking import lock_rows
from planportal.lib.swedish import format_number
from planportal.lib.textdiff import normalise_text, word_diff
from plans.models import County, Goal, Plan, PriorityArea
from plans.models.plans import MoneyField

# URL key → model. Only these have history pages, diffs and restore.
KINDS: dict[str, type[models.Model]] = {
    "plan": Plan,
    "priorityarea": PriorityArea,
    "goal": Goal,
    "activity": Activity,
    "followup": ActivityFollowUp,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}
# Bookkeeping, not content: not shown in diffs, not restored.
SKIPPED_FIELDS = {"id", "created_at", "updated_at"}
LONG_TEXT = 80
HISTORY_TYPES = ACTIONS


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.name not in SKIPPED_FIELDS]


def m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    return list(getattr(model._history_records, "m2m_fields", []) or [])


def county_id_of_version(model: type[models.Model], record) -> int | None:
    """The county a version belongs to, found through its plan (which may be deleted too)."""
    if model is Plan:
        return record.county_id
    if model is ActivityFollowUp:
        activity = Activity.history.filter(id=record.activity_id).order_by("-history_id").first()
        if activity is None:
            return None
        plan_id = activity.plan_id
    else:
        plan_id = record.plan_id
    plan = Plan.history.filter(id=plan_id).order_by("-history_id").first()
    return plan.county_id if plan else None


def _m2m_accessor(model: type[models.Model], field: models.ManyToManyField) -> str:
    """The reverse accessor from a version to its rows of ``field`` (it can be prefetched)."""
    rows_model = model._history_records.m2m_models[field]
    history_model = model.history.model
    return next(
        relation.get_accessor_name()
        for relation in history_model._meta.related_objects
        if relation.related_model is rows_model
    )


def _m2m_ids(record, field: models.ManyToManyField) -> set[int]:
    through = getattr(record, _m2m_accessor(type(record).instance_type, field)).all()
    column = f"{field.related_model._meta.model_name}_id"
    return {getattr(row, column) for row in through}


def _display(field: models.Field, value: Any, names: dict) -> str:
    """A value as the pages show it: "450 000 kr", "3 mars 2022", a choice's label, a name."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(field, models.DecimalField):
        number = format_number(value, 0 if value == value.to_integral() else 2)
        return f"{number}\u00a0kr" if isinstance(field, MoneyField) else number
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(field, models.DateField):
        return date_format(value, "j F Y")
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    return str(value)


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        # Line endings and trailing blanks of texts stored before forms normalised them.
        return normalise_text(before) == normalise_text(after)
    return before == after


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: SafeString | None = None  # a word diff, for long texts


def diff_versions(model: type[models.Model], old, new, *, names: dict | None = None) -> list[FieldChange]:
    """What differs between two versions, field by field, in the order of the form.

    ``names`` (from ``related_names``) saves the queries when many pairs are compared.
    """
    fields = tracked_fields(model)
    relations = m2m_fields(model)
    if names is None:
        names = related_names(model, [old, new])
    changes = []
    for field in fields:
        name = field.attname
        before, after = getattr(old, name), getattr(new, name)
        if _same(before, after):
            continue
        old_text, new_text = _display(field, before, names), _display(field, after, names)
        is_long = isinstance(field, models.TextField) or max(len(old_text), len(new_text)) > LONG_TEXT
        changes.append(
            FieldChange(
                label=capfirst(str(field.verbose_name)),
                old=old_text,
                new=new_text,
                diff=word_diff(old_text, new_text) if is_long else None,
            )
        )
    for field in relations:
        before, after = _m2m_ids(old, field), _m2m_ids(new, field)
        if before == after:
            continue
        label = capfirst(str(field.verbose_name))
        changes.append(
            FieldChange(
                label=label,
                old=", ".join(sorted(names.get((field.related_model, pk), f"#{pk}") for pk in before)),
                new=", ".join(sorted(names.get((field.related_model, pk), f"#{pk}") for pk in after)),
            )
        )
    return changes


def versions_of(model: type[models.Model], object_id: int):
    """An object's versions, newest first, with what the history pages show of them prefetched."""
    return (
        model.history.filter(id=object_id)
        .select_related("history_user")
        .prefetch_related(*[_m2m_accessor(model, field) for field in m2m_fields(model)])
        .order_by("-history_date", "-history_id")
    )


def related_names(model: type[models.Model], records: list) -> dict:
    """Names of the objects the versions point to, one query per related model."""
    wanted: dict[type[models.Model], set[int]] = {}
    for field in tracked_fields(model):
        if isinstance(field, models.ForeignKey):
            for record in records:
                if getattr(record, field.attname) is not None:
                    wanted.setdefault(field.related_model, set()).add(getattr(record, field.attname))
    for field in m2m_fields(model):
        for record in records:
            wanted.setdefault(field.related_model, set()).update(_m2m_ids(record, field))
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
        missing = ids - {pk for model, pk in names if model is related}
        if missing and hasattr(related, "history"):
            # A deleted goal or organisation still has a name: its last version's.
            last_versions = related.history.filter(id__in=missing).order_by(
                "id", "-history_date", "-history_id"
            )
            for record in last_versions:
                names.setdefault((related, record.id), _("%(name)s (deleted)") % {"name": record.instance})
    return names


@transaction.atomic
def restore_version(*, model: type[models.Model], record, user) -> models.Model:
    """Make ``record`` the current state again — a new version, or the deleted object back.

    Raises ``ValueError`` with a message for the user when the version cannot come back
    (its plan or activity is gone).
    """
    # The parent is locked too: two restores of the same deleted object wait for each other
    # instead of both inserting it, and its plan or activity cannot go in the meantime.
    if model is ActivityFollowUp:
        if lock_rows(Activity.objects.filter(pk=record.activity_id)).first() is None:
            raise ValueError(_("Its activity has been deleted; restore the activity first."))
    elif model is not Plan and lock_rows(Plan.objects.filter(pk=record.plan_id)).first() is None:
        raise ValueError(_("Its plan has been deleted; restore the plan first."))
    elif model is Plan:
        lock_rows(County.objects.filter(pk=record.county_id)).first()

    current = lock_rows(model.objects.filter(pk=record.id)).first()
    if model is Plan and current is not None:
        _refuse_plan_version_that_strands_reports(current, record)
    target = current or model(pk=record.id)
    for field in tracked_fields(model):
        value = getattr(record, field.attname)
        gone = (
            isinstance(field, models.ForeignKey)
            and value is not None
            and not field.related_model._default_manager.filter(pk=value).exists()
        )
        if gone:
            if not field.null:
                raise ValueError(_("Something this version points to has been deleted."))
            value = None
        setattr(target, field.attname, value)
    # A deletion's own version has no links left; take them from the version before it.
    source = record
    if record.history_type == "-":
        source = (
            model.history.filter(id=record.id, history_id__lt=record.history_id)
            .order_by("-history_id")
            .first()
        )

    def restore_links() -> None:
        for field in m2m_fields(model):
            ids = _m2m_ids(source, field) if source else set()
            getattr(target, field.name).set(field.related_model._default_manager.filter(pk__in=ids))

    if current is None:
        target._state.adding = True
    target._history_user = user
    try:
        # Since this version, another object may have taken its code, name or year.
        target.validate_constraints()
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    # No reason in words: the history shows "restored" and the version's date in the reader's language.
    save_with_history(target, save_m2m=restore_links, restored_from=record.history_date)
    return target


def _refuse_plan_version_that_strands_reports(plan: Plan, record) -> None:
    """A plan's reports stay with it: a version may not move it to another county or out of their years."""
    years = set(plan.reports.values_list("year", flat=True))
    if not years:
        return
    if record.county_id != plan.county_id:
        raise ValueError(_("The plan has follow-up reports; it cannot move to another county."))
    outside = sorted(year for year in years if not record.start_year <= year <= record.end_year)
    if outside:
        raise ValueError(
            _("The plan has follow-up reports for %(years)s, outside this version's period.")
            % {"years": ", ".join(str(year) for year in outside)}
        )


def version_title(model: type[models.Model], record) -> str:
    """What a person calls the object of a version, without a query where possible."""
    if model is Goal:
        return f"{record.code} {record.title}"
    if model is ActivityFollowUp:
        try:
            return _("Follow-up %(year)s of “%(activity)s”") % {
                "year": record.year,
                "activity": record.activity,
            }
        except Activity.DoesNotExist:
            return _("Follow-up %(year)s") % {"year": record.year}
    if model is PriorityArea:
        return record.name
    return record.title
