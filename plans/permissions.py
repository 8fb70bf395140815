"""The one place that answers "may this user see / edit / approve this?".

Rights come from staff status and from memberships (user, county, role).
Every view and queryset asks here; an object of a county the user may not
read is answered with 404, so that its existence does not leak.

A contributor (bidragsgivare) reads the county like a reader, and besides
edits the follow-ups and the status of the activities that the organisations
of their membership lead ("contributes" to them); a redaktör contributes to
every activity of the county.
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


def county_organisations(user) -> dict[int, frozenset[int]]:
    """The organisation ids of the user's contributor memberships, per county id (cached like the roles)."""
    cached = getattr(user, "_planportal_county_organisations", None)
    if cached is None:
        cached = {}
        if Role.CONTRIBUTOR in county_roles(user).values():
            links = Membership.organisations.through.objects.filter(
                membership__user=user, membership__role=Role.CONTRIBUTOR
            ).values_list("membership__county_id", "organisation_id")
            found: dict[int, set[int]] = {}
            for county_id, organisation_id in links:
                found.setdefault(county_id, set()).add(organisation_id)
            cached = {county_id: frozenset(ids) for county_id, ids in found.items()}
        user._planportal_county_organisations = cached
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
    # A contributor's organisations in this county: they contribute to the activities these lead.
    organisation_ids: frozenset[int] = frozenset()

    @property
    def is_contributor(self) -> bool:
        return self.role == Role.CONTRIBUTOR

    @property
    def may_contribute_somewhere(self) -> bool:
        """Edits some follow-up in the county: a redaktör, or a contributor with organisations."""
        return self.can_edit or bool(self.is_contributor and self.organisation_ids)

    def may_contribute(self, activity) -> bool:
        """May edit the activity's follow-ups and status (reads its prefetched lead organisations)."""
        if self.can_edit:
            return True
        if not self.is_contributor or not self.organisation_ids:
            return False
        leads = activity.lead_organisations.all()
        return any(organisation.pk in self.organisation_ids for organisation in leads)


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
        organisation_ids=county_organisations(user).get(county_id, frozenset())
        if role == Role.CONTRIBUTOR
        else frozenset(),
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


def require_contributor_access(user, activity) -> Access:
    """Access to edit the activity's follow-ups and status, or Http404 (as ``require_county_access``)."""
    access = require_county_access(user, activity.plan.county_id)
    if not access.may_contribute(activity):
        raise Http404
    return access


def can_contribute(user, activity) -> bool:
    """May the user edit the activity's follow-ups and status?"""
    return access_to_county(user, activity.plan.county_id).may_contribute(activity)


def contributable_activity_ids(access: Access) -> frozenset[int]:
    """The ids of the activities a contributor contributes to, in one query (none for other roles).

    For a page of many rows (the plan matrix, the round page): a redaktör may change every
    row anyway, and the rows of other counties never reach a page of this county.
    """
    if access.can_edit or not access.is_contributor or not access.organisation_ids:
        return frozenset()
    from activities.models import Activity

    links = Activity.lead_organisations.through.objects.filter(organisation_id__in=access.organisation_ids)
    return frozenset(links.values_list("activity_id", flat=True))


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


# People of a county. Every redaktör of a county administers its people (invites, changes roles,
# removes memberships, deactivates): the redaktör is already the county's coordinator, trusted
# with everything else in it, and a separate flag would leave counties whose only redaktör
# cannot add a colleague without staff. Staff administer every county; nobody makes staff here.


def can_administer_people(user, county_id: int) -> bool:
    return access_to_county(user, county_id).can_edit


def require_people_admin(user, county_id: int) -> Access:
    """Access for a page of the county's people, or Http404 (as ``require_county_access``)."""
    return require_county_access(user, county_id, edit=True)


def may_see_person(viewer, person) -> bool:
    """May ``viewer`` see ``person``'s name and e-mail: staff, themselves, or one who shares a county."""
    if person is None or not viewer.is_authenticated:
        return False
    if is_admin(viewer) or viewer.pk == person.pk:
        return True
    return Membership.objects.filter(user=person, county_id__in=readable_county_ids(viewer)).exists()
