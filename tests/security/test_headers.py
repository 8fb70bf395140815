"""The headers every answer carries: a Content-Security-Policy with no inline script or style,
a Permissions-Policy, and `Cache-Control: private, no-store` on a signed-in person's pages and
on every download."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def _directives(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


def assert_locked_down(response) -> None:
    assert _directives(response["Content-Security-Policy"]) == _directives(CSP)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in response["Permissions-Policy"]


def test_it_sends_the_headers_on_a_signed_in_page(client, world):
    response = world.login(client, "editor").get(reverse("plan_detail", args=[world.tree.plan.pk]))
    assert response.status_code == 200
    assert_locked_down(response)
    assert response["Cache-Control"] == "private, no-store"


def test_it_sends_the_headers_on_an_export(client, world):
    url = reverse("plan_export", args=[world.tree.plan.pk, "aktiviteter", "xlsx"])
    response = world.login(client, "reader").get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert_locked_down(response)
    assert response["Cache-Control"] == "private, no-store"


def test_it_sends_the_headers_on_a_pdf(client, world):
    from tests.reports.jobs import download

    response = download(world.login(client, "reader"), reverse("report_pdf", args=[world.tree.plan.pk, 2022]))
    assert response["Content-Type"] == "application/pdf"
    assert_locked_down(response)
    assert response["Cache-Control"] == "private, no-store"


def test_it_lets_an_anonymous_page_be_cached_but_keeps_the_policy(client, world):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert_locked_down(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_keeps_the_lockout_and_error_pages_under_the_policy(client, world):
    response = world.login(client, "editor").get("/finns-inte/")
    assert response.status_code == 404
    assert_locked_down(response)
    assert response["Cache-Control"] == "private, no-store"


TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    "path", sorted(p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts)
)
def test_no_template_of_a_web_page_has_inline_script_or_style(path):
    """The PDF templates (read by WeasyPrint only) may inline their CSS; no page a browser gets may."""
    text = path.read_text()
    assert not re.search(r"\sstyle=", text), "inline style attribute"
    assert "<style" not in text
    assert not re.search(r"<script(?![^>]*\ssrc=)", text), "inline script"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    assert "javascript:" not in text
