from django import forms

from accessibility.models import AccessibilityStatement
from planportal.forms import EditForm


class StatementForm(EditForm):
    class Meta:
        model = AccessibilityStatement
        fields = [
            "organisation",
            "service",
            "conformance",
            "non_accessible",
            "assessment",
            "assessed_on",
            "contact_email",
            "contact_text",
        ]
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "non_accessible": forms.Textarea(attrs={"rows": 14}),
            "assessment": forms.Textarea(attrs={"rows": 10}),
            "contact_text": forms.Textarea(attrs={"rows": 4}),
        }
