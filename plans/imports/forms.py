from django import forms
from django.utils.translation import gettext_lazy

from planportal.lib.spreadsheets import MAX_FILE_BYTES, file_size_error
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
            raise forms.ValidationError(file_size_error(upload.size))
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
