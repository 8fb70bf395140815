"""A real OpenID Connect provider (panva's oidc-provider on Node.js) for the single sign-on tests.

`make test` installs it (npm ci in tests/sso/provider); without node/npm these tests are skipped.
"""

import shutil
import socket
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

PROVIDER_DIR = Path(__file__).parent / "provider"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The provider's issuer URL; it knows the clients "testregion" and "snabbregion" (codes live 1 s)."""
    if shutil.which("node") is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.skip(
            "node and tests/sso/provider/node_modules are needed (make test installs them with npm ci)"
        )
    port = free_port()
    process = subprocess.Popen(
        ["node", "server.mjs", str(port), live_server.url],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            pytest.fail(f"the OIDC provider did not start: {line!r}")
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def provider_app(issuer: str, provider_id: str = "testregion", name: str = "Region Test") -> dict:
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": provider_id,
        "secret": f"{provider_id}-secret",
        "settings": {
            "server_url": issuer,
            "scope": ["openid", "profile", "email"],
            "oauth_pkce_enabled": True,
        },
    }


@pytest.fixture
def sso_settings(settings, oidc_provider):
    """Planportal configured with the local provider, as OIDC_<n>_* variables would configure it."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                provider_app(oidc_provider),
                provider_app(oidc_provider, "snabbregion", "Region Snabb"),
                provider_app(f"http://127.0.0.1:{free_port()}", "nererregion", "Region Nere"),
            ],
        }
    }
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 3
    return settings


class Forms(HTMLParser):
    """The forms of a page: [{action, method, fields: {name: value}, buttons: [text]}]."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action") or "", "method": attrs.get("method", "get"), "fields": {}}
            )
        elif (
            tag in ("input", "button")
            and self.forms
            and attrs.get("name")
            and (tag == "input" or attrs.get("value") is not None)
        ):
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


class Agent:
    """A browser without JavaScript: a requests session that follows redirects one by one."""

    def __init__(self, live_server_url: str) -> None:
        self.base = live_server_url
        self.session = requests.Session()

    def get(self, url: str) -> requests.Response:
        return self.session.get(urljoin(self.base, url), allow_redirects=False, timeout=10)

    def submit(self, response: requests.Response, action: str = "", **fields) -> requests.Response:
        """Submit the first form whose action contains `action`."""
        form = next(form for form in Forms(response.text).forms if action in form["action"])
        data = {**form["fields"], **fields}
        url = urljoin(response.url, form["action"]) if form["action"] else response.url
        # Django checks the Referer on POSTs only over https; sending it costs nothing.
        return self.session.post(
            url, data=data, headers={"Referer": response.url}, allow_redirects=False, timeout=10
        )

    def follow(self, response: requests.Response, stop=None) -> requests.Response:
        """Follow redirects until a page, or until a redirect whose target `stop(url)` holds."""
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if stop and stop(target):
                response.stop_url = target
                return response
            response = self.session.get(target, allow_redirects=False, timeout=10)
        return response

    def start_login(self, provider_id: str = "testregion") -> requests.Response:
        """Press the provider's button on the login page; answers the provider's login form."""
        page = self.get("/konto/login/")
        assert page.status_code == 200
        return self.follow(self.submit(page, f"/konto/oidc/{provider_id}/login/"))

    def sign_in_at_provider(self, login_form: requests.Response, sub: str, stop_at_callback=False):
        """Fill in the provider's login form, consent, and come back to Planportal."""
        assert "prompt" in Forms(login_form.text).forms[0]["fields"], login_form.text[:500]
        response = self.follow(self.submit(login_form, login=sub, password="vad-som-helst"))
        if urlsplit(response.url).path.startswith("/interaction/"):  # the consent page
            response = self.submit(response)
        stop = (lambda url: "/login/callback/" in url) if stop_at_callback else None
        return self.follow(response, stop=stop)
