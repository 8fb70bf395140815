from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from plans.models import County
from plans.permissions import get_plan_for_user, require_county_access


@login_required
def county_detail(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = get_object_or_404(County, letter_code=letter_code.upper())
    access = require_county_access(request.user, county.pk)
    return render(request, "plans/county_detail.html", {"county": county, "access": access})


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, access = get_plan_for_user(request.user, plan_id)
    return render(request, "plans/plan_detail.html", {"plan": plan, "access": access})
