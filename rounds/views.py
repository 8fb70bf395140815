"""The follow-up round: opening it, its overview page, and a contributor's own list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.models import FollowUpState
from planportal.lib.history import save_with_history
from plans.models import Plan
from plans.permissions import (
    Access,
    contributable_activity_ids,
    county_organisations,
    get_plan_for_user,
    require_county_access,
)
from plans.views.common import plan_context
from plans.views.plan_page import parse_id
from rounds.forms import RoundForm
from rounds.models import FollowUpRound
from rounds.progress import MISSING, round_progress
from rounds.tasks import queue_round_reminders

# The round page's filter: what the coordinator chases ("saknas": not done yet), or what is done.
SHOW = {"saknas": {MISSING, FollowUpState.DRAFT}, "klar": {FollowUpState.DONE}}


def get_round_for_user(user, round_id: int, *, edit: bool = False) -> tuple[FollowUpRound, Access]:
    """The round and the user's access to its plan's county, or Http404."""
    round = FollowUpRound.objects.select_related("plan__county", "opened_by").filter(pk=round_id).first()
    if round is None:
        raise Http404
    return round, require_county_access(user, round.plan.county_id, edit=edit)


def _round_url(round: FollowUpRound) -> str:
    return reverse("round_detail", args=[round.pk])


@login_required
def plan_rounds(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    rounds = plan.follow_up_rounds.order_by("-year")
    return render(
        request,
        "rounds/plan_rounds.html",
        {"plan": plan, "county": plan.county, "access": access, "rounds": rounds},
    )


@login_required
def round_open(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, _access = get_plan_for_user(request.user, plan_id, edit=True)
    round = FollowUpRound(plan=plan, opened_by=request.user)
    form = RoundForm(request.POST or None, instance=round, initial={"year": _proposed_year(plan)})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            save_with_history(form.instance, reason=_("Round opened"))
            # The contributors hear of it at once (by the job queue, after the commit).
            queue_round_reminders(form.instance)
        messages.success(request, _("The follow-up round %(year)s is open.") % {"year": form.instance.year})
        return redirect(_round_url(form.instance))
    return render(
        request,
        "plans/edit.html",
        {
            **plan_context(
                plan, cancel_url=reverse("plan_rounds", args=[plan.pk]), title=_("Open a follow-up round")
            ),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def _proposed_year(plan: Plan) -> int:
    """The first year of the plan without a round (the round is opened in the autumn of its year)."""
    taken = set(plan.follow_up_rounds.values_list("year", flat=True))
    free = [year for year in range(plan.start_year, plan.end_year + 2) if year not in taken]
    return free[0] if free else plan.end_year


@login_required
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round, _access = get_round_for_user(request.user, round_id, edit=True)
    form = RoundForm(request.POST or None, instance=round)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            with transaction.atomic():
                reason = None
                if "status" in form.changed_data:
                    reason = _("Round closed") if not round.is_open else _("Round reopened")
                save_with_history(form.instance, reason=reason)
        messages.success(request, _("Saved “%(object)s”.") % {"object": round})
        return redirect(_round_url(round))
    return render(
        request,
        "plans/edit.html",
        {
            **plan_context(
                round.plan,
                cancel_url=_round_url(round),
                title=_("Edit follow-up round %(year)s") % {"year": round.year},
            ),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round, access = get_round_for_user(request.user, round_id)
    show = request.GET.get("visa", "")
    if show not in SHOW:
        show = ""
    organisation_id = parse_id(request.GET.get("organisation"))
    progress = round_progress(round)
    rows = progress.rows
    if show:
        rows = [row for row in rows if row.state in SHOW[show]]
    if organisation_id:
        rows = [row for row in rows if any(o.pk == organisation_id for o in row.organisations)]
    organisations = [entry.organisation for entry in progress.by_organisation if entry.organisation]
    return render(
        request,
        "rounds/round_detail.html",
        {
            "round": round,
            "plan": round.plan,
            "county": round.plan.county,
            "access": access,
            "progress": progress,
            "rows": rows,
            "show": show,
            "organisation_id": organisation_id,
            "organisations": organisations,
            "is_filtered": bool(show or organisation_id),
            "contributes_to": contributable_activity_ids(access),
        },
    )


@login_required
def my_follow_up(request: HttpRequest) -> HttpResponse:
    """A contributor's own page: per open round of their counties, what their organisations still owe."""
    by_county = county_organisations(request.user)
    rounds = (
        FollowUpRound.objects.open()
        .filter(plan__county_id__in=list(by_county))
        .select_related("plan__county")
        .order_by("deadline", "plan__title")
    )
    sections = []
    for round in rounds:
        progress = round_progress(round, organisation_ids=by_county[round.plan.county_id])
        sections.append(
            {
                "round": round,
                "progress": progress,
                "todo": [row for row in progress.rows if not row.is_done],
                "done": [row for row in progress.rows if row.is_done],
            }
        )
    context = {"sections": sections, "is_contributor": bool(by_county)}
    return render(request, "rounds/my_follow_up.html", context)
