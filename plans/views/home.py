from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from planportal.lib.swedish import swedish_sort_key
from plans.models import County, Plan


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The counties and plans the user may see."""
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("county")
        .annotate(goal_count=Count("goals", distinct=True), activity_count=Count("activities", distinct=True))
        .order_by("-start_year", "title")
    )
    counties: dict[County, list[Plan]] = {}
    for plan in plans:
        counties.setdefault(plan.county, []).append(plan)
    ordered = sorted(counties.items(), key=lambda item: swedish_sort_key(item[0].name))
    return render(request, "plans/home.html", {"counties": ordered})
