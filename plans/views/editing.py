"""Create, edit and delete plans, priority areas and goals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal.lib.history import save_with_history
from planportal.lib.locking import lock_row
from planportal.lib.textdiff import normalise_text
from plans.forms import GoalForm, PlanForm, PriorityAreaForm
from plans.models import County, Goal, Plan, PriorityArea
from plans.permissions import editable_counties, get_plan_for_user, require_county_access
from plans.views.common import delete_object, edit_object, plan_context


def _plan_url(plan_id: int, anchor: str = "") -> str:
    return reverse("plan_detail", args=[plan_id]) + anchor


@login_required
def plan_create(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = get_object_or_404(County, letter_code=letter_code.upper())
    require_county_access(request.user, county.pk, edit=True)
    form = PlanForm(
        request.POST or None, initial={"county": county}, editable_counties=editable_counties(request.user)
    )
    return edit_object(
        request,
        form,
        context={
            "county": county,
            "title": _("New plan"),
            "cancel_url": reverse("county_detail", args=[county.letter_code]),
        },
        success_url=lambda plan: _plan_url(plan.pk),
    )


@login_required
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    form = PlanForm(request.POST or None, instance=plan, editable_counties=editable_counties(request.user))
    return edit_object(
        request,
        form,
        context=plan_context(plan, cancel_url=_plan_url(plan.pk), title=_("Edit plan")),
        success_url=lambda plan: _plan_url(plan.pk),
    )


@login_required
def plan_delete(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    context = plan_context(plan, cancel_url=_plan_url(plan.pk))
    # A plan with follow-up reports is archived, never deleted: an approved report and its
    # PDF are the county's record of the year (the database refuses it too, on_delete=PROTECT).
    if plan.reports.exists():
        return _plan_archive(request, plan, context, why=REPORTS_KEEP_PLAN, reason=ARCHIVED_FOR_REPORTS)
    # Deleting a plan would take its goals and activities with it; they are deleted (and
    # restorable) one by one first, or the plan is archived instead.
    if plan.goals.exists() or plan.activities.exists():
        return _plan_archive(request, plan, context, why=CONTENT_KEEPS_PLAN, reason=ARCHIVED_WITH_CONTENT)
    try:
        return delete_object(
            request,
            plan,
            context=context,
            success_url=reverse("county_detail", args=[plan.county.letter_code]),
        )
    except ProtectedError:
        # A report was submitted for the plan while the page was open.
        return _plan_archive(request, plan, context, why=REPORTS_KEEP_PLAN, reason=ARCHIVED_FOR_REPORTS)


REPORTS_KEEP_PLAN = gettext_lazy(
    "The plan has follow-up reports, so it cannot be deleted: an approved report and its PDF are the "
    "county's record of the year, and they stay with the plan. Archive the plan instead; it is kept "
    "with its history and reports, and no longer counts as a current plan."
)
CONTENT_KEEPS_PLAN = gettext_lazy(
    "The plan still has goals or activities. Delete them first, or archive the plan."
)
ARCHIVED_FOR_REPORTS = gettext_lazy("Archived instead of deleted: the plan has follow-up reports.")
ARCHIVED_WITH_CONTENT = gettext_lazy("Archived instead of deleted: the plan has goals or activities.")


def _plan_archive(request: HttpRequest, plan: Plan, context: dict, *, why: str, reason: str) -> HttpResponse:
    """The delete page of a plan that cannot be deleted (``why``): it offers to archive the plan."""
    context.update(object=plan, archive=why, archived=plan.status == Plan.Status.ARCHIVED)
    if request.method != "POST":
        return render(request, "plans/delete.html", context)
    if "archive" not in request.POST:
        return render(request, "plans/delete.html", context, status=409)
    with transaction.atomic():
        current = lock_row(plan)
        if current.status != Plan.Status.ARCHIVED:
            current.status = Plan.Status.ARCHIVED
            given = normalise_text(request.POST.get("change_reason", ""))[:300]
            save_with_history(current, reason=given or str(reason))
    messages.success(request, _("Archived “%(object)s”.") % {"object": current})
    return redirect(_plan_url(plan.pk))


def _priority_area_for_user(request: HttpRequest, area_id: int) -> PriorityArea:
    area = PriorityArea.objects.select_related("plan__county").filter(pk=area_id).first()
    if area is None:
        raise Http404
    require_county_access(request.user, area.plan.county_id, edit=True)
    return area


@login_required
def priority_area_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    form = PriorityAreaForm(request.POST or None, instance=PriorityArea(plan=plan))
    return edit_object(
        request,
        form,
        context=plan_context(plan, cancel_url=_plan_url(plan.pk), title=_("New priority area")),
        success_url=lambda area: _plan_url(plan.pk, f"#omrade-{area.pk}"),
    )


@login_required
def priority_area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    area = _priority_area_for_user(request, area_id)
    form = PriorityAreaForm(request.POST or None, instance=area)
    return edit_object(
        request,
        form,
        context=plan_context(
            area.plan, cancel_url=_plan_url(area.plan_id), title=_("Edit priority area"), object=area
        ),
        success_url=lambda area: _plan_url(area.plan_id, f"#omrade-{area.pk}"),
    )


@login_required
def priority_area_delete(request: HttpRequest, area_id: int) -> HttpResponse:
    area = _priority_area_for_user(request, area_id)
    return delete_object(
        request,
        area,
        context=plan_context(area.plan, cancel_url=_plan_url(area.plan_id)),
        success_url=_plan_url(area.plan_id),
    )


def get_goal_for_user(user, goal_id: int, *, edit: bool = False) -> Goal:
    goal = (
        Goal.objects.select_related("plan__county", "focus_area", "priority_area").filter(pk=goal_id).first()
    )
    if goal is None:
        raise Http404
    require_county_access(user, goal.plan.county_id, edit=edit)
    return goal


@login_required
def goal_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    form = GoalForm(request.POST or None, plan=plan)
    return edit_object(
        request,
        form,
        context=plan_context(plan, cancel_url=_plan_url(plan.pk), title=_("New goal")),
        success_url=lambda goal: _plan_url(plan.pk, "#mal"),
    )


@login_required
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id, edit=True)
    form = GoalForm(request.POST or None, instance=goal, plan=goal.plan)
    return edit_object(
        request,
        form,
        context=plan_context(
            goal.plan, cancel_url=_plan_url(goal.plan_id), title=_("Edit goal"), object=goal
        ),
        success_url=lambda goal: _plan_url(goal.plan_id, "#mal"),
    )


@login_required
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id, edit=True)
    return delete_object(
        request,
        goal,
        context=plan_context(goal.plan, cancel_url=_plan_url(goal.plan_id)),
        success_url=_plan_url(goal.plan_id, "#mal"),
    )
