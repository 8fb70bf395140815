"""Activities and their yearly follow-ups: pages, and the inline (htmx) edits of the plan page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.forms import ActivityForm, FollowUpForm, FollowUpStateForm, StatusForm
from activities.models import Activity, ActivityFollowUp, FollowUpState
from planportal.forms import EditForm
from planportal.lib.history import save_with_history
from planportal.lib.locking import lock_row
from plans.permissions import (
    Access,
    get_plan_for_user,
    require_contributor_access,
    require_county_access,
)
from plans.views.common import delete_object, edit_object, plan_context, save_unless_changed
from plans.views.plan_page import ROW_PREFIX, parse_id, row_context


def get_activity_for_user(
    user, activity_id: int, *, edit: bool = False, contribute: bool = False
) -> tuple[Activity, Access]:
    """The activity with what a page shows of it, and the user's access; 404 if none.

    ``contribute`` asks for the right to edit its follow-ups and status, which a
    contributor has for the activities their organisations lead.
    """
    activity = (
        Activity.objects.select_related("plan__county", "priority_area")
        .prefetch_related(
            "goals",
            "lead_organisations",
            "sub_regions",
            Prefetch("follow_ups", queryset=ActivityFollowUp.objects.order_by("-year")),
        )
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404
    if contribute:
        return activity, require_contributor_access(user, activity)
    return activity, require_county_access(user, activity.plan.county_id, edit=edit)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity, access = get_activity_for_user(request.user, activity_id)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "county": activity.plan.county,
            "access": access,
            "can_contribute": access.may_contribute(activity),
        },
    )


@login_required
def activity_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    initial = {}
    if area := plan.priority_areas.filter(pk=parse_id(request.GET.get("omrade")) or 0).first():
        initial["priority_area"] = area
    form = ActivityForm(request.POST or None, plan=plan, initial=initial)
    return edit_object(
        request,
        form,
        context=plan_context(
            plan, cancel_url=reverse("plan_detail", args=[plan.pk]), title=_("New activity")
        ),
        success_url=lambda activity: reverse("activity_detail", args=[activity.pk]),
    )


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity, _access = get_activity_for_user(request.user, activity_id, edit=True)
    form = ActivityForm(request.POST or None, instance=activity, plan=activity.plan)
    return edit_object(
        request,
        form,
        context=plan_context(
            activity.plan,
            cancel_url=reverse("activity_detail", args=[activity.pk]),
            title=_("Edit activity"),
            object=activity,
        ),
        success_url=lambda activity: reverse("activity_detail", args=[activity.pk]),
    )


@login_required
def activity_delete(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity, _access = get_activity_for_user(request.user, activity_id, edit=True)
    return delete_object(
        request,
        activity,
        context=plan_context(activity.plan, cancel_url=reverse("activity_detail", args=[activity.pk])),
        success_url=reverse("plan_detail", args=[activity.plan_id]),
    )


@login_required
@require_POST
def activity_status(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Change an activity's status from the matrix; htmx swaps the row, plain forms redirect back."""
    activity, access = get_activity_for_user(request.user, activity_id, contribute=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        error = _("Choose one of the statuses in the list.")
    else:
        error = _change_status(activity, form.cleaned_data["status"], version=form.cleaned_data["version"])
    if request.htmx:
        # The row as the matrix shows it, ids and all (an activity under several goals has one per goal).
        prefix = request.POST.get("rad", "")
        return render(
            request,
            "activities/partials/activity_row.html",
            {
                **row_context(request, access, next_url=_safe_next(request, "")),
                "activity": activity,
                "row_prefix": prefix if ROW_PREFIX.fullmatch(prefix) else "",
                "row_error": error,
                "saved": error is None,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("The status of “%(activity)s” is now %(status)s.")
            % {"activity": activity, "status": activity.get_status_display()},
        )
    return redirect(_safe_next(request, reverse("plan_detail", args=[activity.plan_id])))


def _change_status(activity: Activity, status: str, *, version: str) -> str | None:
    """Set the status as one version, unless the activity changed since ``version``; the error if so.

    The row is locked and compared as it is committed now; ``activity`` then holds that
    row (with the new status), so the matrix row shows what is saved.
    """
    with transaction.atomic():
        current = lock_row(activity)
        if current is None:
            raise Http404("Deleted a moment ago.")
        for field in Activity._meta.concrete_fields:
            setattr(activity, field.attname, getattr(current, field.attname))
        if version and version != EditForm.instance_version(current):
            return _(
                "Someone else changed this activity a moment ago. The row now shows their version; try again."
            )
        if activity.status != status:
            old = activity.get_status_display()
            activity.status = status
            save_with_history(
                activity,
                reason=_("Status changed from %(old)s to %(new)s")
                % {"old": old, "new": activity.get_status_display()},
            )
    return None


def get_follow_up_for_user(
    user, follow_up_id: int, *, edit: bool = False, contribute: bool = False
) -> tuple[ActivityFollowUp, Access]:
    """The follow-up and the user's access; 404 if none (see ``get_activity_for_user``)."""
    follow_up = (
        ActivityFollowUp.objects.select_related("activity__plan__county")
        .prefetch_related("activity__lead_organisations")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        raise Http404
    if contribute:
        return follow_up, require_contributor_access(user, follow_up.activity)
    return follow_up, require_county_access(user, follow_up.activity.plan.county_id, edit=edit)


def _follow_up_page(request, form, *, activity, access, follow_up=None, title) -> HttpResponse:
    """Full page without JavaScript; with htmx the same form is a partial swapped in place."""
    context = plan_context(
        activity.plan,
        cancel_url=reverse("activity_detail", args=[activity.pk]),
        activity=activity,
        title=title,
        object=follow_up,
    )
    if not request.htmx:
        return edit_object(
            request,
            form,
            context=context,
            success_url=lambda follow_up: (
                reverse("activity_detail", args=[activity.pk]) + f"#uppfoljning-{follow_up.year}"
            ),
        )
    created = form.instance.pk is None
    saved = request.method == "POST" and form.is_valid() and save_unless_changed(form)
    if saved:
        follow_up = saved
        if not created:
            return render(
                request,
                "activities/partials/follow_up.html",
                {"follow_up": follow_up, "access": access, "can_contribute": True, "saved": True},
            )
        # A new follow-up takes its place in the list by year, and "No follow-up yet" goes:
        # the whole list is swapped, not just the form.
        response = render(
            request,
            "activities/partials/follow_up_list.html",
            {
                "follow_ups": activity.follow_ups.order_by("-year"),
                "access": access,
                "can_contribute": True,
                "saved_id": follow_up.pk,
            },
        )
        response["HX-Retarget"] = "#uppfoljningar"
        response["HX-Reswap"] = "outerHTML"
        return response
    conflict = request.method == "POST" and form.is_valid()
    return render(
        request,
        "activities/partials/follow_up_form.html",
        {**context, "form": form, "conflict": conflict},
        status=409 if conflict else (400 if form.is_bound else 200),
    )


@login_required
def follow_up_create(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity, access = get_activity_for_user(request.user, activity_id, contribute=True)
    initial = {"status": activity.status}
    # The round's pages link here for their year ("?ar=2022").
    if (year := parse_id(request.GET.get("ar"))) is not None:
        initial["year"] = year
    form = FollowUpForm(request.POST or None, activity=activity, initial=initial)
    return _follow_up_page(request, form, activity=activity, access=access, title=_("New follow-up"))


@login_required
def follow_up_edit(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up, access = get_follow_up_for_user(request.user, follow_up_id, contribute=True)
    form = FollowUpForm(request.POST or None, instance=follow_up, activity=follow_up.activity)
    return _follow_up_page(
        request,
        form,
        activity=follow_up.activity,
        access=access,
        follow_up=follow_up,
        title=_("Edit follow-up %(year)s") % {"year": follow_up.year},
    )


@login_required
def follow_up_show(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """The follow-up as the activity page shows it (what htmx swaps back on cancel)."""
    follow_up, access = get_follow_up_for_user(request.user, follow_up_id)
    return render(
        request,
        "activities/partials/follow_up.html",
        {
            "follow_up": follow_up,
            "access": access,
            "can_contribute": access.may_contribute(follow_up.activity),
        },
    )


@login_required
@require_POST
def follow_up_state(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """Mark the follow-up done ("klar") or reopen it as a draft; htmx swaps the follow-up in place."""
    follow_up, access = get_follow_up_for_user(request.user, follow_up_id, contribute=True)
    form = FollowUpStateForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose done or draft.")
    else:
        error = _change_state(follow_up, form.cleaned_data["state"])
    activity_url = reverse("activity_detail", args=[follow_up.activity_id])
    if request.htmx:
        return render(
            request,
            "activities/partials/follow_up.html",
            {
                "follow_up": follow_up,
                "access": access,
                "can_contribute": True,
                "saved": error is None,
                "state_error": error,
            },
        )
    if error:
        messages.error(request, error)
    elif follow_up.state == FollowUpState.DONE:
        messages.success(request, _("The follow-up %(year)s is marked done.") % {"year": follow_up.year})
    else:
        messages.success(request, _("The follow-up %(year)s is a draft again.") % {"year": follow_up.year})
    return redirect(_safe_next(request, f"{activity_url}#uppfoljning-{follow_up.year}"))


def _change_state(follow_up: ActivityFollowUp, state: str) -> str | None:
    """Set the follow-up's state as one version with a reason; the error if it may not be done yet."""
    with transaction.atomic():
        current = lock_row(follow_up)
        if current is None:
            raise Http404("Deleted a moment ago.")
        for field in ActivityFollowUp._meta.concrete_fields:
            setattr(follow_up, field.attname, getattr(current, field.attname))
        if follow_up.state == state:
            return None
        if state == FollowUpState.DONE and not follow_up.achieved.strip():
            return _("Write what was achieved before you mark the follow-up done.")
        follow_up.state = state
        save_with_history(
            follow_up,
            reason=_("Marked done") if state == FollowUpState.DONE else _("Reopened as a draft"),
        )
    return None


@login_required
def follow_up_delete(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up, _access = get_follow_up_for_user(request.user, follow_up_id, edit=True)
    activity = follow_up.activity
    return delete_object(
        request,
        follow_up,
        context=plan_context(
            activity.plan, cancel_url=reverse("activity_detail", args=[activity.pk]), activity=activity
        ),
        success_url=reverse("activity_detail", args=[activity.pk]),
    )
