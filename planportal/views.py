"""Account pages that Django's own auth views need a little help with.

django-axes throttles logins; a password-reset request authenticates nobody, so axes
does not see it. Without a limit anyone could make Planportal mail an address again and
again, so the reset view counts requests per e-mail address and per IP address in the
cache, over a fixed hour from the first request.
"""

import hashlib

from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    """Count one more request under ``key``; the count is forgotten an hour after the first."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form) -> HttpResponse:
        # Hashed: the cache holds no e-mail addresses.
        address = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        ip_address = get_client_ip_address(self.request) or "unknown"
        too_many_for_address = (
            _count(f"password-reset:address:{address}") > settings.PASSWORD_RESET_MAILS_PER_ADDRESS
        )
        too_many_from_ip = _count(f"password-reset:ip:{ip_address}") > settings.PASSWORD_RESET_MAILS_PER_IP
        if too_many_for_address or too_many_from_ip:
            response = self.render_to_response(self.get_context_data(form=form, throttled=True), status=429)
            response["Retry-After"] = str(WINDOW_SECONDS)
            return response
        return super().form_valid(form)


def locked_out(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page django-axes shows instead of a login form (site or admin) while locked out."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
