from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityFollowUp, Status
from planportal.forms import EditForm, MoneyField
from plans.models import Organisation, Plan


class ActivityForm(EditForm):
    scope_fields = ("plan",)
    budget = MoneyField(label=_("budget (SEK)"), required=False)

    class Meta:
        model = Activity
        fields = [
            "title",
            "priority_area",
            "goals",
            "current_state",
            "expected_result",
            "indicators_text",
            "timeline",
            "responsible",
            "cost_text",
            "status",
            "activity_type",
            "start_date",
            "end_date",
            "budget",
            "funding_source",
            "lead_organisations",
            "sub_regions",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.CheckboxSelectMultiple,
            "sub_regions": forms.CheckboxSelectMultiple,
            "current_state": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "indicators_text": forms.Textarea(attrs={"rows": 3}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "cost_text": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        # Only this plan's goals and areas, this county's sub-regions: anything else is
        # "not one of the available choices".
        self.fields["goals"].queryset = plan.goals.all()
        self.fields["priority_area"].queryset = plan.priority_areas.all()
        self.fields["sub_regions"].queryset = plan.county.sub_regions.all()
        self.fields["lead_organisations"].queryset = Organisation.objects.filter(
            Q(county=plan.county) | Q(county__isnull=True)
        )
        self.fields["lead_organisations"].widget.attrs["size"] = 8

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class StatusForm(forms.Form):
    """The inline status change on the plan page."""

    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class FollowUpForm(EditForm):
    scope_fields = ("activity",)
    spent = MoneyField(label=_("spent (SEK)"), required=False)

    class Meta:
        model = ActivityFollowUp
        fields = ["year", "status", "achieved", "planning", "spent"]
        widgets = {
            "achieved": forms.Textarea(attrs={"rows": 4}),
            "planning": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        plan = activity.plan
        self.fields["year"].widget = forms.NumberInput(
            attrs={"min": plan.start_year, "max": plan.end_year + 1}
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        plan = self.instance.activity.plan
        if not plan.start_year <= year <= plan.end_year + 1:
            raise forms.ValidationError(
                _("The year must lie within the plan's period, %(period)s."), params={"period": plan.period}
            )
        return year
