from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal.lib.spreadsheets import MAX_FILE_BYTES
from plans.models import ImportRecord


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file (.csv), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file that can be imported is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FILE_BYTES)}
            )
        self.file_bytes = upload.read()
        return upload


class PlanUploadForm(UploadForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[
            (ImportRecord.Kind.ACTIVITIES, gettext_lazy("the activity matrix")),
            (ImportRecord.Kind.GOALS, gettext_lazy("the goals")),
        ],
        initial=ImportRecord.Kind.ACTIVITIES,
        widget=forms.RadioSelect,
    )
    field_order = ["kind", "file"]


class ConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    digest = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
