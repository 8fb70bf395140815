from django import forms
from django.utils.translation import gettext_lazy as _

from planportal.lib.textdiff import normalise_text
from rounds.models import FollowUpRound


class RoundForm(forms.ModelForm):
    """Open a round (year, deadline, instructions), or edit one (and close or reopen it)."""

    class Meta:
        model = FollowUpRound
        fields = ["year", "deadline", "instructions", "status"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "instructions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        years = {"min": plan.start_year, "max": plan.end_year + 1}
        self.fields["year"].widget = forms.NumberInput(attrs=years)
        if self.instance.pk is None:
            # A round opens open; closing it is an edit.
            del self.fields["status"]
        else:
            # The year is what the answers are filed under; a round for another year is a new round.
            self.fields["year"].disabled = True

    def clean_instructions(self) -> str:
        return normalise_text(self.cleaned_data["instructions"])

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        plan = self.instance.plan
        # The last follow-up is often written the year after the plan's last year.
        if not plan.start_year <= year <= plan.end_year + 1:
            raise forms.ValidationError(
                _("The year must lie within the plan's period, %(period)s."), params={"period": plan.period}
            )
        if FollowUpRound.objects.filter(plan=plan, year=year).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The plan already has a follow-up round for this year."))
        return year
