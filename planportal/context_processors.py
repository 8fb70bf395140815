"""What the site's header needs on every page."""

from django.http import HttpRequest

from plans.models import Role
from plans.permissions import county_roles


def navigation(request: HttpRequest) -> dict:
    """Whether to show "My follow-up": the user contributes to a county (roles are read once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_contributor": False}
    return {"is_contributor": Role.CONTRIBUTOR in county_roles(user).values()}
