"""The one place that answers "may this user see / edit / approve this?".

Rights come from staff status and from memberships (user, county, role).
Every view and queryset asks here; an object of a county the user may not
read is answered with 404, so that its existence does not leak.
"""

from dataclasses import dataclass

from django.http import Http404

from plans.models import Membership, Role


def county_roles(user) -> dict[int, str]:
    """The user's role per county id, read once per user object (so once per request)."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_planportal_county_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("county_id", "role"))
        user._planportal_county_roles = cached
    return cached


def readable_county_ids(user) -> list[int]:
    return list(county_roles(user))


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


@dataclass(frozen=True)
class Access:
    """What one user may do in one county."""

    can_read: bool
    can_edit: bool
    can_approve: bool
    role: str | None = None


NO_ACCESS = Access(can_read=False, can_edit=False, can_approve=False)


def access_to_county(user, county_id: int) -> Access:
    if is_admin(user):
        return Access(can_read=True, can_edit=True, can_approve=True, role=None)
    role = county_roles(user).get(county_id)
    if role is None:
        return NO_ACCESS
    return Access(
        can_read=True,
        can_edit=role == Role.EDITOR,
        can_approve=role == Role.APPROVER,
        role=role,
    )


def require_county_access(user, county_id: int, *, edit: bool = False, approve: bool = False) -> Access:
    """Access for a view, or Http404 when the user may not read, or lacks the right asked for.

    A reader who asks to edit gets 404 too: the county exists for them, but a
    403 would tell them nothing a 404 does not, and one answer keeps views simple.
    """
    access = access_to_county(user, county_id)
    if not access.can_read or (edit and not access.can_edit) or (approve and not access.can_approve):
        raise Http404
    return access


def get_plan_for_user(user, plan_id: int, *, edit: bool = False, approve: bool = False):
    """The plan and the user's access to it, or Http404 (see ``require_county_access``)."""
    from plans.models import Plan

    plan = Plan.objects.select_related("county").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    access = require_county_access(user, plan.county_id, edit=edit, approve=approve)
    return plan, access


def editable_counties(user):
    """The counties the user may edit: all for staff, else those where they are redaktör."""
    from plans.models import County

    if is_admin(user):
        return County.objects.all()
    return County.objects.filter(
        pk__in=[pk for pk, role in county_roles(user).items() if role == Role.EDITOR]
    )
