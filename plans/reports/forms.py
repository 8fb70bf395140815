from django import forms
from django.utils.translation import gettext_lazy as _

from planportal.forms import CleanTextMixin


class ReturnForm(CleanTextMixin, forms.Form):
    """The steering group's reason for sending a report back."""

    comment = forms.CharField(
        label=_("What needs to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The editors see this comment on the report."),
    )
