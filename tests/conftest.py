import os

import pytest
from django.conf import settings
from django.core.cache import cache


def pytest_configure(config) -> None:
    # Hashing passwords properly is slow by design; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Live-server threads must not keep connections open, or the test database
    # cannot be dropped at the end of the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Throttling counters (password-reset mails, PDF renders) start at zero in every test:
    user ids repeat between tests, and the in-memory cache outlives each one."""
    cache.clear()


# Browser tests: Playwright drives Debian's Chromium (downloading browsers is not possible
# here, and not needed). Django's live_server runs in a thread of this process, and
# Playwright's sync API runs an event loop in it, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "viewport": {"width": 1366, "height": 900}}


def login_in_browser(page, live_server, username: str, password: str = "password") -> None:
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
