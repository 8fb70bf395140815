"""Response headers that Django's own middleware does not send.

``Permissions-Policy`` turns off the browser features Planportal never uses, so that an
injected script could not ask for them either. ``Cache-Control: private, no-store``
keeps a signed-in person's pages and every download (exports, PDFs) out of shared
caches and out of the browser's disk cache, where the next person at a shared computer
could find them. Static files never reach this middleware: whitenoise answers them first.
The public pages of published plans (``publication``) say ``Cache-Control: public`` themselves:
what they serve is published for everyone, so it is left as it is (and the session is not read).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NO_STORE = "private, no-store"


def _is_download(response: HttpResponse) -> bool:
    return response.has_header("Content-Disposition") or response.get("Content-Type", "").startswith(
        "application/pdf"
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if response.get("Cache-Control", "").startswith("public"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or _is_download(response):
            response["Cache-Control"] = NO_STORE
        return response
