"""Single sign-on with OpenID Connect, through django-allauth's `openid_connect` provider.

Each identity provider (one per region, say) is configured from the environment with numbered
variables, read by `providers_from_environment` in settings:

    OIDC_1_NAME="Region Norrbotten"   the button says "Logga in med Region Norrbotten"
    OIDC_1_ISSUER=https://login.microsoftonline.com/<tenant>/v2.0   (or its discovery URL)
    OIDC_1_CLIENT_ID=...  OIDC_1_CLIENT_SECRET=...  OIDC_1_SCOPES="openid profile email"
    OIDC_1_ID=norrbotten              in the redirect URI and in the stored links: never change it

(read by `planportal.sso_config.providers_from_environment`, which settings may import early).

The flow is the authorization code flow with PKCE (S256). A person is matched to a user by the
provider's stable subject id (`sub`) per provider, never by e-mail alone. The first sign-in either
creates an active user without any membership (OIDC_NEW_USERS=create), who is sent to a page that
says whom to ask, or is refused (OIDC_NEW_USERS=refuse). Every failure is a Swedish page, never a
500: a bad or reused state, an expired or reused code, a provider that does not answer, a person
who declined. Logging out ends the local session and then, where the provider offers an
`end_session_endpoint`, the provider's too (RP-initiated logout).
"""

import logging
from urllib.parse import urlencode

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planportal.views import ThrottledPasswordResetView

log = logging.getLogger(__name__)

SESSION_PROVIDER_KEY = "sso_provider_id"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- Settings --------------------------------------------------------------------------------


def configured_providers() -> list[dict]:
    return settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])


# --- Adapters --------------------------------------------------------------------------------


def has_no_access(user) -> bool:
    return not user.is_staff and not user.memberships.exists()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Nobody signs themselves up with a password; people come through a provider or an admin.
        return False

    def login(self, request: HttpRequest, user) -> None:
        # A person signed in through a provider is loaded by the model backend on later
        # requests (the first backend in the list is django-axes', which loads nobody).
        if not hasattr(user, "backend"):
            user.backend = PASSWORD_BACKEND
        super().login(request, user)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if has_no_access(request.user):
            return reverse("sso_no_access")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("sso_no_access")


# What went wrong, as a key the page shows (and the tests read) and its Swedish message.
ERRORS = {
    "state": 400,  # no stashed state for this answer: tampered, reused, or the session expired
    "code": 400,  # the provider refused the code: expired or used already
    "provider_down": 502,  # the provider did not answer (connection refused, timeout, bad answer)
    "cancelled": 400,  # the person declined at the provider
    "provider_error": 400,  # the provider answered with an error of its own
    "refused": 403,  # no user yet, and OIDC_NEW_USERS=refuse
    "inactive": 403,  # the user is deactivated
}


def error_message(kind: str) -> str:
    return {
        "state": _(
            "The sign-in could not be verified: the answer from the identity provider did not belong "
            "to this sign-in, or had been used already. Please start again."
        ),
        "code": _(
            "The sign-in took too long or was already used, so the identity provider did not accept it. "
            "Please start again."
        ),
        "provider_down": _(
            "The identity provider does not answer right now. Please try again in a while, or ask your "
            "IT support if it goes on."
        ),
        "cancelled": _("You cancelled the sign-in at the identity provider. Nobody has been signed in."),
        "provider_error": _("The identity provider could not sign you in. Please start again."),
        "refused": _(
            "You have no user account in Planportal yet, and accounts are not created at the first "
            "sign-in here. Ask your county's coordinator (the county's administrators) to give you access."
        ),
        "inactive": _("Your user account in Planportal is deactivated. Ask your county's coordinator."),
    }[kind]


def render_error(request: HttpRequest, kind: str, provider_name: str = "") -> HttpResponse:
    context = {"kind": kind, "message": error_message(kind), "provider_name": provider_name}
    return render(request, "sso/error.html", context, status=ERRORS[kind])


def _error_kind(error, exception) -> str:
    if error == AuthError.CANCELLED:
        return "cancelled"
    if isinstance(exception, requests.RequestException):
        return "provider_down"
    if isinstance(exception, OAuth2Error):
        return "code"
    if exception is None and error == AuthError.UNKNOWN:
        return "state"
    return "provider_error"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        if settings.OIDC_NEW_USERS == "create":
            return True
        raise ImmediateHttpResponse(render_error(request, "refused"))

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        context = extra_context or {}
        kind = _error_kind(error, exception)
        # A callback that found its state but no code is the provider's own error answer.
        if kind == "state" and context.get("state") is not None:
            kind = "provider_error"
        log.warning("OIDC sign-in with %s failed: %s (%r)", provider.id, kind, exception)
        raise ImmediateHttpResponse(render_error(request, kind, getattr(provider, "name", "")))


# --- Views -----------------------------------------------------------------------------------


def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """allauth's login view, with a Swedish page when the provider's discovery does not answer."""
    try:
        return oidc_views.login(request, provider_id)
    except (requests.RequestException, ValueError, KeyError) as exception:
        log.warning("OIDC discovery for %s failed: %r", provider_id, exception)
        return render_error(request, "provider_down")


def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return oidc_views.callback(request, provider_id)
    except (requests.RequestException, ValueError, KeyError) as exception:
        log.warning("OIDC callback for %s failed: %r", provider_id, exception)
        return render_error(request, "provider_down")


def no_access(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person without any membership lands: whom to ask for access."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    return render(request, "sso/no_access.html", {"has_no_access": has_no_access(request.user)})


def signup_refused(request: HttpRequest) -> HttpResponse:
    return render_error(request, "refused")


def inactive(request: HttpRequest) -> HttpResponse:
    return render_error(request, "inactive")


def login_cancelled(request: HttpRequest) -> HttpResponse:
    return render_error(request, "cancelled")


def end_session_url(request: HttpRequest, provider_id: str) -> str | None:
    """The provider's end_session_endpoint with a way back here, or None when it has none."""
    app = next((app for app in configured_providers() if app["provider_id"] == provider_id), None)
    if app is None:
        return None
    discovery = app["settings"]["server_url"]
    if "/.well-known/" not in discovery:
        discovery += "/.well-known/openid-configuration"
    try:
        response = requests.get(discovery, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
        response.raise_for_status()
        endpoint = response.json().get("end_session_endpoint")
    except (requests.RequestException, ValueError, AttributeError) as exception:
        log.warning("OIDC discovery for logout from %s failed: %r", provider_id, exception)
        return None
    if not endpoint:
        return None
    back = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode({"client_id": app["client_id"], "post_logout_redirect_uri": back})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Ends the local session, then the provider's where the person came through one that can."""
    provider_id = request.session.get(SESSION_PROVIDER_KEY)
    logout(request)
    target = end_session_url(request, provider_id) if provider_id else None
    return HttpResponseRedirect(target or reverse(settings.LOGOUT_REDIRECT_URL))


def remember_provider(sender, request, user, sociallogin=None, **kwargs) -> None:
    """Connected to allauth's user_logged_in: which provider this session came through."""
    if sociallogin is not None and request is not None:
        request.session[SESSION_PROVIDER_KEY] = sociallogin.account.provider


class PasswordLoginView(LoginView):
    """Django's login page; with PASSWORD_LOGIN=false it shows the providers' buttons only."""

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            return HttpResponse(_("Logging in with a password is turned off here."), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["password_login"] = settings.PASSWORD_LOGIN
        return context


def password_reset(request: HttpRequest) -> HttpResponse:
    if not settings.PASSWORD_LOGIN:
        raise Http404
    return ThrottledPasswordResetView.as_view()(request)


def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if not settings.PASSWORD_LOGIN:
        raise Http404
    return PasswordResetConfirmView.as_view()(request, uidb64=uidb64, token=token)


user_logged_in.connect(remember_provider, dispatch_uid="planportal.sso.remember_provider")
