"""People of a county, invitations, "Mitt konto" and staff's personal-data pages."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import EraseForm, InviteForm, NewAccountForm, ReasonForm, RoleForm
from accounts.models import Invitation, PeopleEvent
from plans.models import County, Membership, Organisation, Role
from plans.permissions import is_admin, require_people_admin

User = get_user_model()


def _posted(request: HttpRequest):
    """The POST data of a POST (even an empty one), else None: a bound form only for a POST."""
    return request.POST if request.method == "POST" else None


def _county_for_admin(request: HttpRequest, letter_code: str) -> County:
    county = County.objects.filter(letter_code=letter_code).first()
    if county is None:
        raise Http404
    require_people_admin(request.user, county.pk)
    return county


def _membership(county: County, membership_id: int) -> Membership:
    # Looked up within the county: an id of another county's membership is simply not found.
    return get_object_or_404(
        Membership.objects.select_related("user", "county"), pk=membership_id, county=county
    )


def _people_url(county: County) -> str:
    return reverse("county_people", args=[county.letter_code])


@login_required
def county_people(request: HttpRequest, letter_code: str) -> HttpResponse:
    county = _county_for_admin(request, letter_code)
    form = InviteForm(_posted(request), county=county)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.invite(
                    county=county,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    organisations=form.cleaned_data["organisations"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except services.PeopleError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect(_people_url(county))
        status = 400
    memberships = (
        Membership.objects.filter(county=county)
        .select_related("user")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    invitations = Invitation.objects.filter(county=county).pending().select_related("invited_by")
    memberships = list(memberships)
    events = PeopleEvent.objects.filter(county=county).select_related("actor", "person", "invitation")[:25]
    # Names of people who no longer share a county with the viewer (staff, former members) stay hidden.
    visible = {membership.user_id for membership in memberships} | {request.user.pk}
    staff = is_admin(request.user)
    for event in events:
        event.actor_name = _name_for(event.actor, visible, staff, _("staff"))
        event.person_name = _name_for(event.person, visible, staff, _("a former member"))
    context = {
        "county": county,
        "memberships": memberships,
        "invitations": invitations,
        "events": events,
        "form": form,
        "me": request.user,
        "invitation_days": settings.INVITATION_DAYS,
    }
    return render(request, "accounts/county_people.html", context, status=status)


def _name_for(person, visible: set[int], staff: bool, hidden: str) -> str:
    if person is None:
        return ""
    if staff or person.pk in visible:
        return person.get_full_name() or person.username
    return hidden


@login_required
def membership_edit(request: HttpRequest, letter_code: str, membership_id: int) -> HttpResponse:
    county = _county_for_admin(request, letter_code)
    membership = _membership(county, membership_id)
    initial = {
        "role": membership.role,
        "shown_role": membership.role,
        "organisations": list(membership.organisations.all()),
    }
    form = RoleForm(_posted(request), county=county, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.change_role(
                    membership=membership,
                    role=form.cleaned_data["role"],
                    organisations=form.cleaned_data["organisations"],
                    shown_role=form.cleaned_data["shown_role"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except services.Conflict as error:
                form.add_error(None, error)
                status = 409
            except services.PeopleError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The role was changed."))
                return redirect(_people_url(county))
    context = {"county": county, "membership": membership, "form": form}
    return render(request, "accounts/membership_edit.html", context, status=status)


def _confirm(request, county, *, title, question, button, action, person=None) -> HttpResponse:
    """GET: the question; POST: ``action(reason)``, then back to the county's people."""
    form = ReasonForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data["reason"])
        except services.PeopleError as error:
            form.add_error(None, error)
            status = 400
        else:
            messages.success(request, _("Done."))
            return redirect(_people_url(county))
    context = {"county": county, "form": form, "title": title, "question": question, "button": button}
    return render(request, "accounts/confirm.html", context, status=status)


@login_required
def membership_remove(request: HttpRequest, letter_code: str, membership_id: int) -> HttpResponse:
    county = _county_for_admin(request, letter_code)
    membership = _membership(county, membership_id)
    name = membership.user.get_full_name() or membership.user.username
    return _confirm(
        request,
        county,
        title=_("Remove membership"),
        question=_("Remove %(name)s's role in %(county)s?") % {"name": name, "county": county.name},
        button=_("Remove"),
        action=lambda reason: services.remove_membership(
            membership=membership, by=request.user, reason=reason
        ),
    )


@login_required
def person_deactivate(request: HttpRequest, letter_code: str, membership_id: int) -> HttpResponse:
    county = _county_for_admin(request, letter_code)
    membership = _membership(county, membership_id)
    name = membership.user.get_full_name() or membership.user.username
    return _confirm(
        request,
        county,
        title=_("Deactivate person"),
        question=_("Deactivate %(name)s? They can no longer sign in to Planportal.") % {"name": name},
        button=_("Deactivate"),
        action=lambda reason: services.deactivate(
            person=membership.user, county=county, by=request.user, reason=reason
        ),
    )


@login_required
def invitation_revoke(request: HttpRequest, letter_code: str, invitation_id: int) -> HttpResponse:
    county = _county_for_admin(request, letter_code)
    invitation = get_object_or_404(Invitation, pk=invitation_id, county=county)
    return _confirm(
        request,
        county,
        title=_("Revoke invitation"),
        question=_("Revoke the invitation to %(email)s?") % {"email": invitation.email},
        button=_("Revoke"),
        action=lambda reason: services.revoke_invitation(
            invitation=invitation, by=request.user, reason=reason
        ),
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", {"reason": "bad"}, status=404)
    if not invitation.is_pending:
        reason = "used" if invitation.accepted_at else "revoked" if invitation.revoked_at else "expired"
        return render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=410)
    new_form = None if request.user.is_authenticated else NewAccountForm(_posted(request))
    if request.method == "POST" and (new_form is None or new_form.is_valid()):
        try:
            if new_form is None:
                services.accept_invitation(invitation=invitation, user=request.user)
            else:
                user = _create_user(new_form, invitation)
                if user is not None:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except services.PeopleError:
            # Accepted (or revoked) by someone else between the page and the click.
            return render(request, "accounts/invitation_invalid.html", {"reason": "used"}, status=410)
        if new_form is None or user is not None:
            messages.success(request, _("Welcome to %(county)s.") % {"county": invitation.county.name})
            return redirect("county_detail", invitation.county.letter_code)
    context = {
        "invitation": invitation,
        "form": new_form,
        "login_url": reverse("login") + "?" + urlencode({"next": request.path}),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


def _create_user(form: NewAccountForm, invitation: Invitation):
    """The new person's user and the membership, in one transaction (both or neither)."""
    from django.db import IntegrityError, transaction

    data = form.cleaned_data
    try:
        with transaction.atomic():
            user = User(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=invitation.email,
            )
            user.set_password(data["password1"])
            user.save()
            services.accept_invitation(invitation=invitation, user=user)
    except IntegrityError:
        # The same username taken by someone else at the same moment.
        form.add_error("username", _("That username is taken: choose another."))
        return None
    return user


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("county")
        .prefetch_related("organisations")
        .order_by("county__name")
    )
    return render(
        request,
        "accounts/my_account.html",
        {"memberships": memberships, "editor_role": Role.EDITOR, "staff": is_admin(request.user)},
    )


def _staff_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise Http404


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    query = request.GET.get("q", "").strip()[:100]
    people = User.objects.order_by("username")
    if query:
        from django.db.models import Q

        people = people.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return render(request, "accounts/person_list.html", {"people": people[:100], "query": query})


@login_required
def person_data(request: HttpRequest, user_id: int) -> HttpResponse:
    _staff_only(request)
    person = get_object_or_404(User, pk=user_id)
    form = EraseForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if form.cleaned_data["confirm"].strip() != person.username:
                form.add_error("confirm", _("Type the person's username exactly."))
            else:
                try:
                    services.erase(person=person, by=request.user, reason=form.cleaned_data["reason"])
                except services.PeopleError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The person's personal data was erased."))
                    return redirect("person_data", person.pk)
    data = services.personal_data(person)
    data["membership_rows"] = Membership.objects.filter(user=person).select_related("county")
    return render(
        request, "accounts/person_data.html", {"person": person, "data": data, "form": form}, status=status
    )


@login_required
def person_export(request: HttpRequest, user_id: int) -> HttpResponse:
    _staff_only(request)
    person = get_object_or_404(User, pk=user_id)
    data = services.personal_data(person, by=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="personuppgifter-{person.pk}.json"'
    return response
