"""Forms of the people pages: input is normalised here, the rules are checked in services."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from plans.models import Organisation, Role

User = get_user_model()


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (for a contributor)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(county=county).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CONTRIBUTOR and not data.get("organisations"):
            self.add_error("organisations", _("Choose the contributor's organisations."))
        return data


class InviteForm(RoleFields):
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["email", "role", "organisations", "reason"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(RoleFields):
    shown_role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)


class NewAccountForm(forms.Form):
    """A new person's own choice of username and password (Django's password validators)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken: choose another."))
        return username

    def clean(self):
        data = super().clean()
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            user = User(username=data.get("username", ""), first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class EraseForm(forms.Form):
    confirm = forms.CharField(label=_("Type the username to confirm"))
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)
