"""URLs of single sign-on, and the login, logout and password-reset pages that depend on it.

Included before Django's own auth URLs, so that these answer /konto/login/, /konto/logout/ and
the password reset (which PASSWORD_LOGIN=false turns off).
"""

from django.urls import path

from planportal import sso

urlpatterns = [
    path("konto/login/", sso.PasswordLoginView.as_view(), name="login"),
    path("konto/logout/", sso.logout_view, name="logout"),
    path("konto/password_reset/", sso.password_reset, name="password_reset"),
    path("konto/reset/<uidb64>/<token>/", sso.password_reset_confirm, name="password_reset_confirm"),
    path("konto/oidc/<str:provider_id>/login/", sso.oidc_login, name="openid_connect_login"),
    path("konto/oidc/<str:provider_id>/login/callback/", sso.oidc_callback, name="openid_connect_callback"),
    path("konto/ingen-behorighet/", sso.no_access, name="sso_no_access"),
    # Names that allauth's social login flow redirects to.
    path("konto/oidc/avbruten/", sso.login_cancelled, name="socialaccount_login_cancelled"),
    path("konto/oidc/stangd/", sso.signup_refused, name="socialaccount_signup"),
    path("konto/oidc/avstangd/", sso.inactive, name="account_inactive"),
    path("konto/oidc/ny/", sso.signup_refused, name="account_signup"),
]
