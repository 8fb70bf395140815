from django import forms
from django.utils.translation import gettext_lazy as _

from planportal.forms import CleanTextMixin, EditForm
from plans.models import ReportSection

MARKUP_HELP = _(
    "Blank line: new paragraph. *italic*, **bold**, lists with - or 1., links as [text](https://…)."
)


class ReturnForm(CleanTextMixin, forms.Form):
    """The steering group's reason for sending a report back."""

    comment = forms.CharField(
        label=_("What needs to change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The editors see this comment on the report."),
    )


class TextSectionForm(EditForm):
    """A written part with one text: the summary, the use of the state funds, the closing part."""

    class Meta:
        model = ReportSection
        fields = ["text"]
        labels = {"text": _("Text")}
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"text": MARKUP_HELP}


class AssessmentForm(EditForm):
    """An area's assessment: what was achieved, the analysis, what comes next."""

    class Meta:
        model = ReportSection
        fields = ["achieved", "analysis", "planning"]
        labels = {"achieved": _("Achievement"), "analysis": _("Analysis"), "planning": _("Planning")}
        widgets = {name: forms.Textarea(attrs={"rows": 7}) for name in fields}
        help_texts = {
            "achieved": _("What was achieved during the year."),
            "analysis": _("Why it went as it did, and what it means."),
            "planning": MARKUP_HELP,
        }


class CommentForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    """Approving stores the PDF for good: the approver confirms it first, without JavaScript."""

    confirm = forms.BooleanField(
        label=_("I have read the report and approve it. Its PDF is stored and cannot be changed."),
        error_messages={"required": _("Tick the box to confirm the approval.")},
    )


class ReopenForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the report reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the report's history. The approved versions and their PDFs stay."),
    )
