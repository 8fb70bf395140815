"""What a county's administrators and staff do to people: every function runs in one transaction,
writes a PeopleEvent (who, to whom, why) and records membership changes in their history."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import TOKEN_SALT, Invitation, PeopleEvent
from planportal import jobs
from planportal.lib.history import history_context
from planportal.lib.locking import lock_row, lock_rows
from plans.models import County, Membership, Organisation, ReportComment, Role
from plans.permissions import can_administer_people, is_admin

User = get_user_model()
ERASED_NAME = "borttagen användare"


class PeopleError(ValidationError):
    """A change that is refused; its message is shown to the person as it is."""


class Conflict(PeopleError):
    """Someone changed the same thing since the page was loaded."""


def _check_admin(by, county_id: int) -> None:
    # The views ask too; a service never trusts that they did.
    if not can_administer_people(by, county_id):
        raise PeopleError(_("You do not administer the people of this county."))


def _check_organisations(county: County, role: str, organisations: Iterable[Organisation]) -> list:
    organisations = list(organisations) if role == Role.CONTRIBUTOR else []
    if any(organisation.county_id != county.pk for organisation in organisations):
        raise PeopleError(_("Choose organisations of this county."))
    return organisations


def _check_not_self(by, person, county_id: int) -> None:
    # A redaktör who demoted or removed themselves would lose the right to undo it.
    if person.pk == by.pk and not is_admin(by):
        raise PeopleError(
            _("You cannot change or remove your own membership: ask another redaktör of the county or staff.")
        )


def invite(*, county: County, email: str, role: str, organisations=(), by, reason: str = "") -> Invitation:
    """Create an invitation and queue its mail once the transaction commits."""
    _check_admin(by, county.pk)
    if role not in Role.values:
        raise PeopleError(_("Choose a role."))
    organisations = _check_organisations(county, role, organisations)
    with transaction.atomic():
        invitation = Invitation(
            county=county,
            email=email.strip().lower(),
            role=role,
            invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        invitation.organisations.set(organisations)
        PeopleEvent.objects.create(
            actor=by,
            county=county,
            invitation=invitation,
            action=PeopleEvent.Action.INVITED,
            detail=invitation.get_role_display(),
            reason=reason,
        )
        jobs.enqueue_on_commit("accounts.mails.send_invitation", invitation.pk)
    return invitation


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names (used, revoked and expired ones too), or None for a bad link."""
    try:
        data = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    invitation = Invitation.objects.select_related("county").filter(pk=data.get("id")).first()
    if invitation is None or not secrets_equal(invitation.key, str(data.get("key", ""))):
        return None
    return invitation


def secrets_equal(a: str, b: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(a, b)


def accept_invitation(*, invitation: Invitation, user) -> Membership:
    """Give ``user`` the invitation's role in its county; the invitation works once."""
    with transaction.atomic():
        current = lock_row(invitation)
        if current is None or not current.is_pending:
            raise PeopleError(_("This invitation has already been used, has expired or was revoked."))
        with history_context(user=user, reason=_("Accepted an invitation")):
            membership = lock_rows(Membership.objects.filter(user=user, county_id=current.county_id)).first()
            if membership is None:
                membership = Membership.objects.create(
                    user=user, county_id=current.county_id, role=current.role
                )
            else:
                membership.role = current.role
                membership.save()
            membership.organisations.set(
                current.organisations.all() if current.role == Role.CONTRIBUTOR else []
            )
        current.accepted_at = timezone.now()
        current.accepted_by = user
        current.save(update_fields=["accepted_at", "accepted_by"])
        PeopleEvent.objects.create(
            actor=user,
            person=user,
            county_id=current.county_id,
            invitation=current,
            action=PeopleEvent.Action.ACCEPTED,
            detail=current.get_role_display(),
        )
    return membership


def revoke_invitation(*, invitation: Invitation, by, reason: str = "") -> None:
    _check_admin(by, invitation.county_id)
    with transaction.atomic():
        current = lock_row(invitation)
        if current is None or current.accepted_at is not None:
            raise Conflict(_("The invitation was accepted meanwhile and can no longer be revoked."))
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
            PeopleEvent.objects.create(
                actor=by,
                county_id=current.county_id,
                invitation=current,
                action=PeopleEvent.Action.REVOKED,
                reason=reason,
            )


def change_role(
    *, membership: Membership, role: str, organisations=(), shown_role: str, by, reason: str = ""
) -> Membership:
    """Change the role (and a contributor's organisations); refused if the role changed since it was shown."""
    _check_admin(by, membership.county_id)
    _check_not_self(by, membership.user, membership.county_id)
    if role not in Role.values:
        raise PeopleError(_("Choose a role."))
    organisations = _check_organisations(membership.county, role, organisations)
    with transaction.atomic():
        current = lock_row(membership)
        if current is None:
            raise Conflict(_("Someone removed this membership meanwhile."))
        if current.role != shown_role:
            raise Conflict(
                _("Someone changed this person's role meanwhile (now: %(role)s). Nothing was saved.")
                % {"role": current.get_role_display()}
            )
        before = current.get_role_display()
        with history_context(user=by, reason=reason or _("Role changed")):
            current.role = role
            current.save()
            current.organisations.set(organisations)
        PeopleEvent.objects.create(
            actor=by,
            person=current.user,
            county_id=current.county_id,
            action=PeopleEvent.Action.ROLE_CHANGED,
            detail=f"{before} → {current.get_role_display()}",
            reason=reason,
        )
    return current


def remove_membership(*, membership: Membership, by, reason: str = "") -> None:
    _check_admin(by, membership.county_id)
    _check_not_self(by, membership.user, membership.county_id)
    with transaction.atomic():
        current = lock_row(membership)
        if current is None:
            return  # removed meanwhile: what was asked is done
        with history_context(user=by, reason=reason or _("Membership removed")):
            current.delete()
        PeopleEvent.objects.create(
            actor=by,
            person=membership.user,
            county_id=membership.county_id,
            action=PeopleEvent.Action.REMOVED,
            detail=membership.get_role_display(),
            reason=reason,
        )


def deactivate(*, person, county: County, by, reason: str = "") -> None:
    """Stop ``person`` signing in: a county administrator may, if the person belongs to no other county."""
    _check_admin(by, county.pk)
    _check_not_self(by, person, county.pk)
    if (person.is_staff or person.is_superuser) and not is_admin(by):
        raise PeopleError(_("Only staff can deactivate staff."))
    with transaction.atomic():
        person = lock_row(person)
        counties = set(Membership.objects.filter(user=person).values_list("county_id", flat=True))
        if county.pk not in counties and not is_admin(by):
            raise PeopleError(_("This person is not a member of the county."))
        if counties - {county.pk} and not is_admin(by):
            raise PeopleError(
                _("This person is also a member of another county: remove their membership here instead.")
            )
        if person.is_active:
            person.is_active = False
            person.save(update_fields=["is_active"])
            PeopleEvent.objects.create(
                actor=by, person=person, county=county, action=PeopleEvent.Action.DEACTIVATED, reason=reason
            )


def personal_data(person, *, by=None) -> dict:
    """Everything Planportal holds about ``person`` that names them, as JSON-ready data."""
    from django.apps import apps

    memberships = (
        Membership.objects.filter(user=person).select_related("county").prefetch_related("organisations")
    )
    invitations = (
        Invitation.objects.filter(email__iexact=person.email) if person.email else Invitation.objects.none()
    )
    invitations = (
        (invitations | Invitation.objects.filter(accepted_by=person)).distinct().select_related("county")
    )
    comments = [
        {"id": comment.pk, "created": _iso(comment.created_at), "text": comment.text}
        for comment in ReportComment.objects.filter(author=person).order_by("pk")
    ]
    history_rows = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and any(
            f.name == "history_user" for f in model._meta.fields
        ):
            count = model.objects.filter(history_user=person).count()
            if count:
                history_rows[model._meta.label] = count
    data = {
        "user": {
            "id": person.pk,
            "username": person.username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "is_active": person.is_active,
            "is_staff": person.is_staff,
            "date_joined": _iso(person.date_joined),
            "last_login": _iso(person.last_login),
        },
        "memberships": [
            {
                "county": m.county.name,
                "role": m.role,
                "organisations": [o.name for o in m.organisations.all()],
            }
            for m in memberships
        ],
        "invitations": [
            {
                "county": i.county.name,
                "email": i.email,
                "role": i.role,
                "created": _iso(i.created_at),
                "expires": _iso(i.expires_at),
                "accepted": _iso(i.accepted_at),
                "revoked": _iso(i.revoked_at),
            }
            for i in invitations
        ],
        "comments": comments,
        "history_rows": history_rows,
    }
    if by is not None:
        PeopleEvent.objects.create(actor=by, person=person, action=PeopleEvent.Action.EXPORTED)
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def erase(*, person, by, reason: str = ""):
    """Anonymise ``person`` (staff only).

    History rows keep pointing at the user, who is now "borttagen användare".
    """
    if not is_admin(by):
        raise PeopleError(_("Only staff can erase a person's personal data."))
    if person.pk == by.pk:
        raise PeopleError(_("You cannot erase yourself."))
    with transaction.atomic():
        person = lock_row(person)
        email = person.email
        with history_context(user=by, reason=reason or _("Personal data erased")):
            for membership in Membership.objects.filter(user=person):
                membership.delete()
        invitations = Invitation.objects.filter(accepted_by=person)
        if email:
            invitations = invitations | Invitation.objects.filter(email__iexact=email)
        Invitation.objects.filter(pk__in=invitations.values("pk")).update(
            email=f"borttagen-{person.pk}@invalid"
        )
        # Single sign-on links hold the provider's claims (name, e-mail): they go, and so do
        # the e-mail addresses allauth keeps for the person.
        person.socialaccount_set.all().delete()
        person.emailaddress_set.all().delete()
        person.username = f"borttagen-{person.pk}"
        person.first_name = ERASED_NAME
        person.last_name = ""
        person.email = ""
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.set_unusable_password()
        person.save()
        PeopleEvent.objects.create(actor=by, person=person, action=PeopleEvent.Action.ERASED, reason=reason)
    return person
