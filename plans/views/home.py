from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from activities.models import Activity
from plans.models import County, Goal, Plan
from plans.permissions import is_admin, readable_county_ids


def _counts(model, plan_ids: list[int]) -> dict[int, int]:
    """Rows of ``model`` per plan, in one grouped query."""
    rows = model.objects.filter(plan_id__in=plan_ids).order_by().values("plan_id").annotate(n=Count("id"))
    return {row["plan_id"]: row["n"] for row in rows}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The counties the user may see, each with its plans: all 21 for staff, their own for members.

    Four queries whatever the number of plans: counting goals and activities in one query with
    Count(distinct) over two joins multiplied them (goals × activities rows per plan).
    """
    user = request.user
    counties = list(
        County.objects.all() if is_admin(user) else County.objects.filter(pk__in=readable_county_ids(user))
    )
    plans = list(
        Plan.objects.filter(county__in=[county.pk for county in counties]).order_by("-start_year", "title")
    )
    plan_ids = [plan.pk for plan in plans]
    goals, activities = _counts(Goal, plan_ids), _counts(Activity, plan_ids)
    by_county: dict[int, list[Plan]] = {county.pk: [] for county in counties}
    for plan in plans:
        plan.goal_count = goals.get(plan.pk, 0)
        plan.activity_count = activities.get(plan.pk, 0)
        by_county[plan.county_id].append(plan)
    return render(
        request, "plans/home.html", {"counties": [(county, by_county[county.pk]) for county in counties]}
    )
