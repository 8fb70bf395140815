from django import forms
from django.utils.translation import gettext_lazy as _

from publication.models import InternalField, Licence


class PublishForm(forms.Form):
    """The choices a county makes when it publishes a plan."""

    licence = forms.ChoiceField(
        label=_("Licence of the open data"),
        choices=Licence.choices,
        widget=forms.RadioSelect,
        help_text=_("CC0: anyone may use the data freely. CC BY 4.0: anyone may use it, naming the county."),
    )
    internal_fields = forms.MultipleChoiceField(
        label=_("Keep internal"),
        choices=InternalField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "These fields are left out of the published plan. The free-text responsible fields often "
            "name people: keep them internal unless they name organisations only."
        ),
    )
    # The publication number the person saw (0: none), so that a change meanwhile is not overwritten.
    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ExpectedForm(forms.Form):
    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    report = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
