from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accessibility.forms import StatementForm
from accessibility.models import AccessibilityStatement
from planportal.lib import markup
from plans.permissions import is_admin
from plans.views.common import edit_object

# DIGG's form for telling the supervisory authority that a public website is not accessible.
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"


def statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: public, no login."""
    current = AccessibilityStatement.load()
    return render(
        request,
        "accessibility/statement.html",
        {
            "statement": current,
            "non_accessible": markup.render(current.non_accessible),
            "assessment": markup.render(current.assessment),
            "contact_text": markup.render(current.contact_text),
            "digg_report_url": DIGG_REPORT_URL,
            "can_edit": is_admin(request.user),
        },
    )


@login_required
def statement_edit(request: HttpRequest) -> HttpResponse:
    """Staff edit the statement, as one version in its history."""
    if not is_admin(request.user):
        raise Http404("Only staff edit the accessibility statement.")
    current = AccessibilityStatement.load()
    form = StatementForm(request.POST or None, instance=current)
    return edit_object(
        request,
        form,
        context={
            "title": _("Edit the accessibility statement"),
            "cancel_url": reverse("accessibility_statement"),
        },
        success_url=lambda _instance: reverse("accessibility_statement"),
    )
