"""The round page's "Påminn" button: queues the reminder job, sends nothing itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plans.permissions import require_county_access
from rounds import tasks
from rounds.models import FollowUpRound


@login_required
@require_POST
def round_remind(request: HttpRequest, round_id: int) -> HttpResponse:
    round = FollowUpRound.objects.select_related("plan").filter(pk=round_id).first()
    if round is None:
        raise Http404
    require_county_access(request.user, round.plan.county_id, edit=True)
    if not round.is_open:
        messages.error(request, _("The round is closed: no reminders are sent."))
    else:
        tasks.queue_manual_reminders(round, request.user)
        messages.success(
            request,
            _(
                "Reminders are on their way to everyone whose follow-up is missing "
                "(at most one a day per person)."
            ),
        )
    return redirect("round_detail", round.pk)
