"""The identity providers of single sign-on, read from OIDC_<n>_* variables (see planportal/sso.py).

Imported by settings, so it imports nothing that needs the app registry.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import slugify


def providers_from_environment(environ=os.environ) -> list[dict]:
    """allauth's APPS list for the `openid_connect` provider, from OIDC_<n>_* variables."""
    numbers = sorted(
        {int(match.group(1)) for name in environ if (match := re.fullmatch(r"OIDC_(\d+)_ISSUER", name))}
    )
    apps = []
    for number in numbers:
        prefix = f"OIDC_{number}_"
        missing = [
            key for key in ("NAME", "ISSUER", "CLIENT_ID") if not environ.get(prefix + key, "").strip()
        ]
        if missing:
            raise ImproperlyConfigured(
                f"{prefix}ISSUER is set, so {prefix}{' and '.join(missing)} must be too"
            )
        name = environ[prefix + "NAME"].strip()
        issuer = environ[prefix + "ISSUER"].strip()
        if not issuer.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"{prefix}ISSUER must be an https:// URL, not {issuer!r}")
        provider_id = environ.get(prefix + "ID", "").strip() or slugify(name)
        if not re.fullmatch(r"[a-z0-9-]+", provider_id):
            raise ImproperlyConfigured(f"{prefix}ID must be lower-case letters, digits and '-' only")
        scopes = environ.get(prefix + "SCOPES", "").replace(",", " ").split() or [
            "openid",
            "profile",
            "email",
        ]
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        apps.append(
            {
                "provider_id": provider_id,
                "name": name,
                "client_id": environ[prefix + "CLIENT_ID"].strip(),
                "secret": environ.get(prefix + "CLIENT_SECRET", ""),
                "settings": {"server_url": issuer.rstrip("/"), "scope": scopes, "oauth_pkce_enabled": True},
            }
        )
    if len({app["provider_id"] for app in apps}) != len(apps):
        raise ImproperlyConfigured("Two OIDC providers have the same ID; set OIDC_<n>_ID to tell them apart")
    return apps


def provider_origins(apps: list[dict]) -> list[str]:
    """The providers' origins, which CSP's form-action must allow: the login button's POST and the
    logout are answered with a redirect there, and browsers hold redirects after a form to it."""
    return sorted({"/".join(app["settings"]["server_url"].split("/")[:3]) for app in apps})
