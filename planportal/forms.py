"""Form building blocks shared by every editing page."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from planportal.lib.swedish import format_number, parse_number
from planportal.lib.textdiff import normalise_text, strip_control_characters


class MoneyField(forms.DecimalField):
    """An amount in kronor, typed as Swedes type it: "450 000", "1 234,50", "450 000 kr"."""

    default_error_messages = {"invalid": _("Enter an amount, e.g. 450 000 or 1 234,50.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.validators.append(MinValueValidator(0, message=_("Amounts of money cannot be negative.")))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_number(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value, 0 if value == value.to_integral() else 2)
        return value


class CleanTextMixin:
    """Removes control characters (NUL and the like) from everything the form was sent, before
    any field sees it.

    A person cannot see them, so refusing the form would leave them nothing to correct; kept,
    a NUL makes PostgreSQL refuse the row (a 500) while SQLite stores it, and the xlsx export
    cannot write them. Use it in every form that takes text.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = without_control_characters(self.data)


def without_control_characters(data):
    """A copy of submitted form data (a QueryDict or a dict) with control characters removed."""
    if hasattr(data, "setlist"):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [_strip(value) for value in values])
        return cleaned
    return {key: _strip(value) for key, value in data.items()}


def _strip(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, (list, tuple)):
        return [_strip(item) for item in value]
    return value


class EditForm(CleanTextMixin, forms.ModelForm):
    """A model form with a change reason, lost-update detection and scoped constraints.

    Every text is stored in one normal form (``normalise_text``), so that saving the
    form untouched changes nothing and writes no version; control characters are removed
    before the fields are cleaned (``CleanTextMixin``).

    ``scope_fields`` are set by the view (the plan a goal belongs to, …) rather than
    typed by the user; they still take part in unique-constraint validation, so that
    a duplicate goal code gets a message on the form instead of an IntegrityError.
    """

    scope_fields: tuple[str, ...] = ()

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=300,
        help_text=_("Optional; shown in the history."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance_version(self.instance)

    @staticmethod
    def instance_version(instance) -> str:
        return instance.updated_at.isoformat() if instance.updated_at else ""

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if isinstance(value, str) and isinstance(self.fields.get(name), forms.CharField):
                cleaned_data[name] = normalise_text(value)
        return cleaned_data

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        return exclusions - set(self.scope_fields)

    def has_conflict(self) -> bool:
        """Was the object saved by someone else after this form was loaded?

        The view builds a bound form around the object as it is in the database
        now, so its ``updated_at`` is the latest save; the hidden ``version`` is
        the one the user started editing from.
        """
        loaded = self.data.get(self.add_prefix("version"), "")
        return bool(self.instance.pk) and bool(loaded) and loaded != self.instance_version(self.instance)
