"""The create / edit / delete flow every editing page shares."""

from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planportal.forms import EditForm
from planportal.lib.history import save_with_history
from planportal.lib.locking import lock_row
from planportal.lib.swedish import format_sek
from planportal.lib.textdiff import normalise_text, word_diff


def edit_object(
    request: HttpRequest,
    form: EditForm,
    *,
    context: dict,
    success_url: Callable[[models.Model], str],
    template: str = "plans/edit.html",
) -> HttpResponse:
    """Show ``form``; on a valid POST save it as one version, unless someone saved in between.

    "Save my version anyway" on the conflict page posts the version it showed, so a
    third save in the meantime is a new conflict rather than lost.
    """
    if request.method == "POST" and form.is_valid():
        instance = save_unless_changed(form)
        if instance is not None:
            messages.success(request, _("Saved “%(object)s”.") % {"object": instance})
            return redirect(success_url(instance))
        if not form.errors:
            return conflict(request, form, context)
    status = 400 if form.is_bound else 200
    return render(request, template, {**context, "form": form}, status=status)


def save_unless_changed(form: EditForm) -> models.Model | None:
    """Save a valid ``form`` as one version; None, saving nothing, if the object changed since it was loaded.

    None with errors on the form: a row made meanwhile breaks a constraint (a second follow-up
    for the same year, created at the same moment).

    The version is compared with the row as locked, not as read when the request began:
    two editors who post from the same version at the same moment cannot both pass.
    """
    try:
        with transaction.atomic():
            if form.instance.pk is not None and not form.instance._state.adding:
                current = lock_row(form.instance)
                if current is None:
                    raise Http404("Deleted while the form was open.")
                form.instance.updated_at = current.updated_at
                if form.has_conflict():
                    return None
            instance = form.save(commit=False)
            save_with_history(
                instance, save_m2m=form.save_m2m, reason=form.cleaned_data["change_reason"] or None
            )
    except IntegrityError:
        # Someone created the same thing a moment ago (a follow-up for the same year): the
        # form validated before their row existed. Say so on the form, as validation would now.
        try:
            form.instance.validate_constraints()
        except ValidationError as error:
            form.add_error(None, error.messages)
            return None
        raise
    return instance


def conflict(request: HttpRequest, form: EditForm, context: dict) -> HttpResponse:
    """Someone saved the object after this form was loaded: show both versions, save nothing."""
    model = type(form.instance)
    saved = model.objects.get(pk=form.instance.pk)
    latest = model.history.filter(id=saved.pk).order_by("-history_id").first()
    rows = []
    for name, field in form.fields.items():
        if name in ("change_reason", "version") or name not in form.cleaned_data:
            continue
        theirs = _shown(field, _saved_value(saved, name))
        mine = _shown(field, form.cleaned_data[name])
        if theirs != mine:
            rows.append(
                {"label": field.label, "theirs": theirs, "mine": mine, "diff": word_diff(theirs, mine)}
            )
    resubmit = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", form.add_prefix("version"))
        for value in values
    ]
    return render(
        request,
        "plans/conflict.html",
        {
            **context,
            "form": form,
            "latest": latest,
            "rows": rows,
            "resubmit": resubmit,
            "current_version": form.instance_version(saved),
        },
        status=409,
    )


def _saved_value(instance: models.Model, name: str):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(instance, name).all())
    return getattr(instance, name)


def _shown(field, value) -> str:
    """A value as the form would show it to a person."""
    if value is None or value == "":
        return ""
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(sorted(str(item) for item in value))
    choices = getattr(field, "choices", None)
    if choices and not hasattr(value, "pk"):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, Decimal):
        return format_sek(value)
    return str(value)


def delete_object(
    request: HttpRequest,
    instance: models.Model,
    *,
    context: dict,
    success_url: str,
    template: str = "plans/delete.html",
) -> HttpResponse:
    if request.method == "POST":
        name = str(instance)
        with transaction.atomic():
            current = lock_row(instance)
            if current is None:
                raise Http404("Already deleted.")
            loaded = request.POST.get("version", "")
            if loaded and loaded != EditForm.instance_version(current):
                # Changed since the page was loaded: show what is there now before anything goes.
                context = {**context, "changed": True, "version": EditForm.instance_version(current)}
                return render(request, template, {**context, "object": current}, status=409)
            reason = normalise_text(request.POST.get("change_reason", ""))[:300]
            current._change_reason = reason or None
            current.delete()
        messages.success(
            request,
            _("Deleted “%(object)s”. It can be restored from the county's deleted items.") % {"object": name},
        )
        return redirect(success_url)
    return render(
        request, template, {"version": EditForm.instance_version(instance), **context, "object": instance}
    )


def plan_context(plan, *, cancel_url: str, **extra) -> dict:
    """What every editing page of a plan's objects shows: breadcrumbs, title, the way back."""
    return {"plan": plan, "county": plan.county, "cancel_url": cancel_url, **extra}
