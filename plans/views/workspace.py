"""The county page: a county's live plans at a glance and its latest changes."""

from collections import Counter, defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from activities.models import Activity, ActivityFollowUp, Status
from plans.models import County, Goal, Plan
from plans.permissions import require_county_access
from plans.versions import KIND_OF, version_title
from plans.views.plan_page import indicator_progress, progress_counts


@login_required
def county_detail(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = get_object_or_404(County, letter_code=letter_code.upper())
    access = require_county_access(request.user, county.pk)
    plans = list(county.plans.order_by("status", "-start_year", "title"))
    live_ids = [plan.pk for plan in plans if plan.status != Plan.Status.ARCHIVED]

    per_status: dict[int, Counter] = defaultdict(Counter)
    for row in (
        Activity.objects.filter(plan_id__in=live_ids).values("plan_id", "status").annotate(n=Count("id"))
    ):
        per_status[row["plan_id"]][row["status"]] = row["n"]
    budgets = dict(
        Activity.objects.filter(plan_id__in=live_ids)
        .values("plan_id")
        .annotate(total=Sum("budget"))
        .values_list("plan_id", "total")
    )
    idle_goals: dict[int, list[Goal]] = defaultdict(list)
    for goal in Goal.objects.filter(plan_id__in=live_ids, activities__isnull=True).order_by(
        "position", "code"
    ):
        idle_goals[goal.plan_id].append(goal)
    # Each live plan's indicators, judged by the one rule (an indicator on two goals counts once).
    progress: dict[int, dict] = defaultdict(dict)
    for plan_id, _goal_id, indicator_id, judged in indicator_progress(county.pk, live_ids):
        progress[plan_id][indicator_id] = judged
    for plan in plans:
        plan.progress_counts = progress_counts(list(progress[plan.pk].values()))
        counts = per_status.get(plan.pk, Counter())
        plan.status_counts = [(label, counts[value], value) for value, label in Status.choices]
        plan.activity_total = sum(counts.values())
        plan.budget_total = budgets.get(plan.pk)
        plan.idle_goals = idle_goals.get(plan.pk, [])
        plan.is_live = plan.pk in live_ids

    return render(
        request,
        "plans/county_detail.html",
        {"county": county, "access": access, "plans": plans, "changes": latest_changes(county)},
    )


def latest_changes(county: County, limit: int = 12) -> list:
    """The county's most recent versions of plans, goals, activities and follow-ups."""
    sources = [
        (Plan, Plan.history.filter(county_id=county.pk)),
        (Goal, Goal.history.filter(plan__county_id=county.pk)),
        (Activity, Activity.history.filter(plan__county_id=county.pk)),
        (
            ActivityFollowUp,
            ActivityFollowUp.history.filter(activity__plan__county_id=county.pk).select_related("activity"),
        ),
    ]
    records = []
    for model, queryset in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            record.kind = KIND_OF[model]
            record.kind_label = model._meta.verbose_name
            record.label = version_title(model, record)
            records.append(record)
    return sorted(records, key=lambda record: record.history_date, reverse=True)[:limit]
