"""Planportal settings, read from the environment.

Every setting that differs between a laptop and production comes from an
environment variable through the small typed helpers below, which fail loudly
on a value they cannot read rather than guessing.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)


def envsecret(name: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        # Only a development server may run with a throwaway key.
        return "insecure-development-key-do-not-use-in-production"
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


SECRET_KEY = envsecret("SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "django_htmx",
    "axes",
    "django_q",
    "planportal",
    "plans",
    "activities",
    "indicators",
    "rounds",
    "analysis",
    "publication",
    "accessibility",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves the collected static files from the app itself, so that a web worker needs no
    # separate file server (compressed, with far-future cache headers for hashed names).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Content-Security-Policy, then Permissions-Policy and no-store for signed-in pages and downloads.
    "csp.middleware.CSPMiddleware",
    "planportal.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a refused login into the Swedish lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "planportal.urls"
WSGI_APPLICATION = "planportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "planportal.context_processors.navigation",
            ],
            "builtins": ["planportal.templatetags.swedish", "planportal.templatetags.display"],
        },
    },
]

# SQLite under var/ out of the box; PostgreSQL (production, CI) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'planportal.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `manage.py collectstatic` writes here; whitenoise serves it.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (run collectstatic first); plain files in development.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "planportal@localhost")
# Read by the SMTP backend (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)


def envurl(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    if not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must start with https:// or http://, not {value!r}")
    return value.rstrip("/")


# Links in e-mails are absolute: mails are written by job workers, outside any request.
SITE_URL = envurl(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}",
)

# Background work (e-mail, reminders, later PDF rendering and large imports) runs as jobs of
# django-q2 with its Django ORM broker: the queue is a table in the app's own database, so it
# works on SQLite in development and on PostgreSQL in production without another server.
# Start the workers with `manage.py qcluster`; `planportal/jobs.py` is where jobs are queued.
JOB_TIMEOUT = envint("JOB_TIMEOUT", 600)
Q_CLUSTER = {
    "name": "planportal",
    "orm": "default",
    "workers": envint("JOB_WORKERS", 2),
    # A job still running after JOB_TIMEOUT seconds is stopped; a job whose worker died is
    # handed out again once `retry` has passed (it must exceed the timeout), at most
    # max_attempts times. Failed jobs are retried too, so every job must be safe to repeat.
    "timeout": JOB_TIMEOUT,
    "retry": JOB_TIMEOUT + 60,
    "max_attempts": envint("JOB_MAX_ATTEMPTS", 3),
    "ack_failures": False,
    # After downtime a daily schedule runs once, not once per missed day.
    "catch_up": False,
    # Seconds between polls of the queue table when it is empty.
    "poll": 1,
    "save_limit": 1000,
    "label": _("Background jobs"),
}

# Kolada's open API (v3) for indicator values; tests point it at a local server of recorded answers.
KOLADA_BASE_URL = envurl("KOLADA_BASE_URL", "https://api.kolada.se")
KOLADA_TIMEOUT = envint("KOLADA_TIMEOUT", 20)

# Open data: the catalogue's publisher and a functional contact mailbox (never a person's).
OPENDATA_PUBLISHER = os.environ.get("OPENDATA_PUBLISHER", "Planportalen")
OPENDATA_CONTACT_EMAIL = os.environ.get("OPENDATA_CONTACT_EMAIL", "")

# An invitation to a county's people works once, for this many days.
INVITATION_DAYS = envint("INVITATION_DAYS", 14)

# Follow-up rounds: the reminder before the deadline goes out this many days before it.
REMINDER_DAYS_BEFORE_DEADLINE = envint("REMINDER_DAYS_BEFORE_DEADLINE", 7)

# Uploaded spreadsheets are read in memory up to this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 12 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 12 * 1024 * 1024)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = False
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Secure cookies by default in production; a plain-HTTP run on 127.0.0.1 (make loadtest) turns them off.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips it from clients):
# otherwise any client could claim that a plain-HTTP request came over HTTPS.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes), on the site login and the admin login alike: after
# AXES_FAILURE_LIMIT wrong passwords for one username from one IP address, that pair is
# locked out for AXES_COOLOFF_MINUTES, even with the right password. Staff lift a lockout
# in the admin (Axes › Access attempts) or with `manage.py axes_reset_username <name>`.
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = envint("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
AXES_LOCKOUT_CALLABLE = "planportal.views.locked_out"  # a Swedish page, not a plain 403
# Behind a proxy every request comes from the proxy's address: take the client's from
# X-Forwarded-For, which the declared proxy sets.
AXES_IPWARE_PROXY_COUNT = envint("PROXY_COUNT", 1) if BEHIND_PROXY else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
)

# Password-reset mails: at most this many per e-mail address and per IP address an hour.
PASSWORD_RESET_MAILS_PER_ADDRESS = envint("PASSWORD_RESET_MAILS_PER_ADDRESS", 3)
PASSWORD_RESET_MAILS_PER_IP = envint("PASSWORD_RESET_MAILS_PER_IP", 10)

# Live report PDFs: one render at a time per user, at most this many renders an hour;
# an unchanged plan is served from MEDIA_ROOT/cache without rendering again.
REPORT_PDF_RENDERS_PER_HOUR = envint("REPORT_PDF_RENDERS_PER_HOUR", 10)

# The throttling counters live in Django's cache. Several web workers must share it:
# CACHE_BACKEND=database keeps it in PostgreSQL (run `manage.py createcachetable` once).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "locmem")
if CACHE_BACKEND == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "planportal_cache"}
    }
else:
    raise ImproperlyConfigured(f"CACHE_BACKEND must be locmem or database, not {CACHE_BACKEND!r}")

# No inline script or style anywhere: every script and style sheet is a file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Single sign-on with OpenID Connect (planportal/sso.py; README "Single sign-on") ----------
# django-allauth's openid_connect provider, one app per OIDC_<n>_* group of variables.
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "allauth.account.middleware.AccountMiddleware"
)
PASSWORD_LOGIN = envbool("PASSWORD_LOGIN", True)
OIDC_NEW_USERS = os.environ.get("OIDC_NEW_USERS", "create")
if OIDC_NEW_USERS not in ("create", "refuse"):
    raise ImproperlyConfigured(f"OIDC_NEW_USERS must be create or refuse, not {OIDC_NEW_USERS!r}")
from planportal.sso_config import provider_origins, providers_from_environment  # noqa: E402

SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": providers_from_environment()}
}
SOCIALACCOUNT_ADAPTER = "planportal.sso.SocialAccountAdapter"
ACCOUNT_ADAPTER = "planportal.sso.AccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # the buttons POST (with the CSRF token); a GET asks first
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matched by the provider's sub, never by e-mail alone
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = envint("OIDC_TIMEOUT", 10)
ACCOUNT_EMAIL_VERIFICATION = "none"  # the provider vouches for the address; Planportal mails nobody
ACCOUNT_UNIQUE_EMAIL = False  # a provider's person is not merged with a password user of the same address
# The login button's POST and the logout are answered with a redirect to the provider: allow it.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += provider_origins(
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
)
# --- end of single sign-on --------------------------------------------------------------------
